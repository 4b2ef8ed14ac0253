import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import { SecretBox } from '../crypto/secrets.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { SigningService } from './service.js';
import { verifySignature } from './signature.js';

const BODY = '{"event":"conversation.created"}';
const SHAPE = /^palsig_[0-9A-Za-z]{48}$/;

let store: Store;
let clock: Date;
let box: SecretBox;
let signing: SigningService;

beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  await store.projects.create({
    id: 'acme',
    name: 'Acme',
    allowedOrigins: [],
    widget: DEFAULT_WIDGET_OPTIONS,
    createdAt: '2030-01-01T00:00:00.000Z',
  });
  clock = new Date('2030-01-01T10:00:00.000Z');
  box = new SecretBox(randomBytes(32));
  signing = new SigningService(store, box, { now: () => clock });
});
afterEach(() => store.close());

const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
const HOUR = 3_600_000;
const verifies = (header: string, secret: string) =>
  verifySignature(header, BODY, secret, { now: clock }).ok;

describe('a project’s first signing secret', () => {
  it('is made when a request is first signed, kept, and never shown', async () => {
    const [secret, ...others] = await signing.activeSecrets('acme');
    expect(secret).toMatch(SHAPE);
    expect(others).toEqual([]);
    later(60_000);
    expect(await signing.activeSecrets('acme')).toEqual([secret]);
    expect(verifies(await signing.sign('acme', BODY), secret!)).toBe(true);

    const { secrets } = await signing.describe('acme');
    expect(secrets).toEqual([
      {
        id: expect.stringMatching(/^sig_/),
        prefix: secret!.slice(0, 11),
        shown: false,
        createdAt: '2030-01-01T10:00:00.000Z',
        expiresAt: null,
      },
    ]);
  });

  it('is not made by looking at the settings', async () => {
    expect(await signing.describe('acme')).toEqual({ secrets: [] });
  });

  it('is stored sealed: the database holds no value, and another PALAVER_SECRET_KEY cannot open it', async () => {
    const [secret] = await signing.activeSecrets('acme');
    const [stored] = await store.signingSecrets.active('acme', clock.toISOString());
    expect(stored?.sealed).not.toContain(secret!.slice(7));
    const elsewhere = new SigningService(store, new SecretBox(randomBytes(32)), {
      now: () => clock,
    });
    await expect(elsewhere.activeSecrets('acme')).rejects.toThrow(/PALAVER_SECRET_KEY/);
  });

  it('is one secret when instances sign their first requests together', async () => {
    const instances = [1, 2, 3].map(() => new SigningService(store, box, { now: () => clock }));
    const seen = await Promise.all(instances.map((s) => s.activeSecrets('acme')));
    expect(new Set(seen.flat()).size).toBe(1);
  });
});

describe('rotating', () => {
  it('answers the new secret once; both sign during the grace period, then only the new one', async () => {
    const { secret: old } = await signing.rotate('acme', 0);
    later(HOUR);
    const rotated = await signing.rotate('acme', 2);
    expect(rotated.secret).toMatch(SHAPE);
    expect(JSON.stringify(rotated.signing)).not.toContain(rotated.secret.slice(7));
    expect(rotated.signing.secrets).toMatchObject([
      { prefix: rotated.secret.slice(0, 11), shown: true, expiresAt: null },
      { prefix: old.slice(0, 11), shown: true, expiresAt: '2030-01-01T13:00:00.000Z' },
    ]);

    expect(await signing.activeSecrets('acme')).toEqual([rotated.secret, old]);
    const during = await signing.sign('acme', BODY);
    expect(verifies(during, rotated.secret)).toBe(true);
    expect(verifies(during, old)).toBe(true);

    later(2 * HOUR);
    const after = await signing.sign('acme', BODY);
    expect(verifies(after, rotated.secret)).toBe(true);
    expect(verifies(after, old)).toBe(false);
    expect((await signing.describe('acme')).secrets).toHaveLength(1);
  });

  it('stops the secret Palaver made by itself at once, whatever the grace: nobody holds it', async () => {
    const [automatic] = await signing.activeSecrets('acme');
    const { secret } = await signing.rotate('acme', 24);
    expect(await signing.activeSecrets('acme')).toEqual([secret]);
    expect(automatic).not.toBe(secret);
  });

  it('reaches another instance within five seconds', async () => {
    const other = new SigningService(store, box, { now: () => clock });
    const { secret: first } = await signing.rotate('acme', 0);
    expect(await other.activeSecrets('acme')).toEqual([first]);
    const { secret: second } = await signing.rotate('acme', 0);
    // This instance uses its own rotation at once.
    expect(await signing.activeSecrets('acme')).toEqual([second]);
    later(4_999);
    expect(await other.activeSecrets('acme')).toEqual([first]);
    later(1);
    expect(await other.activeSecrets('acme')).toEqual([second]);
  });

  it('stops signing with a secret whose grace ended, even from what an instance remembers', async () => {
    await signing.rotate('acme', 0);
    const { secret } = await signing.rotate('acme', 1);
    later(HOUR - 1_000);
    expect(await signing.activeSecrets('acme')).toHaveLength(2);
    later(1_000);
    expect(await signing.activeSecrets('acme')).toEqual([secret]);
  });

  it('refuses a grace period outside 0–168 whole hours, and changes nothing', async () => {
    const { secret } = await signing.rotate('acme', 0);
    for (const hours of [-1, 169, 1.5, Number.NaN]) {
      await expect(signing.rotate('acme', hours)).rejects.toMatchObject({
        status: 422,
        fields: [{ path: 'graceHours' }],
      });
    }
    expect(await signing.activeSecrets('acme')).toEqual([secret]);
  });

  it('answers 404 for a project that does not exist, and stores nothing', async () => {
    await expect(signing.rotate('nope', 24)).rejects.toMatchObject({ status: 404 });
    await expect(signing.describe('nope')).rejects.toMatchObject({ status: 404 });
    await expect(signing.activeSecrets('nope')).rejects.toMatchObject({ status: 404 });
    expect(await store.signingSecrets.active('nope', clock.toISOString())).toEqual([]);
  });
});
