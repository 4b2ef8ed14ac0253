import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/index.js';
import { readyVisitorSocket, startSession } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('a resync after the bus lost events', () => {
  it('asks every socket to reconnect, spread over time rather than all at once', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const session = await startSession(server.url, {});
        return readyVisitorSocket(server.wsUrl, session.body.visitorToken);
      }),
    );
    const closedAt: number[] = [];
    for (const socket of sockets) socket.ws.once('close', () => closedAt.push(performance.now()));

    server.palaver.gateway.resync();

    const codes = await Promise.all(sockets.map(async (s) => (await s.closedWith()).code));
    expect(new Set(codes)).toEqual(new Set([CloseCode.restart]));
    // 2 ms per socket: a window of about 200 ms; all at once would be a few milliseconds.
    expect(Math.max(...closedAt) - Math.min(...closedAt)).toBeGreaterThan(100);
  });
});
