// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningSecret } from '../../../protocol/index.js';
import { mockApi, type Call, type Reply } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { SigningSecretPage } from './SigningSecret.js';

afterEach(resetAll);

const PATH = '/api/admin/projects/acme/signing-secret';
const NEW_SECRET = `palsig_${'Qw3'.repeat(16)}`;
const UNTIL = '2099-01-01T12:00:00.000Z';

function secret(overrides: Partial<SigningSecret> = {}): SigningSecret {
  return {
    id: 'sig_current',
    prefix: 'palsig_Ab12',
    shown: true,
    createdAt: at(0),
    expiresAt: null,
    ...overrides,
  };
}

const previous = secret({ id: 'sig_prev', prefix: 'palsig_Cd34', expiresAt: UNTIL });

async function show(
  secrets: SigningSecret[],
  routes: Record<string, Reply | ((call: Call) => Reply)> = {},
) {
  const calls = mockApi({
    'GET /api/admin/projects': { body: { items: [project()] } },
    [`GET ${PATH}`]: { body: { secrets } },
    ...routes,
  });
  render(<SigningSecretPage id="acme" />);
  // The action appears once the secrets are loaded.
  await screen.findByRole('button', { name: /^(Rotate secret…|Create secret)$/ });
  return calls;
}

const rotated = (secrets: SigningSecret[]): Reply => ({
  status: 201,
  body: { secret: NEW_SECRET, signing: { secrets } },
});
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const dialog = () => screen.getByRole('dialog');

describe('SigningSecretPage', () => {
  it('lists the active secrets by prefix: the current one, and until when a previous one signs', async () => {
    await show([secret(), previous]);
    const list = await screen.findByRole('list', { name: 'Active secrets' });
    const [current, old] = within(list).getAllByRole('listitem');
    expect(current?.textContent).toContain('palsig_Ab12…');
    expect(current?.textContent).toContain('Current');
    expect(old?.textContent).toContain('palsig_Cd34…');
    expect(old?.textContent).toMatch(/Previous.*still signs until/);
    expect(screen.queryByText(/never shown/)).toBeNull();
  });

  it('rotates after asking, with the grace period chosen, and shows the new secret once', async () => {
    const calls = await show([secret()], {
      [`POST ${PATH}`]: rotated([
        secret({ id: 'sig_new', prefix: 'palsig_Qw3Q' }),
        secret({ expiresAt: UNTIL }),
      ]),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret…' }));
    const grace = within(dialog()).getByLabelText('Keep signing with the current secret too');
    expect((grace as HTMLSelectElement).value).toBe('24');
    fireEvent.change(grace, { target: { value: '168' } });
    expect(posts(calls)).toEqual([]);
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Rotate secret' }));

    const reveal = await screen.findByRole('alert', { name: 'New signing secret' });
    expect(reveal.textContent).toContain('you won’t see it again');
    expect(within(reveal).getByTestId('signing-secret').textContent).toBe(NEW_SECRET);
    expect(within(reveal).getByRole('button', { name: 'Copy secret' })).toBeTruthy();
    expect(posts(calls).map((c) => c.body)).toEqual([{ graceHours: 168 }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    const items = within(screen.getByRole('list', { name: 'Active secrets' })).getAllByRole(
      'listitem',
    );
    expect(items.map((i) => i.querySelector('code')?.textContent)).toEqual([
      'palsig_Qw3Q…',
      'palsig_Ab12…',
    ]);

    fireEvent.click(within(reveal).getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByText(NEW_SECRET)).toBeNull();
  });

  it('changes nothing when the admin cancels', async () => {
    const calls = await show([secret()]);
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret…' }));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret…' }));
    fireEvent(dialog(), new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(posts(calls)).toEqual([]);
  });

  it('offers no grace for a secret nobody was shown: it stops at once', async () => {
    const calls = await show([secret({ shown: false })], {
      [`POST ${PATH}`]: rotated([secret({ id: 'sig_new', prefix: 'palsig_Qw3Q' })]),
    });
    expect(screen.getByText(/made by Palaver and never shown/)).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret…' }));
    expect(within(dialog()).queryByRole('combobox')).toBeNull();
    expect(dialog().textContent).toContain('it stops at once');
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Rotate secret' }));
    await screen.findByTestId('signing-secret');
    expect(posts(calls).map((c) => c.body)).toEqual([{ graceHours: 0 }]);
  });

  it('creates the first secret without asking when there is none', async () => {
    const calls = await show([], {
      [`POST ${PATH}`]: rotated([secret({ prefix: 'palsig_Qw3Q' })]),
    });
    expect(screen.getByText(/No signing secret yet/)).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Create secret' }));
    expect((await screen.findByTestId('signing-secret')).textContent).toBe(NEW_SECRET);
    expect(posts(calls).map((c) => c.body)).toEqual([{ graceHours: 0 }]);
    expect(screen.getByRole('button', { name: 'Rotate secret…' })).toBeTruthy();
  });

  it('keeps the dialog open with the server’s message when the rotation is refused', async () => {
    await show([secret()], {
      [`POST ${PATH}`]: {
        status: 409,
        body: {
          error: {
            code: 'conflict',
            message: 'The signing secret was rotated by someone else at the same moment',
          },
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret…' }));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Rotate secret' }));
    const alert = await within(dialog()).findByRole('alert');
    expect(alert.textContent).toContain('rotated by someone else');
    expect(screen.queryByTestId('signing-secret')).toBeNull();
    expect(within(dialog()).getByRole('button', { name: 'Rotate secret' })).toBeTruthy();
  });
});
