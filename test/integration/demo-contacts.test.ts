import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintUserToken } from '../../demo/identity.js';
import { DEMO_PROJECT_ID } from '../../demo/seed.js';
import type { AgentServerFrame, ApiKeyList, Contact, ContactPage } from '../../protocol/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startSession,
  type FrameSocket,
} from '../support/clients.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { contactWhen } from '../support/identity.js';

/** Acme's server, in the demo, keeping Palaver's contacts current through the public API. */
describe('the demo’s Acme server pushing its users', () => {
  let demo: DemoServer;
  let admin: AgentClient;
  let socket: FrameSocket<AgentServerFrame>;

  const api = <T>(path: string) =>
    fetch(`${demo.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${demo.apiKey}` },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));

  /** Acme's site as a browser uses it: a form post, with the sign-in cookie once there is one. */
  async function site(path: string, form: Record<string, string>, cookie = '') {
    const response = await fetch(`${demo.url}/demo${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    return {
      status: response.status,
      cookie: (response.headers.get('set-cookie') ?? cookie).split(';')[0] ?? '',
    };
  }

  const dashboard = (cookie: string) =>
    fetch(`${demo.url}/demo/`, { headers: { cookie } }).then((r) => r.text());

  /** A verified chat of an Acme user, once Palaver's fetch from Acme's user API has settled. */
  async function chatAs(externalUserId: string) {
    const [secret] = await demo.services.integrations.verificationSecrets(DEMO_PROJECT_ID);
    const userToken = await mintUserToken(externalUserId, DEMO_PROJECT_ID, secret!);
    const session = await startSession(
      demo.url,
      { projectId: DEMO_PROJECT_ID, externalUserId, userToken },
      demo.url,
    );
    expect(session.status).toBe(201);
    const visitor = await readyVisitorSocket(
      demo.url.replace(/^http/, 'ws'),
      session.body.visitorToken,
      { origin: demo.url },
    );
    const first = await sendAndAck(visitor, { clientMessageId: 'c-1', body: 'Hi' });
    await contactWhen(admin, socket, first.conversationId, (c) => c.fetchedAt !== null);
    visitor.close();
    return first.conversationId;
  }

  beforeAll(async () => {
    demo = await startDemoServer();
    admin = await AgentClient.login(demo.url, demo.admin.email, demo.admin.password);
    socket = await admin.readySocket();
  });
  afterAll(async () => {
    socket?.close();
    await demo?.close();
  });

  it('makes Acme’s users contacts on start, in one bulk call, with their traits', async () => {
    expect(demo.pushed).toMatchObject({ applied: 5, failed: 0 });
    const listed = await api<ContactPage>('/contacts?limit=50');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c) => c.externalId).sort()).toEqual([
      'u_1001',
      'u_1002',
      'u_3001',
      'u_4001',
      'u_5001',
    ]);
    const bob = listed.body.data.find((c) => c.externalId === 'u_1002');
    expect(bob).toMatchObject({
      name: 'Bob Okafor',
      email: 'bob@acme.test',
      properties: { plan: 'Starter', company: 'Okafor Freight', signed_up: '2024-09-02' },
    });
    expect(bob?.provenance.properties.plan).toMatchObject({
      source: 'push',
      detail: 'Acme server',
    });
    // The key is made once, labelled for the provenance agents read.
    const keys = await admin.request<ApiKeyList>('GET', '/api/admin/projects/demo/api-keys');
    expect(keys.body.apiKeys.map((k) => [k.label, k.roles])).toEqual([
      ['Acme server', ['contacts:read', 'contacts:write']],
    ]);
  });

  it('pushes a plan change from the site, and the open conversation shows it at once', async () => {
    const conversationId = await chatAs('u_1002');
    const signedIn = await site('/sign-in', { user: 'u_1002' });
    expect(await dashboard(signedIn.cookie)).toContain('Upgrade to Pro');

    const from = socket.mark();
    const upgraded = await site('/plan', { plan: 'Pro' }, signedIn.cookie);
    expect(upgraded.status).toBe(303);
    const frame = await socket.next(
      (f) => f.type === 'profile' && f.conversationIds.includes(conversationId),
      { from },
    );
    expect(frame.type === 'profile' && frame.contact.profile?.metadata).toMatchObject({
      plan: 'Pro',
      company: 'Okafor Freight',
    });
    expect(frame.type === 'profile' && frame.contact.provenance.properties.plan).toMatchObject({
      source: 'push',
      detail: 'Acme server',
    });

    const stored = await api<Contact>('/contacts/u_1002');
    expect(stored.body.properties.plan).toBe('Pro');
    expect(stored.body.provenance.properties.plan?.source).toBe('push');
    const page = await dashboard(signedIn.cookie);
    expect(page).toContain('Your plan is now Pro');
    expect(page).toContain('Switch to Starter');

    // Acme's user API answers the new plan too: a later pull agrees instead of undoing it.
    const refreshed = await admin.request(
      'POST',
      `/api/agent/conversations/${conversationId}/profile/refresh`,
    );
    expect(refreshed.status).toBe(200);
    const after = await api<Contact>('/contacts/u_1002');
    expect(after.body.properties.plan).toBe('Pro');
    expect(after.body.provenance.properties.plan?.source).toBe('pull');
  });

  it('tells the user when Palaver refused the push, and keeps the site working', async () => {
    const keys = await admin.request<ApiKeyList>('GET', '/api/admin/projects/demo/api-keys');
    const acmeKey = keys.body.apiKeys[0]!;
    await admin.request('DELETE', `/api/admin/projects/demo/api-keys/${acmeKey.id}`);
    const signedIn = await site('/sign-in', { user: 'u_5001' });
    expect((await site('/plan', { plan: 'Pro' }, signedIn.cookie)).status).toBe(303);
    const page = await dashboard(signedIn.cookie);
    expect(page).toContain('could not tell Palaver');
    expect(page).toContain('This API key was revoked');
    expect(page).toContain('You are on Pro');
  });
});
