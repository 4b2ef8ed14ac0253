import { useState } from 'preact/hooks';
import { failed } from '../api/request.js';
import { Notice } from '../components/Notice.js';
import { login } from '../stores/session.js';

export function Login({ expired }: { expired: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await login({ email: email.trim(), password });
    } catch (e) {
      setError(failed(e, 'sign in'));
      setSubmitting(false);
    }
  }

  return (
    <main class="login">
      <form class="login-card" onSubmit={(e) => void submit(e)} noValidate>
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true" />
          Palaver
        </div>
        <div>
          <h1>Sign in to the agent console</h1>
          <p class="login-sub">Answer your visitors in real time.</p>
        </div>
        {expired && !error ? (
          <p class="notice" role="status">
            Your session has ended. Sign in again to continue.
          </p>
        ) : null}
        <Notice text={error} />
        <div class="field">
          <label for="login-email">Email</label>
          <input
            id="login-email"
            class="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            class="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button
          type="submit"
          class="button button-primary button-block"
          disabled={submitting || !email.trim() || !password}
        >
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="login-foot">Accounts are created by an admin of your team.</p>
      </form>
    </main>
  );
}
