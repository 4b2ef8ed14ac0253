/**
 * What the load runs against: the Palaver server (the `npm start` entry) and the bare `ws` echo
 * server, each pinned to core 1, with the visitor sessions and sockets opened on them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  freePort,
  hasTaskset,
  pool,
  spawnPinned,
  UNLIMITED_RATES,
  type Pinned,
} from '../processes.js';
import { openSocket, type ClientSocket } from './clients.js';

const ECHO = join(import.meta.dirname, '..', 'echo-server.ts');
const ADMIN = { email: 'bench@palaver.test', password: 'bench-password-123' };

export interface RigOptions {
  entry: string;
  profileDir: string | null;
  serverNodeArgs?: string[];
  serverLog?: string;
  log: (line: string) => void;
}

export interface Rig {
  server: Pinned;
  echo: Pinned;
  /** The server's inspector, for heap readings (null when it did not say where it listens). */
  inspectorUrl: string | null;
  /** Signs the bench admin in and starts `count` widget sessions, 200 at a time. */
  startSessions(count: number): Promise<{ count: number; seconds: number }>;
  /** Visitor sockets 0 … n−1 open, opening or closing the ones above as needed. */
  visitors(n: number): Promise<ClientSocket[]>;
  openAgent(): Promise<ClientSocket>;
  /**
   * The demo project's webhook subscriptions: none (the seeded one to the demo's own receiver is
   * dropped when sessions start, so that the other phases measure the chat alone), or one to `url`
   * for message.created.
   */
  subscribeWebhook(url: string | null): Promise<void>;
  /** `to − from` more sockets on the echo server. */
  openEcho(from: number, to: number): Promise<ClientSocket[]>;
  /** Closes every socket, stops both servers and removes the server's data. */
  close(): Promise<void>;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-rt-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wsBase = `ws://127.0.0.1:${port}`;
  const nodeArgs = ['--inspect=127.0.0.1:0', ...(options.serverNodeArgs ?? [])];
  if (options.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  const server = await spawnPinned(
    [...nodeArgs, options.entry],
    {
      PALAVER_DATA_DIR: dataDir,
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      ...UNLIMITED_RATES,
      PALAVER_ADMIN_EMAIL: ADMIN.email,
      PALAVER_ADMIN_PASSWORD: ADMIN.password,
      // Info would log every request; the demo's banner on stdout tells when it is ready.
      LOG_LEVEL: 'warn',
      PORT: String(port),
      PUBLIC_URL: base,
    },
    /Palaver is running/,
  );
  const inspectorUrl =
    server.output.map((l) => /Debugger listening on (ws:\/\/\S+)/.exec(l)?.[1]).find(Boolean) ??
    null;
  const echo = await spawnPinned(['--import', 'tsx', ECHO], { PORT: '0' }, /echo ready (\d+)/);
  const echoUrl = `ws://127.0.0.1:${echo.match[1]}`;
  options.log(`server pid ${server.pid} at ${base}, echo pid ${echo.pid}; pinned: ${hasTaskset}`);

  const sockets: ClientSocket[] = [];
  const agentSockets = new Set<ClientSocket>();
  let open = 0;
  let tokens: string[] = [];
  let cookie = '';
  let csrfToken = '';

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}/api/admin/projects/demo/webhooks${path}`, {
      method,
      headers: {
        cookie,
        origin: base,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} webhooks${path}: ${response.status}`);
    return response.status === 204 ? null : ((await response.json()) as unknown);
  };
  const subscribeWebhook = async (url: string | null) => {
    const { items } = (await admin('GET', '')) as { items: { id: string }[] };
    for (const { id } of items) await admin('DELETE', `/${id}`);
    if (url) await admin('POST', '', { url, events: ['message.created'] });
  };

  const openVisitor = async (i: number) => {
    const socket = await openSocket(
      `${wsBase}/ws/visitor`,
      i,
      { origin: base },
      {
        first: JSON.stringify({ type: 'auth', token: tokens[i], resume: [] }),
        readyPrefix: '{"type":"ready"',
      },
    );
    sockets[i] = socket;
    return socket;
  };

  return {
    server,
    echo,
    inspectorUrl,

    async startSessions(count) {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      csrfToken = ((await login.json()) as { csrfToken: string }).csrfToken;
      await subscribeWebhook(null);
      const started = performance.now();
      tokens = await pool(0, count, 200, async () => {
        const response = await fetch(`${base}/api/widget/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain;charset=UTF-8', origin: base },
          body: JSON.stringify({ projectId: 'demo' }),
        });
        const body = (await response.json()) as { visitorToken?: string };
        if (response.status !== 201 || !body.visitorToken) {
          throw new Error(`session start: ${response.status} ${JSON.stringify(body)}`);
        }
        return body.visitorToken;
      });
      return { count, seconds: (performance.now() - started) / 1000 };
    },

    async visitors(n) {
      if (n < open) await Promise.all(sockets.slice(n, open).map((s) => s.close()));
      else if (n > open) await pool(open, n, 200, openVisitor);
      open = n;
      return sockets.slice(0, n);
    },

    async openAgent() {
      const socket = await openSocket(
        `${wsBase}/ws/agent`,
        -1,
        { origin: base, headers: { cookie } },
        { readyPrefix: '{"type":"ready"' },
      );
      agentSockets.add(socket);
      socket.ws.once('close', () => agentSockets.delete(socket));
      return socket;
    },

    subscribeWebhook,

    openEcho(from, to) {
      return pool(from, to, 200, (i) => openSocket(echoUrl, i, { origin: base }, {}));
    },

    async close() {
      await Promise.all([...agentSockets].map((s) => s.close()));
      await Promise.all(sockets.filter(Boolean).map((s) => s.close()));
      await Promise.all([server.stop(), echo.stop()]);
      if (options.serverLog) writeFileSync(options.serverLog, server.output.join('\n') + '\n');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
