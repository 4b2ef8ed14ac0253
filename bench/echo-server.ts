/**
 * The baseline for bench/realtime.ts and bench/herd.ts: a bare `ws` server that sends every frame
 * straight back, with the same `ws` options the gateway uses (no compression, same payload cap),
 * and, on a `{"type":"broadcast"}` frame, sends one small frame to every connected client (the
 * bare counterpart of a presence broadcast). Like Palaver it answers `GET /healthz` on the same
 * port. It prints `echo ready <port>` once it listens.
 *
 *   taskset -c 1 node --import tsx bench/echo-server.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 256 * 1024 });

/** The one frame that is not echoed: it asks for a frame to every connected client instead. */
const BROADCAST = '{"type":"broadcast"}';
const PRESENCE = '{"type":"presence","agentsOnline":1}';

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (
      !isBinary &&
      (data as Buffer).length === BROADCAST.length &&
      (data as Buffer).toString() === BROADCAST
    ) {
      for (const client of wss.clients) client.send(PRESENCE);
      return;
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('error', () => ws.terminate());
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`echo ready ${(server.address() as AddressInfo).port}`);
});

process.once('SIGTERM', () => process.exit(0));
