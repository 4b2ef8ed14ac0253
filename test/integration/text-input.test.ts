import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  ConversationDetail,
  ErrorBody,
  VisitorServerFrame,
} from '../../protocol/index.js';
import {
  AgentClient,
  rawRequest,
  sendAndAck,
  startConversation,
  type FrameSocket,
} from '../support/clients.js';
import { ADMIN, SITE_ORIGIN, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: AgentClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

/** Texts a person cannot see: whitespace, format characters and "blank" letters, alone or mixed. */
const INVISIBLE: Array<[string, string]> = [
  ['zero width space', '\u200B'],
  ['ZWSP, ZWNJ, ZWJ', '\u200B\u200C\u200D'],
  ['word joiner', '\u2060\u2060'],
  ['byte order mark', '\uFEFF'],
  ['bidi marks and isolates', '\u200E\u200F\u202A\u202C\u2066\u2069'],
  ['soft hyphen', '\u00AD'],
  ['Hangul filler', '\u3164'],
  ['Hangul choseong and jungseong fillers', '\u115F\u1160'],
  ['halfwidth Hangul filler', '\uFFA0'],
  ['braille blank', '\u2800\u2800'],
  ['combining grapheme joiner', '\u034F'],
  ['variation selector', '\uFE0F'],
  ['Mongolian vowel separator', '\u180E'],
  ['tag characters', '\u{E0020}\u{E0041}'],
  ['invisible characters between spaces and newlines', ' \u200B \n\t\u3000\u2800 '],
];

/** Texts that must arrive exactly as typed. */
const VISIBLE: Array<[string, string]> = [
  ['emoji', 'Thanks 🙂'],
  ['ZWJ emoji sequence', '👩‍💻'],
  ['flag', '🇫🇷'],
  ['keycap with variation selector', '1️⃣'],
  ['right-to-left text with a mark', 'שלום עולם\u200F'],
  ['Arabic', 'مرحبا'],
  ['combining marks', 'e\u0301 n\u0303'],
  ['a zero width space inside words', 'foo\u200Bbar'],
  ['Hangul', '안녕하세요'],
  ['an astral character', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎'],
];

/** JSON in which `\uD800`-style escapes decode to unpaired surrogates. */
const UNPAIRED: Array<[string, string]> = [
  ['a lone high surrogate', 'hi \\ud800 there'],
  ['a lone low surrogate', '\\udc00'],
  ['a pair in the wrong order', 'x\\udc00\\ud800'],
  ['a high surrogate at the end', 'bye \\udbff'],
];

async function lastSeqOf(conversationId: string): Promise<number> {
  const detail = await admin.request<ConversationDetail>(
    'GET',
    `/api/agent/conversations/${conversationId}`,
  );
  return detail.body.conversation.lastSeq;
}

function refusal<F extends { type: string }>(socket: FrameSocket<F>, clientMessageId: string) {
  return socket.next<Extract<F, { type: 'error' }> & { code: string; message: string }>(
    (f) =>
      (f.type === 'error' || f.type === 'ack') &&
      (f as { clientMessageId?: string }).clientMessageId === clientMessageId,
  );
}

describe('message text over the visitor socket', () => {
  it.each(INVISIBLE)(
    'refuses a message of only %s as empty, and stores nothing',
    async (_n, body) => {
      const chat = await startConversation(server);
      chat.socket.send({ type: 'send', clientMessageId: 'blank', body });
      const error = await refusal(chat.socket, 'blank');
      expect(error).toMatchObject({ type: 'error', code: 'bad_frame' });
      expect(error.message).toMatch(/empty/i);
      expect(await lastSeqOf(chat.conversationId)).toBe(1);
      chat.socket.close();
    },
  );

  it.each(UNPAIRED)('refuses text with %s and says why', async (_n, escaped) => {
    const chat = await startConversation(server);
    chat.socket.send(`{"type":"send","clientMessageId":"surrogate","body":"${escaped}"}`);
    const error = await refusal(chat.socket, 'surrogate');
    expect(error).toMatchObject({ type: 'error', code: 'bad_frame' });
    expect(error.message).toContain('contains an invalid character (unpaired surrogate)');
    expect(await lastSeqOf(chat.conversationId)).toBe(1);
    chat.socket.close();
  });

  it.each(VISIBLE)('stores %s exactly as sent', async (_n, body) => {
    const chat = await startConversation(server);
    const stored = await sendAndAck(chat.socket, { clientMessageId: 'visible', body });
    expect(stored.body).toBe(body);
    chat.socket.close();
  });
});

describe('message text over the agent socket', () => {
  let socket: FrameSocket<AgentServerFrame>;
  let conversationId: string;
  let visitor: FrameSocket<VisitorServerFrame>;
  beforeAll(async () => {
    const chat = await startConversation(server);
    conversationId = chat.conversationId;
    visitor = chat.socket;
    socket = await admin.readySocket();
  });
  afterAll(() => {
    socket.close();
    visitor.close();
  });

  it('refuses invisible-only text and unpaired surrogates, and passes emoji sequences', async () => {
    for (const [name, body] of INVISIBLE) {
      socket.send({
        type: 'send',
        conversationId,
        clientMessageId: `blank-${INVISIBLE.findIndex((e) => e[0] === name)}`,
        body,
      });
    }
    for (let i = 0; i < INVISIBLE.length; i++) {
      const error = await refusal(socket, `blank-${i}`);
      expect(error.type, INVISIBLE[i]![0]).toBe('error');
      expect(error.message, INVISIBLE[i]![0]).toMatch(/empty/i);
    }
    for (let i = 0; i < UNPAIRED.length; i++) {
      socket.send(
        `{"type":"send","conversationId":"${conversationId}","clientMessageId":"pair-${i}","body":"${UNPAIRED[i]![1]}"}`,
      );
      const error = await refusal(socket, `pair-${i}`);
      expect(error.type).toBe('error');
      expect(error.message).toContain('unpaired surrogate');
    }
    expect(await lastSeqOf(conversationId)).toBe(1);
    const stored = await sendAndAck(socket, { conversationId, clientMessageId: 'ok', body: '👩‍💻' });
    expect(stored.body).toBe('👩‍💻');
  });
});

describe('text typed into the API', () => {
  const send = (method: string, path: string, json: string) =>
    admin.send<ErrorBody>(method, path, { body: json });

  it.each(INVISIBLE)(
    'refuses an agent name, a project name and a greeting of only %s',
    async (_n, text) => {
      const value = JSON.stringify(text);
      const answers = [
        await send(
          'POST',
          '/api/admin/agents',
          `{"email":"blank@test.local","name":${value},"password":"a-long-password","role":"agent","projectIds":[]}`,
        ),
        await send('PATCH', '/api/admin/projects/acme', `{"name":${value}}`),
        await send('PATCH', '/api/admin/projects/acme', `{"widget":{"greeting":${value}}}`),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(422);
        expect(answer.body.error.code).toBe('validation_failed');
        // Trimming may leave nothing (a BOM is whitespace to trim): then it is the empty-name error.
        expect(answer.body.error.message).toMatch(/empty|invisible|>=1 characters/i);
      }
    },
  );

  it('still accepts an empty greeting (no greeting) and visible names', async () => {
    expect(
      (await send('PATCH', '/api/admin/projects/acme', '{"widget":{"greeting":""}}')).status,
    ).toBe(200);
    expect(
      (await send('PATCH', '/api/admin/projects/acme', '{"name":"Acme 👩‍💻 שלום"}')).status,
    ).toBe(200);
  });

  it.each(UNPAIRED)('refuses %s in any text field, naming the field', async (_n, escaped) => {
    const cases: Array<[string, () => Promise<{ status: number; body: ErrorBody }>]> = [
      [
        'name',
        () =>
          send(
            'POST',
            '/api/admin/agents',
            `{"email":"x@test.local","name":"${escaped}","password":"a-long-password","role":"agent","projectIds":[]}`,
          ),
      ],
      ['name', () => send('PATCH', '/api/admin/projects/acme', `{"name":"${escaped}"}`)],
      [
        'widget.greeting',
        () => send('PATCH', '/api/admin/projects/acme', `{"widget":{"greeting":"${escaped}"}}`),
      ],
      [
        'password',
        () =>
          rawRequest(server.url, '/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: `{"email":"${ADMIN.email}","password":"${escaped}"}`,
          }) as Promise<{ status: number; body: ErrorBody }>,
      ],
      [
        'externalUserId',
        () =>
          rawRequest(server.url, '/api/widget/sessions', {
            method: 'POST',
            headers: { 'content-type': 'text/plain', origin: SITE_ORIGIN },
            body: `{"projectId":"acme","externalUserId":"${escaped}"}`,
          }) as Promise<{ status: number; body: ErrorBody }>,
      ],
      [
        'pageUrl',
        () =>
          rawRequest(server.url, '/api/widget/sessions', {
            method: 'POST',
            headers: { 'content-type': 'text/plain', origin: SITE_ORIGIN },
            body: `{"projectId":"acme","pageUrl":"https://shop.test/${escaped}"}`,
          }) as Promise<{ status: number; body: ErrorBody }>,
      ],
    ];
    for (const [field, request] of cases) {
      const answer = await request();
      expect(answer.status, field).toBe(422);
      expect(answer.body.error.message, field).toContain(
        `${field}: contains an invalid character (unpaired surrogate)`,
      );
    }
  });
});
