import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloseCode,
  type AgentServerFrame,
  type IntegrationLog,
  type Message,
  type MessagePage,
  type ConversationDetail,
  type RotateSecretResponse,
} from '../../protocol/index.js';
import { mintUserToken } from '../../demo/identity.js';
import {
  AgentClient,
  FrameSocket,
  readyVisitorSocket,
  sendAndAck,
  startSession,
} from '../support/clients.js';
import { startInstance, type Instance } from '../support/instances.js';
import { postgresUrlForTests, redisUrlForTests, runSql } from '../support/services.js';

const pgUrl = await postgresUrlForTests();
const redisUrl = await redisUrlForTests();
const ADMIN = { email: 'admin@two.test', password: 'two-instances-password' };
const ws = (instance: Instance) => instance.url.replace(/^http/, 'ws');

describe.runIf(pgUrl && redisUrl)('two instances sharing PostgreSQL and Redis', () => {
  const database = `palaver_two_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-two-'));
  let a: Instance;
  let b: Instance;
  let env: Record<string, string>;

  const admin = (sql: string) => runSql(pgUrl!, sql);

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(pgUrl!);
    url.pathname = `/${database}`;
    env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl!,
      PALAVER_REDIS_PREFIX: `palaver-test-${randomBytes(4).toString('hex')}:`,
      PALAVER_DATA_DIR: dataDir,
      // Instances must share the key that seals integration secrets.
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      PALAVER_ADMIN_EMAIL: ADMIN.email,
      PALAVER_ADMIN_PASSWORD: ADMIN.password,
    };
    // The first instance migrates and seeds; the second finds everything in place.
    a = await startInstance(env);
    b = await startInstance(env);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a visitor on A and an agent on B chat live; when A dies the visitor resumes on B and misses nothing', async () => {
    const agent = await AgentClient.login(b.url, ADMIN.email, ADMIN.password);
    const agentSocket = await agent.readySocket();
    const rotated = await agent.request<RotateSecretResponse>(
      'POST',
      '/api/admin/projects/demo/identity-secret',
      { graceHours: 24 },
    );
    const userToken = await mintUserToken('u_1001', 'demo', rotated.body.secret);

    // An agent online on B is online for visitors of A.
    await expect
      .poll(async () => (await startSession(a.url, { projectId: 'demo' }, a.url)).body.agentsOnline)
      .toBe(1);

    const session = await startSession(
      a.url,
      { projectId: 'demo', externalUserId: 'u_1001', userToken },
      a.url,
    );
    expect(session.body.identity).toBe('verified');
    const { visitorToken, visitorId } = session.body;

    // A fetches the profile from the demo user API; B's agent hears when it is done, profile and all.
    const profile = await agentSocket.next(
      (f) => f.type === 'profile' && f.visitorId === visitorId,
      { timeoutMs: 10_000 },
    );
    expect(profile.type === 'profile' && profile.contact.profile?.name).toBe('Alice Martin');

    const visitor = await readyVisitorSocket(ws(a), visitorToken, { origin: a.url });
    const first = await sendAndAck(visitor, { clientMessageId: 'v-1', body: 'hello from A' });
    const conversationId = first.conversationId;
    await agentSocket.next((f) => f.type === 'message' && f.message.body === 'hello from A');

    const detail = await agent.request<ConversationDetail>(
      'GET',
      `/api/agent/conversations/${conversationId}`,
    );
    expect(detail.body.contact?.identity).toBe('verified');
    expect(detail.body.contact?.profile?.name).toBe('Alice Martin');

    agentSocket.send({ type: 'typing', conversationId, isTyping: true });
    await visitor.next((f) => f.type === 'typing' && f.author.kind === 'agent');
    const reply = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'a-1',
      body: 'reply from B',
    });
    await visitor.next((f) => f.type === 'message' && f.message.body === 'reply from B');
    const lastSeen = reply.seq;

    await a.stop('SIGKILL');
    await visitor.closedWith();

    const missed: Message[] = [];
    for (const n of [2, 3, 4]) {
      missed.push(
        await sendAndAck(agentSocket, {
          conversationId,
          clientMessageId: `a-${n}`,
          body: `while A was down ${n}`,
        }),
      );
    }

    const resumed = await readyVisitorSocket(ws(b), visitorToken, {
      origin: a.url,
      resume: [{ conversationId, afterSeq: lastSeen }],
    });
    const delivered = await resumed.many(3, (f) => f.type === 'message');
    expect(delivered.map((f) => (f as { message: Message }).message.seq)).toEqual(
      missed.map((m) => m.seq),
    );
    await sendAndAck(resumed, { clientMessageId: 'v-2', body: 'back, on B' });
    expect(resumed.all('message').length).toBe(3);

    const history = await agent.request<MessagePage>(
      'GET',
      `/api/agent/conversations/${conversationId}/messages`,
    );
    expect(history.body.items.map((m) => m.body)).toEqual([
      'hello from A',
      'reply from B',
      'while A was down 2',
      'while A was down 3',
      'while A was down 4',
      'back, on B',
    ]);
    resumed.close();
    agentSocket.close();
  }, 60_000);

  test('access follows open sockets on every instance: a new project reaches them in place, a logout closes them', async () => {
    const c = await startInstance(env);
    try {
      const laptop = await AgentClient.login(b.url, ADMIN.email, ADMIN.password);
      const phone = await AgentClient.login(c.url, ADMIN.email, ADMIN.password);
      // The laptop's session, with a socket on the other instance.
      const laptopOnC = await FrameSocket.open<AgentServerFrame>(`${ws(c)}/ws/agent`, {
        origin: c.url,
        headers: { cookie: laptop.cookie },
      });
      await laptopOnC.next((f) => f.type === 'ready');
      const phoneOnC = await phone.readySocket();

      await laptop.request('POST', '/api/admin/projects', {
        id: 'initech',
        name: 'Initech',
        allowedOrigins: [a.url],
      });
      for (const socket of [laptopOnC, phoneOnC]) await socket.next((f) => f.type === 'access');
      const session = await startSession(b.url, { projectId: 'initech' }, a.url);
      const visitor = await readyVisitorSocket(ws(b), session.body.visitorToken, {
        origin: a.url,
      });
      const message = await sendAndAck(visitor, { clientMessageId: 'i-1', body: 'TPS reports' });
      for (const socket of [laptopOnC, phoneOnC]) {
        await socket.next((f) => f.type === 'message' && f.message.id === message.id);
      }

      expect((await laptop.request('POST', '/api/auth/logout')).status).toBe(204);
      expect((await laptopOnC.closedWith()).code).toBe(CloseCode.unauthorized);
      const later = await sendAndAck(visitor, { clientMessageId: 'i-2', body: 'Still there?' });
      await phoneOnC.next((f) => f.type === 'message' && f.message.id === later.id);
      expect(phoneOnC.closed).toBeNull();
      visitor.close();
      phoneOnC.close();
    } finally {
      await c.stop();
    }
  }, 30_000);

  test('concurrent sends through two instances get distinct, consecutive seqs', async () => {
    const c = await startInstance(env);
    // The page origin is the site's (allowed when A seeded the project), whichever instance answers.
    const session = await startSession(c.url, { projectId: 'demo' }, a.url);
    const visitorOnC = await readyVisitorSocket(ws(c), session.body.visitorToken, {
      origin: a.url,
    });
    const opener = await sendAndAck(visitorOnC, { clientMessageId: 'open', body: 'opening' });
    const agent = await AgentClient.login(b.url, ADMIN.email, ADMIN.password);
    const agentSocket = await agent.readySocket();
    const sends = Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? sendAndAck(agentSocket, {
            conversationId: opener.conversationId,
            clientMessageId: `c-${i}`,
            body: `agent ${i}`,
          })
        : sendAndAck(visitorOnC, { clientMessageId: `c-${i}`, body: `visitor ${i}` }),
    );
    const seqs = (await Promise.all(sends)).map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => opener.seq + 1 + i));
    visitorOnC.close();
    agentSocket.close();
    await c.stop();
  }, 30_000);

  test('the profile of one contact is fetched once, however many instances start sessions for it', async () => {
    const c = await startInstance(env);
    let hits = 0;
    const endpoint = createServer((_req, res) => {
      hits++;
      setTimeout(
        () =>
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"first_name":"Nia"}'),
        300,
      );
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      const agent = await AgentClient.login(b.url, ADMIN.email, ADMIN.password);
      const port = (endpoint.address() as AddressInfo).port;
      await agent.request('PATCH', '/api/admin/projects/demo/integration', {
        url: `http://127.0.0.1:${port}/users/{id}`,
        headers: [],
      });
      const { body } = await agent.request<RotateSecretResponse>(
        'POST',
        '/api/admin/projects/demo/identity-secret',
        { graceHours: 24 },
      );
      const userToken = await mintUserToken('u_9001', 'demo', body.secret);
      const start = (instance: Instance) =>
        startSession(
          instance.url,
          { projectId: 'demo', externalUserId: 'u_9001', userToken },
          a.url,
        );
      await Promise.all([b, c, b, c, b, c].map(start));

      await expect
        .poll(
          async () =>
            (
              await agent.request<IntegrationLog>('GET', '/api/admin/projects/demo/integration/log')
            ).body.items.filter((e) => e.externalUserId === 'u_9001').length,
          { timeout: 10_000 },
        )
        .toBe(1);
      // The contact is fresh now: later sessions on either instance do not call again.
      await Promise.all([b, c].map(start));
      expect(hits).toBe(1);
    } finally {
      endpoint.close();
      await c.stop();
    }
  }, 30_000);
});
