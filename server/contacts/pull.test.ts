import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS, type Profile } from '../../protocol/index.js';
import { visitorRecord } from '../../test/support/records.js';
import { RecordingAnnouncer } from '../announcer/index.js';
import { emptyProfile, openSqliteStore, type Store } from '../store/index.js';
import { storePull } from './pull.js';
import { ContactService } from './service.js';

let store: Store;
let clock: number;
let contacts: ContactService;
const tick = () => new Date((clock += 1000)).toISOString();
const crm = { label: 'CRM', description: 'API key “CRM”' };

beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  await store.projects.create({
    id: 'acme',
    name: 'Acme',
    allowedOrigins: [],
    widget: DEFAULT_WIDGET_OPTIONS,
    createdAt: '2030-01-01T00:00:00.000Z',
  });
  clock = Date.parse('2030-01-01T10:00:00.000Z');
  contacts = new ContactService(store, new RecordingAnnouncer(), () => new Date(tick()));
});
afterEach(() => store.close());

const answer = (parts: Partial<Profile>): Profile => ({ ...emptyProfile(), ...parts });

function pull(profile: Profile | null, onNotFound: 'keep' | 'clear' = 'keep') {
  const at = tick();
  const status = profile ? 200 : 404;
  return storePull(
    store,
    'acme',
    'u-1',
    { at, outcome: profile ? 'ok' : 'not_found', httpStatus: status, latencyMs: 5, message: null },
    { profile, fetchedAt: at, httpStatus: status, latencyMs: 5 },
    onNotFound,
  );
}

/** A pull whose call failed: only the attempt is stored. */
function failedPull() {
  const attempt = {
    at: tick(),
    outcome: 'timeout' as const,
    httpStatus: null,
    latencyMs: 10_000,
    message: 'The site did not answer in time',
  };
  return storePull(store, 'acme', 'u-1', attempt, null, 'keep');
}

/** The visitor whose session start began the pull (as VisitorService stores it first). */
async function visitorOf(externalUserId: string, id = `vis_${externalUserId}`) {
  await store.visitors.create({
    ...visitorRecord({
      id,
      projectId: 'acme',
      firstSeenAt: tick(),
      externalUserId,
      identity: 'verified',
    }),
    tokenHash: `hash_${id}`,
  });
}

describe('a pull meeting pushed values', () => {
  it('replaces what pulls said, and never clears a pushed value it leaves empty or null', async () => {
    await contacts.identify('acme', 'u-1', { email: 'a@crm.test', properties: { seats: 3 } }, crm);
    await pull(answer({ phone: '+4712345678', metadata: { region: 'eu', tier: 'a' } }));
    await pull(answer({ email: null, metadata: { seats: null, region: 'us' } }));
    const contact = await contacts.get('acme', 'u-1');
    expect(contact).toMatchObject({
      email: 'a@crm.test',
      phone: null,
      properties: { seats: 3, region: 'us' },
    });
    expect(contact.provenance.properties.seats?.source).toBe('push');
  });

  it('keeps the profile on a 404 and marks it, or clears every source when told to', async () => {
    await contacts.identify('acme', 'u-1', { email: 'a@crm.test' }, crm);
    await pull(null);
    expect(await contacts.get('acme', 'u-1')).toMatchObject({
      email: 'a@crm.test',
      notFoundAtSiteAt: expect.any(String),
    });
    await pull(null, 'clear');
    expect(await contacts.get('acme', 'u-1')).toMatchObject({ email: null, properties: {} });
  });
});

describe('a pull ending after the person was erased', () => {
  beforeEach(async () => {
    await visitorOf('u-1');
    await contacts.seenInChat('acme', 'u-1', 'verified', null);
    await contacts.identify('acme', 'u-1', { email: 'a@crm.test' }, crm);
    await contacts.erase('acme', 'u-1', { messages: false }, crm);
  });

  it('stores nothing, whether the call succeeded or failed', async () => {
    expect(await pull(answer({ name: 'Ada', metadata: { plan: 'gold' } }))).toBeNull();
    expect(await failedPull()).toBeNull();
    expect(await store.contacts.get('acme', 'u-1')).toBeNull();
  });

  it('stores nothing for a chat session that began before the erase either', async () => {
    await contacts.seenInChat('acme', 'u-1', 'verified', { name: 'Ada' });
    expect(await store.contacts.get('acme', 'u-1')).toBeNull();
  });

  it('creates the contact again for a push, or for a visitor with the id who came back', async () => {
    await contacts.identify('acme', 'u-1', { email: 'new@crm.test' }, crm);
    expect(await contacts.get('acme', 'u-1')).toMatchObject({ email: 'new@crm.test', name: null });
    await contacts.erase('acme', 'u-1', { messages: false }, crm);
    await visitorOf('u-1', 'vis_back');
    expect(await pull(answer({ name: 'Ada' }))).toMatchObject({ profile: { name: 'Ada' } });
  });
});

describe('a pull ending after its contact was merged into another', () => {
  it('stores nothing under the merged id: its visitors carry the other one now', async () => {
    await visitorOf('u-1');
    await contacts.identify('acme', 'u-1', { email: 'a@crm.test' }, crm);
    await contacts.identify('acme', 'u-2', { email: 'b@crm.test' }, crm);
    await contacts.merge('acme', 'u-2', 'u-1', crm);
    expect(await pull(answer({ name: 'Ada' }))).toBeNull();
    expect(await store.contacts.get('acme', 'u-1')).toBeNull();
  });
});

describe('a pull for a visitor', () => {
  it('creates their contact, and a failed one records the attempt and keeps the values and place', async () => {
    await visitorOf('u-1');
    const pulled = await pull(answer({ name: 'Ada' }));
    expect(pulled).toMatchObject({ profile: { name: 'Ada' }, httpStatus: 200 });
    const failed = await failedPull();
    expect(failed).toMatchObject({
      profile: { name: 'Ada' },
      fetchedAt: pulled?.fetchedAt,
      httpStatus: 200,
      lastAttempt: { outcome: 'timeout' },
      updatedAt: pulled?.updatedAt,
    });
    expect(await store.contacts.get('acme', 'u-1')).toEqual(failed);
  });
});
