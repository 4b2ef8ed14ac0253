import { describe, expect, it } from 'vitest';
import { createdOnce, type StoreFixture } from './contract-fixture.js';
import { DuplicateError } from './duplicate.js';

export function describeAgentsContract(f: StoreFixture): void {
  describe('agents', () => {
    it('stores agents with their memberships and finds them by email case-insensitively', async () => {
      await f.store.agents.create({ ...f.agent('Sam@Example.com'), id: 'agt_1', role: 'agent' });
      expect((await f.store.agents.byEmail('sam@example.COM'))?.projectIds).toEqual(['p1']);
      await f.store.agents.update('agt_1', { active: false, projectIds: [] });
      expect(await f.store.agents.get('agt_1')).toMatchObject({ active: false, projectIds: [] });
    });

    it('refuses a second agent with the same email, in any case, as a duplicate of its email', async () => {
      await f.store.agents.create(f.agent('sam@example.com'));
      const error: unknown = await f.store.agents
        .create(f.agent('SAM@example.com'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateError);
      expect(error).toMatchObject({ entity: 'agent', field: 'email', code: 'conflict' });
      expect(await f.store.agents.count()).toBe(1);
    });

    it('creates a seeded agent once per email, with its memberships, however many callers race', async () => {
      await f.connectionsForEveryCaller();
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(() => f.store.agents.createIfAbsent(f.agent('Seed@Example.com'))),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect(await f.store.agents.list()).toMatchObject([
        { email: 'seed@example.com', projectIds: ['p1'] },
      ]);
    });

    it('creates a first agent only while there is none, even when callers race with different ones', async () => {
      await f.connectionsForEveryCaller();
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map((i) => f.store.agents.createFirst(f.agent(`first-${i}@example.com`))),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect(await f.store.agents.count()).toBe(1);
      expect(await f.store.agents.createFirst(f.agent('late@example.com'))).toBe(false);
      expect(await f.store.agents.count()).toBe(1);
    });

    it("keeps an agent's sessions until one or all of them are deleted", async () => {
      const agent = f.agent('sam@example.com');
      await f.store.agents.create(agent);
      const session = (idHash: string) => ({
        idHash,
        agentId: agent.id,
        csrfToken: `csrf-${idHash}`,
        createdAt: f.now,
        expiresAt: '2026-01-02T00:00:00.000Z',
      });
      for (const id of ['s1', 's2', 's3']) await f.store.agents.createSession(session(id));
      expect(await f.store.agents.session('s1')).toEqual(session('s1'));
      await f.store.agents.deleteSession('s1');
      expect(await f.store.agents.session('s1')).toBeNull();
      expect(await f.store.agents.session('s2')).toEqual(session('s2'));
      await f.store.agents.deleteSessionsOf(agent.id);
      expect(await f.store.agents.session('s2')).toBeNull();
      expect(await f.store.agents.session('s3')).toBeNull();
    });
  });
}
