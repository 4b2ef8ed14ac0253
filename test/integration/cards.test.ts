import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CardCallLog,
  CardLoad,
  CardSettings,
  ConversationCards,
  RotatedSigningSecret,
} from '../../protocol/index.js';
import { verifySignature } from '../../server/signing/index.js';
import { answer, CardSite, held, rawAnswer, type CardBehaviour } from '../support/card-site.js';
import { AgentClient, startConversation } from '../support/clients.js';
import { createIntegratedProject, verifiedAs } from '../support/identity.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

/** A card header secret: it must never come back out, in an answer, the card log or a log line. */
const CANARY = 'sk_card_CANARY_51f0a2';
const CARD = {
  version: 1,
  title: 'Orders',
  components: [{ type: 'keyValue', items: [{ label: 'Last order', value: 'A-1001' }] }],
};

const logLines: string[] = [];
let server: TestServer;
let admin: AgentClient;
let site: CardSite;
let projectId: string;
let secret: string;
let conversationId: string;

let cardCount = 0;
async function addCard(behaviour: CardBehaviour, extra: Record<string, unknown> = {}) {
  cardCount += 1;
  const name = `card-${cardCount}`;
  const created = await admin.request<CardSettings>(
    'POST',
    `/api/admin/projects/${projectId}/cards`,
    {
      name,
      url: site.on(name, behaviour),
      headers: [{ name: 'Authorization', value: `Bearer ${CANARY}` }],
      ...extra,
    },
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, name };
}

const load = (cardId: string, refresh = false) =>
  admin.request<CardLoad>(
    'GET',
    `/api/agent/conversations/${conversationId}/cards/${cardId}${refresh ? '?refresh=true' : ''}`,
  );

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer({ logLines }), CardSite.start()]);
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const project = await createIntegratedProject(admin, { enabled: false });
  projectId = project.id;
  const rotated = await admin.request<RotatedSigningSecret>(
    'POST',
    `/api/admin/projects/${projectId}/signing-secret`,
    { graceHours: 0 },
  );
  secret = rotated.body.secret;
  const visitor = await startConversation(server, { session: verifiedAs(project, 'u-1001') });
  visitor.socket.close();
  conversationId = visitor.conversationId;
});
afterAll(async () => {
  await server.close();
  await site.close();
});

describe('cards beside a conversation', () => {
  it('lists the enabled cards at once, without asking any site', async () => {
    const shown = await addCard(answer({ card: CARD }));
    const off = await addCard(answer({ card: CARD }), { enabled: false });
    const before = site.hits.length;
    const listed = await admin.request<ConversationCards>(
      'GET',
      `/api/agent/conversations/${conversationId}/cards`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual({ id: shown.id, name: shown.name });
    expect(listed.body.items.map((c) => c.id)).not.toContain(off.id);
    expect(site.hits.length).toBe(before);
  });

  it('posts the conversation and its contact, signed, and shows the card', async () => {
    const card = await addCard(answer({ card: CARD }));
    const loaded = await load(card.id);
    expect(loaded.body).toMatchObject({ status: 'ok', card: CARD, cached: false });
    const [hit] = site.hitsOf(card.name);
    expect(hit?.body).toMatchObject({
      project: { id: projectId },
      conversation: { id: conversationId, status: 'open', assignee: null },
      contact: { externalId: 'u-1001', identity: 'verified' },
    });
    expect(hit?.headers['content-type']).toBe('application/json');
    expect(hit?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(hit?.headers['palaver-request-id']).toMatch(/^creq_/);
    const check = verifySignature(
      String(hit?.headers['palaver-signature']),
      hit?.raw ?? '',
      secret,
    );
    expect(check.ok).toBe(true);
  });

  it('reuses a good answer for the cache time, and Refresh asks again', async () => {
    const card = await addCard(answer({ card: CARD }), { cacheSeconds: 60 });
    await load(card.id);
    expect((await load(card.id)).body).toMatchObject({ status: 'ok', cached: true });
    expect(site.hitsOf(card.name)).toHaveLength(1);
    expect((await load(card.id, true)).body).toMatchObject({ status: 'ok', cached: false });
    expect(site.hitsOf(card.name)).toHaveLength(2);
  });

  it('shares one call between identical requests in flight', async () => {
    const slow = held({ card: CARD });
    const card = await addCard(slow.behaviour);
    const both = Promise.all([load(card.id), load(card.id)]);
    await site.reached(card.name);
    slow.release();
    const answers = await both;
    expect(answers.map((a) => a.body.status)).toEqual(['ok', 'ok']);
    expect(site.hitsOf(card.name)).toHaveLength(1);
  });

  it('loads each card on its own: a slow card keeps no other waiting', async () => {
    const slow = held({ card: CARD });
    const [late, quick] = [await addCard(slow.behaviour), await addCard(answer({ card: CARD }))];
    const pending = load(late.id);
    await site.reached(late.name);
    expect((await load(quick.id)).body.status).toBe('ok');
    slow.release();
    expect((await pending).body.status).toBe('ok');
  });

  const deep = (levels: number): unknown =>
    levels === 0
      ? { type: 'text', text: 'bottom' }
      : { type: 'section', components: [deep(levels - 1)] };
  const bad: [string, CardBehaviour, string, RegExp][] = [
    ['invalid JSON', rawAnswer('{"card": ', 'application/json'), 'bad_json', /not valid JSON/],
    ['a wrong content type', rawAnswer('<p>hi</p>', 'text/html'), 'bad_content_type', /text\/html/],
    [
      'an unknown component',
      answer({ card: { version: 1, components: [{ type: 'iframe', src: 'x' }] } }),
      'invalid_card',
      /card\.components\.0.*unknown component type "iframe"/,
    ],
    [
      'too many components',
      answer({
        card: { version: 1, components: Array.from({ length: 201 }, () => ({ type: 'divider' })) },
      }),
      'invalid_card',
      /card\.components.*at most 200 components/,
    ],
    [
      'deep nesting',
      answer({ card: { version: 1, components: [deep(6)] } }),
      'invalid_card',
      /more than 4 levels deep/,
    ],
    [
      'a huge string',
      answer({ card: { version: 1, components: [{ type: 'text', text: 'x'.repeat(5000) }] } }),
      'invalid_card',
      /card\.components\.0\.text: must be at most 2000 characters/,
    ],
    [
      'a javascript: link',
      answer({
        card: {
          version: 1,
          components: [{ type: 'link', text: 'Open', url: 'javascript:alert(1)' }],
        },
      }),
      'invalid_card',
      /card\.components\.0\.url: may only use https:/,
    ],
    [
      'a data: image',
      answer({
        card: {
          version: 1,
          components: [{ type: 'image', alt: 'x', url: 'data:image/png;base64,AAAA' }],
        },
      }),
      'invalid_card',
      /card\.components\.0\.url: may only use https:/,
    ],
    ['HTTP 500', (res) => res.writeHead(500).end(), 'server_error', /HTTP 500/],
    [
      'a redirect',
      (res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(),
      'redirect',
      /redirects are not followed/,
    ],
  ];
  /** One card for the failures (a project has at most 10), its site's behaviour set per case. */
  let failing: { id: string; name: string } | null = null;
  async function failingCard(behaviour: CardBehaviour) {
    failing ??= await addCard(behaviour);
    site.on(failing.name, behaviour);
    return failing;
  }

  it.each(bad)(
    'refuses %s with a reason and its log entry',
    async (_what, behaviour, errorClass, message) => {
      const card = await failingCard(behaviour);
      const loaded = await load(card.id, true);
      expect(loaded.status).toBe(200);
      expect(loaded.body).toMatchObject({ status: 'error', errorClass });
      if (loaded.body.status !== 'error') return;
      expect(loaded.body.message).toMatch(message);
      const log = await admin.request<CardCallLog>(
        'GET',
        `/api/admin/projects/${projectId}/cards/log?cardId=${card.id}`,
      );
      expect(log.body.items[0]).toMatchObject({
        id: loaded.body.logId,
        kind: 'card',
        outcome: 'error',
        errorClass,
        agent: { name: 'Ada Admin' },
      });
    },
  );

  it(
    'gives up on a site that never answers after the 10 s deadline',
    { timeout: 20_000 },
    async () => {
      const card = await failingCard(() => undefined);
      expect((await load(card.id, true)).body).toMatchObject({
        status: 'error',
        errorClass: 'timeout',
      });
    },
  );

  it('never calls a private address that is not allowed', async () => {
    const created = await admin.request<CardSettings>(
      'POST',
      `/api/admin/projects/${projectId}/cards`,
      { name: 'private', url: 'http://10.1.2.3/cards/x' },
    );
    expect(created.status).toBe(201);
    expect((await load(created.body.id)).body).toMatchObject({
      status: 'error',
      errorClass: 'blocked_address',
    });
  });

  it('keeps header secrets out of every answer, the card log and the server log', async () => {
    const log = await admin.request<CardCallLog>(
      'GET',
      `/api/admin/projects/${projectId}/cards/log?limit=200`,
    );
    expect(log.body.items.length).toBeGreaterThan(5);
    expect(JSON.stringify(log.body)).not.toContain(CANARY);
    expect(logLines.join('\n')).not.toContain(CANARY);
    const cards = await admin.request('GET', `/api/admin/projects/${projectId}/cards`);
    expect(JSON.stringify(cards.body)).not.toContain(CANARY);
  });

  it('pages the card log with a cursor', async () => {
    const first = await admin.request<CardCallLog>(
      'GET',
      `/api/admin/projects/${projectId}/cards/log?limit=2`,
    );
    expect(first.body.items).toHaveLength(2);
    const next = await admin.request<CardCallLog>(
      'GET',
      `/api/admin/projects/${projectId}/cards/log?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.items).toHaveLength(2);
    expect((next.body.items[0]?.at ?? '') <= (first.body.items[1]?.at ?? '')).toBe(true);
    expect(next.body.items.map((e) => e.id)).not.toContain(first.body.items[1]?.id);
  });

  it('answers 404 for a card of another project or a conversation the agent cannot see', async () => {
    expect((await load('card_nope')).status).toBe(404);
    const other = await admin.request('GET', `/api/agent/conversations/conv_nope/cards/card_nope`);
    expect(other.status).toBe(404);
  });
});
