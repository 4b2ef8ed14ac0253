import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS, type Profile } from '../../protocol/index.js';
import { RecordingAnnouncer } from '../announcer/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
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

const answer = (parts: Partial<Profile>): Profile => ({
  name: null,
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  avatarUrl: null,
  metadata: {},
  ...parts,
});

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
