import { beforeEach, describe, expect, it } from 'vitest';
import { ContactService } from '../contacts/index.js';
import { createLogger } from '../logger.js';
import { ProjectService } from '../projects/service.js';
import type { Store } from '../store/index.js';
import { FETCH_DEADLINE_MS, MAX_ANSWER_BYTES } from './attempt.js';
import { OutboundError } from '../outbound/index.js';
import { ALICE, deferred, json, PROJECT, START, status, useFetchFixture } from './fetch-fixture.js';
import { ProfileFetcher } from './fetch-profile.js';
import type { GuardedHttpClient, GuardedResponse } from '../outbound/index.js';
import { BREAKER_THRESHOLD } from './site-health.js';

const fixture = useFetchFixture();
let t: ReturnType<typeof fixture>;
beforeEach(() => {
  t = fixture();
});

describe('the request the fetcher makes', () => {
  it('calls the configured URL with the admin headers, JSON accept, deadline and size cap', async () => {
    t.client.answer(json(200, ALICE));
    await t.refresh('user@42');
    const [req] = t.client.calls;
    expect(req?.url.href).toBe('https://api.acme.test/users/user@42');
    expect(req?.method).toBe('GET');
    expect(req?.headers).toMatchObject({
      Authorization: 'Bearer sk_unit_canary',
      accept: 'application/json',
    });
    expect(req?.body).toBeUndefined();
    expect(req?.deadlineMs).toBe(FETCH_DEADLINE_MS);
    expect(req?.maxBytes).toBe(MAX_ANSWER_BYTES);
  });

  it('sends {"externalId"} as JSON in the POST style, to the URL exactly as configured', async () => {
    for (const [style, url] of [
      ['path', 'https://api.acme.test/sync'],
      ['query', 'https://api.acme.test/sync?v=2'],
    ] as const) {
      await t.integrations.update(PROJECT, { method: 'POST', style, url });
      t.client.answer(json(200, ALICE));
      await t.refresh('a/b c');
      const req = t.client.calls.at(-1);
      expect(req?.method).toBe('POST');
      expect(req?.url.href).toBe(url);
      expect(req?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req?.body ?? '')).toEqual({ externalId: 'a/b c' });
    }
  });
});

describe('a data-sync (POST) endpoint', () => {
  beforeEach(() =>
    t.integrations.update(PROJECT, { method: 'POST', url: 'https://api.acme.test/sync' }),
  );

  it('answering 400 does not know the user: a new profile, like 404; the site is healthy', async () => {
    t.client.answer(json(400, { status: 'bad_request' }));
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome: 'not_found', httpStatus: 400, errorClass: null });
    expect(await t.contact()).toMatchObject({ profile: null, httpStatus: 400 });
    expect((await t.health()).status).toBe('healthy');
  });

  it('answering about another externalId is refused, logged, and nothing is stored', async () => {
    t.client.answer(json(200, { status: 'ok', externalId: 'u1', displayName: 'Una' }));
    await t.refresh('u1');
    t.client.answer(json(200, { status: 'ok', externalId: 'u2', displayName: 'Someone Else' }));
    const report = await t.refresh('u1');
    expect(report).toMatchObject({
      outcome: 'identity_mismatch',
      errorClass: 'identity_mismatch',
    });
    expect(report.message).toMatch(/externalId/);
    expect((await t.contact())?.profile).toMatchObject({ name: 'Una' });
    expect((await t.log())[0]).toMatchObject({
      outcome: 'identity_mismatch',
      externalUserId: 'u1',
    });
  });

  it('accepts a numeric externalId equal to the requested id, and an answer without one (with a warning)', async () => {
    t.client.answer(json(200, { status: 'ok', externalId: 42, displayName: 'Numbers' }));
    expect((await t.refresh('42')).outcome).toBe('ok');
    t.client.answer(json(200, { status: 'ok', displayName: 'Nobody Said' }));
    const tested = await t.fetcher.test(PROJECT, 'u3');
    expect(tested).toMatchObject({ outcome: 'ok', profile: { name: 'Nobody Said' } });
    expect(tested.warnings.join(' ')).toMatch(/no externalId/);
  });

  it('refuses a stored URL that still holds {id}, as a configuration error', async () => {
    await t.store.identity.saveIntegration({
      ...(await t.integrations.record(PROJECT)),
      url: 'https://api.acme.test/sync/{id}',
    });
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome: 'config_error', errorClass: 'config' });
    expect(report.message).toMatch(/JSON body/);
    expect(t.client.calls).toHaveLength(0);
  });
});

describe('a GET endpoint answering 400 or another unexpected 4xx', () => {
  it('is a per-user outcome: logged for that user, the site stays healthy and unpaused', async () => {
    for (const code of [400, 418, 422]) {
      t.client.answer(json(code, { error: 'nope' }));
      const report = await t.refresh(`u${code}`);
      expect(report).toMatchObject({
        outcome: 'invalid_response',
        errorClass: 'bad_status',
        httpStatus: code,
      });
    }
    expect((await t.health()).status).not.toBe('failing');
    expect(await t.fetcher.pausedUntil(PROJECT)).toBeNull();
  });
});

describe('status mapping', () => {
  it('200 with a valid body stores the profile with its provenance', async () => {
    t.client.answer(json(200, ALICE));
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome: 'ok', httpStatus: 200, errorClass: null });
    expect(await t.contact()).toMatchObject({
      profile: { name: 'Alice Martin', metadata: { plan: 'Pro' } },
      fetchedAt: new Date(START).toISOString(),
      httpStatus: 200,
      lastAttempt: { outcome: 'ok', httpStatus: 200 },
    });
    expect(await t.health()).toMatchObject({ status: 'healthy', failingSince: null });
    expect((await t.log())[0]).toMatchObject({
      externalUserId: 'u1',
      trigger: 'refresh',
      outcome: 'ok',
      httpStatus: 200,
    });
  });

  it.each([404, 410])(
    '%i means the site does not know the id: the profile is kept, marked not found at the site',
    async (code) => {
      t.client.answer(json(200, ALICE), status(code));
      await t.refresh('u1');
      const report = await t.refresh('u1');
      expect(report).toMatchObject({ outcome: 'not_found', httpStatus: code, errorClass: null });
      const contact = await t.contact();
      expect(contact).toMatchObject({
        externalUserId: 'u1',
        profile: { name: 'Alice Martin' },
        httpStatus: code,
        lastAttempt: { outcome: 'not_found' },
      });
      expect(contact?.notFoundAtSiteAt).toBe(contact?.fetchedAt);
      expect(await t.health()).toMatchObject({ status: 'healthy' });
    },
  );

  it('clears the profile on 404 when the integration says so', async () => {
    await t.integrations.update(PROJECT, { onNotFound: 'clear' });
    t.client.answer(json(200, ALICE), status(404));
    await t.refresh('u1');
    await t.refresh('u1');
    const contact = await t.contact();
    expect(contact).toMatchObject({ profile: null, httpStatus: 404, notFoundAtSiteAt: null });
    expect(contact?.provenance).toEqual({ fields: {}, properties: {} });
  });

  it.each([401, 403])(
    '%i marks the integration unhealthy, keeps the last profile and is not retried',
    async (code) => {
      t.client.answer(json(200, ALICE), status(code));
      await t.refresh('u1');
      t.clock += 1000;
      const report = await t.refresh('u1');
      expect(report).toMatchObject({ outcome: 'unauthorized', httpStatus: code });
      expect(report.message).toMatch(/credentials/);
      expect(t.client.calls).toHaveLength(2);
      expect(await t.contact()).toMatchObject({
        profile: { name: 'Alice Martin' },
        httpStatus: 200,
        lastAttempt: { outcome: 'unauthorized', httpStatus: code },
      });
      expect(await t.health()).toMatchObject({
        status: 'failing',
        failingSince: new Date(t.clock).toISOString(),
        lastError: { outcome: 'unauthorized', httpStatus: code },
      });
    },
  );

  it.each([
    [500, 'server_error', 'server_error'],
    [502, 'server_error', 'server_error'],
    [503, 'server_error', 'server_error'],
    [301, 'config_error', 'redirect'],
    [302, 'config_error', 'redirect'],
    [307, 'config_error', 'redirect'],
    [204, 'config_error', 'bad_status'],
    [400, 'invalid_response', 'bad_status'],
    [418, 'invalid_response', 'bad_status'],
  ])('%i is logged as %s (%s) and the last good profile stays', async (code, outcome, cls) => {
    t.client.answer(json(200, ALICE), status(code, { location: 'http://127.0.0.1/' }));
    await t.refresh('u1');
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome, errorClass: cls, httpStatus: code });
    expect(await t.contact()).toMatchObject({
      profile: { name: 'Alice Martin' },
      lastAttempt: { outcome, httpStatus: code },
    });
    expect((await t.log())[0]).toMatchObject({ outcome, errorClass: cls, httpStatus: code });
  });

  it('an invalid 200 answer is a validation error with field paths; the profile stays', async () => {
    t.client.answer(json(200, ALICE), json(200, { email: 42, metadata: 'nope' }));
    await t.refresh('u1');
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome: 'invalid_response', errorClass: 'invalid_profile' });
    expect(report.invalidFields).toEqual(expect.arrayContaining(['email', 'metadata']));
    expect((await t.log())[0]?.invalidFields).toEqual(report.invalidFields);
    expect((await t.contact())?.profile?.name).toBe('Alice Martin');
  });

  describe('429', () => {
    it('honours Retry-After in seconds: attempts wait, then resume', async () => {
      t.client.answer(status(429, { 'retry-after': '120' }));
      const limited = await t.refresh('u1');
      expect(limited).toMatchObject({ outcome: 'rate_limited', httpStatus: 429 });
      expect((await t.fetcher.pausedUntil(PROJECT))?.getTime()).toBe(START + 120_000);

      t.clock = START + 119_000;
      const waiting = await t.refresh('u2');
      expect(waiting).toMatchObject({ outcome: 'rate_limited', httpStatus: null });
      expect(t.client.calls).toHaveLength(1);

      t.clock = START + 120_000;
      expect(await t.fetcher.pausedUntil(PROJECT)).toBeNull();
      expect((await t.refresh('u2')).outcome).toBe('ok');
      expect(t.client.calls).toHaveLength(2);
      expect((await t.log()).map((e) => [e.outcome, e.httpStatus])).toEqual([
        ['ok', 200],
        ['rate_limited', null],
        ['rate_limited', 429],
      ]);
    });

    it('honours Retry-After as an HTTP date', async () => {
      const until = START + 90_000;
      t.client.answer(status(429, { 'retry-after': new Date(until).toUTCString() }));
      await t.refresh('u1');
      expect((await t.fetcher.pausedUntil(PROJECT))?.getTime()).toBe(until);
      t.clock = until - 1;
      expect((await t.refresh('u1')).httpStatus).toBeNull();
      t.clock = until;
      expect((await t.refresh('u1')).outcome).toBe('ok');
    });
  });
});

describe('failures before an answer', () => {
  it.each([
    [new OutboundError('timeout', 'No complete answer within 10 s'), 'timeout', 'timeout'],
    [new OutboundError('connect', 'The connection failed'), 'network_error', 'connect'],
    [new OutboundError('dns', 'no such host'), 'network_error', 'dns'],
    [new OutboundError('tls', 'bad certificate'), 'network_error', 'tls'],
    [new OutboundError('blocked_address', 'loopback'), 'blocked', 'blocked_address'],
    [new TypeError('socket hang up'), 'network_error', 'network'],
  ])('%s keeps the last good profile (%s); the site is failing', async (error, outcome, cls) => {
    t.client.answer(json(200, ALICE), error);
    await t.refresh('u1');
    t.clock += 60_000;
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome, errorClass: cls, httpStatus: null });
    expect(await t.contact()).toMatchObject({
      profile: { name: 'Alice Martin' },
      fetchedAt: new Date(START).toISOString(),
      httpStatus: 200,
      lastAttempt: { outcome, at: new Date(t.clock).toISOString() },
    });
    expect(await t.health()).toMatchObject({ status: 'failing', lastError: { outcome } });
  });

  it('an answer too large for one user keeps their profile; the site is not failing', async () => {
    t.client.answer(json(200, ALICE), new OutboundError('too_large', 'too big'));
    await t.refresh('u1');
    const report = await t.refresh('u1');
    expect(report).toMatchObject({ outcome: 'invalid_response', errorClass: 'too_large' });
    expect((await t.contact())?.profile?.name).toBe('Alice Martin');
    expect((await t.health()).status).toBe('healthy');
  });
});

describe('a call cut off by shutdown', () => {
  it('is not recorded: it says nothing about the site', async () => {
    t.client.answer(new OutboundError('shutdown', 'Palaver is shutting down'));
    const report = await t.refresh('u1');
    expect(report.errorClass).toBe('shutdown');
    expect(await t.contact()).toBeNull();
    expect(await t.log()).toEqual([]);
    expect((await t.health()).status).toBe('unknown');
  });
});

describe('when fetches run', () => {
  it('shares one call between concurrent refreshes of the same contact', async () => {
    const gate = deferred<GuardedResponse>();
    t.client.queue.push(() => gate.promise);
    await t.verifiedVisitor('vis_1', 'u1');
    const integration = await t.resolved();
    const first = t.fetcher.refresh(integration, 'u1');
    const second = t.fetcher.refresh(integration, 'u1');
    // Let the shared run reach the client before opening the gate.
    await expect.poll(() => t.client.calls.length).toBe(1);
    expect(t.fetcher.isPending(PROJECT, 'u1')).toBe(true);
    gate.resolve(json(200, ALICE));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(t.client.calls).toHaveLength(1);
    expect(t.fetcher.isPending(PROJECT, 'u1')).toBe(false);
    expect(await t.log()).toHaveLength(1);
    // Agents hear of it once, when it ends, with the profile itself.
    const [announced, ...more] = t.announcer.of('profileChanged');
    expect(more).toEqual([]);
    expect(announced?.[0]).toMatchObject({
      projectId: PROJECT,
      visitorId: 'vis_1',
      conversationIds: [],
      visitorLabel: 'Alice Martin',
      contact: {
        externalUserId: 'u1',
        identity: 'verified',
        profile: { name: 'Alice Martin' },
        siteName: 'Acme',
        pending: false,
      },
    });
  });

  it.each([
    ['with a profile', json(200, ALICE)],
    ['with an error', status(503)],
  ])(
    'stores and logs nothing for a person erased while the call was in flight (answered %s)',
    async (_, answer) => {
      const gate = deferred<GuardedResponse>();
      t.client.queue.push(() => gate.promise);
      await t.verifiedVisitor('vis_1', 'u1');
      const contacts = new ContactService(t.store, t.announcer);
      await contacts.seenInChat(PROJECT, 'u1', 'verified', null);
      const fetching = t.inBackground('u1', 'session');
      await expect.poll(() => t.client.calls.length).toBe(1);
      const admin = { label: 'Ada', description: 'Agent Ada <ada@acme.test>' };
      await contacts.erase(PROJECT, 'u1', { messages: false }, admin);
      gate.resolve(answer);
      await fetching;
      expect(await t.contact()).toBeNull();
      expect(await t.log()).toEqual([]);
    },
  );

  it('does not share a call between different contacts', async () => {
    await Promise.all([t.refresh('u1'), t.refresh('u2')]);
    expect(t.client.calls).toHaveLength(2);
  });

  it('skips a contact fetched within the freshness window; Refresh bypasses it', async () => {
    await t.inBackground('u1', 'session');
    expect(t.client.calls).toHaveLength(1);

    t.clock = START + 299_000;
    await t.inBackground('u1', 'session');
    expect(t.client.calls).toHaveLength(1);

    await t.refresh('u1');
    expect(t.client.calls).toHaveLength(2);

    t.clock = START + 299_000 + 300_000;
    await t.inBackground('u1', 'identify');
    expect(t.client.calls).toHaveLength(3);
    expect((await t.log())[0]?.trigger).toBe('identify');
  });

  it('fetches nothing in the background while the integration is off', async () => {
    await t.integrations.update(PROJECT, { enabled: false });
    await t.inBackground('u1', 'session');
    expect(t.client.calls).toHaveLength(0);
    expect(await t.contact()).toBeNull();
  });

  it('never rejects in the background, even when the store fails', async () => {
    const failing = new ProfileFetcher({
      store: {
        contacts: { get: () => Promise.reject(new Error('database is locked')) },
      } as unknown as Store,
      integrations: t.integrations,
      client: t.client as unknown as GuardedHttpClient,
      logger: createLogger('silent'),
      announcer: t.announcer,
    });
    await expect(
      failing.inBackground(await t.resolved(), 'u1', 'session'),
    ).resolves.toBeUndefined();
  });
});

describe('test connection', () => {
  it('shows the parsed profile, logs the attempt, and stores no profile', async () => {
    t.client.answer(
      json(200, {
        ...ALICE,
        metadata: { plan: 'Pro', card_number: '4111 1111 1111 1111' },
        extra: 1,
      }),
    );
    await t.verifiedVisitor('vis_1', 'u1');
    const result = await t.fetcher.test(PROJECT, 'u1');
    expect(result).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      url: 'https://api.acme.test/users/u1',
      profile: { name: 'Alice Martin', metadata: { plan: 'Pro' } },
      shape: 'standard',
      unknownFields: ['extra'],
    });
    expect(result.droppedPii.map((d) => d.path)).toEqual(['card_number']);
    expect(await t.contact()).toBeNull();
    expect((await t.log())[0]).toMatchObject({ trigger: 'test', outcome: 'ok' });
    // Agents hear nothing; admins hear that the integration works (it counts for its health).
    expect(t.announcer.kinds()).toEqual(['integrationHealthChanged']);
  });

  it('works while the integration is off and while attempts are paused', async () => {
    await t.integrations.update(PROJECT, { enabled: false });
    t.client.fallback = () => Promise.resolve(status(503));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) await t.fetcher.test(PROJECT, 'u1');
    t.client.fallback = () => Promise.resolve(json(200, ALICE));
    expect((await t.fetcher.test(PROJECT, 'u1')).outcome).toBe('ok');
    expect(await t.contact()).toBeNull();
  });

  it('explains what to do when no URL is configured yet', async () => {
    const fresh = 'globex';
    await new ProjectService(t.store, t.announcer).create({
      id: fresh,
      name: 'Globex',
      allowedOrigins: [],
    });
    const result = await t.fetcher.test(fresh, 'u1');
    expect(result).toMatchObject({ outcome: 'config_error', httpStatus: null });
    expect(result.message).toMatch(/URL/);
    expect(t.client.calls).toHaveLength(0);
    expect((await t.store.identity.listLog(fresh, {}))[0]).toMatchObject({
      outcome: 'config_error',
      errorClass: 'config',
    });
  });

  it('never puts header values in the report or the log', async () => {
    t.client.answer(status(401));
    const result = await t.fetcher.test(PROJECT, 'u1');
    expect(JSON.stringify(result)).not.toContain('sk_unit_canary');
    expect(JSON.stringify(await t.log())).not.toContain('sk_unit_canary');
  });
});
