import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  ContactProfile,
  FetchOutcome,
  Profile,
  UpdateIntegrationRequest,
} from '../../protocol/index.js';
import type { Resolver } from '../../server/outbound/index.js';
import {
  AgentClient,
  sendAndAck,
  startConversation,
  startSession,
  type FrameSocket,
} from '../support/clients.js';
import {
  contactWhen,
  createFollowedProject,
  createIntegratedProject,
  settledSession,
  detailOf,
  integrationOf,
  logOf,
  refresh,
  testConnection,
  verifiedAs,
  type IntegratedProject,
} from '../support/identity.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';
import {
  drip,
  echoHeaders,
  gzipBomb,
  hang,
  huge,
  json,
  raw,
  SiteEndpoint,
  status,
  type Behaviour,
} from '../support/site-endpoint.js';

/** The endpoint secret admins configure; it must never come back out. */
const CANARY = 'sk_live_CANARY_7d1e0c93';
const HEADERS = [
  { name: 'Authorization', value: `Bearer ${CANARY}` },
  { name: 'X-Api-Key', value: `${CANARY}-key` },
];
const MB = 1024 * 1024;

const logLines: string[] = [];
let server: TestServer;
let admin: AgentClient;
let agentSocket: FrameSocket<AgentServerFrame>;
let site: SiteEndpoint;
/** Stands at 127.0.0.1 where redirects point: it must never be reached. */
let canary: SiteEndpoint;
/** Everything the API answered in this suite, checked for the canary at the end. */
const answers: unknown[] = [];

beforeAll(async () => {
  [server, site, canary] = await Promise.all([
    startTestServer({ logLines }),
    SiteEndpoint.start(),
    SiteEndpoint.start(),
  ]);
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  agentSocket = await admin.readySocket();
});
afterAll(async () => {
  agentSocket.close();
  await server.close();
  await Promise.all([site.close(), canary.close()]);
});

const newProject = (integration: UpdateIntegrationRequest) =>
  createFollowedProject(admin, agentSocket, integration);

let userCount = 0;
function goodProfile(id: string) {
  return { first_name: 'Good', last_name: id, email: `${id}@acme.test`, metadata: { plan: 'Pro' } };
}
const storedGood = (id: string): Profile => ({
  name: `Good ${id}`,
  firstName: 'Good',
  lastName: id,
  email: `${id}@acme.test`,
  phone: null,
  avatarUrl: null,
  metadata: { plan: 'Pro' },
});

/**
 * A verified visitor whose profile the site served well once (by the background fetch of their
 * session start), in conversation: the starting point of every misbehaviour case.
 */
async function knownContact(project: IntegratedProject, prefix: string) {
  userCount += 1;
  const id = `${prefix}-${userCount}`;
  site.on(id, json(goodProfile(id)));
  const { contact, ...conversation } = await settledSession(
    server,
    admin,
    agentSocket,
    project,
    id,
  );
  expect(contact.profile).toEqual(storedGood(id));
  expect(site.hitsFor(id)).toHaveLength(1);
  return { id, ...conversation };
}

let messageCount = 0;
/** The chat keeps working: a visitor message is committed and acknowledged. */
async function chatStillWorks(socket: Awaited<ReturnType<typeof knownContact>>['socket']) {
  messageCount += 1;
  const message = await sendAndAck(socket, {
    clientMessageId: `still-${messageCount}`,
    body: 'Are you still there?',
  });
  expect(message.body).toBe('Are you still there?');
}

async function logEntry(projectId: string, externalUserId: string, trigger: string) {
  const entries = await logOf(admin, projectId);
  answers.push(entries);
  return entries.find((e) => e.externalUserId === externalUserId && e.trigger === trigger);
}

interface Case {
  name: string;
  behaviour: () => Behaviour;
  outcome: FetchOutcome;
  errorClass: string | null;
  httpStatus: number | null;
  /** What the contact's profile is afterwards: the last good one, or null (new profile). */
  /** `marked`: the site no longer knows the id; the profile is kept, marked not found there. */
  profileAfter: 'kept' | 'marked';
  invalidFields?: string[];
}

describe('a site endpoint that misbehaves', () => {
  let project: IntegratedProject;
  beforeAll(async () => {
    project = await newProject({
      enabled: true,
      url: site.template,
      headers: HEADERS,
    });
  });

  const cases: Case[] = [
    {
      name: 'answers HTML with 200',
      behaviour: () => raw('<html><body>Welcome!</body></html>', 'text/html; charset=utf-8'),
      outcome: 'invalid_response',
      errorClass: 'bad_content_type',
      httpStatus: 200,
      profileAfter: 'kept',
    },
    {
      name: 'answers 200 with an empty body',
      behaviour: () => raw('', 'application/json'),
      outcome: 'invalid_response',
      errorClass: 'bad_json',
      httpStatus: 200,
      profileAfter: 'kept',
    },
    {
      name: 'answers 204 No Content',
      behaviour: () => status(204),
      outcome: 'config_error',
      errorClass: 'bad_status',
      httpStatus: 204,
      profileAfter: 'kept',
    },
    {
      name: 'answers broken JSON',
      behaviour: () => raw('{"first_name": "Mallory", ', 'application/json'),
      outcome: 'invalid_response',
      errorClass: 'bad_json',
      httpStatus: 200,
      profileAfter: 'kept',
    },
    {
      name: 'nests metadata 5,000 levels deep',
      behaviour: () =>
        raw(
          `{"first_name":"Deep","metadata":{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`,
          'application/json',
        ),
      outcome: 'invalid_response',
      errorClass: 'invalid_profile',
      httpStatus: 200,
      profileAfter: 'kept',
      invalidFields: ['metadata.a.a.a'],
    },
    {
      name: 'answers an array nested 100,000 levels deep',
      behaviour: () => raw(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'application/json'),
      outcome: 'invalid_response',
      errorClass: 'invalid_profile',
      httpStatus: 200,
      profileAfter: 'kept',
    },
    {
      name: 'sends 10,000 metadata keys',
      behaviour: () =>
        json({
          first_name: 'Many',
          metadata: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
        }),
      outcome: 'invalid_response',
      errorClass: 'invalid_profile',
      httpStatus: 200,
      profileAfter: 'kept',
      invalidFields: ['metadata'],
    },
    {
      name: 'sends a field of the wrong type',
      behaviour: () => json({ first_name: 'Typo', email: ['a@b.test'], phone_number: 5 }),
      outcome: 'invalid_response',
      errorClass: 'invalid_profile',
      httpStatus: 200,
      profileAfter: 'kept',
      invalidFields: ['email', 'phone_number'],
    },
    {
      name: 'sends 50 MB with a Content-Length',
      behaviour: () => huge(50 * MB, true, { bytes: 0 }),
      outcome: 'invalid_response',
      errorClass: 'too_large',
      httpStatus: null,
      profileAfter: 'kept',
    },
    {
      name: 'sends 50 MB chunked, without a Content-Length',
      behaviour: () => huge(50 * MB, false, { bytes: 0 }),
      outcome: 'invalid_response',
      errorClass: 'too_large',
      httpStatus: null,
      profileAfter: 'kept',
    },
    {
      name: 'answers a gzip bomb (60 KB that inflates to 50 MB)',
      behaviour: () => gzipBomb(50 * MB),
      outcome: 'invalid_response',
      errorClass: 'too_large',
      httpStatus: null,
      profileAfter: 'kept',
    },
    {
      name: 'answers 401',
      behaviour: () => status(401),
      outcome: 'unauthorized',
      errorClass: 'unauthorized',
      httpStatus: 401,
      profileAfter: 'kept',
    },
    {
      name: 'answers 403',
      behaviour: () => status(403),
      outcome: 'unauthorized',
      errorClass: 'unauthorized',
      httpStatus: 403,
      profileAfter: 'kept',
    },
    {
      name: 'answers 404',
      behaviour: () => json({ error: 'no such user' }, 404),
      outcome: 'not_found',
      errorClass: null,
      httpStatus: 404,
      profileAfter: 'marked',
    },
    {
      name: 'answers 410',
      behaviour: () => status(410),
      outcome: 'not_found',
      errorClass: null,
      httpStatus: 410,
      profileAfter: 'marked',
    },
    {
      name: 'answers 500 with its request headers echoed in the body',
      behaviour: () => echoHeaders(500),
      outcome: 'server_error',
      errorClass: 'server_error',
      httpStatus: 500,
      profileAfter: 'kept',
    },
    {
      name: 'answers 503',
      behaviour: () => status(503, { 'retry-after': '5' }),
      outcome: 'server_error',
      errorClass: 'server_error',
      httpStatus: 503,
      profileAfter: 'kept',
    },
    {
      name: 'echoes its request headers as HTML',
      behaviour: () => echoHeaders(200, 'text/html'),
      outcome: 'invalid_response',
      errorClass: 'bad_content_type',
      httpStatus: 200,
      profileAfter: 'kept',
    },
    {
      name: 'redirects (302) to 127.0.0.1',
      behaviour: () => status(302, { location: `${canary.origin}/users/stolen` }),
      outcome: 'config_error',
      errorClass: 'redirect',
      httpStatus: 302,
      profileAfter: 'kept',
    },
    {
      name: 'redirects (302) to the cloud metadata address',
      behaviour: () =>
        status(302, {
          location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
        }),
      outcome: 'config_error',
      errorClass: 'redirect',
      httpStatus: 302,
      profileAfter: 'kept',
    },
  ];

  it.each(cases)(
    '$name: the chat goes on, the attempt is logged as $outcome, the profile is right',
    async (c) => {
      const { id, socket, conversationId } = await knownContact(project, 'bad');
      site.on(id, c.behaviour());

      // Refresh waits for the attempt; meanwhile the visitor chats.
      const refreshing = refresh(admin, conversationId);
      await chatStillWorks(socket);
      const refreshed = await refreshing;
      expect(refreshed.status).toBe(200);
      answers.push(refreshed.body);
      expect(refreshed.body.lastAttempt).toMatchObject({
        outcome: c.outcome,
        httpStatus: c.httpStatus,
      });
      expect(refreshed.body.profile).toEqual(storedGood(id));
      expect(refreshed.body).toMatchObject({ externalUserId: id, identity: 'verified' });
      if (c.profileAfter === 'kept') {
        // Provenance still describes the good fetch, not the failed one.
        expect(refreshed.body.httpStatus).toBe(200);
        expect(refreshed.body.notFoundAtSiteAt).toBeNull();
      } else {
        expect(refreshed.body.httpStatus).toBe(c.httpStatus);
        expect(refreshed.body.notFoundAtSiteAt).toBe(refreshed.body.fetchedAt);
      }
      expect(site.hitsFor(id)).toHaveLength(2);
      expect(site.hitsFor(id)[1]?.headers).toMatchObject({
        authorization: `Bearer ${CANARY}`,
        'x-api-key': `${CANARY}-key`,
        accept: 'application/json',
      });
      // Redirects are never followed: the canary they point at is never reached.
      expect(canary.hits).toEqual([]);

      const entry = await logEntry(project.id, id, 'refresh');
      expect(entry).toMatchObject({
        outcome: c.outcome,
        errorClass: c.errorClass,
        httpStatus: c.httpStatus,
      });
      if (c.invalidFields) expect(entry?.invalidFields).toEqual(c.invalidFields);

      // Test connection shows the same verdict, without storing anything.
      const tested = await testConnection(admin, project.id, id);
      answers.push(tested.body);
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ outcome: c.outcome, httpStatus: c.httpStatus });
      if (c.outcome !== 'ok') expect(tested.body.profile).toBeNull();
      const after = await detailOf(admin, conversationId);
      answers.push(after);
      expect(after.contact?.profile).toEqual(refreshed.body.profile);
      expect(after.contact?.lastAttempt).toEqual(refreshed.body.lastAttempt);

      // Nothing the site sent leaked into this process's objects.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await chatStillWorks(socket);
      socket.close();
    },
  );

  it('reads no more of a 50 MB answer than the cap before hanging up', async () => {
    const sent = { bytes: 0 };
    const sentWithLength = { bytes: 0 };
    site.on('huge-chunked', huge(50 * MB, false, sent));
    site.on('huge-declared', huge(50 * MB, true, sentWithLength));
    const [chunked, declared] = await Promise.all([
      testConnection(admin, project.id, 'huge-chunked'),
      testConnection(admin, project.id, 'huge-declared'),
    ]);
    expect(chunked.body).toMatchObject({ outcome: 'invalid_response', httpStatus: null });
    expect(chunked.body.message).toMatch(/larger than 262144 bytes/);
    expect(declared.body.message).toMatch(/larger than 262144 bytes/);
    // Socket buffers let some megabytes out before the hang-up is noticed, never all 50.
    expect(sent.bytes).toBeLessThan(16 * MB);
    expect(sentWithLength.bytes).toBeLessThan(16 * MB);
  });

  it('takes the good parts of an answer with 10,000 unknown top-level fields', async () => {
    const { id, socket, conversationId } = await knownContact(project, 'wide');
    site.on(
      id,
      json({
        first_name: 'Wide',
        ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`extra${i}`, i])),
      }),
    );
    const refreshed = await refresh(admin, conversationId);
    expect(refreshed.body).toMatchObject({
      profile: { name: 'Wide', email: null, metadata: {} },
      lastAttempt: { outcome: 'ok' },
    });
    const tested = await testConnection(admin, project.id, id);
    expect(tested.body.outcome).toBe('ok');
    expect(tested.body.unknownFields.length).toBeLessThanOrEqual(100);
    expect(tested.body.warnings.join(' ')).toMatch(/10000 unknown fields/);
    await chatStillWorks(socket);
    socket.close();
  });

  it('drops __proto__, constructor and prototype keys, stores the rest, and lists their paths', async () => {
    const { id, socket, conversationId } = await knownContact(project, 'proto');
    site.on(
      id,
      raw(
        '{"first_name":"Mallory","__proto__":{"polluted":"yes"},' +
          '"metadata":{"plan":"Pro","constructor":{"prototype":{"polluted":"yes"}},"prototype":1}}',
        'application/json',
      ),
    );
    const dropped = [
      { path: '__proto__', reason: 'dangerous_key' },
      { path: 'metadata.constructor', reason: 'dangerous_key' },
      { path: 'metadata.prototype', reason: 'dangerous_key' },
    ];
    const refreshed = await refresh(admin, conversationId);
    expect(refreshed.body.lastAttempt?.outcome).toBe('ok');
    expect(refreshed.body.profile).toMatchObject({ name: 'Mallory', metadata: { plan: 'Pro' } });
    expect(Object.keys(refreshed.body.profile?.metadata ?? {})).toEqual(['plan']);
    expect((await logEntry(project.id, id, 'refresh'))?.droppedPii).toEqual(dropped);
    const tested = await testConnection(admin, project.id, id);
    expect(tested.body).toMatchObject({ outcome: 'ok', droppedPii: dropped });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await chatStillWorks(socket);
    socket.close();
  });

  it('stores a good answer that carries PII only without the PII, and says which key went', async () => {
    const { id, socket, conversationId } = await knownContact(project, 'pii');
    site.on(
      id,
      json({
        first_name: 'Pia',
        metadata: { plan: 'Pro', order: 'ORD-4111111111111111', card: '4111 1111 1111 1111' },
      }),
    );
    const refreshed = await refresh(admin, conversationId);
    expect(refreshed.body.profile?.metadata).toEqual({
      plan: 'Pro',
      order: 'ORD-4111111111111111',
    });
    const entry = await logEntry(project.id, id, 'refresh');
    expect(entry?.droppedPii).toEqual([{ path: 'card', reason: expect.any(String) }]);
    expect(JSON.stringify(await logOf(admin, project.id))).not.toContain('4111 1111');
    socket.close();
  });
});

describe('the 10 s deadline', () => {
  it(
    'ends a hang before headers, a drip and a slow user at 10 s, while the chat goes on',
    { timeout: 20_000 },
    async () => {
      const project = await newProject({
        enabled: true,
        url: site.template,
        headers: HEADERS,
      });
      const { id, socket, conversationId } = await knownContact(project, 'hang');
      site.on(id, hang());
      site.on('drip', drip(500));
      site.on('slow-12s', (req, res) => {
        const timer = setTimeout(() => json(goodProfile('slow'))(req, res), 12_000);
        res.on('close', () => clearTimeout(timer));
      });
      site.on('headers-then-hang', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
      });

      const started = Date.now();
      const refreshing = refresh(admin, conversationId);
      const tests = ['drip', 'slow-12s', 'headers-then-hang'].map((who) =>
        testConnection(admin, project.id, who),
      );
      await site.reached(id, 2);
      await Promise.all(['drip', 'slow-12s', 'headers-then-hang'].map((who) => site.reached(who)));
      // Everything is hanging now; the visitor still chats and new sessions still start at once.
      await chatStillWorks(socket);
      const other = await startSession(server.url, verifiedAs(project, 'someone-new'));
      expect(other.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(5_000);

      const refreshed = await refreshing;
      const results = await Promise.all(tests);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(9_900);
      expect(elapsed).toBeLessThan(13_000);

      expect(refreshed.body.lastAttempt).toMatchObject({ outcome: 'timeout', httpStatus: null });
      expect(refreshed.body.profile).toEqual(storedGood(id));
      for (const result of results) {
        answers.push(result.body);
        expect(result.body).toMatchObject({ outcome: 'timeout', httpStatus: null, profile: null });
        expect(result.body.latencyMs).toBeGreaterThanOrEqual(9_900);
        expect(result.body.latencyMs).toBeLessThan(11_000);
      }
      const entries = await logOf(admin, project.id, '&outcome=timeout');
      answers.push(entries);
      expect(entries.map((e) => e.externalUserId).sort()).toEqual(
        [id, 'drip', 'headers-then-hang', 'slow-12s'].sort(),
      );
      expect(entries.every((e) => e.errorClass === 'timeout')).toBe(true);
      // Palaver hung up on each of them: no connection is left open to the slow site.
      await Promise.all(
        [id, 'drip', 'slow-12s', 'headers-then-hang'].map(
          (who) => site.hitsFor(who).at(-1)?.closed ?? Promise.resolve(),
        ),
      );
      await chatStillWorks(socket);
      socket.close();
    },
  );
});

describe('429 from the site', () => {
  it('is logged as rate-limited and Retry-After pauses the project’s next attempts', async () => {
    const project = await newProject({
      enabled: true,
      url: site.template,
      headers: HEADERS,
    });
    const { id, socket, conversationId } = await knownContact(project, 'limited');
    site.on(id, status(429, { 'retry-after': '120' }));

    const limited = await refresh(admin, conversationId);
    expect(limited.body.lastAttempt).toMatchObject({ outcome: 'rate_limited', httpStatus: 429 });
    expect(limited.body.profile).toEqual(storedGood(id));
    const settings = await integrationOf(admin, project.id);
    const pausedUntil = Date.parse(settings.body.health.pausedUntil ?? '');
    expect(pausedUntil - Date.now()).toBeGreaterThan(100_000);
    expect(pausedUntil - Date.now()).toBeLessThanOrEqual(120_000);

    // The next attempt waits without calling the site.
    const waiting = await refresh(admin, conversationId);
    expect(waiting.body.lastAttempt).toMatchObject({ outcome: 'rate_limited', httpStatus: null });
    expect(site.hitsFor(id)).toHaveLength(2);
    const entries = (await logOf(admin, project.id)).filter((e) => e.externalUserId === id);
    expect(entries.map((e) => [e.trigger, e.outcome, e.httpStatus])).toEqual([
      ['refresh', 'rate_limited', null],
      ['refresh', 'rate_limited', 429],
      ['session', 'ok', 200],
    ]);
    await chatStillWorks(socket);
    socket.close();
  });
});

describe('the circuit breaker, through the API', () => {
  it('after 5 failures in a row, the 6th attempt is skipped and logged as circuit_open', async () => {
    const project = await newProject({
      enabled: true,
      url: site.template,
      headers: HEADERS,
    });
    const { id, socket, conversationId } = await knownContact(project, 'breaker');
    site.on(id, status(500));
    for (let i = 1; i <= 5; i += 1) {
      const failed = await refresh(admin, conversationId);
      expect(failed.body.lastAttempt?.outcome).toBe('server_error');
    }
    expect(site.hitsFor(id)).toHaveLength(6);

    const skipped = await refresh(admin, conversationId);
    expect(skipped.status).toBe(200);
    expect(skipped.body.lastAttempt).toMatchObject({ outcome: 'circuit_open', httpStatus: null });
    expect(skipped.body.profile).toEqual(storedGood(id));
    expect(site.hitsFor(id)).toHaveLength(6);

    const entries = await logOf(admin, project.id);
    expect(entries[0]).toMatchObject({ outcome: 'circuit_open', errorClass: 'circuit_open' });
    expect(entries[1]?.message).toMatch(/5 failures in a row: pausing attempts for 30 s/);
    const filtered = await logOf(admin, project.id, '&outcome=circuit_open');
    expect(filtered).toHaveLength(1);

    const settings = await integrationOf(admin, project.id);
    expect(settings.body.health).toMatchObject({
      status: 'failing',
      lastError: { outcome: 'server_error', httpStatus: 500 },
    });
    const pausedFor = Date.parse(settings.body.health.pausedUntil ?? '') - Date.now();
    expect(pausedFor).toBeGreaterThan(25_000);
    expect(pausedFor).toBeLessThanOrEqual(30_000);

    // New sessions during the pause fetch nothing, and the chat goes on.
    const other = await startConversation(server, { session: verifiedAs(project, 'paused-user') });
    const contact = await contactWhen(
      admin,
      agentSocket,
      other.conversationId,
      (c) => c.lastAttempt !== null,
    );
    expect(contact.lastAttempt?.outcome).toBe('circuit_open');
    expect(site.hitsFor('paused-user')).toHaveLength(0);
    other.socket.close();
    await chatStillWorks(socket);
    socket.close();
  });
});

describe('the refresh button', () => {
  it('refuses anonymous visitors and a switched-off integration with an actionable 409', async () => {
    const project = await newProject({ enabled: true, url: site.template });
    const anonymous = await startConversation(server, { session: { projectId: project.id } });
    const refused = await refresh(admin, anonymous.conversationId);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/anonymous/);
    anonymous.socket.close();

    const { socket, conversationId } = await knownContact(project, 'off');
    await admin.request('PATCH', `/api/admin/projects/${project.id}/integration`, {
      enabled: false,
    });
    const off = await refresh(admin, conversationId);
    expect(off.status).toBe(409);
    expect(JSON.stringify(off.body)).toMatch(/Settings → API Integration/);
    socket.close();
  });
});

describe('the endpoint’s secret headers', () => {
  it('never appear in log lines, API answers or the integration log', async () => {
    const project = await newProject({
      enabled: true,
      url: site.template,
      headers: HEADERS,
    });
    const { id, socket, conversationId } = await knownContact(project, 'canary');
    for (const behaviour of [
      echoHeaders(500),
      echoHeaders(200, 'application/json; charset=utf-8'),
      echoHeaders(401),
      raw(`not json ${CANARY}`, 'application/json'),
    ]) {
      site.on(id, behaviour);
      answers.push((await refresh(admin, conversationId)).body);
      answers.push((await testConnection(admin, project.id, id)).body);
    }
    // A header with a value that would break the request line is refused, not echoed back.
    const bad = await admin.request('PATCH', `/api/admin/projects/${project.id}/integration`, {
      headers: [{ name: 'Authorization', value: `Bearer ${CANARY}\r\nX-Injected: 1` }],
    });
    expect(bad.status).toBe(422);
    answers.push(bad.body);

    answers.push((await integrationOf(admin, project.id)).body);
    answers.push(await detailOf(admin, conversationId));
    answers.push(await logOf(admin, project.id));
    answers.push(
      (await admin.request('GET', '/api/agent/conversations?limit=100')).body,
      (await admin.request('GET', '/api/admin/projects')).body,
    );

    expect(site.hitsFor(id).some((h) => h.headers.authorization === `Bearer ${CANARY}`)).toBe(true);
    const everything = JSON.stringify(answers);
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(CANARY);
    expect(logLines.filter((line) => line.includes('"identity fetch"')).length).toBeGreaterThan(8);
    expect(logLines.filter((line) => line.includes(CANARY))).toEqual([]);
    // The server never hit an unexpected error in this whole suite.
    expect(logLines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    await chatStillWorks(socket);
    socket.close();
  });

  it('leave the process alive and well', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const fresh = await startSession(server.url);
    expect(fresh.status).toBe(201);
  });
});

describe('shutdown', () => {
  it('does not wait for a site that hangs, and logs no error', async () => {
    const lines: string[] = [];
    const closing = await startTestServer({ logLines: lines });
    const closingAdmin = await AgentClient.login(closing.url, ADMIN.email, ADMIN.password);
    const project = await createIntegratedProject(closingAdmin, {
      enabled: true,
      url: site.template,
    });
    site.on('hangs-at-shutdown', hang());
    const started = await startSession(closing.url, verifiedAs(project, 'hangs-at-shutdown'));
    expect(started.status).toBe(201);
    await site.reached('hangs-at-shutdown');

    const before = Date.now();
    await closing.close();
    expect(Date.now() - before).toBeLessThan(2_000);
    await site.hitsFor('hangs-at-shutdown')[0]?.closed;
    expect(lines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});

// ---- addresses the server must never connect to ----

describe('SSRF: with an empty allow-list', () => {
  let strict: TestServer;
  let strictAdmin: AgentClient;
  let target: SiteEndpoint;
  const strictLines: string[] = [];
  const resolver: Resolver = (hostname) => {
    const answers: Record<string, string[]> = {
      'loopback.test': ['127.0.0.1'],
      'mixed.test': ['93.184.216.34', '127.0.0.1'],
      'mapped.test': ['::ffff:127.0.0.1'],
      'private.test': ['10.0.0.8'],
      'metadata.test': ['169.254.169.254'],
      localhost: ['127.0.0.1', '::1'],
    };
    const found = answers[hostname];
    return found ? Promise.resolve(found) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
  };

  beforeAll(async () => {
    [strict, target] = await Promise.all([
      startTestServer({ allowedPrivateHosts: '', resolver, logLines: strictLines }),
      SiteEndpoint.start(),
    ]);
    strictAdmin = await AgentClient.login(strict.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await strict.close();
    await target.close();
  });

  const port = () => target.port;
  const urls: Array<[string, () => string, FetchOutcome, RegExp]> = [
    ['127.0.0.1', () => `http://127.0.0.1:${port()}/users/{id}`, 'blocked', /loopback/],
    ['localhost', () => `http://localhost:${port()}/users/{id}`, 'blocked', /loopback/],
    ['[::1]', () => `http://[::1]:${port()}/users/{id}`, 'blocked', /loopback/],
    [
      'IPv4-mapped [::ffff:127.0.0.1]',
      () => `http://[::ffff:127.0.0.1]:${port()}/users/{id}`,
      'blocked',
      /loopback/,
    ],
    ['0.0.0.0', () => `http://0.0.0.0:${port()}/users/{id}`, 'blocked', /unspecified/],
    [
      'a host name that resolves to loopback',
      () => `http://loopback.test:${port()}/users/{id}`,
      'blocked',
      /loopback/,
    ],
    [
      'a host name with one public and one loopback address',
      () => `http://mixed.test:${port()}/users/{id}`,
      'blocked',
      /loopback/,
    ],
    [
      'a host name that resolves to IPv4-mapped loopback',
      () => `http://mapped.test:${port()}/users/{id}`,
      'blocked',
      /loopback/,
    ],
    ['a private address', () => `http://private.test:${port()}/users/{id}`, 'blocked', /private/],
    [
      'the cloud metadata address',
      () => 'http://169.254.169.254/latest/meta-data/{id}',
      'blocked',
      /metadata/,
    ],
    [
      'a host name that resolves to the metadata address',
      () => `http://metadata.test/users/{id}`,
      'blocked',
      /metadata/,
    ],
    [
      'a host name that does not resolve (fails closed)',
      () => `http://nowhere.test:${port()}/users/{id}`,
      'network_error',
      /could not be resolved/,
    ],
  ];

  it.each(urls)('refuses %s without sending a byte', async (_what, url, outcome, why) => {
    const project = await createIntegratedProject(strictAdmin, { enabled: true, url: url() });
    target.on('u1', json(goodProfile('u1')));
    const tested = await testConnection(strictAdmin, project.id, 'u1');
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ outcome, httpStatus: null, profile: null });
    expect(tested.body.message).toMatch(why);
    const [entry] = await logOf(strictAdmin, project.id);
    expect(entry).toMatchObject({ outcome, trigger: 'test' });
    expect(target.hits).toEqual([]);
  });

  it('blocks the background fetch of a session too, and the chat goes on', async () => {
    const project = await createIntegratedProject(strictAdmin, {
      enabled: true,
      url: `http://loopback.test:${target.port}/users/{id}`,
    });
    const socket = await strictAdmin.readySocket();
    const conversation = await startConversation(strict, {
      session: verifiedAs(project, 'ssrf-user'),
    });
    const contact: ContactProfile = await contactWhen(
      strictAdmin,
      socket,
      conversation.conversationId,
      (c) => c.lastAttempt !== null && !c.pending,
    );
    expect(contact).toMatchObject({ profile: null, lastAttempt: { outcome: 'blocked' } });
    const [entry] = await logOf(strictAdmin, project.id);
    expect(entry).toMatchObject({ trigger: 'session', outcome: 'blocked' });
    await sendAndAck(conversation.socket, { clientMessageId: 's2', body: 'still here' });
    expect(target.hits).toEqual([]);
    expect(strictLines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    conversation.socket.close();
    socket.close();
  });
});

describe('SSRF: DNS rebinding', () => {
  let rebinding: TestServer;
  let rebindAdmin: AgentClient;
  /** Where the host name points at first: allow-listed, playing the public address. */
  let good: SiteEndpoint;
  /** Where it points afterwards: loopback, never allowed. */
  let victim: SiteEndpoint;
  const lookups: string[][] = [];

  beforeAll(async () => {
    victim = await SiteEndpoint.start({ host: '127.0.0.1' });
    // Same port on another loopback address, so only the DNS answer decides where a call lands.
    good = await SiteEndpoint.start({ host: '127.0.0.2', port: victim.port });
    const resolver: Resolver = (hostname) => {
      if (hostname !== 'rebind.test') return Promise.reject(new Error('ENOTFOUND'));
      const answer = lookups.length === 0 ? ['127.0.0.2'] : ['127.0.0.1'];
      lookups.push(answer);
      return Promise.resolve(answer);
    };
    rebinding = await startTestServer({
      allowedPrivateHosts: '127.0.0.2,169.254.169.254',
      resolver,
    });
    rebindAdmin = await AgentClient.login(rebinding.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await rebinding.close();
    await Promise.all([good.close(), victim.close()]);
  });

  it('checks the address it actually connects to: the rebound lookup is refused', async () => {
    const project = await createIntegratedProject(rebindAdmin, {
      enabled: true,
      url: `http://rebind.test:${victim.port}/users/{id}`,
    });
    // `Connection: close` makes the next call connect (and look up) again.
    good.on('rita', json(goodProfile('rita'), 200, { connection: 'close' }));
    victim.on('rita', json({ first_name: 'Stolen' }));
    const socket = await rebindAdmin.readySocket();
    const conversation = await startConversation(rebinding, {
      session: verifiedAs(project, 'rita'),
    });
    const first = await contactWhen(
      rebindAdmin,
      socket,
      conversation.conversationId,
      (c) => c.lastAttempt !== null && !c.pending,
    );
    expect(first.profile).toEqual(storedGood('rita'));

    const second = await refresh(rebindAdmin, conversation.conversationId);
    expect(second.body.lastAttempt).toMatchObject({ outcome: 'blocked' });
    expect(second.body.lastAttempt?.message).toMatch(/loopback address 127\.0\.0\.1 is blocked/);
    expect(second.body.profile).toEqual(storedGood('rita'));

    expect(lookups).toEqual([['127.0.0.2'], ['127.0.0.1']]);
    expect(good.hitsFor('rita')).toHaveLength(1);
    expect(victim.hits).toEqual([]);
    await sendAndAck(conversation.socket, { clientMessageId: 'r2', body: 'hello?' });
    conversation.socket.close();
    socket.close();
  });

  it('keeps the cloud metadata address blocked even when it is allow-listed', async () => {
    const project = await createIntegratedProject(rebindAdmin, {
      enabled: true,
      url: 'http://169.254.169.254/users/{id}',
    });
    const tested = await testConnection(rebindAdmin, project.id, 'x');
    expect(tested.body).toMatchObject({ outcome: 'blocked' });
    expect(tested.body.message).toMatch(/metadata/);
  });
});
