import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { InProcessBus, type Bus, type BusEnvelope, type BusHandler } from './bus.js';

interface Wire {
  /** The publishing instance: it has already delivered locally. */
  i: string;
  d: string;
  o?: string;
}

/**
 * The bus across server instances, over Redis pub/sub. Every event is delivered to this
 * instance's sockets at once and published for the others; a topic is subscribed in Redis only
 * while a local socket listens to it. When Redis is down, local delivery goes on, other instances
 * miss the live event, and their clients catch up from the database on their next resume.
 */
export class RedisBus implements Bus {
  private readonly local = new InProcessBus();
  private readonly counts = new Map<string, number>();
  /** Channels to subscribe (true) or unsubscribe (false) at the end of this turn. */
  private readonly pending = new Map<string, boolean>();
  private flushing = false;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly instanceId = randomBytes(8).toString('hex');
  private readonly recovered: Array<() => void> = [];
  private closing = false;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly prefix = 'palaver:',
  ) {
    const options = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true });
    let down = false;
    const lost = (reason: string) => {
      if (!down) {
        this.logger.warn(
          { err: reason },
          'redis unavailable: live fan-out across instances is paused',
        );
      }
      down = true;
    };
    for (const client of [this.pub, this.sub]) {
      client.on('error', (error: Error) => lost(error.message));
      // A server that shuts down cleanly and is back before the first reconnect attempt raises no
      // error, yet events published meanwhile are lost all the same.
      client.on('close', () => {
        if (!this.closing) lost('connection closed');
      });
      client.on('ready', () => {
        // Both connections must be back (the subscriber re-subscribes on reconnect).
        if (!down || !this.healthy()) return;
        down = false;
        this.logger.info('redis is back: live fan-out across instances resumed');
        for (const listener of this.recovered) listener();
      });
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.receive(channel, message),
    );
  }

  onRecovered(listener: () => void): void {
    this.recovered.push(listener);
  }

  /** For /readyz: can this instance reach the others right now? */
  healthy(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  async publish(topic: string, envelope: BusEnvelope): Promise<void> {
    await this.local.publish(topic, envelope);
    const wire: Wire = { i: this.instanceId, d: envelope.data };
    if (envelope.originSocketId) wire.o = envelope.originSocketId;
    try {
      await this.pub.publish(this.prefix + topic, JSON.stringify(wire));
    } catch {
      // Already logged by the connection's error handler; the event is in the database.
    }
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    const unsubscribe = this.local.subscribe(topic, handler);
    const count = (this.counts.get(topic) ?? 0) + 1;
    this.counts.set(topic, count);
    if (count === 1) this.change(topic, true);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      const left = (this.counts.get(topic) ?? 1) - 1;
      if (left > 0) {
        this.counts.set(topic, left);
        return;
      }
      this.counts.delete(topic);
      this.change(topic, false);
    };
  }

  /**
   * Subscription changes of one turn of the event loop go to Redis as one SUBSCRIBE and one
   * UNSUBSCRIBE: a reconnect herd adds thousands of topics in a few turns, and one command per
   * topic kept the instance busy. A topic added and dropped within the turn costs nothing.
   */
  private change(topic: string, subscribed: boolean): void {
    const channel = this.prefix + topic;
    if (this.pending.get(channel) === !subscribed) this.pending.delete(channel);
    else this.pending.set(channel, subscribed);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const on: string[] = [];
      const off: string[] = [];
      for (const [name, wanted] of this.pending) (wanted ? on : off).push(name);
      this.pending.clear();
      if (on.length) this.sub.subscribe(...on).catch(() => undefined);
      if (off.length) this.sub.unsubscribe(...off).catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.local.close();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private receive(channel: Buffer, message: Buffer): void {
    let wire: Wire;
    try {
      wire = JSON.parse(message.toString('utf8')) as Wire;
    } catch {
      return;
    }
    if (wire.i === this.instanceId || typeof wire.d !== 'string') return;
    const topic = channel.toString('utf8').slice(this.prefix.length);
    void this.local.publish(
      topic,
      wire.o ? { data: wire.d, originSocketId: wire.o } : { data: wire.d },
    );
  }
}
