import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { FRAME_MAX_BYTES } from '../../protocol/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Bus, BusEnvelope } from './bus.js';

interface Parser<T> {
  safeParse(input: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };
      };
}

/** What the gateway needs of any connection, whatever frames it speaks. */
export interface TrackedSocket {
  readonly ws: WebSocket;
  alive: boolean;
  idle(): Promise<void>;
  close(code: number, reason: string): void;
}

/**
 * Frames held in one corked write at most. Each frame is two buffers (header, payload) and libuv
 * writes at most 1024 buffers per socket per turn of the event loop: a busy agent socket fed more
 * than that per turn fell further behind every turn (bench/realtime.ts, saturation), its backlog
 * piling up in the heap.
 */
const MAX_CORKED_FRAMES = 256;

/** Frames a client may send per second on average, and in a burst. */
const RATE_PER_SECOND = 5;
const RATE_BURST = 40;

/**
 * One WebSocket, whoever is behind it: parses each frame once with its schema, runs frames one at
 * a time (so a client's sends are stored in the order it sent them), rate-limits, answers bad
 * input with an error frame, and relays bus topics. A bad frame never closes the socket.
 */
export class Connection<In extends { type: string }> implements TrackedSocket {
  readonly id = randomBytes(9).toString('base64url');
  alive = true;
  private chain: Promise<void> = Promise.resolve();
  /** Bus topics this socket listens to, with the function that stops each. */
  private readonly topics = new Map<string, () => void>();
  private tokens = RATE_BURST;
  // A monotonic clock: a wall-clock step back (NTP) must not throttle every socket.
  private lastRefill = performance.now();
  /** While replaying missed messages, live events wait here so that order holds. */
  private held: BusEnvelope[] | null = null;
  private corked = false;
  private corkedFrames = 0;

  constructor(
    readonly ws: WebSocket,
    /** The upgraded TCP socket under `ws`. */
    private readonly socket: Duplex,
    private readonly schema: Parser<In>,
    private readonly handle: (frame: In) => Promise<void>,
    private readonly logger: Logger,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => {
      for (const unsubscribe of this.topics.values()) unsubscribe();
      this.topics.clear();
    });
  }

  /** Resolves when every frame received so far has been handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.corkUntilCallbackEnds();
    this.ws.send(data);
    if (++this.corkedFrames >= MAX_CORKED_FRAMES) {
      this.socket.uncork();
      this.socket.cork();
      this.corkedFrames = 0;
    }
  }

  /**
   * Frames sent by one callback leave in one write: a message makes two frames for
   * its sender (ack, conversation) and two for every agent socket, which gets the frames of every
   * conversation. One write per frame was ~16 % of the server's CPU at saturation
   * (bench/realtime.ts). The write goes out once the current callback and the promise
   * continuations it started are done, which covers a whole group commit's acks and events;
   * waiting for the next turn of the loop instead put other sockets' work before every ack.
   */
  private corkUntilCallbackEnds(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.corkedFrames = 0;
      this.socket.uncork();
    });
  }

  sendError(code: string, message: string, clientMessageId?: string): void {
    this.send({ type: 'error', code, message, ...(clientMessageId ? { clientMessageId } : {}) });
  }

  subscribe(bus: Bus, topic: string): void {
    if (this.topics.has(topic) || this.ws.readyState !== this.ws.OPEN) return;
    this.topics.set(
      topic,
      bus.subscribe(topic, (envelope) => {
        if (envelope.originSocketId === this.id) return;
        if (this.held) this.held.push(envelope);
        else this.sendRaw(envelope.data);
      }),
    );
  }

  unsubscribe(topic: string): void {
    this.topics.get(topic)?.();
    this.topics.delete(topic);
  }

  /**
   * Runs `replay` with live events held back, then releases them, dropping messages the replay
   * already delivered, so that a reconnecting client gets every missed message exactly once.
   */
  async replayThenLive(replay: () => Promise<Map<string, number>>): Promise<void> {
    this.held = [];
    let delivered = new Map<string, number>();
    try {
      delivered = await replay();
    } finally {
      const held = this.held;
      this.held = null;
      for (const envelope of held) {
        if (!alreadyDelivered(envelope.data, delivered)) this.sendRaw(envelope.data);
      }
    }
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  private takeToken(): boolean {
    const now = performance.now();
    this.tokens = Math.min(
      RATE_BURST,
      this.tokens + ((now - this.lastRefill) / 1000) * RATE_PER_SECOND,
    );
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.length;
    if (size > FRAME_MAX_BYTES) {
      this.sendError('frame_too_large', `Frames can be at most ${FRAME_MAX_BYTES} bytes`);
      return;
    }
    if (isBinary) {
      this.sendError('bad_frame', 'Frames must be JSON text');
      return;
    }
    let json: unknown;
    let isJson = true;
    try {
      json = JSON.parse((data as Buffer).toString());
    } catch {
      isJson = false;
    }
    if (!this.takeToken()) {
      // Naming the refused send lets the client retry it rather than wait for an ack.
      this.sendError('rate_limited', 'Too many frames; slow down', clientMessageIdOf(json));
      return;
    }
    if (!isJson) {
      this.sendError('bad_frame', 'Frames must be valid JSON');
      return;
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
      const clientMessageId = clientMessageIdOf(json);
      this.sendError(
        'bad_frame',
        `Invalid frame${where}: ${issue?.message ?? 'unknown'}`,
        clientMessageId,
      );
      return;
    }
    const frame = parsed.data;
    // Answered at once, not behind frames still being handled: a pong says the connection is
    // alive even while a send waits for a slow database.
    if (frame.type === 'ping') {
      this.send({ type: 'pong' });
      return;
    }
    this.chain = this.chain.then(() =>
      this.handle(frame).catch((error: unknown) => this.onHandlerError(error, frame)),
    );
  }

  private onHandlerError(error: unknown, frame: In): void {
    const clientMessageId = clientMessageIdOf(frame);
    if (error instanceof AppError) {
      // A refusal is the client's to hear; the server failing to serve it (503) is the admin's.
      if (error.status >= 500) {
        this.logger.warn({ err: error, frameType: frame.type }, 'frame could not be handled now');
      }
      this.sendError(error.code, error.message, clientMessageId);
      return;
    }
    this.logger.error(
      { err: error, frameType: frame.type, socketId: this.id },
      'frame handler failed',
    );
    this.sendError(
      'unavailable',
      'The server could not handle this right now; try again',
      clientMessageId,
    );
  }
}

function clientMessageIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('clientMessageId' in value))
    return undefined;
  const id = value.clientMessageId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function alreadyDelivered(data: string, delivered: Map<string, number>): boolean {
  if (delivered.size === 0 || !data.startsWith('{"type":"message"')) return false;
  const frame = JSON.parse(data) as { message: { conversationId: string; seq: number } };
  const upTo = delivered.get(frame.message.conversationId);
  return upTo !== undefined && frame.message.seq <= upTo;
}
