// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { mockApi } from '../test-support/api-mock.js';
import { FakeAgentSocket } from '../../test/support/fake-socket.js';
import { authSession } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';

afterEach(resetAll);

const anonymous = {
  status: 401,
  body: { error: { code: 'unauthorized', message: 'Sign in first' } },
};

function fillIn(email: string, password: string) {
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('Login', () => {
  it('shows the server’s error when the password is wrong, and lets the agent retry', async () => {
    const calls = mockApi({
      'GET /api/auth/me': anonymous,
      'POST /api/auth/login': {
        status: 401,
        body: { error: { code: 'unauthorized', message: 'Email or password is wrong' } },
      },
    });
    render(<App />);
    await screen.findByRole('heading', { name: 'Sign in to the agent console' });

    fillIn('ada@example.com', 'nope');

    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Email or password is wrong',
    );
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
    expect(calls.at(-1)?.body).toEqual({ email: 'ada@example.com', password: 'nope' });
  });

  it('disables the button while signing in, then opens the inbox', async () => {
    FakeAgentSocket.install();
    let finish: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    mockApi({
      'GET /api/auth/me': anonymous,
      'POST /api/auth/login': () => ({ body: authSession() }),
      'GET /api/agent/projects': { body: { items: [] } },
      'GET /api/agent/conversations': { body: { items: [], nextCursor: null } },
    });
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      if ((args[0] instanceof Request ? args[0].url : args[0].toString()).endsWith('/login'))
        await gate;
      return realFetch(...args);
    };
    render(<App />);
    await screen.findByLabelText('Email');

    fillIn('ada@example.com', 'correct horse');

    const busy = await screen.findByRole('button', { name: 'Signing in…' });
    expect(busy).toHaveProperty('disabled', true);
    finish?.();
    expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('No open conversations')).toBeTruthy());
  });
});
