import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  WEBHOOK_EVENT_TYPES,
  type RotatedSigningSecret,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookEventType,
  type WebhookList,
  type WebhookSubscription,
} from '../../protocol/index.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from '../../server/signing/index.js';
import { AgentClient, sendAndAck, startConversation } from '../support/clients.js';
import { testConnection } from '../support/identity.js';
import { ADMIN, PROJECT_ID, startTestServer, type TestServer } from '../support/server.js';
import { SiteEndpoint, status } from '../support/site-endpoint.js';
import { WebhookReceiver, type ReceivedHook } from '../support/webhook-receiver.js';

const ALL = [...WEBHOOK_EVENT_TYPES];
const HOUR = 3_600_000;
const BASE = `/api/admin/projects/${PROJECT_ID}/webhooks`;

/** A clock the tests move: the dispatcher retries and gives up by it. */
let offset = 0;
const now = () => new Date(Date.now() + offset);

let server: TestServer;
let admin: AgentClient;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  server = await startTestServer({
    now,
    // No jitter to wait out: a retry is due half its ceiling after a failure.
    webhookDispatch: { random: () => 0.5, pollMs: 50, deadlineMs: 1_000 },
    resolver: (host) => Promise.resolve(host === 'private.test' ? ['10.1.2.3'] : ['127.0.0.1']),
  });
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const rotated = await admin.request<RotatedSigningSecret>(
    'POST',
    `/api/admin/projects/${PROJECT_ID}/signing-secret`,
    { graceHours: 0 },
  );
  secret = rotated.body.secret;
});
afterAll(() => server.close());

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
afterAll(() => receiver.close());

const subscriptions: string[] = [];
afterEach(async () => {
  for (const id of subscriptions.splice(0)) await admin.request('DELETE', `${BASE}/${id}`);
  receiver.received.length = 0;
  receiver.answer = () => ({ status: 200 });
  offset = 0;
});

async function subscribe(events: WebhookEventType[], url = receiver.url) {
  const created = await admin.request<WebhookSubscription>('POST', BASE, { url, events });
  expect(created.status).toBe(201);
  subscriptions.push(created.body.id);
  return created.body;
}

const deliveries = async (webhookId: string) =>
  (await admin.request<WebhookDeliveryPage>('GET', `${BASE}/${webhookId}/deliveries`)).body.items;

/** Waits until the delivery log says what `check` wants (the dispatcher records after the POST). */
async function logWhen(
  webhookId: string,
  check: (items: WebhookDelivery[]) => boolean,
): Promise<WebhookDelivery[]> {
  let items: WebhookDelivery[] = [];
  await expect
    .poll(async () => check((items = await deliveries(webhookId))), { timeout: 10_000 })
    .toBe(true);
  return items;
}

const ofType = (type: string) => (hooks: ReceivedHook[]) => hooks.find((h) => h.type === type);

describe('webhooks', () => {
  it('delivers every event type, signed over the exact body, with the event id and type headers', async () => {
    const webhook = await subscribe(ALL);
    const { conversationId, first, socket, session } = await startConversation(server, {
      session: { externalUserId: 'u_hook' },
    });
    const created = await receiver.until(ofType('conversation.created'));
    const message = await receiver.until(ofType('message.created'));
    // acme takes no unproven ids: the visitor has none, as the inbox shows.
    const visitor = await server.services.store.visitors.get(session.visitorId);
    expect(created.event.data).toEqual({
      conversation: {
        id: conversationId,
        status: 'open',
        visitorId: session.visitorId,
        externalUserId: visitor?.externalUserId ?? null,
      },
    });
    expect(message.event).toMatchObject({
      type: 'message.created',
      projectId: PROJECT_ID,
      data: {
        conversation: { id: conversationId },
        message: {
          id: first.id,
          seq: 1,
          author: { kind: 'visitor', id: session.visitorId, name: null },
          body: first.body,
          createdAt: first.createdAt,
        },
      },
    });
    socket.close();

    expect(
      (await admin.request('POST', `/api/agent/conversations/${conversationId}/close`)).status,
    ).toBe(200);
    expect(
      (await receiver.until(ofType('conversation.closed'))).event.data.conversation?.status,
    ).toBe('closed');
    await admin.request('POST', `/api/agent/conversations/${conversationId}/reopen`);
    await receiver.until(ofType('conversation.reopened'));

    const actor = { label: 'test', description: 'the webhook test' };
    await server.services.contacts.identify(
      PROJECT_ID,
      'u_hook',
      { name: 'Ada Hook', email: 'ada@example.com' },
      actor,
    );
    const updated = await receiver.until(ofType('contact.updated'));
    expect(updated.event.data).toEqual({
      contact: { externalId: 'u_hook', changed: ['name', 'email'] },
    });
    expect(updated.body).not.toContain('ada@example.com');
    await server.services.contacts.erase(PROJECT_ID, 'u_hook', { messages: false }, actor);
    expect((await receiver.until(ofType('contact.deleted'))).event.data).toEqual({
      contact: { externalId: 'u_hook' },
    });

    const site = await SiteEndpoint.start();
    try {
      await admin.request('PATCH', `/api/admin/projects/${PROJECT_ID}/integration`, {
        enabled: true,
        url: site.template,
      });
      site.on('locked-1', status(401));
      await testConnection(admin, PROJECT_ID, 'locked-1');
      const health = await receiver.until(ofType('integration.health_changed'));
      expect(health.event.data).toMatchObject({ from: 'unknown', to: 'failing' });
      await admin.request('PATCH', `/api/admin/projects/${PROJECT_ID}/integration`, {
        enabled: false,
      });
    } finally {
      await site.close();
    }

    for (const hook of receiver.received) {
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['user-agent']).toBe('Palaver-Webhooks/1');
      expect(hook.headers[EVENT_ID_HEADER.toLowerCase()]).toBe(hook.eventId);
      expect(hook.headers['palaver-event-type']).toBe(hook.type);
      const signature = hook.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifySignature(signature, hook.body, secret, { now: now() }).ok).toBe(true);
    }
    const log = await logWhen(
      webhook.id,
      (items) => items.length === 7 && items.every((d) => d.status === 'delivered'),
    );
    expect(log[0]).toMatchObject({ attempts: 1, responseStatus: 200, errorClass: null });
  });

  it('tells of a merge as the deletion of the contact merged away', async () => {
    await subscribe(['contact.deleted']);
    const actor = { label: 'test', description: 'the webhook test' };
    await server.services.contacts.identify(PROJECT_ID, 'u_keep', { name: 'Kept' }, actor);
    await server.services.contacts.identify(PROJECT_ID, 'u_dup', { name: 'Duplicate' }, actor);
    await server.services.contacts.merge(PROJECT_ID, 'u_keep', 'u_dup', actor);
    const deleted = await receiver.until(ofType('contact.deleted'));
    expect(deleted.event.data).toEqual({ contact: { externalId: 'u_dup' } });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failed delivery with backoff, by the clock, with the same event id and body', async () => {
    const webhook = await subscribe(['message.created']);
    receiver.answer = (_hook, attempt) => ({ status: attempt === 1 ? 503 : 200 });
    const { socket } = await startConversation(server);
    socket.close();
    const [retrying] = await logWhen(webhook.id, (items) => items[0]?.status === 'retrying');
    expect(retrying).toMatchObject({
      attempts: 1,
      responseStatus: 503,
      errorClass: 'server_error',
    });
    // Half of the first ceiling (10 s): not due before 5 s have passed.
    const wait = Date.parse(retrying!.nextAttemptAt!) - Date.parse(retrying!.lastAttemptAt!);
    expect(wait).toBe(5_000);
    expect(retrying!.excerpt).toBe('nope: [redacted]');
    offset += wait;
    await logWhen(webhook.id, (items) => items[0]?.status === 'delivered');
    const [one, two] = receiver.received;
    expect(two?.eventId).toBe(one?.eventId);
    expect(two?.body).toBe(one?.body);
  });

  it('sends a waiting retry at once when an admin points the subscription at a fixed URL', async () => {
    const broken = `${receiver.url}/gone`;
    const webhook = await subscribe(['message.created'], broken);
    receiver.answer = (hook) => ({ status: hook.path.endsWith('/gone') ? 404 : 200 });
    const { socket } = await startConversation(server);
    socket.close();
    const [retrying] = await logWhen(webhook.id, (items) => items[0]?.status === 'retrying');
    expect(Date.parse(retrying!.nextAttemptAt!)).toBeGreaterThan(now().getTime());
    // The clock stands still: only the change of address can make it due.
    const fixed = await admin.request('PATCH', `${BASE}/${webhook.id}`, { url: receiver.url });
    expect(fixed.status).toBe(200);
    const [delivered] = await logWhen(webhook.id, (items) => items[0]?.status === 'delivered');
    expect(delivered).toMatchObject({ attempts: 2, responseStatus: 200 });
    expect(receiver.received.map((h) => h.path)).toEqual([
      new URL(broken).pathname,
      new URL(receiver.url).pathname,
    ]);
  });

  it('disables a subscription after a day without a success, records the alert and stops sending', async () => {
    const webhook = await subscribe(['message.created']);
    receiver.answer = () => ({ status: 500 });
    const { socket } = await startConversation(server);
    await logWhen(webhook.id, (items) => items[0]?.status === 'retrying');
    offset += 25 * HOUR;
    await logWhen(webhook.id, (items) => items[0]?.status === 'failed');
    const [listed] = (await admin.request<WebhookList>('GET', BASE)).body.items.filter(
      (w) => w.id === webhook.id,
    );
    expect(listed).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const events = await server.services.store.events.listEvents(PROJECT_ID, {
      type: 'webhook.disabled',
      limit: 5,
    });
    expect(events[0]?.payload).toMatchObject({ subscriptionId: webhook.id });

    const sent = receiver.received.length;
    await sendAndAck(socket, { clientMessageId: 'after-disable', body: 'anyone there?' });
    expect(await deliveries(webhook.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(sent);
    socket.close();

    // Enabled again by an admin: the alert goes, the day starts over.
    const enabled = await admin.request<WebhookSubscription>('PATCH', `${BASE}/${webhook.id}`, {
      enabled: true,
    });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
  });

  it('keeps a conversation’s deliveries in order when the receiver fails the first attempt of each', async () => {
    await subscribe(['message.created']);
    receiver.answer = (_hook, attempt) => ({ status: attempt === 1 ? 500 : 200 });
    const { socket } = await startConversation(server, { body: 'm1' });
    for (const body of ['m2', 'm3', 'm4']) {
      await sendAndAck(socket, { clientMessageId: body, body });
    }
    socket.close();
    const accepted = () => {
      const attempts = new Map<string, number>();
      const ok: (string | undefined)[] = [];
      for (const hook of receiver.received) {
        const attempt = (attempts.get(hook.eventId) ?? 0) + 1;
        attempts.set(hook.eventId, attempt);
        if (attempt > 1) ok.push(hook.event.data.message?.body);
      }
      return ok;
    };
    // Each look moves the clock past the next retry.
    await expect
      .poll(
        () => {
          offset += 10_000;
          return accepted().length;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(4);
    expect(accepted()).toEqual(['m1', 'm2', 'm3', 'm4']);
    // Each message was first tried only after the one before it got through.
    const order = receiver.received.map((h) => h.event.data.message?.body);
    expect(order).toEqual(['m1', 'm1', 'm2', 'm2', 'm3', 'm3', 'm4', 'm4']);
  });

  it('redelivers an event on request, with the same id and body', async () => {
    const webhook = await subscribe(['message.created']);
    const { socket } = await startConversation(server);
    socket.close();
    const [done] = await logWhen(webhook.id, (items) => items[0]?.status === 'delivered');
    const again = await admin.request<WebhookDelivery>(
      'POST',
      `${BASE}/${webhook.id}/deliveries/${done!.id}/redeliver`,
    );
    expect(again.body).toMatchObject({ id: done!.id, status: 'pending' });
    const [first, second] = await receiver.until((hooks) =>
      hooks.length === 2 ? hooks : undefined,
    );
    expect(second!.eventId).toBe(first!.eventId);
    expect(second!.body).toBe(first!.body);
    await logWhen(
      webhook.id,
      (items) => items[0]?.status === 'delivered' && items[0].attempts === 2,
    );
  });

  it('counts a redirect, an error status, a hang and a private address as failed attempts', async () => {
    const canary = await WebhookReceiver.start();
    try {
      receiver.answer = (hook) =>
        hook.headers['palaver-event-type'] === 'webhook.test'
          ? { status: 302, location: canary.url }
          : { status: 200 };
      const redirected = await subscribe(['message.created']);
      await admin.request('POST', `${BASE}/${redirected.id}/test`);
      const [redirect] = await logWhen(redirected.id, (i) => i[0]?.status === 'retrying');
      expect(redirect).toMatchObject({ responseStatus: 302, errorClass: 'redirect' });
      expect(canary.received).toEqual([]);

      const hanging = await WebhookReceiver.start();
      hanging.answer = () => 'hang';
      const hung = await subscribe(['message.created'], hanging.url);
      await admin.request('POST', `${BASE}/${hung.id}/test`);
      const [timeout] = await logWhen(hung.id, (i) => i[0]?.status === 'retrying');
      expect(timeout).toMatchObject({ responseStatus: null, errorClass: 'timeout' });
      await hanging.close();

      const url = new URL(receiver.url);
      const internal = await subscribe(['message.created'], `http://private.test:${url.port}/x`);
      await admin.request('POST', `${BASE}/${internal.id}/test`);
      const [blocked] = await logWhen(internal.id, (i) => i[0]?.status === 'retrying');
      expect(blocked).toMatchObject({ errorClass: 'blocked_address', responseStatus: null });
    } finally {
      await canary.close();
    }
  });

  it('does not let a hanging receiver delay another subscription', async () => {
    const hanging = await WebhookReceiver.start();
    hanging.answer = () => 'hang';
    try {
      await subscribe(['message.created'], hanging.url);
      await subscribe(['message.created']);
      const { socket } = await startConversation(server, { body: 'x0' });
      // More than the hanging receiver's share of attempts in flight.
      for (let i = 1; i < 20; i++) {
        const c = await startConversation(server, { body: `x${i}` });
        c.socket.close();
      }
      socket.close();
      const started = Date.now();
      await receiver.until((hooks) => hooks.length >= 20 || undefined, 5_000);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await hanging.close();
    }
  });

  it('hands back the deliveries it claimed but had not started when it stops', async () => {
    await subscribe(['message.created']);
    receiver.answer = () => 'hang';
    // More than the subscription's 8 attempts at once: the rest wait, claimed, in memory.
    for (let i = 0; i < 20; i++) {
      const c = await startConversation(server, { body: `q${i}` });
      c.socket.close();
    }
    await receiver.until((hooks) => hooks.length >= 8 || undefined, 5_000);
    const dispatcher = server.services.webhookDispatcher;
    await dispatcher.stop();
    expect(receiver.received).toHaveLength(8);
    receiver.answer = () => ({ status: 200 });
    dispatcher.start();
    // Within their 15 s lease: they were released at the stop, not left to expire.
    await receiver.until((hooks) => hooks.length >= 20 || undefined, 5_000);
    expect(new Set(receiver.received.map((h) => h.eventId)).size).toBe(20);
  });

  it('refuses a URL it could not call, and unknown subscriptions and deliveries', async () => {
    const bad = await admin.request('POST', BASE, {
      url: 'ftp://x.example',
      events: ['message.created'],
    });
    expect(bad.status).toBe(422);
    const none = await admin.request('POST', BASE, { url: receiver.url, events: [] });
    expect(none.status).toBe(422);
    expect((await admin.request('GET', `${BASE}/wh_nope/deliveries`)).status).toBe(404);
    const webhook = await subscribe(['message.created']);
    expect(
      (await admin.request('POST', `${BASE}/${webhook.id}/deliveries/dlv_nope/redeliver`)).status,
    ).toBe(404);
    expect((await admin.request('GET', `${BASE}/${webhook.id}/deliveries?cursor=zz`)).status).toBe(
      400,
    );
  });
});
