import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../server/paths.js';
import { freePort } from './ports.js';

export interface Instance {
  url: string;
  port: number;
  process: ChildProcess;
  /** Every line the instance wrote on stdout/stderr. */
  output: string[];
  /** Graceful stop (SIGTERM) or crash (SIGKILL); resolves when the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The built entries: `demo` is what `npm start` runs (it seeds the demo project and its admin),
 * `server` what `npm run serve` runs in production (it creates the first admin from the
 * environment). Each logs its own line once it serves.
 */
const ENTRIES = {
  demo: {
    file: join(projectRoot(), 'dist', 'node', 'demo', 'main.js'),
    ready: '"msg":"demo ready"',
  },
  server: {
    file: join(projectRoot(), 'dist', 'node', 'server', 'main.js'),
    ready: '"msg":"palaver listening"',
  },
};

/** One Palaver server process, started from a built entry (the demo one unless told). */
export async function startInstance(
  env: Record<string, string>,
  entry: keyof typeof ENTRIES = 'demo',
): Promise<Instance> {
  const { file, ready } = ENTRIES[entry];
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` before the multi-instance tests`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port), PUBLIC_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        output.push(line);
        if (line.includes(ready)) resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`instance exited with ${code} before it was ready:\n${output.join('\n')}`)),
    );
  });
  return {
    url,
    port,
    process: child,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
