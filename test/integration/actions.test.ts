import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  CardActionOutcome,
  CardCallLog,
  CardLoad,
  CardSettings,
  Message,
  MessagePage,
  VisitorServerFrame,
} from '../../protocol/index.js';
import { answer, CardSite, held, type CardBehaviour } from '../support/card-site.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  type FrameSocket,
} from '../support/clients.js';
import { createIntegratedProject, verifiedAs } from '../support/identity.js';
import { ADMIN, AGENT, PROJECT_ID, startTestServer, type TestServer } from '../support/server.js';

const CARD = {
  version: 1,
  title: 'Order A-1001',
  components: [
    {
      type: 'form',
      components: [
        { type: 'input', name: 'reason', label: 'Reason', required: true },
        { type: 'checkbox', name: 'notify', label: 'Email the customer' },
        { type: 'button', text: 'Refund', action: 'refund:A-1001' },
      ],
    },
    {
      type: 'button',
      text: 'Cancel order',
      action: 'cancel:A-1001',
      confirm: 'Cancel order A-1001?',
      adminOnly: true,
    },
    { type: 'button', text: 'Say hi', action: 'hi' },
  ],
};
const REPLACED = {
  version: 1,
  components: [{ type: 'badge', text: 'Refunded', tone: 'success' }],
};
const NOTE = 'Order A-1001 refunded — reason: charged twice';

let server: TestServer;
let admin: AgentClient;
let sam: AgentClient;
let site: CardSite;

/** The site's card endpoint: a card for card requests, `onAction` for actions. */
function cardEndpoint(onAction: CardBehaviour): CardBehaviour {
  return (res, raw, req) => {
    const body = JSON.parse(raw) as { action?: string };
    if (body.action === undefined) answer({ card: CARD })(res, raw, req);
    else onAction(res, raw, req);
  };
}

let cardCount = 0;
async function addCard(projectId: string, onAction: CardBehaviour) {
  cardCount += 1;
  const name = `actions-${cardCount}`;
  const created = await admin.request<CardSettings>(
    'POST',
    `/api/admin/projects/${projectId}/cards`,
    { name, url: site.on(name, cardEndpoint(onAction)) },
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, name };
}

const actionHits = (name: string) =>
  site.hitsOf(name).filter((h) => (h.body as { action?: string }).action !== undefined);

let keyCount = 0;
const newKey = () => `click-${process.pid}-${(keyCount += 1)}`;

function act(
  client: AgentClient,
  conversationId: string,
  cardId: string,
  body: { action: string; inputs?: Record<string, unknown>; idempotencyKey: string },
) {
  return client.request<CardActionOutcome>(
    'POST',
    `/api/agent/conversations/${conversationId}/cards/${cardId}/actions`,
    body,
  );
}

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer(), CardSite.start()]);
  [admin, sam] = await Promise.all([
    AgentClient.login(server.url, ADMIN.email, ADMIN.password),
    AgentClient.login(server.url, AGENT.email, AGENT.password),
  ]);
});
afterAll(async () => {
  await server.close();
  await site.close();
});

describe('card actions', () => {
  let conversationId: string;
  let visitor: FrameSocket<VisitorServerFrame>;
  let visitorToken: string;
  let agentSocket: FrameSocket<AgentServerFrame>;
  let card: { id: string; name: string };
  /** A card whose actions answer a result only: it stays as it is after a click. */
  let plain: { id: string; name: string };
  const refund = held({
    result: { status: 'success', message: 'Refunded' },
    note: NOTE,
    card: REPLACED,
  });

  beforeAll(async () => {
    const started = await startConversation(server);
    ({ conversationId, socket: visitor } = started);
    visitorToken = started.session.visitorToken;
    agentSocket = await admin.readySocket();
    card = await addCard(PROJECT_ID, refund.behaviour);
    plain = await addCard(PROJECT_ID, answer({ result: { status: 'success', message: 'Done' } }));
    await admin.request('GET', `/api/agent/conversations/${conversationId}/cards/${plain.id}`);
    expect(
      (
        await admin.request<CardLoad>(
          'GET',
          `/api/agent/conversations/${conversationId}/cards/${card.id}`,
        )
      ).body.status,
    ).toBe('ok');
  });
  afterAll(() => {
    visitor.close();
    agentSocket.close();
  });

  it('sends the action once for a double click, and the same outcome to both', async () => {
    const key = newKey();
    const body = {
      action: 'refund:A-1001',
      inputs: { reason: 'charged twice', notify: true },
      idempotencyKey: key,
    };
    const both = Promise.all([
      act(admin, conversationId, card.id, body),
      act(admin, conversationId, card.id, body),
    ]);
    await site.reached(card.name, 2);
    refund.release();
    const [first, second] = await both;
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'ok',
      card: REPLACED,
      result: { status: 'success', message: 'Refunded' },
      note: { body: NOTE, visibility: 'agents', author: { kind: 'agent', name: 'Ada Admin' } },
    });
    expect(second.body).toEqual(first.body);
    const hits = actionHits(card.name);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.body).toMatchObject({
      action: 'refund:A-1001',
      inputs: { reason: 'charged twice', notify: true },
      context: { conversation: { id: conversationId }, contact: null },
      agent: { name: 'Ada Admin', email: ADMIN.email, role: 'admin' },
      idempotencyKey: key,
    });
    expect(hits[0]?.headers['palaver-request-id']).toMatch(/^act_/);
    expect(hits[0]?.headers['palaver-signature']).toMatch(/^t=\d+,v1=/);

    // The answer got lost: the console retries with the same key.
    const retry = await act(admin, conversationId, card.id, body);
    expect(retry.body).toEqual(first.body);
    expect(actionHits(card.name)).toHaveLength(1);
  });

  it('refuses a key used for another action', async () => {
    const key = newKey();
    await act(admin, conversationId, plain.id, {
      action: 'hi',
      idempotencyKey: key,
    });
    const reused = await act(admin, conversationId, plain.id, {
      action: 'refund:A-1001',
      inputs: { reason: 'x' },
      idempotencyKey: key,
    });
    expect(reused.status).toBe(409);
  });

  it('keeps adminOnly buttons for admins (403), before any call', async () => {
    const before = actionHits(plain.name).length;
    const refused = await act(sam, conversationId, plain.id, {
      action: 'cancel:A-1001',
      idempotencyKey: newKey(),
    });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('Only admins');
    expect(actionHits(plain.name)).toHaveLength(before);
  });

  it('checks inputs and the button before calling the site', async () => {
    const before = actionHits(plain.name).length;
    const missing = await act(sam, conversationId, plain.id, {
      action: 'refund:A-1001',
      inputs: { notify: true },
      idempotencyKey: newKey(),
    });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body)).toContain('“Reason” is required');
    const unknown = await act(sam, conversationId, plain.id, {
      action: 'refund:A-1001',
      inputs: { reason: 'x', amount: '10' },
      idempotencyKey: newKey(),
    });
    expect(unknown.status).toBe(422);
    const noButton = await act(sam, conversationId, plain.id, {
      action: 'delete-everything',
      idempotencyKey: newKey(),
    });
    expect(noButton.status).toBe(409);
    expect(actionHits(plain.name)).toHaveLength(before);
  });

  it('puts the note in the timeline for agents, live and in the history', async () => {
    const notes = agentSocket
      .all('message')
      .filter((f) => (f as { message: Message }).message.body === NOTE);
    expect(notes).toHaveLength(1);
    const history = await admin.request<MessagePage>(
      'GET',
      `/api/agent/conversations/${conversationId}/messages`,
    );
    expect(history.body.items.find((m) => m.body === NOTE)).toMatchObject({
      visibility: 'agents',
      author: { name: 'Ada Admin' },
    });
  });

  it('never lets the visitor see the note: live, history, resume, unread or preview', async () => {
    // A reply after the note: once it arrived, the note would have arrived before it.
    const reply = await sendAndAck(await admin.readySocket(), {
      conversationId,
      clientMessageId: 'after-note',
      body: 'Your refund is on its way',
    });
    await visitor.next(
      (f) => f.type === 'message' && (f as { message: Message }).message.id === reply.id,
    );
    const seen = JSON.stringify(visitor.frames);
    expect(seen).not.toContain(NOTE);

    const again = await readyVisitorSocket(server.wsUrl, visitorToken, {
      resume: [{ conversationId, afterSeq: 0 }],
    });
    const from = again.mark();
    again.send({ type: 'history', conversationId });
    await again.next((f) => f.type === 'history', { from });
    const ready = again.all('ready')[0];
    expect(JSON.stringify(again.frames)).not.toContain(NOTE);
    expect(JSON.stringify(again.frames)).toContain('Your refund is on its way');
    expect(ready?.conversation?.unread).toBe(1);
    again.close();

    const stored = await server.services.store.conversations.inboxRow(conversationId);
    expect(stored?.lastMessage?.body).toBe('Your refund is on its way');
    expect(stored?.unreadForVisitor).toBe(1);
  });

  it('refuses an answer that tries to message the visitor', async () => {
    const pushy = await addCard(PROJECT_ID, answer({ message: 'Hi from the site!' }));
    await admin.request('GET', `/api/agent/conversations/${conversationId}/cards/${pushy.id}`);
    const outcome = await act(admin, conversationId, pushy.id, {
      action: 'hi',
      idempotencyKey: newKey(),
    });
    expect(outcome.body).toMatchObject({ status: 'error', errorClass: 'invalid_answer' });
    expect(JSON.stringify(outcome.body)).toContain('actions cannot message the visitor');
    expect(JSON.stringify(visitor.frames)).not.toContain('Hi from the site!');
  });

  it('calls the site again on a retry after it failed to answer', async () => {
    let calls = 0;
    const flaky = await addCard(PROJECT_ID, (res, raw, req) => {
      calls += 1;
      if (calls === 1) res.writeHead(503).end();
      else answer({ result: { status: 'success', message: 'Done' } })(res, raw, req);
    });
    await admin.request('GET', `/api/agent/conversations/${conversationId}/cards/${flaky.id}`);
    const body = { action: 'hi', idempotencyKey: newKey() };
    expect((await act(admin, conversationId, flaky.id, body)).body).toMatchObject({
      status: 'error',
      errorClass: 'server_error',
    });
    expect((await act(admin, conversationId, flaky.id, body)).body).toMatchObject({
      status: 'ok',
      result: { message: 'Done' },
    });
    const keys = actionHits(flaky.name).map((h) => h.headers['palaver-request-id']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('the card log of actions', () => {
  it('logs who used which button, with PII dropped, and forgets an erased contact', async () => {
    const project = await createIntegratedProject(admin, { enabled: false });
    const started = await startConversation(server, { session: verifiedAs(project, 'u-42') });
    started.socket.close();
    const card = await addCard(
      project.id,
      answer({ result: { status: 'success', message: 'ok' } }),
    );
    await admin.request(
      'GET',
      `/api/agent/conversations/${started.conversationId}/cards/${card.id}`,
    );
    const outcome = await act(admin, started.conversationId, card.id, {
      action: 'refund:A-1001',
      inputs: { reason: '4242 4242 4242 4242' },
      idempotencyKey: newKey(),
    });
    expect(outcome.body.status).toBe('ok');
    const logPath = `/api/admin/projects/${project.id}/cards/log`;
    const log = await admin.request<CardCallLog>('GET', logPath);
    expect(log.body.items[0]).toMatchObject({
      kind: 'action',
      action: 'refund:A-1001',
      outcome: 'ok',
      agent: { name: 'Ada Admin' },
      inputs: { notify: false },
      droppedPii: [{ path: 'reason', reason: 'card_number' }],
    });
    expect(JSON.stringify(log.body)).not.toContain('4242');

    await server.services.contacts.erase(
      project.id,
      'u-42',
      { messages: false },
      { label: 'test', description: 'test' },
    );
    expect((await admin.request<CardCallLog>('GET', logPath)).body.items).toEqual([]);
  });
});
