import { describe, expect, it } from 'vitest';
import type { FieldSource } from '../../protocol/index.js';
import { blankContact } from '../store/index.js';
import { applyWrite, combine, type ContactWrite } from './rules.js';

const T1 = '2026-12-01T10:00:00.000Z';
const T2 = '2026-12-01T11:00:00.000Z';
const T3 = '2026-12-01T12:00:00.000Z';

const push = (at: string, label = 'CRM'): FieldSource => ({ source: 'push', at, detail: label });
const pull = (at: string): FieldSource => ({ source: 'pull', at, detail: 'HTTP 200' });

function write(origin: FieldSource, parts: Partial<ContactWrite>): ContactWrite {
  return { origin, fields: {}, properties: {}, replacesOwn: false, ...parts };
}

const blank = () => blankContact('prj', 'u-1', T1);

describe('applyWrite', () => {
  it('sets the fields sent, records their source and time, and leaves the others', () => {
    const first = applyWrite(blank(), write(push(T1), { fields: { email: 'a@example.com' } }));
    const second = applyWrite(
      first,
      write(push(T2, 'Signup'), { fields: { phone: '+14155550123' } }),
    );
    expect(second.profile).toMatchObject({ email: 'a@example.com', phone: '+14155550123' });
    expect(second.provenance.fields).toEqual({ email: push(T1), phone: push(T2, 'Signup') });
    expect(second.updatedAt).toBe(T2);
  });

  it('lets the newest write win per field, whatever order the writes arrive in', () => {
    const newer = applyWrite(blank(), write(pull(T3), { fields: { name: 'Ada Pulled' } }));
    const late = applyWrite(
      newer,
      write(push(T2), { fields: { name: 'Ada Pushed', email: 'ada@example.com' } }),
    );
    expect(late.profile?.name).toBe('Ada Pulled');
    expect(late.profile?.email).toBe('ada@example.com');
  });

  it('merges properties key by key: a key replaces whole, null removes, others stay', () => {
    const stored = applyWrite(
      blank(),
      write(push(T1), {
        properties: { plan: 'free', address: { city: 'Oslo', zip: '0150' }, seats: 3 },
      }),
    );
    const next = applyWrite(
      stored,
      write(push(T2), { properties: { plan: 'gold', address: { city: 'Bergen' }, seats: null } }),
    );
    expect(next.profile?.metadata).toEqual({ plan: 'gold', address: { city: 'Bergen' } });
    expect(Object.keys(next.provenance.properties).sort()).toEqual(['address', 'plan']);
  });

  it('keeps name in step when only first or last name is sent', () => {
    const next = applyWrite(
      blank(),
      write(push(T1), { fields: { firstName: 'Ada', lastName: 'Lovelace' } }),
    );
    expect(next.profile?.name).toBe('Ada Lovelace');
  });

  it('clears what an earlier pull said and this pull no longer says, never pushed values', () => {
    let contact = applyWrite(
      blank(),
      write(pull(T1), {
        fields: { email: 'old@example.com', phone: '+4712345678' },
        properties: { tier: 'a' },
        replacesOwn: true,
      }),
    );
    contact = applyWrite(
      contact,
      write(push(T2), { fields: { name: 'Pushed Name' }, properties: { crm: 1 } }),
    );
    contact = applyWrite(
      contact,
      write(pull(T3), { fields: { email: 'new@example.com' }, replacesOwn: true }),
    );
    expect(contact.profile).toMatchObject({
      email: 'new@example.com',
      phone: null,
      name: 'Pushed Name',
    });
    expect(contact.profile?.metadata).toEqual({ crm: 1 });
  });

  it('returns the same record when nothing changes, so nothing is written or announced', () => {
    const sent = write(push(T1), {
      fields: { email: 'a@example.com', phone: null },
      properties: { plan: 'pro', address: { city: 'Lyon', zip: ['69001'] }, gone: null },
    });
    const stored = applyWrite(blank(), sent);
    // The same write again, an older one, and a clear of what is not there change nothing.
    expect(applyWrite(stored, sent)).toBe(stored);
    expect(
      applyWrite(
        stored,
        write(push(T1), {
          ...sent,
          properties: { ...sent.properties, address: { city: 'Lyon', zip: ['69001'] } },
        }),
      ),
    ).toBe(stored);
    expect(
      applyWrite(
        stored,
        write(push('2026-12-01T09:00:00.000Z'), { fields: { email: 'old@example.com' } }),
      ),
    ).toBe(stored);
    expect(
      applyWrite(
        stored,
        write(push(T2), { fields: { name: null }, properties: { missing: null } }),
      ),
    ).toBe(stored);
  });

  it('counts as a change a new value, a nested value, a removal, and a newer source', () => {
    const stored = applyWrite(
      blank(),
      write(push(T1), {
        fields: { email: 'a@example.com' },
        properties: { address: { city: 'Lyon' } },
      }),
    );
    const changes: ContactWrite[] = [
      write(push(T2), { fields: { email: 'b@example.com' } }),
      write(push(T2), { properties: { address: { city: 'Paris' } } }),
      write(push(T2), { properties: { address: null } }),
      write(push(T2), { fields: { email: null } }),
      write(push(T2, 'Signup'), { fields: { email: 'a@example.com' } }),
    ];
    for (const change of changes) {
      const next = applyWrite(stored, change);
      expect(next).not.toBe(stored);
      expect(next.updatedAt).toBe(T2);
    }
  });

  it('is no profile at all once every value is cleared', () => {
    const stored = applyWrite(blank(), write(push(T1), { fields: { email: 'a@example.com' } }));
    expect(applyWrite(stored, write(push(T2), { fields: { email: null } })).profile).toBeNull();
  });
});

describe('combine', () => {
  it('keeps the primary’s values, fills its gaps from the secondary, deep-merges properties', () => {
    const primary = applyWrite(
      blankContact('prj', 'p', T2),
      write(push(T2), {
        fields: { email: 'p@example.com' },
        properties: { plan: 'gold', prefs: { lang: 'en' } },
      }),
    );
    const secondary = {
      ...applyWrite(
        blankContact('prj', 's', T1),
        write(pull(T1), {
          fields: { email: 's@example.com', phone: '+4712345678' },
          properties: { plan: 'free', prefs: { lang: 'no', theme: 'dark' }, legacy: true },
        }),
      ),
      identity: 'verified' as const,
    };
    const merged = combine(primary, secondary, T3);
    expect(merged.externalUserId).toBe('p');
    expect(merged.profile).toMatchObject({ email: 'p@example.com', phone: '+4712345678' });
    expect(merged.profile?.metadata).toEqual({
      plan: 'gold',
      prefs: { lang: 'en', theme: 'dark' },
      legacy: true,
    });
    expect(merged.provenance.fields.phone).toEqual(pull(T1));
    expect(merged.provenance.properties.legacy).toEqual(pull(T1));
    expect(merged.identity).toBe('verified');
    expect(merged.createdAt).toBe(T1);
  });
});
