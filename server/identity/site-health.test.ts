import { beforeEach, describe, expect, it } from 'vitest';
import { OutboundError } from '../outbound/index.js';
import { ALICE, json, PROJECT, START, status, useFetchFixture } from './fetch-fixture.js';
import type { GuardedResponse } from '../outbound/index.js';
import { BREAKER_PAUSE_MS, BREAKER_THRESHOLD } from './site-health.js';

const fixture = useFetchFixture();
let t: ReturnType<typeof fixture>;
beforeEach(() => {
  t = fixture();
});

describe('the circuit breaker', () => {
  it(`opens after ${BREAKER_THRESHOLD} failures in a row, logs skipped attempts, and resumes after ${BREAKER_PAUSE_MS / 1000} s`, async () => {
    t.client.fallback = () => Promise.resolve(status(503));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) {
      expect((await t.refresh(`u${i}`)).outcome).toBe('server_error');
    }
    expect((await t.fetcher.pausedUntil(PROJECT))?.getTime()).toBe(START + BREAKER_PAUSE_MS);
    expect((await t.log())[0]?.message).toMatch(/5 failures in a row: pausing attempts for 30 s/);

    const skipped = await t.refresh('u9');
    expect(skipped).toMatchObject({ outcome: 'circuit_open', errorClass: 'circuit_open' });
    expect(t.client.calls).toHaveLength(BREAKER_THRESHOLD);
    expect((await t.log())[0]).toMatchObject({
      externalUserId: 'u9',
      outcome: 'circuit_open',
      errorClass: 'circuit_open',
      httpStatus: null,
    });

    t.clock = START + BREAKER_PAUSE_MS;
    t.client.fallback = () => Promise.resolve(json(200, ALICE));
    expect((await t.refresh('u9')).outcome).toBe('ok');
    expect(t.client.calls).toHaveLength(BREAKER_THRESHOLD + 1);
    expect(await t.health()).toMatchObject({ status: 'healthy' });
  });

  it('counts only consecutive failures: a success resets the count', async () => {
    t.client.answer(status(500), status(500), status(500), status(500), json(200, ALICE));
    for (let i = 0; i < 5; i += 1) await t.refresh('u1');
    t.client.answer(status(500), status(500), status(500), status(500));
    for (let i = 0; i < 4; i += 1) await t.refresh('u1');
    expect(await t.fetcher.pausedUntil(PROJECT)).toBeNull();
    expect(t.client.calls).toHaveLength(9);
  });

  it('also pauses background fetches, and a skipped attempt does not make the contact look fresh', async () => {
    t.client.fallback = () => Promise.resolve(status(503));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) await t.refresh(`x${i}`);
    await t.inBackground('u1', 'session');
    expect(t.client.calls).toHaveLength(BREAKER_THRESHOLD);
    expect((await t.contact())?.lastAttempt?.outcome).toBe('circuit_open');

    t.clock = START + BREAKER_PAUSE_MS;
    t.client.fallback = () => Promise.resolve(json(200, ALICE));
    await t.inBackground('u1', 'session');
    expect(t.client.calls).toHaveLength(BREAKER_THRESHOLD + 1);
    expect((await t.contact())?.profile?.name).toBe('Alice Martin');
  });

  it('is not opened by ids the site never saw (invalid ids are the visitor’s problem)', async () => {
    for (let i = 0; i < BREAKER_THRESHOLD + 1; i += 1) {
      expect((await t.refresh('..')).outcome).toBe('invalid_id');
    }
    expect(t.client.calls).toHaveLength(0);
    expect(await t.fetcher.pausedUntil(PROJECT)).toBeNull();
    expect((await t.health()).status).toBe('unknown');
    expect((await t.refresh('u1')).outcome).toBe('ok');
  });
});

describe('per-user outcomes and the project-wide breaker and health', () => {
  const perUser: Array<[string, () => GuardedResponse | Error]> = [
    ['an invalid profile', () => json(200, { first_name: 42 })],
    ['broken JSON', () => ({ ...json(200, {}), body: Buffer.from('{"a":') })],
    ['HTML', () => ({ ...json(200, {}), headers: { 'content-type': 'text/html' } })],
    ['an answer too large', () => new OutboundError('too_large', 'larger than 262144 bytes')],
    ['a 400', () => status(400)],
    ['a 422', () => status(422)],
    ['another user', () => json(200, { status: 'ok', externalId: 'someone-else' })],
  ];

  it(`never opens the breaker or marks the project failing, ${perUser.length} users in a row`, async () => {
    for (const [what, answer] of perUser) {
      t.client.answer(answer());
      const report = await t.refresh(`bad-${what.length}`);
      expect(report.outcome, what).toBe(
        what === 'another user' ? 'identity_mismatch' : 'invalid_response',
      );
    }
    expect(await t.fetcher.pausedUntil(PROJECT)).toBeNull();
    expect((await t.health()).status).toBe('unknown');
    t.client.answer(json(200, ALICE));
    expect((await t.refresh('good')).outcome).toBe('ok');
    expect((await t.contact('good'))?.profile?.name).toBe('Alice Martin');
  });

  it('neither counts nor interrupts a run of site failures', async () => {
    const siteDown: Array<() => GuardedResponse | Error> = [
      () => new OutboundError('timeout', 'No complete answer within 10 s'),
      () => status(503),
      () => new OutboundError('connect', 'The connection failed (ECONNREFUSED)'),
      () => status(401),
      () => new OutboundError('timeout', 'No complete answer within 10 s'),
    ];
    for (const [i, down] of siteDown.entries()) {
      t.client.answer(down());
      await t.refresh(`down-${i}`);
      if (i < siteDown.length - 1) {
        const [, bad] = perUser[i % perUser.length]!;
        t.client.answer(bad());
        expect((await t.refresh(`user-${i}`)).outcome).toMatch(
          /invalid_response|identity_mismatch/,
        );
        expect(await t.fetcher.pausedUntil(PROJECT)).toBeNull();
      }
    }
    expect((await t.fetcher.pausedUntil(PROJECT))?.getTime()).toBe(START + BREAKER_PAUSE_MS);
    expect((await t.health()).status).toBe('failing');
    expect((await t.refresh('next')).outcome).toBe('circuit_open');
  });

  it('five timeouts in a row still open the breaker', async () => {
    t.client.fallback = () =>
      Promise.reject(new OutboundError('timeout', 'No complete answer within 10 s'));
    for (let i = 0; i < BREAKER_THRESHOLD; i += 1) {
      expect((await t.refresh(`t${i}`)).outcome).toBe('timeout');
    }
    expect(await t.fetcher.pausedUntil(PROJECT)).not.toBeNull();
    expect((await t.health()).status).toBe('failing');
  });
});

describe('integration health', () => {
  it('becomes failing with the first failure time, then healthy again', async () => {
    expect((await t.health()).status).toBe('unknown');
    t.client.answer(status(500), status(502), json(200, ALICE));
    await t.refresh('u1');
    const since = new Date(t.clock).toISOString();
    t.clock += 5000;
    await t.refresh('u1');
    expect(await t.health()).toMatchObject({
      status: 'failing',
      failingSince: since,
      lastSuccessAt: null,
      lastError: { outcome: 'server_error', httpStatus: 502 },
    });
    t.clock += 5000;
    await t.refresh('u1');
    expect(await t.health()).toMatchObject({
      status: 'healthy',
      failingSince: null,
      lastSuccessAt: new Date(t.clock).toISOString(),
    });
  });
});
