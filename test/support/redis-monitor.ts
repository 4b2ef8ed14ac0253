import { once } from 'node:events';
import { connect } from 'node:net';

/** A Redis MONITOR session: every command the server runs, as its arguments, from `ready` on. */
export interface RedisMonitor {
  readonly commands: readonly string[][];
  close(): void;
}

/**
 * Opens MONITOR on a raw socket. ioredis's own `monitor()` marks the connection as monitoring one
 * microtask after MONITOR's OK, so a command line arriving in the same packet as the OK (any other
 * client's INFO, under a busy shared Redis) throws "Command queue state error" as an uncaught
 * exception. Reading the lines ourselves has no such window.
 */
export async function monitorRedis(url: string): Promise<RedisMonitor> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
  await once(socket, 'connect');
  const commands: string[][] = [];
  let buffered = '';
  let ready: () => void;
  let failed: (error: Error) => void;
  const acknowledged = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (line === '+OK') ready();
      else if (line.startsWith('-')) failed(new Error(`Redis refused MONITOR: ${line.slice(1)}`));
      else if (line.startsWith('+')) commands.push(argumentsOf(line));
    }
  });
  socket.on('error', (error) => failed(error));
  socket.write('MONITOR\r\n');
  await acknowledged;
  return { commands, close: () => socket.destroy() };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' };

/** `+1.2 [0 127.0.0.1:5] "subscribe" "a\"b"` → `['subscribe', 'a"b']` (Redis's sdscatrepr quoting). */
function argumentsOf(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, quoted]) =>
    quoted!.replace(/\\(x[0-9a-f]{2}|.)/g, (_, escape: string) =>
      escape.length === 3
        ? String.fromCharCode(parseInt(escape.slice(1), 16))
        : (ESCAPES[escape] ?? escape),
    ),
  );
}
