import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import { createdOnce, type StoreFixture } from './contract-fixture.js';
import { DuplicateError } from './duplicate.js';

export function describeProjectsContract(f: StoreFixture): void {
  describe('projects', () => {
    const project = (id: string, name = id) => ({
      id,
      name,
      allowedOrigins: [],
      widget: DEFAULT_WIDGET_OPTIONS,
      createdAt: f.now,
    });

    it('round-trips projects with their origins and widget options', async () => {
      const stored = await f.store.projects.get('p1');
      expect(stored).toEqual({
        id: 'p1',
        name: 'P1',
        allowedOrigins: ['https://a.test'],
        widget: DEFAULT_WIDGET_OPTIONS,
        createdAt: f.now,
      });
      const updated = await f.store.projects.update('p1', { name: 'Renamed', allowedOrigins: [] });
      expect(updated).toMatchObject({ name: 'Renamed', allowedOrigins: [] });
    });

    it('refuses a second project with the same id as a duplicate of its id', async () => {
      const error: unknown = await f.store.projects
        .create(project('p1', 'Again'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateError);
      expect(error).toMatchObject({ entity: 'project', field: 'id', code: 'conflict' });
      expect((await f.store.projects.get('p1'))?.name).toBe('P1');
    });

    it('creates a seeded project once, however many callers race to create it', async () => {
      await f.connectionsForEveryCaller();
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((name) =>
          f.store.projects.createIfAbsent(project('seeded', name)),
        ),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect(await f.store.projects.createIfAbsent(project('seeded', 'later'))).toBe(false);
      expect((await f.store.projects.list(['seeded'])).length).toBe(1);
    });
  });
}
