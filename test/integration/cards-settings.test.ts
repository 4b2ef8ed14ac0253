import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardSettings, CardSettingsList, ErrorBody } from '../../protocol/index.js';
import { AgentClient } from '../support/clients.js';
import { ADMIN, AGENT, PROJECT_ID, startTestServer, type TestServer } from '../support/server.js';
import { postgresUrlForTests } from '../support/services.js';

const pgUrl = await postgresUrlForTests();

const dialects = [
  { name: 'SQLite', postgresUrl: undefined },
  ...(pgUrl ? [{ name: 'PostgreSQL', postgresUrl: pgUrl }] : []),
];

describe.each(dialects)('card settings on $name', ({ postgresUrl }) => {
  let server: TestServer;
  let admin: AgentClient;
  const cards = `/api/admin/projects/${PROJECT_ID}/cards`;

  beforeAll(async () => {
    server = await startTestServer(postgresUrl ? { postgresUrl } : {});
    admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  });
  afterAll(() => server.close());

  it('adds, lists, changes and deletes cards; header values are write-only', async () => {
    const created = await admin.request<CardSettings>('POST', cards, {
      name: 'Orders',
      url: 'https://shop.example.com/palaver/cards/orders',
      headers: [{ name: 'Authorization', value: 'Bearer shop-secret-1' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Orders',
      enabled: true,
      cacheSeconds: 60,
      position: 0,
      headers: [{ name: 'Authorization', masked: 'Bearer ••••' }],
    });
    const second = await admin.request<CardSettings>('POST', cards, {
      name: 'Billing',
      url: 'https://shop.example.com/palaver/cards/billing',
      enabled: false,
      cacheSeconds: 0,
    });
    expect(second.body.position).toBe(1);

    // A header sent without its value keeps the stored one; a new one needs a value.
    const id = created.body.id;
    const changed = await admin.request<CardSettings>('PATCH', `${cards}/${id}`, {
      cacheSeconds: 300,
      headers: [{ name: 'Authorization' }, { name: 'X-Shop', value: 'acme' }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.headers).toEqual([
      { name: 'Authorization', masked: 'Bearer ••••' },
      { name: 'X-Shop', masked: '••••' },
    ]);
    const listed = await admin.request<CardSettingsList>('GET', cards);
    expect(listed.body.items.map((c) => [c.name, c.cacheSeconds])).toEqual([
      ['Orders', 300],
      ['Billing', 0],
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('shop-secret-1');
    expect(await server.services.cards.enabled(PROJECT_ID)).toMatchObject([
      {
        name: 'Orders',
        headers: [
          { name: 'Authorization', value: 'Bearer shop-secret-1' },
          { name: 'X-Shop', value: 'acme' },
        ],
      },
    ]);

    expect((await admin.request('DELETE', `${cards}/${second.body.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `${cards}/${second.body.id}`)).status).toBe(404);
    expect((await admin.request('DELETE', `${cards}/${id}`)).status).toBe(204);
  });

  it('refuses bad settings with the reason, and changes nothing', async () => {
    const refused: [Record<string, unknown>, number, string][] = [
      [{ name: 'Orders', url: 'ftp://shop.example.com/c' }, 422, 'Use an'],
      [{ name: 'Orders', url: 'https://user:pw@shop.example.com/c' }, 422, 'header'],
      [{ name: 'Orders', url: 'not a url' }, 422, 'full URL'],
      [{ name: '  ', url: 'https://shop.example.com/c' }, 422, 'name'],
      [{ name: 'Orders', url: 'https://shop.example.com/c', cacheSeconds: 99999 }, 422, ''],
      [
        {
          name: 'Orders',
          url: 'https://shop.example.com/c',
          headers: [{ name: 'Host', value: 'x' }],
        },
        422,
        'Palaver sets',
      ],
      [
        { name: 'Orders', url: 'https://shop.example.com/c', headers: [{ name: 'X-A' }] },
        422,
        'Enter a value',
      ],
      [
        {
          name: 'Orders',
          url: 'https://shop.example.com/c',
          headers: [
            { name: 'X-A', value: 'a' },
            { name: 'x-a', value: 'b' },
          ],
        },
        422,
        'twice',
      ],
      [
        {
          name: 'Orders',
          url: 'https://shop.example.com/c',
          headers: [{ name: 'X-A', value: 'a\u0007' }],
        },
        422,
        'printable',
      ],
      [{ name: 'Orders', url: 'https://shop.example.com/c', extra: true }, 422, ''],
    ];
    for (const [body, status, words] of refused) {
      const answer = await admin.request<ErrorBody>('POST', cards, body);
      expect([answer.status, JSON.stringify(answer.body)]).toEqual([
        status,
        expect.stringContaining(words),
      ]);
    }
    const listed = await admin.request<CardSettingsList>('GET', cards);
    expect(listed.body.items).toEqual([]);

    const made = await admin.request<CardSettings>('POST', cards, {
      name: 'Orders',
      url: 'https://shop.example.com/c',
    });
    const duplicate = await admin.request<ErrorBody>('POST', cards, {
      name: 'Orders',
      url: 'https://shop.example.com/d',
    });
    expect(duplicate.status).toBe(409);
    const badPatch = await admin.request<ErrorBody>('PATCH', `${cards}/${made.body.id}`, {
      url: 'javascript:alert(1)',
    });
    expect(badPatch.status).toBe(422);
    expect((await admin.request<CardSettingsList>('GET', cards)).body.items).toMatchObject([
      { name: 'Orders', url: 'https://shop.example.com/c' },
    ]);
    expect((await admin.request('PATCH', `${cards}/card_missing`, { name: 'X' })).status).toBe(404);
  });

  it('is for admins only', async () => {
    const agent = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    expect((await agent.request('GET', cards)).status).toBe(403);
    expect(
      (await agent.request('POST', cards, { name: 'X', url: 'https://shop.example.com/x' })).status,
    ).toBe(403);
  });
});
