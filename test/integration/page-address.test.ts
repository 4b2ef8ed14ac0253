import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail } from '../../protocol/index.js';
import { AgentClient, startConversation } from '../support/clients.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: AgentClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

/** What the browser sent → what agents may see (null: not stored at all). */
const ADDRESSES: Array<[string, string | null]> = [
  [
    'https://shop.test/reset?reset_token=s3cr3t&lang=en#access_token=xyz',
    'https://shop.test/reset?reset_token=[redacted]&lang=en',
  ],
  [
    'https://shop.test/callback?code=4/0Ab&state=af0ifjsldkj&scope=email',
    'https://shop.test/callback?code=[redacted]&state=[redacted]&scope=email',
  ],
  ['https://user:hunter2@shop.test/account?tab=billing', 'https://shop.test/account?tab=billing'],
  [
    'https://shop.test/s?q=red+shoes&page=2&keyword=boots&author=jane&utm_source=mail',
    'https://shop.test/s?q=red+shoes&page=2&keyword=boots&author=jane&utm_source=mail',
  ],
  [
    'https://files.test/a.pdf?X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=ab12&X-Amz-Expires=300',
    'https://files.test/a.pdf?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Expires=300',
  ],
  [
    'https://shop.test/?apiKey=k1&api_key=k2&accessToken=t&PHPSESSID=abc&sid=9&password=p&sig=s',
    'https://shop.test/?apiKey=[redacted]&api_key=[redacted]&accessToken=[redacted]&PHPSESSID=[redacted]&sid=[redacted]&password=[redacted]&sig=[redacted]',
  ],
  ['https://shop.test/pricing#plans', 'https://shop.test/pricing'],
  ['javascript:alert(document.cookie)', null],
  ['data:text/html,<script>alert(1)</script>', null],
  ['not a url at all', null],
];

describe('the page address agents see', () => {
  it.each(ADDRESSES)('%s is shown as %s', async (sent, shown) => {
    const chat = await startConversation(server, { session: { pageUrl: sent, referrer: sent } });
    const detail = await admin.request<ConversationDetail>(
      'GET',
      `/api/agent/conversations/${chat.conversationId}`,
    );
    expect(detail.body.visitor?.pageUrl ?? null).toBe(shown);
    expect(detail.body.visitor?.referrer ?? null).toBe(shown);
    // What is stored is already clean: no secret sits in the database.
    const stored = await server.services.store.visitors.get(chat.session.visitorId);
    expect(stored?.pageUrl ?? null).toBe(shown);
    expect(stored?.referrer ?? null).toBe(shown);
    chat.socket.close();
  });

  it('scrubs an address stored before scrubbing existed when showing it', async () => {
    const chat = await startConversation(server);
    await server.services.store.visitors.update(chat.session.visitorId, {
      pageUrl: 'https://shop.test/reset?reset_token=old-secret#access_token=older',
      referrer: 'https://u:p@mail.test/inbox?session=abc',
    });
    const detail = await admin.request<ConversationDetail>(
      'GET',
      `/api/agent/conversations/${chat.conversationId}`,
    );
    expect(detail.body.visitor?.pageUrl).toBe('https://shop.test/reset?reset_token=[redacted]');
    expect(detail.body.visitor?.referrer).toBe('https://mail.test/inbox?session=[redacted]');
    chat.socket.close();
  });
});
