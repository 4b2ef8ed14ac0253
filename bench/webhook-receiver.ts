/**
 * The fast receiver of bench/webhooks.ts, in its own process so that it does not take the
 * server's core: answers 204 at once and reports, per request, how long after the event's
 * `createdAt` it arrived (same machine, same clock).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString()) as { createdAt: string };
    process.send?.({ lagMs: Date.now() - Date.parse(event.createdAt) });
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
