import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchTrigger } from '../../protocol/index.js';
import { RecordingAnnouncer } from '../announcer/recording.js';
import { SecretBox } from '../crypto/secrets.js';
import { createLogger } from '../logger.js';
import { ProjectService } from '../projects/service.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { FETCH_DEADLINE_MS, MAX_ANSWER_BYTES } from './attempt.js';
import { retryAfterMs } from './classify.js';
import { IdentityFetchError } from './errors.js';
import { ProfileFetcher } from './fetch-profile.js';
import type { GuardedHttpClient, GuardedRequest, GuardedResponse } from './guard.js';
import { IntegrationService } from './integration.js';
import { BREAKER_PAUSE_MS, BREAKER_THRESHOLD } from './site-health.js';

const PROJECT = 'acme';
const START = Date.parse('2030-01-01T10:00:00.000Z');

type Script = (req: GuardedRequest) => Promise<GuardedResponse>;

/** Stands in for the guarded client: records every request and answers from a script. */
class FakeClient {
  readonly calls: GuardedRequest[] = [];
  readonly queue: Script[] = [];
  fallback: Script = () => Promise.resolve(json(200, { first_name: 'Default' }));

  request(req: GuardedRequest): Promise<GuardedResponse> {
    this.calls.push(req);
    return (this.queue.shift() ?? this.fallback)(req);
  }

  answer(...responses: Array<GuardedResponse | Error>): void {
    for (const response of responses) {
      this.queue.push(() =>
        response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
      );
    }
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

const status = (code: number, headers: Record<string, string> = {}) => ({
  status: code,
  headers,
  body: Buffer.alloc(0),
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let store: Awaited<ReturnType<typeof openSqliteStore>>;
let integrations: IntegrationService;
let client: FakeClient;
let fetcher: ProfileFetcher;
let clock: number;
let announcer: RecordingAnnouncer;

beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  announcer = new RecordingAnnouncer();
  await new ProjectService(store, announcer).create({
    id: PROJECT,
    name: 'Acme',
    allowedOrigins: [],
  });
  announcer.clear();
  integrations = new IntegrationService(store, new SecretBox(randomBytes(32)), {
    allowHttp: false,
  });
  await integrations.update(PROJECT, {
    enabled: true,
    url: 'https://api.acme.test/users/{id}',
    headers: [{ name: 'Authorization', value: 'Bearer sk_unit_canary' }],
  });
  client = new FakeClient();
  clock = START;
  fetcher = new ProfileFetcher({
    store,
    integrations,
    client: client as unknown as GuardedHttpClient,
    logger: createLogger('silent'),
    announcer,
    now: () => clock,
  });
});
afterEach(() => store.close());

/** The integration as a session start or the Refresh route resolves it, at the current clock. */
const resolved = (projectId = PROJECT) => integrations.resolve(projectId, new Date(clock));
const refresh = async (id: string) => fetcher.refresh(await resolved(), id);
const inBackground = async (id: string, trigger: FetchTrigger) =>
  fetcher.inBackground(await resolved(), id, trigger);
/** A visitor carrying the contact, so that agents have something to be told about. */
const verifiedVisitor = (id: string, externalUserId: string) =>
  store.createVisitor({
    id,
    projectId: PROJECT,
    externalUserId,
    identity: 'verified',
    firstSeenAt: new Date(START).toISOString(),
    lastSeenAt: new Date(START).toISOString(),
    pageUrl: null,
    referrer: null,
    userAgent: null,
    locale: null,
    tokenHash: `hash_${id}`,
  });
const contact = (id = 'u1') => store.identity.getContact(PROJECT, id);
const log = () => store.identity.listLog(PROJECT, {});
const health = async () => (await integrations.record(PROJECT)).health;
const ALICE = { first_name: 'Alice', last_name: 'Martin', metadata: { plan: 'Pro' } };

describe('the request the fetcher makes', () => {
  it('calls the configured URL with the admin headers, JSON accept, deadline and size cap', async () => {
    client.answer(json(200, ALICE));
    await refresh('user@42');
    const [req] = client.calls;
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
      await integrations.update(PROJECT, { method: 'POST', style, url });
      client.answer(json(200, ALICE));
      await refresh('a/b c');
      const req = client.calls.at(-1);
      expect(req?.method).toBe('POST');
      expect(req?.url.href).toBe(url);
      expect(req?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req?.body ?? '')).toEqual({ externalId: 'a/b c' });
    }
  });
});

describe('a data-sync (POST) endpoint', () => {
  beforeEach(() =>
    integrations.update(PROJECT, { method: 'POST', url: 'https://api.acme.test/sync' }),
  );

  it('answering 400 does not know the user: a new profile, like 404; the site is healthy', async () => {
    client.answer(json(400, { status: 'bad_request' }));
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome: 'not_found', httpStatus: 400, errorClass: null });
    expect(await contact()).toMatchObject({ profile: null, httpStatus: 400 });
    expect((await health()).status).toBe('healthy');
  });

  it('answering about another externalId is refused, logged, and nothing is stored', async () => {
    client.answer(json(200, { status: 'ok', externalId: 'u1', displayName: 'Una' }));
    await refresh('u1');
    client.answer(json(200, { status: 'ok', externalId: 'u2', displayName: 'Someone Else' }));
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome: 'invalid_response', errorClass: 'id_mismatch' });
    expect(report.message).toMatch(/externalId/);
    expect((await contact())?.profile).toMatchObject({ name: 'Una' });
    expect((await log())[0]).toMatchObject({ errorClass: 'id_mismatch', externalUserId: 'u1' });
  });

  it('accepts a numeric externalId equal to the requested id, and an answer without one (with a warning)', async () => {
    client.answer(json(200, { status: 'ok', externalId: 42, displayName: 'Numbers' }));
    expect((await refresh('42')).outcome).toBe('ok');
    client.answer(json(200, { status: 'ok', displayName: 'Nobody Said' }));
    const tested = await fetcher.test(PROJECT, 'u3');
    expect(tested).toMatchObject({ outcome: 'ok', profile: { name: 'Nobody Said' } });
    expect(tested.warnings.join(' ')).toMatch(/no externalId/);
  });

  it('refuses a stored URL that still holds {id}, as a configuration error', async () => {
    await store.identity.saveIntegration({
      ...(await integrations.record(PROJECT)),
      url: 'https://api.acme.test/sync/{id}',
    });
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome: 'config_error', errorClass: 'config' });
    expect(report.message).toMatch(/JSON body/);
    expect(client.calls).toHaveLength(0);
  });
});

describe('a GET endpoint answering 400 or another unexpected 4xx', () => {
  it('is a per-user outcome: logged for that user, the site stays healthy and unpaused', async () => {
    for (const code of [400, 418, 422]) {
      client.answer(json(code, { error: 'nope' }));
      const report = await refresh(`u${code}`);
      expect(report).toMatchObject({
        outcome: 'invalid_response',
        errorClass: 'bad_status',
        httpStatus: code,
      });
    }
    expect((await health()).status).not.toBe('failing');
    expect(await fetcher.pausedUntil(PROJECT)).toBeNull();
  });
});

describe('status mapping', () => {
  it('200 with a valid body stores the profile with its provenance', async () => {
    client.answer(json(200, ALICE));
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome: 'ok', httpStatus: 200, errorClass: null });
    expect(await contact()).toMatchObject({
      profile: { name: 'Alice Martin', metadata: { plan: 'Pro' } },
      fetchedAt: new Date(START).toISOString(),
      httpStatus: 200,
      lastAttempt: { outcome: 'ok', httpStatus: 200 },
    });
    expect(await health()).toMatchObject({ status: 'healthy', failingSince: null });
    expect((await log())[0]).toMatchObject({
      externalUserId: 'u1',
      trigger: 'refresh',
      outcome: 'ok',
      httpStatus: 200,
    });
  });

  it.each([404, 410])(
    '%i means the site does not know the id: a new profile with only the id',
    async (code) => {
      client.answer(json(200, ALICE), status(code));
      await refresh('u1');
      const report = await refresh('u1');
      expect(report).toMatchObject({ outcome: 'not_found', httpStatus: code, errorClass: null });
      expect(await contact()).toMatchObject({
        externalUserId: 'u1',
        profile: null,
        httpStatus: code,
        lastAttempt: { outcome: 'not_found' },
      });
      expect(await health()).toMatchObject({ status: 'healthy' });
    },
  );

  it.each([401, 403])(
    '%i marks the integration unhealthy, keeps the last profile and is not retried',
    async (code) => {
      client.answer(json(200, ALICE), status(code));
      await refresh('u1');
      clock += 1000;
      const report = await refresh('u1');
      expect(report).toMatchObject({ outcome: 'unauthorized', httpStatus: code });
      expect(report.message).toMatch(/credentials/);
      expect(client.calls).toHaveLength(2);
      expect(await contact()).toMatchObject({
        profile: { name: 'Alice Martin' },
        httpStatus: 200,
        lastAttempt: { outcome: 'unauthorized', httpStatus: code },
      });
      expect(await health()).toMatchObject({
        status: 'failing',
        failingSince: new Date(clock).toISOString(),
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
    client.answer(json(200, ALICE), status(code, { location: 'http://127.0.0.1/' }));
    await refresh('u1');
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome, errorClass: cls, httpStatus: code });
    expect(await contact()).toMatchObject({
      profile: { name: 'Alice Martin' },
      lastAttempt: { outcome, httpStatus: code },
    });
    expect((await log())[0]).toMatchObject({ outcome, errorClass: cls, httpStatus: code });
  });

  it('an invalid 200 answer is a validation error with field paths; the profile stays', async () => {
    client.answer(json(200, ALICE), json(200, { email: 42, metadata: 'nope' }));
    await refresh('u1');
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome: 'invalid_response', errorClass: 'invalid_profile' });
    expect(report.invalidFields).toEqual(expect.arrayContaining(['email', 'metadata']));
    expect((await log())[0]?.invalidFields).toEqual(report.invalidFields);
    expect((await contact())?.profile?.name).toBe('Alice Martin');
  });

  describe('429', () => {
    it('honours Retry-After in seconds: attempts wait, then resume', async () => {
      client.answer(status(429, { 'retry-after': '120' }));
      const limited = await refresh('u1');
      expect(limited).toMatchObject({ outcome: 'rate_limited', httpStatus: 429 });
      expect((await fetcher.pausedUntil(PROJECT))?.getTime()).toBe(START + 120_000);

      clock = START + 119_000;
      const waiting = await refresh('u2');
      expect(waiting).toMatchObject({ outcome: 'rate_limited', httpStatus: null });
      expect(client.calls).toHaveLength(1);

      clock = START + 120_000;
      expect(await fetcher.pausedUntil(PROJECT)).toBeNull();
      expect((await refresh('u2')).outcome).toBe('ok');
      expect(client.calls).toHaveLength(2);
      expect((await log()).map((e) => [e.outcome, e.httpStatus])).toEqual([
        ['ok', 200],
        ['rate_limited', null],
        ['rate_limited', 429],
      ]);
    });

    it('honours Retry-After as an HTTP date', async () => {
      const until = START + 90_000;
      client.answer(status(429, { 'retry-after': new Date(until).toUTCString() }));
      await refresh('u1');
      expect((await fetcher.pausedUntil(PROJECT))?.getTime()).toBe(until);
      clock = until - 1;
      expect((await refresh('u1')).httpStatus).toBeNull();
      clock = until;
      expect((await refresh('u1')).outcome).toBe('ok');
    });

    it('reads Retry-After with a default when absent or unreadable, and a cap', () => {
      expect(retryAfterMs('30', START)).toBe(30_000);
      expect(retryAfterMs(undefined, START)).toBe(60_000);
      expect(retryAfterMs('soon', START)).toBe(60_000);
      expect(retryAfterMs('-5', START)).toBe(60_000);
      expect(retryAfterMs('999999', START)).toBe(15 * 60_000);
      expect(retryAfterMs(new Date(START - 1000).toUTCString(), START)).toBe(60_000);
    });
  });
});

describe('failures before an answer', () => {
  it.each([
    [new IdentityFetchError('timeout', 'No complete answer within 10 s'), 'timeout', 'timeout'],
    [new IdentityFetchError('connect', 'The connection failed'), 'network_error', 'connect'],
    [new IdentityFetchError('dns', 'no such host'), 'network_error', 'dns'],
    [new IdentityFetchError('tls', 'bad certificate'), 'network_error', 'tls'],
    [new IdentityFetchError('blocked_address', 'loopback'), 'blocked', 'blocked_address'],
    [new TypeError('socket hang up'), 'network_error', 'network'],
  ])('%s keeps the last good profile (%s); the site is failing', async (error, outcome, cls) => {
    client.answer(json(200, ALICE), error);
    await refresh('u1');
    clock += 60_000;
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome, errorClass: cls, httpStatus: null });
    expect(await contact()).toMatchObject({
      profile: { name: 'Alice Martin' },
      fetchedAt: new Date(START).toISOString(),
      httpStatus: 200,
      lastAttempt: { outcome, at: new Date(clock).toISOString() },
    });
    expect(await health()).toMatchObject({ status: 'failing', lastError: { outcome } });
  });

  it('an answer too large for one user keeps their profile; the site is not failing', async () => {
    client.answer(json(200, ALICE), new IdentityFetchError('too_large', 'too big'));
    await refresh('u1');
    const report = await refresh('u1');
    expect(report).toMatchObject({ outcome: 'invalid_response', errorClass: 'too_large' });
    expect((await contact())?.profile?.name).toBe('Alice Martin');
    expect((await health()).status).toBe('healthy');
  });
});

describe('a call cut off by shutdown', () => {
  it('is not recorded: it says nothing about the site', async () => {
    client.answer(new IdentityFetchError('shutdown', 'Palaver is shutting down'));
    const report = await refresh('u1');
    expect(report.errorClass).toBe('shutdown');
    expect(await contact()).toBeNull();
    expect(await log()).toEqual([]);
    expect((await health()).status).toBe('unknown');
  });
});

describe('when fetches run', () => {
  it('shares one call between concurrent refreshes of the same contact', async () => {
    const gate = deferred<GuardedResponse>();
    client.queue.push(() => gate.promise);
    await verifiedVisitor('vis_1', 'u1');
    const integration = await resolved();
    const first = fetcher.refresh(integration, 'u1');
    const second = fetcher.refresh(integration, 'u1');
    // Let the shared run reach the client before opening the gate.
    await expect.poll(() => client.calls.length).toBe(1);
    expect(fetcher.isPending(PROJECT, 'u1')).toBe(true);
    gate.resolve(json(200, ALICE));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(client.calls).toHaveLength(1);
    expect(fetcher.isPending(PROJECT, 'u1')).toBe(false);
    expect(await log()).toHaveLength(1);
    // Agents hear of it once, when it ends, with the profile itself.
    const [announced, ...more] = announcer.of('profileChanged');
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

  it('does not share a call between different contacts', async () => {
    await Promise.all([refresh('u1'), refresh('u2')]);
    expect(client.calls).toHaveLength(2);
  });

  it('skips a contact fetched within the freshness window; Refresh bypasses it', async () => {
    await inBackground('u1', 'session');
    expect(client.calls).toHaveLength(1);

    clock = START + 299_000;
    await inBackground('u1', 'session');
    expect(client.calls).toHaveLength(1);

    await refresh('u1');
    expect(client.calls).toHaveLength(2);

    clock = START + 299_000 + 300_000;
    await inBackground('u1', 'identify');
    expect(client.calls).toHaveLength(3);
    expect((await log())[0]?.trigger).toBe('identify');
  });

  it('fetches nothing in the background while the integration is off', async () => {
    await integrations.update(PROJECT, { enabled: false });
    await inBackground('u1', 'session');
    expect(client.calls).toHaveLength(0);
    expect(await contact()).toBeNull();
  });

  it('never rejects in the background, even when the store fails', async () => {
    const failing = new ProfileFetcher({
      store: {
        identity: { getContact: () => Promise.reject(new Error('database is locked')) },
      } as unknown as Store,
      integrations,
      client: client as unknown as GuardedHttpClient,
      logger: createLogger('silent'),
      announcer,
    });
    await expect(failing.inBackground(await resolved(), 'u1', 'session')).resolves.toBeUndefined();
  });
});

describe('the circuit breaker', () => {
  it(`opens after ${BREAKER_THRESHOLD} failures in a row, logs skipped attempts, and resumes after ${BREAKER_PAUSE_MS / 1000} s`, async () => {
    client.fallback = () => Promise.resolve(status(503));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) {
      expect((await refresh(`u${i}`)).outcome).toBe('server_error');
    }
    expect((await fetcher.pausedUntil(PROJECT))?.getTime()).toBe(START + BREAKER_PAUSE_MS);
    expect((await log())[0]?.message).toMatch(/5 failures in a row: pausing attempts for 30 s/);

    const skipped = await refresh('u9');
    expect(skipped).toMatchObject({ outcome: 'circuit_open', errorClass: 'circuit_open' });
    expect(client.calls).toHaveLength(BREAKER_THRESHOLD);
    expect((await log())[0]).toMatchObject({
      externalUserId: 'u9',
      outcome: 'circuit_open',
      errorClass: 'circuit_open',
      httpStatus: null,
    });

    clock = START + BREAKER_PAUSE_MS;
    client.fallback = () => Promise.resolve(json(200, ALICE));
    expect((await refresh('u9')).outcome).toBe('ok');
    expect(client.calls).toHaveLength(BREAKER_THRESHOLD + 1);
    expect(await health()).toMatchObject({ status: 'healthy' });
  });

  it('counts only consecutive failures: a success resets the count', async () => {
    client.answer(status(500), status(500), status(500), status(500), json(200, ALICE));
    for (let i = 0; i < 5; i += 1) await refresh('u1');
    client.answer(status(500), status(500), status(500), status(500));
    for (let i = 0; i < 4; i += 1) await refresh('u1');
    expect(await fetcher.pausedUntil(PROJECT)).toBeNull();
    expect(client.calls).toHaveLength(9);
  });

  it('also pauses background fetches, and a skipped attempt does not make the contact look fresh', async () => {
    client.fallback = () => Promise.resolve(status(503));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) await refresh(`x${i}`);
    await inBackground('u1', 'session');
    expect(client.calls).toHaveLength(BREAKER_THRESHOLD);
    expect((await contact())?.lastAttempt?.outcome).toBe('circuit_open');

    clock = START + BREAKER_PAUSE_MS;
    client.fallback = () => Promise.resolve(json(200, ALICE));
    await inBackground('u1', 'session');
    expect(client.calls).toHaveLength(BREAKER_THRESHOLD + 1);
    expect((await contact())?.profile?.name).toBe('Alice Martin');
  });

  it('is not opened by ids the site never saw (invalid ids are the visitor’s problem)', async () => {
    for (let i = 0; i < BREAKER_THRESHOLD + 1; i += 1) {
      expect((await refresh('..')).outcome).toBe('invalid_id');
    }
    expect(client.calls).toHaveLength(0);
    expect(await fetcher.pausedUntil(PROJECT)).toBeNull();
    expect((await health()).status).toBe('unknown');
    expect((await refresh('u1')).outcome).toBe('ok');
  });
});

describe('per-user outcomes and the project-wide breaker and health', () => {
  const perUser: Array<[string, () => GuardedResponse | Error]> = [
    ['an invalid profile', () => json(200, { first_name: 42 })],
    ['broken JSON', () => ({ ...json(200, {}), body: Buffer.from('{"a":') })],
    ['HTML', () => ({ ...json(200, {}), headers: { 'content-type': 'text/html' } })],
    ['an answer too large', () => new IdentityFetchError('too_large', 'larger than 262144 bytes')],
    ['a 400', () => status(400)],
    ['a 422', () => status(422)],
    ['another user', () => json(200, { status: 'ok', externalId: 'someone-else' })],
  ];

  it(`never opens the breaker or marks the project failing, ${perUser.length} users in a row`, async () => {
    for (const [what, answer] of perUser) {
      client.answer(answer());
      const report = await refresh(`bad-${what.length}`);
      expect(report.outcome, what).toBe('invalid_response');
    }
    expect(await fetcher.pausedUntil(PROJECT)).toBeNull();
    expect((await health()).status).toBe('unknown');
    client.answer(json(200, ALICE));
    expect((await refresh('good')).outcome).toBe('ok');
    expect((await contact('good'))?.profile?.name).toBe('Alice Martin');
  });

  it('neither counts nor interrupts a run of site failures', async () => {
    const siteDown: Array<() => GuardedResponse | Error> = [
      () => new IdentityFetchError('timeout', 'No complete answer within 10 s'),
      () => status(503),
      () => new IdentityFetchError('connect', 'The connection failed (ECONNREFUSED)'),
      () => status(401),
      () => new IdentityFetchError('timeout', 'No complete answer within 10 s'),
    ];
    for (const [i, down] of siteDown.entries()) {
      client.answer(down());
      await refresh(`down-${i}`);
      if (i < siteDown.length - 1) {
        const [, bad] = perUser[i % perUser.length]!;
        client.answer(bad());
        expect((await refresh(`user-${i}`)).outcome).toBe('invalid_response');
        expect(await fetcher.pausedUntil(PROJECT)).toBeNull();
      }
    }
    expect((await fetcher.pausedUntil(PROJECT))?.getTime()).toBe(START + BREAKER_PAUSE_MS);
    expect((await health()).status).toBe('failing');
    expect((await refresh('next')).outcome).toBe('circuit_open');
  });

  it('five timeouts in a row still open the breaker', async () => {
    client.fallback = () =>
      Promise.reject(new IdentityFetchError('timeout', 'No complete answer within 10 s'));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) {
      expect((await refresh(`t${i}`)).outcome).toBe('timeout');
    }
    expect(await fetcher.pausedUntil(PROJECT)).not.toBeNull();
    expect((await health()).status).toBe('failing');
  });
});

describe('integration health', () => {
  it('becomes failing with the first failure time, then healthy again', async () => {
    expect((await health()).status).toBe('unknown');
    client.answer(status(500), status(502), json(200, ALICE));
    await refresh('u1');
    const since = new Date(clock).toISOString();
    clock += 5000;
    await refresh('u1');
    expect(await health()).toMatchObject({
      status: 'failing',
      failingSince: since,
      lastSuccessAt: null,
      lastError: { outcome: 'server_error', httpStatus: 502 },
    });
    clock += 5000;
    await refresh('u1');
    expect(await health()).toMatchObject({
      status: 'healthy',
      failingSince: null,
      lastSuccessAt: new Date(clock).toISOString(),
    });
  });
});

describe('test connection', () => {
  it('shows the parsed profile, logs the attempt, and stores no profile', async () => {
    client.answer(
      json(200, {
        ...ALICE,
        metadata: { plan: 'Pro', card_number: '4111 1111 1111 1111' },
        extra: 1,
      }),
    );
    await verifiedVisitor('vis_1', 'u1');
    const result = await fetcher.test(PROJECT, 'u1');
    expect(result).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      url: 'https://api.acme.test/users/u1',
      profile: { name: 'Alice Martin', metadata: { plan: 'Pro' } },
      shape: 'standard',
      unknownFields: ['extra'],
    });
    expect(result.droppedPii.map((d) => d.path)).toEqual(['card_number']);
    expect(await contact()).toBeNull();
    expect((await log())[0]).toMatchObject({ trigger: 'test', outcome: 'ok' });
    expect(announcer.changes).toEqual([]);
  });

  it('works while the integration is off and while attempts are paused', async () => {
    await integrations.update(PROJECT, { enabled: false });
    client.fallback = () => Promise.resolve(status(503));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) await fetcher.test(PROJECT, 'u1');
    client.fallback = () => Promise.resolve(json(200, ALICE));
    expect((await fetcher.test(PROJECT, 'u1')).outcome).toBe('ok');
    expect(await contact()).toBeNull();
  });

  it('explains what to do when no URL is configured yet', async () => {
    const fresh = 'globex';
    await new ProjectService(store, announcer).create({
      id: fresh,
      name: 'Globex',
      allowedOrigins: [],
    });
    const result = await fetcher.test(fresh, 'u1');
    expect(result).toMatchObject({ outcome: 'config_error', httpStatus: null });
    expect(result.message).toMatch(/URL/);
    expect(client.calls).toHaveLength(0);
    expect((await store.identity.listLog(fresh, {}))[0]).toMatchObject({
      outcome: 'config_error',
      errorClass: 'config',
    });
  });

  it('never puts header values in the report or the log', async () => {
    client.answer(status(401));
    const result = await fetcher.test(PROJECT, 'u1');
    expect(JSON.stringify(result)).not.toContain('sk_unit_canary');
    expect(JSON.stringify(await log())).not.toContain('sk_unit_canary');
  });
});
