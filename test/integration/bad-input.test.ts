import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ErrorBody,
  FRAME_MAX_BYTES,
  type AgentServerFrame,
  type VisitorServerFrame,
} from '../../protocol/index.js';
import {
  AgentClient,
  FrameSocket,
  rawRequest,
  sendAndAck,
  startConversation,
  type FrameOf,
  type HttpAnswer,
} from '../support/clients.js';
import { ADMIN, SITE_ORIGIN, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: AgentClient;
let conversationId: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const chat = await startConversation(server);
  conversationId = chat.conversationId;
  chat.socket.close();
});
afterAll(() => server.close());

/** Something that is valid JSON but huge, nested, or of the wrong shape. */
const big = (bytes: number) => 'a'.repeat(bytes);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

interface Case {
  name: string;
  method: string;
  path: string | (() => string);
  body?: string;
  contentType?: string;
  /** Where the session comes from: the widget (Origin), an agent (cookie + CSRF), or nobody. */
  as: 'widget' | 'admin' | 'anonymous';
  status: number;
  code: string;
}

const widget = (name: string, body: string, status: number, code: string): Case => ({
  name: `session start: ${name}`,
  method: 'POST',
  path: '/api/widget/sessions',
  body,
  contentType: 'text/plain;charset=UTF-8',
  as: 'widget',
  status,
  code,
});

const login = (name: string, body: string, status: number, code: string): Case => ({
  name: `login: ${name}`,
  method: 'POST',
  path: '/api/auth/login',
  body,
  as: 'anonymous',
  status,
  code,
});

const adminCase = (
  name: string,
  method: string,
  path: string,
  body: string | undefined,
  status: number,
  code: string,
): Case => ({
  name: `admin ${method} ${path}: ${name}`,
  method,
  path,
  ...(body !== undefined ? { body } : {}),
  as: 'admin',
  status,
  code,
});

const agentGet = (
  name: string,
  path: string | (() => string),
  status: number,
  code: string,
): Case => ({
  name: `agent GET: ${name}`,
  method: 'GET',
  path,
  as: 'admin',
  status,
  code,
});

const project = { name: 'Shop', allowedOrigins: ['https://shop.example'] };
const agent = {
  email: 'new@test.local',
  name: 'New Agent',
  password: 'long-enough-password',
  role: 'agent',
  projectIds: ['acme'],
};
const json = (value: unknown) => JSON.stringify(value);

const cases: Case[] = [
  widget('empty body', '', 400, 'bad_request'),
  widget('invalid JSON', '{"projectId": "acme",', 400, 'bad_request'),
  widget('an array instead of an object', json([{ projectId: 'acme' }]), 422, 'validation_failed'),
  widget('a bare string', json('acme'), 422, 'validation_failed'),
  widget('null', 'null', 422, 'validation_failed'),
  widget('missing projectId', json({}), 422, 'validation_failed'),
  widget('projectId of the wrong type', json({ projectId: 42 }), 422, 'validation_failed'),
  widget('projectId as an array', json({ projectId: ['acme'] }), 422, 'validation_failed'),
  widget('empty projectId', json({ projectId: '' }), 422, 'validation_failed'),
  widget('huge projectId', json({ projectId: big(5000) }), 422, 'validation_failed'),
  widget(
    'huge page URL',
    json({ projectId: 'acme', pageUrl: big(3000) }),
    422,
    'validation_failed',
  ),
  widget(
    'locale that is not a string',
    json({ projectId: 'acme', locale: { x: 1 } }),
    422,
    'validation_failed',
  ),
  widget(
    'short visitor token',
    json({ projectId: 'acme', visitorToken: 'abc' }),
    422,
    'validation_failed',
  ),
  widget(
    'visitor token as a number',
    json({ projectId: 'acme', visitorToken: 1234567890123456 }),
    422,
    'validation_failed',
  ),
  widget(
    'external id with control characters',
    json({ projectId: 'acme', externalUserId: 'a\u0000b' }),
    422,
    'validation_failed',
  ),
  widget(
    'oversized body',
    json({ projectId: 'acme', pageUrl: big(20_000) }),
    413,
    'payload_too_large',
  ),
  widget('deeply nested JSON', nested(5000), 422, 'validation_failed'),
  login('invalid JSON', '{email:', 400, 'bad_request'),
  login('an array', json([ADMIN]), 422, 'validation_failed'),
  login('wrong types', json({ email: 1, password: true }), 422, 'validation_failed'),
  login('missing password', json({ email: ADMIN.email }), 422, 'validation_failed'),
  login(
    'huge password',
    json({ email: ADMIN.email, password: big(5000) }),
    422,
    'validation_failed',
  ),
  login('oversized body', json({ email: big(10_000), password: 'x' }), 413, 'payload_too_large'),
  {
    name: 'login: form-encoded instead of JSON',
    method: 'POST',
    path: '/api/auth/login',
    body: 'email=a%40b.c&password=x',
    contentType: 'application/x-www-form-urlencoded',
    as: 'anonymous',
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'login: unsupported charset',
    method: 'POST',
    path: '/api/auth/login',
    body: json(ADMIN),
    contentType: 'application/json; charset=latin1',
    as: 'anonymous',
    status: 415,
    code: 'bad_request',
  },
  adminCase('invalid JSON', 'POST', '/api/admin/projects', '{"name":', 400, 'bad_request'),
  adminCase('an array', 'POST', '/api/admin/projects', json([project]), 422, 'validation_failed'),
  adminCase(
    'origins as a string',
    'POST',
    '/api/admin/projects',
    json({ ...project, allowedOrigins: 'https://a.b' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an origin with a path',
    'POST',
    '/api/admin/projects',
    json({ ...project, allowedOrigins: ['https://a.b/path'] }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a javascript: origin',
    'POST',
    '/api/admin/projects',
    json({ ...project, allowedOrigins: ['javascript:alert(1)'] }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an uppercase id',
    'POST',
    '/api/admin/projects',
    json({ ...project, id: 'Shop' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an empty name',
    'POST',
    '/api/admin/projects',
    json({ ...project, name: '   ' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a huge name',
    'POST',
    '/api/admin/projects',
    json({ ...project, name: big(10_000) }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a bad colour',
    'POST',
    '/api/admin/projects',
    json({ ...project, widget: { color: 'red' } }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a fractional z-index',
    'POST',
    '/api/admin/projects',
    json({ ...project, widget: { zIndex: 1.5 } }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a negative z-index',
    'POST',
    '/api/admin/projects',
    json({ ...project, widget: { zIndex: -1 } }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a huge greeting',
    'POST',
    '/api/admin/projects',
    json({ ...project, widget: { greeting: big(1000) } }),
    422,
    'validation_failed',
  ),
  adminCase(
    'too many origins',
    'POST',
    '/api/admin/projects',
    json({
      ...project,
      allowedOrigins: Array.from({ length: 51 }, (_, i) => `https://s${i}.test`),
    }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an existing id',
    'POST',
    '/api/admin/projects',
    json({ ...project, id: 'acme' }),
    409,
    'conflict',
  ),
  adminCase(
    'oversized body',
    'POST',
    '/api/admin/projects',
    json({ ...project, name: big(70_000) }),
    413,
    'payload_too_large',
  ),
  adminCase(
    'deeply nested JSON',
    'POST',
    '/api/admin/projects',
    `{"name":${nested(20_000)}}`,
    422,
    'validation_failed',
  ),
  adminCase('no body', 'POST', '/api/admin/projects', undefined, 422, 'validation_failed'),
  adminCase(
    'unknown project',
    'PATCH',
    '/api/admin/projects/nope',
    json({ name: 'X' }),
    404,
    'not_found',
  ),
  adminCase(
    'wrong types',
    'PATCH',
    '/api/admin/projects/acme',
    json({ name: 5 }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a bad email',
    'POST',
    '/api/admin/agents',
    json({ ...agent, email: 'not-an-email' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'a short password',
    'POST',
    '/api/admin/agents',
    json({ ...agent, password: 'short' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an unknown role',
    'POST',
    '/api/admin/agents',
    json({ ...agent, role: 'root' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an unknown project',
    'POST',
    '/api/admin/agents',
    json({ ...agent, projectIds: ['nope'] }),
    422,
    'validation_failed',
  ),
  adminCase(
    'projects as a string',
    'POST',
    '/api/admin/agents',
    json({ ...agent, projectIds: 'acme' }),
    422,
    'validation_failed',
  ),
  adminCase(
    'an existing email',
    'POST',
    '/api/admin/agents',
    json({ ...agent, email: ADMIN.email.toUpperCase() }),
    409,
    'conflict',
  ),
  adminCase(
    'unknown agent',
    'PATCH',
    '/api/admin/agents/agt_nope',
    json({ name: 'X' }),
    404,
    'not_found',
  ),
  adminCase(
    'active as a string',
    'PATCH',
    '/api/admin/agents/agt_nope',
    json({ active: 'false' }),
    422,
    'validation_failed',
  ),
  adminCase('an unknown route', 'GET', '/api/admin/nothing-here', undefined, 404, 'not_found'),
  agentGet(
    'unknown status filter',
    '/api/agent/conversations?status=pending',
    422,
    'validation_failed',
  ),
  agentGet(
    'status given twice',
    '/api/agent/conversations?status=open&status=closed',
    422,
    'validation_failed',
  ),
  agentGet('limit not a number', '/api/agent/conversations?limit=ten', 422, 'validation_failed'),
  agentGet('limit zero', '/api/agent/conversations?limit=0', 422, 'validation_failed'),
  agentGet('limit too large', '/api/agent/conversations?limit=1000', 422, 'validation_failed'),
  agentGet('limit fractional', '/api/agent/conversations?limit=2.5', 422, 'validation_failed'),
  agentGet('empty project filter', '/api/agent/conversations?projectId=', 422, 'validation_failed'),
  agentGet(
    'a cursor not issued by the server',
    '/api/agent/conversations?cursor=garbage',
    400,
    'bad_request',
  ),
  agentGet(
    'a huge cursor',
    `/api/agent/conversations?cursor=${big(500)}`,
    422,
    'validation_failed',
  ),
  agentGet('an unknown conversation id', '/api/agent/conversations/conv_nope', 404, 'not_found'),
  agentGet(
    'a malformed percent-encoded id',
    '/api/agent/conversations/%E0%A4%A',
    400,
    'bad_request',
  ),
  agentGet('an id with a NUL byte', '/api/agent/conversations/conv%00x', 404, 'not_found'),
  agentGet('a very long id', `/api/agent/conversations/${big(4000)}`, 404, 'not_found'),
  agentGet(
    'messages of a malformed id',
    '/api/agent/conversations/%ZZ/messages',
    400,
    'bad_request',
  ),
  agentGet(
    'beforeSeq not a number',
    () => `/api/agent/conversations/${conversationId}/messages?beforeSeq=x`,
    422,
    'validation_failed',
  ),
  agentGet(
    'beforeSeq zero',
    () => `/api/agent/conversations/${conversationId}/messages?beforeSeq=0`,
    422,
    'validation_failed',
  ),
  agentGet(
    'beforeSeq huge',
    () => `/api/agent/conversations/${conversationId}/messages?beforeSeq=1e400`,
    422,
    'validation_failed',
  ),
  agentGet(
    'history limit too large',
    () => `/api/agent/conversations/${conversationId}/messages?limit=101`,
    422,
    'validation_failed',
  ),
  agentGet('an unknown API route', '/api/agent/nothing-here', 404, 'not_found'),
  {
    name: 'agent POST: close with a malformed id',
    method: 'POST',
    path: '/api/agent/conversations/%E0%A4%A/close',
    as: 'admin',
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'agent POST: close an unknown conversation',
    method: 'POST',
    path: '/api/agent/conversations/conv_nope/close',
    as: 'admin',
    status: 404,
    code: 'not_found',
  },
  {
    name: 'widget: a method the route does not have',
    method: 'PUT',
    path: '/api/widget/sessions',
    body: '{}',
    as: 'widget',
    status: 404,
    code: 'not_found',
  },
  {
    name: 'an API path nobody serves',
    method: 'GET',
    path: '/api/v2/anything',
    as: 'anonymous',
    status: 404,
    code: 'not_found',
  },
];

async function perform(c: Case): Promise<HttpAnswer> {
  const path = typeof c.path === 'function' ? c.path() : c.path;
  if (c.as === 'admin') {
    return admin.send(c.method, path, {
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.contentType ? { contentType: c.contentType } : {}),
    });
  }
  const headers: Record<string, string> = {};
  if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
  if (c.as === 'widget') headers.origin = SITE_ORIGIN;
  return rawRequest(server.url, path, {
    method: c.method,
    headers,
    ...(c.body !== undefined ? { body: c.body } : {}),
  });
}

describe('bad HTTP input', () => {
  it.each(cases.map((c) => [c.name, c] as const))(
    'answers %s with a 4xx error body',
    async (_name, c) => {
      const answer = await perform(c);
      expect({ status: answer.status, body: answer.body }).toMatchObject({
        status: c.status,
        body: { error: { code: c.code } },
      });
      const parsed = ErrorBody.safeParse(answer.body);
      expect(parsed.success).toBe(true);
      expect(parsed.data?.error.message.length).toBeGreaterThan(10);
    },
  );

  it('lists the fields that failed validation', async () => {
    const answer = await admin.request<ErrorBody>('POST', '/api/admin/agents', {
      ...agent,
      email: 'nope',
      password: 'short',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.fields?.map((f) => f.path).sort()).toEqual(['email', 'password']);
  });

  it('ignores unknown fields instead of storing them', async () => {
    const started = await rawRequest(server.url, '/api/widget/sessions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: SITE_ORIGIN },
      body: json({ projectId: 'acme', isAdmin: true, __proto__: { polluted: true } }),
    });
    expect(started.status).toBe(201);
    expect(started.body).not.toHaveProperty('isAdmin');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const created = await admin.request<Record<string, unknown>>('POST', '/api/admin/projects', {
      id: 'extra-fields',
      ...project,
      createdAt: '1999-01-01T00:00:00.000Z',
      owner: 'mallory',
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('owner');
    expect(created.body.createdAt).not.toBe('1999-01-01T00:00:00.000Z');
  });

  it('keeps serving after all of it', async () => {
    expect((await rawRequest(server.url, '/healthz')).status).toBe(200);
    const chat = await startConversation(server);
    expect(chat.first.seq).toBe(1);
    chat.socket.close();
  });
});

type VisitorError = FrameOf<VisitorServerFrame, 'error'>;
type AgentError = FrameOf<AgentServerFrame, 'error'>;

const badFrames: Array<[string, string | Buffer, string]> = [
  ['text that is not JSON', 'hello there', 'bad_frame'],
  ['truncated JSON', '{"type":"send",', 'bad_frame'],
  ['binary data', Buffer.from([0, 1, 2, 3]), 'bad_frame'],
  ['a JSON array', '[]', 'bad_frame'],
  ['JSON null', 'null', 'bad_frame'],
  ['a JSON number', '42', 'bad_frame'],
  ['an unknown type', json({ type: 'delete_everything' }), 'bad_frame'],
  ['a frame without a type', json({ body: 'hi' }), 'bad_frame'],
  ['a send without a body', json({ type: 'send', clientMessageId: 'x1' }), 'bad_frame'],
  ['a body of the wrong type', json({ type: 'send', clientMessageId: 'x2', body: 7 }), 'bad_frame'],
  [
    'a client id with spaces',
    json({ type: 'send', clientMessageId: 'a b', body: 'hi' }),
    'bad_frame',
  ],
  ['a read with a negative seq', json({ type: 'read', conversationId: 'c', seq: -1 }), 'bad_frame'],
  [
    'a read with a fractional seq',
    json({ type: 'read', conversationId: 'c', seq: 1.5 }),
    'bad_frame',
  ],
  [
    'a resume list that is too long',
    json({
      type: 'resume',
      resume: Array.from({ length: 51 }, () => ({ conversationId: 'c', afterSeq: 0 })),
    }),
    'bad_frame',
  ],
  [
    'a frame over the size limit',
    json({ type: 'typing', isTyping: true, pad: big(FRAME_MAX_BYTES) }),
    'frame_too_large',
  ],
];

describe('bad WebSocket frames from a visitor', () => {
  it.each(badFrames)(
    'answers %s with an error frame and keeps the socket usable',
    async (_name, frame, code) => {
      const chat = await startConversation(server);
      const from = chat.socket.mark();
      if (typeof frame === 'string') chat.socket.send(frame);
      else chat.socket.ws.send(frame, { binary: true });
      const error = await chat.socket.next<VisitorError>((f) => f.type === 'error', { from });
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(5);
      const after = await sendAndAck(chat.socket, { clientMessageId: 'after-bad', body: 'ok' });
      expect(after.seq).toBe(2);
      expect(chat.socket.closed).toBeNull();
      chat.socket.close();
    },
  );

  it('names the send a bad frame belonged to when it can', async () => {
    const chat = await startConversation(server);
    chat.socket.send({ type: 'send', clientMessageId: 'named', body: '' });
    const error = await chat.socket.next<VisitorError>((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'bad_frame', clientMessageId: 'named' });
    chat.socket.close();
  });

  it('answers a flood with rate-limit errors, drops nothing it accepted, and recovers', async () => {
    const chat = await startConversation(server);
    const from = chat.socket.mark();
    // Every one of these frames gets exactly one answer: an ack, or an error.
    for (let i = 0; i < 100; i++) {
      chat.socket.send({ type: 'send', clientMessageId: `flood-${i}`, body: `flood ${i}` });
    }
    const answers = await chat.socket.many(
      100,
      (f) =>
        f.type === 'ack' ||
        (f.type === 'error' && f.clientMessageId?.startsWith('flood-') === true),
      { from },
    );
    const limited = answers.filter((f) => f.type === 'error');
    expect(limited.length).toBeGreaterThanOrEqual(50);
    expect(new Set(limited.map((f) => f.code))).toEqual(new Set(['rate_limited']));
    expect(chat.socket.closed).toBeNull();

    // Once the client slows down (here: the clock moves on), it is served again.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      vi.advanceTimersByTime(60_000);
      const after = await sendAndAck(chat.socket, { clientMessageId: 'after-flood', body: 'Calm' });
      const acked = answers.filter((f) => f.type === 'ack').length;
      expect(after.seq).toBe(acked + 2);
    } finally {
      vi.useRealTimers();
      chat.socket.close();
    }
  });

  it('closes the socket (and only it) for a frame beyond the hard size cap', async () => {
    const chat = await startConversation(server);
    const bystander = await startConversation(server);
    chat.socket.send(json({ type: 'typing', isTyping: true, pad: big(300 * 1024) }));
    expect((await chat.socket.closedWith()).code).toBe(1009);
    await sendAndAck(bystander.socket, { clientMessageId: 'bystander', body: 'Unaffected' });
    bystander.socket.close();
  });
});

describe('bad WebSocket frames from an agent', () => {
  it.each(badFrames)(
    'answers %s with an error frame and keeps the socket usable',
    async (_name, frame, code) => {
      const chat = await startConversation(server);
      const socket = await admin.readySocket();
      const from = socket.mark();
      if (typeof frame === 'string') socket.send(frame);
      else socket.ws.send(frame, { binary: true });
      const error = await socket.next<AgentError>((f) => f.type === 'error', { from });
      expect(error.code).toBe(code);
      const after = await sendAndAck(socket, {
        conversationId: chat.conversationId,
        clientMessageId: `agent-after-${Math.random().toString(36).slice(2)}`,
        body: 'ok',
      });
      expect(after.seq).toBe(2);
      chat.socket.close();
      socket.close();
    },
  );

  it('answers a send to a conversation that does not exist with not_found', async () => {
    const socket = await admin.readySocket();
    socket.send({
      type: 'send',
      conversationId: 'conv_nope',
      clientMessageId: 'ghost',
      body: 'Hi',
    });
    const error = await socket.next<AgentError>((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'not_found', clientMessageId: 'ghost' });
    socket.close();
  });
});

describe('the visitor socket before authentication', () => {
  it('answers a bad frame without closing, so a client can still authenticate', async () => {
    const socket = await FrameSocket.open<VisitorServerFrame>(`${server.wsUrl}/ws/visitor`, {
      origin: SITE_ORIGIN,
    });
    socket.send('not json');
    const error = await socket.next<VisitorError>((f) => f.type === 'error');
    expect(error.code).toBe('bad_frame');
    const chat = await startConversation(server);
    socket.send({ type: 'auth', token: chat.session.visitorToken, resume: [] });
    await socket.next((f) => f.type === 'ready');
    chat.socket.close();
    socket.close();
  });
});
