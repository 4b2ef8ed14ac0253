// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contact, conversation, detail } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { $details, loadDetail } from './details.js';

afterEach(resetAll);

describe('loadDetail', () => {
  it('keeps the newest answer when two loads of one conversation finish out of order', async () => {
    const jane = conversation({ identity: 'verified', externalUserId: 'u_1' });
    const answers: ((body: unknown) => void)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        () =>
          new Promise<Response>((resolve) =>
            answers.push((body) => resolve(new Response(JSON.stringify(body)))),
          ),
      ),
    );

    const first = loadDetail('conv_1'); // a profile fetch started: pending
    const second = loadDetail('conv_1'); // it finished
    answers[1]!(detail(jane, contact({ externalUserId: 'u_1', pending: false })));
    await second;
    answers[0]!(detail(jane, contact({ externalUserId: 'u_1', pending: true })));
    await first;

    expect($details.get()['conv_1']?.detail?.contact?.pending).toBe(false);
    expect($details.get()['conv_1']?.loading).toBe(false);
  });
});
