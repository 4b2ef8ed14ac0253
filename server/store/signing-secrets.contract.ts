import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import type { StoreFixture } from './contract-fixture.js';
import { DuplicateError } from './duplicate.js';
import type { SigningSecretRecord } from './signing-secrets-port.js';

export function describeSigningSecretsContract(f: StoreFixture): void {
  describe('signing secrets', () => {
    const later = (minutes: number) => new Date(Date.parse(f.now) + minutes * 60_000).toISOString();
    const secret = (id: string, overrides: Partial<SigningSecretRecord> = {}) => ({
      id,
      projectId: 'p1',
      prefix: `palsig_${id}`,
      sealed: `sealed-${id}`,
      shown: true,
      createdAt: f.now,
      expiresAt: null,
      ...overrides,
    });
    const ids = async (at: string, projectId = 'p1') =>
      (await f.store.signingSecrets.active(projectId, at)).map((s) => s.id);

    it('stores a first primary once: a second one while it exists is not stored', async () => {
      expect(await f.store.signingSecrets.createIfAbsent(secret('s1', { shown: false }))).toBe(
        true,
      );
      expect(await f.store.signingSecrets.createIfAbsent(secret('s2'))).toBe(false);
      expect(await f.store.signingSecrets.active('p1', f.now)).toEqual([
        secret('s1', { shown: false }),
      ]);
    });

    it('makes one primary when callers race to create the first', async () => {
      await f.connectionsForEveryCaller();
      const made = await Promise.all(
        ['a', 'b', 'c', 'd'].map((id) => f.store.signingSecrets.createIfAbsent(secret(id))),
      );
      expect(made.filter(Boolean)).toHaveLength(1);
      expect(await ids(f.now)).toHaveLength(1);
    });

    it('rotates: the new primary comes first, the previous one signs until the grace ends', async () => {
      await f.store.signingSecrets.createIfAbsent(secret('s1'));
      await f.store.signingSecrets.rotate(secret('s2', { createdAt: later(1) }), later(61));
      const active = await f.store.signingSecrets.active('p1', later(1));
      expect(active).toEqual([
        secret('s2', { createdAt: later(1) }),
        secret('s1', { expiresAt: later(61) }),
      ]);
      expect(await ids(later(60))).toEqual(['s2', 's1']);
      expect(await ids(later(61))).toEqual(['s2']);
    });

    it('lists the primary first even when it was made in the same instant as the previous one', async () => {
      await f.store.signingSecrets.createIfAbsent(secret('s1'));
      for (const id of ['s2', 's3', 's4', 's5']) {
        await f.store.signingSecrets.rotate(secret(id), later(60));
        expect((await ids(f.now))[0]).toBe(id);
      }
    });

    it('never lengthens a grace period, and forgets expired secrets at the next rotation', async () => {
      await f.store.signingSecrets.createIfAbsent(secret('s1'));
      await f.store.signingSecrets.rotate(secret('s2', { createdAt: later(1) }), later(10));
      await f.store.signingSecrets.rotate(secret('s3', { createdAt: later(2) }), later(100));
      expect(await f.store.signingSecrets.active('p1', later(2))).toMatchObject([
        { id: 's3', expiresAt: null },
        { id: 's2', expiresAt: later(100) },
        { id: 's1', expiresAt: later(10) },
      ]);
      await f.store.signingSecrets.rotate(secret('s4', { createdAt: later(20) }), later(20));
      expect(await ids(later(20))).toEqual(['s4']);
      // Gone, not merely hidden: asking about an earlier time finds nothing of them.
      expect(await ids(f.now)).toEqual(['s4']);
    });

    it('drops a secret nobody was shown at once when it is rotated', async () => {
      await f.store.signingSecrets.createIfAbsent(secret('auto', { shown: false }));
      await f.store.signingSecrets.rotate(secret('s2', { createdAt: later(1) }), later(1440));
      expect(await ids(f.now)).toEqual(['s2']);
    });

    it('refuses a second primary made by a racing rotation, and keeps the first', async () => {
      await f.store.signingSecrets.createIfAbsent(secret('s1'));
      await f.connectionsForEveryCaller();
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c'].map((id) =>
          f.store.signingSecrets.rotate(secret(id, { createdAt: later(1) }), later(60)),
        ),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(DuplicateError);
          expect(outcome.reason).toMatchObject({ entity: 'signing secret', field: 'primary' });
        }
      }
      const active = await f.store.signingSecrets.active('p1', later(1));
      expect(active.filter((s) => s.expiresAt === null)).toHaveLength(1);
      expect(active.some((s) => s.id === 's1')).toBe(true);
    });

    it('keeps each project’s secrets to itself', async () => {
      await f.store.projects.create({
        id: 'p2',
        name: 'P2',
        allowedOrigins: [],
        widget: DEFAULT_WIDGET_OPTIONS,
        createdAt: f.now,
      });
      await f.store.signingSecrets.createIfAbsent(secret('s1'));
      expect(await f.store.signingSecrets.createIfAbsent(secret('p2s', { projectId: 'p2' }))).toBe(
        true,
      );
      await f.store.signingSecrets.rotate(secret('s2', { createdAt: later(1) }), later(1));
      expect(await ids(later(1), 'p2')).toEqual(['p2s']);
      expect(await ids(later(1))).toEqual(['s2']);
    });
  });
}
