import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

const turnOfLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Admission', () => {
  it('lets a herd through a few per turn of the event loop, in arrival order', async () => {
    const admission = new Admission(3);
    const admitted: number[] = [];
    const herd = Array.from({ length: 8 }, (_, i) =>
      admission.turn().then(() => void admitted.push(i)),
    );

    await turnOfLoop();
    expect(admitted).toEqual([0, 1, 2]);
    await turnOfLoop();
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5]);
    await Promise.all(herd);
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('lets other work that arrives meanwhile run between batches (a health check waits for one batch)', async () => {
    const admission = new Admission(2);
    const order: string[] = [];
    const herd = Array.from({ length: 6 }, (_, i) =>
      admission.turn().then(() => void order.push(`socket ${i}`)),
    );
    await turnOfLoop();
    setImmediate(() => order.push('health check'));

    await Promise.all(herd);
    expect(order.indexOf('health check')).toBeLessThan(order.indexOf('socket 4'));
  });
});
