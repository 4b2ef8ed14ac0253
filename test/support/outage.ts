import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './ports.js';

/**
 * A TCP relay the test can cut: while down it refuses connections and drops the open ones, as a
 * database outage looks to its clients. It can also black-hole: keep accepting connections but
 * pass nothing on, in either direction, as a database behind a network fault looks (no refusal,
 * no reset, just silence).
 */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  private silent = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async up(): Promise<void> {
    this.port ||= await freePort();
    this.silent = false;
    this.server = createServer((client) => {
      this.track(client);
      if (this.silent) {
        client.resume();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /**
   * From now on nothing passes: bytes on open connections are swallowed, and new connections are
   * accepted and never answered. The open connections stay silent for good, even after
   * `forward()`, like connections whose route was lost.
   */
  blackHole(): void {
    this.silent = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.resume();
    }
  }

  /** New connections are relayed again after `blackHole()`. */
  forward(): void {
    this.silent = false;
  }

  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
    this.server = null;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }
}

/** A throwaway redis-server the test can stop and start again on the same port. */
export class DedicatedRedis {
  private child: ChildProcess | null = null;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}
