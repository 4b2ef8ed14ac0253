import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookie } from 'cookie';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_SOCKET_PATH, CloseCode, VISITOR_SOCKET_PATH } from '../../protocol/index.js';
import { SESSION_COOKIE, type AgentSessions } from '../auth/index.js';
import type { Logger } from '../logger.js';
import { acceptAgentSocket, type AgentSocketDeps } from './agent-socket.js';
import { Admission } from './admission.js';
import type { TrackedSocket } from './connection.js';
import { acceptVisitorSocket, type VisitorSocketDeps } from './visitor-socket.js';

/** The gateway's own admission queue is added for the sockets it accepts. */
export interface GatewayDeps extends Omit<VisitorSocketDeps, 'admission'>, AgentSocketDeps {
  sessions: AgentSessions;
  /** Origins the agent console is served from (the public URL's origin, and our own host). */
  isConsoleOrigin: (origin: string | undefined, req: IncomingMessage) => boolean;
  logger: Logger;
}

/** Hard cap per frame: beyond it `ws` closes the socket; below it, oversize frames get an error. */
const MAX_PAYLOAD = 256 * 1024;
const HEARTBEAT_MS = 30_000;
/**
 * A resync spreads its closes over about this long per socket, up to the maximum: reconnecting
 * thousands of sockets at once kept an instance too busy to answer its health checks.
 */
const RESYNC_SPREAD_PER_SOCKET_MS = 2;
const RESYNC_SPREAD_MAX_MS = 10_000;

/**
 * Upgrades and authentications let through per turn of the event loop: about a millisecond of
 * work each, so other requests wait at most a few milliseconds behind a reconnect herd.
 */
const ADMITTED_PER_TURN = 8;

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Both WebSocket endpoints on the one HTTP server, plus heartbeats and graceful shutdown. */
export class RealtimeGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private readonly connections = new Set<TrackedSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private accepting = true;
  private readonly resyncTimers = new Set<NodeJS.Timeout>();
  private readonly admission = new Admission(ADMITTED_PER_TURN);
  private readonly deps: GatewayDeps & VisitorSocketDeps;

  constructor(deps: GatewayDeps) {
    this.deps = { ...deps, admission: this.admission };
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    void this.admission.turn().then(() => this.upgrade(req, socket, head));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (socket.destroyed) return;
    if (!this.accepting) return refuse(socket, 503, 'Service Unavailable');
    const path = (req.url ?? '').split('?')[0];
    if (path === VISITOR_SOCKET_PATH) {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.track(
          ws,
          acceptVisitorSocket(
            ws,
            socket,
            req.headers.origin,
            this.deps.clientAddress(req),
            this.deps,
          ),
        );
      });
      return;
    }
    if (path === AGENT_SOCKET_PATH) {
      void this.upgradeAgent(req, socket, head);
      return;
    }
    refuse(socket, 404, 'Not Found');
  }

  private async upgradeAgent(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      if (!this.deps.isConsoleOrigin(req.headers.origin, req)) {
        return refuse(socket, 403, 'Forbidden');
      }
      const cookie = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
      const auth = await this.deps.sessions.authenticate(cookie);
      if (!auth) return refuse(socket, 401, 'Unauthorized');
      const checkSession = () => this.deps.sessions.authenticate(cookie);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        void acceptAgentSocket(ws, socket, auth, this.deps, checkSession).then(
          (connection) => this.track(ws, connection),
          (error: unknown) => {
            this.deps.logger.error({ err: error }, 'agent socket setup failed');
            ws.close(1011, 'Setup failed');
          },
        );
      });
    } catch (error) {
      this.deps.logger.error({ err: error }, 'agent upgrade failed');
      refuse(socket, 503, 'Service Unavailable');
    }
  }

  private track(ws: WebSocket, connection: TrackedSocket): void {
    this.connections.add(connection);
    ws.on('close', () => this.connections.delete(connection));
    ws.on('error', (error) => this.deps.logger.debug({ err: error }, 'socket error'));
  }

  private beat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }

  /**
   * After the bus lost events (Redis was down), asks every client to reconnect, at a random moment
   * of a window that grows with the number of sockets: on reconnect each one resumes from what it
   * holds and gets, from the database, whatever it missed.
   */
  resync(): void {
    const open = [...this.connections];
    const spread = Math.min(RESYNC_SPREAD_MAX_MS, open.length * RESYNC_SPREAD_PER_SOCKET_MS);
    for (const connection of open) {
      const timer = setTimeout(() => {
        this.resyncTimers.delete(timer);
        void connection
          .idle()
          .then(() => connection.close(CloseCode.restart, 'Catching up after an outage'));
      }, Math.random() * spread);
      timer.unref();
      this.resyncTimers.add(timer);
    }
  }

  /**
   * Stops accepting sockets, lets frames being handled finish (their writes commit and their acks
   * go out), then closes every socket with 1012 so that clients reconnect elsewhere or later.
   */
  async shutdown(): Promise<void> {
    this.accepting = false;
    clearInterval(this.heartbeat);
    for (const timer of this.resyncTimers) clearTimeout(timer);
    this.resyncTimers.clear();
    const open = [...this.connections];
    await Promise.all(open.map((connection) => connection.idle()));
    for (const connection of open) connection.close(CloseCode.restart, 'Server restarting');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
