import { describe, expect, it } from 'vitest';
import { SIGNED_IN_RESETS, resetSignedInStores } from './reset.js';

/** Stores that outlive a sign-in on purpose (see reset.ts). */
const KEPT = ['session', 'route', 'connection', 'notifications'];

interface Store {
  get(): unknown;
  set(value: unknown): void;
}
const isStore = (value: unknown): value is Store =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Store).get === 'function' &&
  typeof (value as Store).set === 'function';

const modules = Object.entries(
  import.meta.glob<Record<string, unknown>>(['./*.ts', '!./*.test.ts', '!./reset.ts'], {
    eager: true,
  }),
).map(([path, exports]) => ({ name: path.slice(2, -3), exports }));
const signedIn = modules.filter((m) => !KEPT.includes(m.name));

describe('the one list of stores a sign-out forgets', () => {
  it('has the reset of every store module that does not outlive a sign-in', () => {
    expect(signedIn.length).toBeGreaterThan(0);
    for (const { name, exports } of signedIn) {
      const resets = Object.entries(exports).filter(
        ([key, value]) => /^reset[A-Z]/.test(key) && typeof value === 'function',
      );
      expect(
        resets.map(([key]) => key),
        `stores/${name}.ts exports a reset`,
      ).not.toEqual([]);
      for (const [key, reset] of resets) {
        expect(SIGNED_IN_RESETS, `${key} from stores/${name}.ts is in the list`).toContain(reset);
      }
    }
  });

  it('brings every such store back to its first value', () => {
    const stores = signedIn.flatMap(({ exports }) => Object.values(exports).filter(isStore));
    const initial = stores.map((store) => store.get());
    for (const store of stores) store.set({ left: 'over' });

    resetSignedInStores();

    expect(stores.map((store) => store.get())).toEqual(initial);
  });
});
