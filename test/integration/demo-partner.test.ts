import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROJECT_ID } from '../../demo/seed.js';
import {
  ActionAnswer,
  CardAnswer,
  type ActionRequest,
  type CardContext,
  WEBHOOK_EVENT_TYPES,
} from '../../protocol/index.js';
import { signatureHeader } from '../../server/signing/index.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const CONTEXT: CardContext = {
  project: { id: DEMO_PROJECT_ID, name: 'Acme' },
  conversation: { id: 'conv_1', status: 'open', assignee: null },
  contact: { externalId: 'u_1001', identity: 'verified', profile: null, properties: {} },
};
const AGENT: ActionRequest['agent'] = {
  id: 'agt_1',
  name: 'Ada',
  email: 'ada@palaver.local',
  role: 'admin',
};

/**
 * Acme as Palaver's partner in the demo, over real HTTP: its Orders card endpoint and webhook
 * receiver accept only requests signed with the secret the seed handed it.
 */
describe('the demo’s Acme receiving Palaver’s signed calls', () => {
  let demo: DemoServer;

  /** A POST as Palaver sends it: the body's exact bytes, signed at `at` with `secrets`. */
  function post(
    path: string,
    body: unknown,
    options: { secrets?: string[]; at?: Date; headers?: Record<string, string> } = {},
  ) {
    const raw = JSON.stringify(body);
    const { secrets = [demo.signingSecret], at = new Date(), headers = {} } = options;
    return fetch(`${demo.url}/demo-api/palaver${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'palaver-signature': signatureHeader(secrets, raw, at),
        ...headers,
      },
      body: raw,
    });
  }

  async function act(action: string, idempotencyKey: string, inputs: Record<string, string> = {}) {
    const request: ActionRequest = {
      action,
      inputs,
      context: CONTEXT,
      agent: AGENT,
      idempotencyKey,
    };
    const response = await post('/cards/orders', request);
    expect(response.status).toBe(200);
    return ActionAnswer.parse(await response.json());
  }

  const card = async (context: CardContext = CONTEXT) => {
    const response = await post('/cards/orders', context);
    expect(response.status).toBe(200);
    return CardAnswer.parse(await response.json()).card;
  };

  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('is seeded: the Orders card points at Acme, and Acme holds the secret Palaver signs with', async () => {
    const cards = await demo.services.cards.list(DEMO_PROJECT_ID);
    expect(cards.map((c) => [c.name, c.url, c.enabled])).toEqual([
      ['Orders', `${demo.url}/demo-api/palaver/cards/orders`, true],
    ]);
    const body = JSON.stringify(CONTEXT);
    const response = await fetch(`${demo.url}/demo-api/palaver/cards/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'palaver-signature': await demo.services.signing.sign(DEMO_PROJECT_ID, body),
      },
      body,
    });
    expect(response.status).toBe(200);
  });

  it('is subscribed: every event reaches Acme’s receiver, which verifies its signature', async () => {
    const [webhook, ...others] = await demo.services.webhooks.list(DEMO_PROJECT_ID);
    expect(others).toEqual([]);
    expect(webhook).toMatchObject({
      url: `${demo.url}/demo-api/palaver/webhooks`,
      events: [...WEBHOOK_EVENT_TYPES],
      enabled: true,
    });
    const ping = await demo.services.webhooks.test(DEMO_PROJECT_ID, webhook!.id);
    const outcome = async () =>
      (await demo.services.webhooks.deliveries(DEMO_PROJECT_ID, webhook!.id, {})).items.find(
        (d) => d.id === ping.id,
      );
    // Acme answers 401 to a signature it cannot verify; 200 means it checked Palaver's.
    await expect
      .poll(outcome)
      .toMatchObject({ status: 'delivered', responseStatus: 200, attempts: 1 });
  });

  it('answers Alice’s Orders card, and "No orders" for somebody without any', async () => {
    const alice = JSON.stringify(await card());
    expect(alice).toContain('Recent orders');
    expect(alice).toContain('Order A-1001');
    expect(alice).toContain('Visa •••• 4242');
    const dana = await card({ ...CONTEXT, contact: { ...CONTEXT.contact!, externalId: 'u_2001' } });
    expect(JSON.stringify(dana)).toContain('No orders');
    expect(JSON.stringify(await card({ ...CONTEXT, contact: null }))).toContain('No orders');
  });

  it('refuses unsigned, tampered, foreign, old and malformed requests with 401', async () => {
    const raw = JSON.stringify(CONTEXT);
    const signed = signatureHeader([demo.signingSecret], raw, new Date());
    const attempts: Array<{ headers: Record<string, string>; body: string }> = [
      { headers: {}, body: raw },
      { headers: { 'palaver-signature': signed }, body: raw.replace('u_1001', 'u_1002') },
      { headers: { 'palaver-signature': 'garbage' }, body: raw },
      {
        headers: {
          'palaver-signature': signatureHeader(['palsig_' + 'x'.repeat(48)], raw, new Date()),
        },
        body: raw,
      },
      {
        headers: {
          'palaver-signature': signatureHeader(
            [demo.signingSecret],
            raw,
            new Date(Date.now() - 301_000),
          ),
        },
        body: raw,
      },
    ];
    for (const { headers, body } of attempts) {
      const response = await fetch(`${demo.url}/demo-api/palaver/cards/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: expect.stringMatching(/^Bad Palaver-Signature: /),
      });
    }
    // During a rotation Palaver signs with two secrets; Acme's is either of them.
    const rotating = await post('/cards/orders', CONTEXT, {
      secrets: ['palsig_' + 'n'.repeat(48), demo.signingSecret],
    });
    expect(rotating.status).toBe(200);
  });

  it('answers 400, not 500, to a signed body that is not a card or action request', async () => {
    const response = await post('/cards/orders', { action: 'cancel:A-1001' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    const huge = await post('/cards/orders', { ...CONTEXT, padding: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
  });

  it('cancels an order with the reason once per idempotency key, and a second cancel says so', async () => {
    const first = await act('cancel:A-1001', 'key-cancel-1', { reason: 'charged twice' });
    expect(first.result).toEqual({
      status: 'success',
      message: 'Order A-1001 cancelled — reason: charged twice',
    });
    expect(first.note).toBe('Order A-1001 cancelled — reason: charged twice');
    const updated = JSON.stringify(first.card);
    expect(updated).toContain('"text":"cancelled"');
    expect(updated).not.toContain('cancel:A-1001');

    // A retry of the same click: the same answer, nothing done again.
    expect(await act('cancel:A-1001', 'key-cancel-1', { reason: 'charged twice' })).toEqual(first);
    // A new click on a stale card: Acme tells the agent, and sends the card as it is now.
    const again = await act('cancel:A-1001', 'key-cancel-2', { reason: 'still twice' });
    expect(again.result).toEqual({ status: 'error', message: 'Order A-1001 is already cancelled' });
    expect(again.note).toBeUndefined();
    expect(JSON.stringify(await card())).toContain('charged twice');
    // Alice sees it on Acme's site too.
    const signIn = await fetch(`${demo.url}/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=u_1001',
      redirect: 'manual',
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const dashboard = await fetch(`${demo.url}/demo/`, { headers: { cookie } }).then((r) =>
      r.text(),
    );
    expect(dashboard).toContain('<td>cancelled (charged twice)</td>');
  });

  it('refuses to cancel without a reason or a shipped order, and refunds a delivered one', async () => {
    expect((await act('cancel:A-0999', 'key-c3', { reason: ' ' })).result?.status).toBe('error');
    expect((await act('cancel:A-0999', 'key-c4', { reason: 'late' })).result).toEqual({
      status: 'error',
      message:
        'Order A-0999 has shipped and can no longer be cancelled; refund it once it is delivered',
    });
    const byAgent = await post('/cards/orders', {
      action: 'refund:A-0987',
      inputs: {},
      context: CONTEXT,
      agent: { ...AGENT, role: 'agent' },
      idempotencyKey: 'key-r0',
    });
    expect(ActionAnswer.parse(await byAgent.json()).result).toEqual({
      status: 'error',
      message: 'Only admins may refund an order',
    });
    const refund = await act('refund:A-0987', 'key-r1');
    expect(refund.result?.status).toBe('success');
    expect(refund.note).toBe('Order A-0987 refunded — €68.90 to Mastercard •••• 5100');
    expect(JSON.stringify(refund.card)).toContain('"text":"refunded"');
  });

  it('receives webhooks once per event id, refuses bad signatures, and lists both on its page', async () => {
    const event = {
      id: 'evt_demo_1',
      type: 'message.created',
      createdAt: new Date().toISOString(),
      projectId: DEMO_PROJECT_ID,
      data: {
        conversation: { id: 'conv_1', status: 'open' },
        message: {
          id: 'msg_1',
          author: { kind: 'visitor', name: 'Alice' },
          body: 'Where is A-0999?',
        },
      },
    };
    const headers = { 'palaver-event-id': event.id, 'palaver-event-type': event.type };
    const first = await post('/webhooks', event, { headers });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 'evt_demo_1', duplicate: false });
    const repeat = await post('/webhooks', event, { headers });
    expect(await repeat.json()).toEqual({ received: 'evt_demo_1', duplicate: true });

    const forged = await post(
      '/webhooks',
      { ...event, id: 'evt_forged' },
      {
        secrets: ['palsig_' + 'f'.repeat(48)],
        headers: { 'palaver-event-id': 'evt_forged', 'palaver-event-type': event.type },
      },
    );
    expect(forged.status).toBe(401);

    const page = await fetch(`${demo.url}/demo/webhooks`).then((r) => r.text());
    expect(page).toContain('<h1>Webhooks Acme received</h1>');
    expect(page.match(/evt_demo_1/g)).toHaveLength(1);
    expect(page).toContain('delivered 2×, handled once');
    expect(page).toContain('signature verified');
    expect(page).toContain('visitor Alice: “Where is A-0999?”');
    expect(page).toContain('evt_forged');
    expect(page).toContain('rejected: signature does not match');
    // Newest first: the rejected delivery is listed above the verified one.
    expect(page.indexOf('evt_forged')).toBeLessThan(page.indexOf('evt_demo_1'));
  });
});
