import { useState } from 'preact/hooks';
import type { IntegrationMapping, TestConnectionResult } from '../../../../protocol/index.js';
import { testConnection } from '../../../api/integration.js';
import { ApiError } from '../../../api/request.js';
import { Field, describedBy } from '../../../components/Field.js';
import { loadIntegration } from '../../../stores/integration.js';
import { TestResult } from './TestResult.js';

/**
 * "Test connection": a real call for one user id with the saved endpoint and headers, read through
 * the mapping as edited (`mapping`), so that an admin sees a mapping work before saving it. Shows
 * what Palaver made of the answer — its shape without values, the mapped profile, problems —
 * never the raw body.
 */
export function TestConnection(props: {
  projectId: string;
  unsaved: boolean;
  mapping: IntegrationMapping | null;
}) {
  const { projectId, unsaved } = props;
  const [userId, setUserId] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ id: string; answer: TestConnectionResult } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const id = userId.trim();
    if (!id) {
      setError('Enter the id of a user your site knows');
      return;
    }
    setRunning(true);
    setError(null);
    try {
      setResult({ id, answer: await testConnection(projectId, id, props.mapping) });
      // The attempt counts for the project's health: show the banner's new state.
      void loadIntegration(projectId);
    } catch (e) {
      setResult(null);
      setError(e instanceof ApiError ? e.message : 'The test could not run; try again');
    } finally {
      setRunning(false);
    }
  }

  return (
    <section class="card form test-card" aria-labelledby="test-title">
      <h2 class="card-title" id="test-title">
        Test connection
      </h2>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Test connection">
        <Field
          id="test-user"
          label="External user id"
          hint="A real call with the saved endpoint and headers, read with the mapping as shown; it is logged, and nothing is stored."
          error={error ?? undefined}
        >
          <div class="test-input">
            <input
              class="input input-mono"
              spellcheck={false}
              autocomplete="off"
              placeholder="u_123"
              {...describedBy('test-user', error ?? undefined, true)}
              value={userId}
              onInput={(e) => setUserId(e.currentTarget.value)}
            />
            <button type="submit" class="button button-primary" disabled={running}>
              {running ? 'Testing…' : 'Test'}
            </button>
          </div>
        </Field>
        {unsaved ? (
          <p class="warning-text test-unsaved">
            You have unsaved changes: the test calls the saved endpoint with the saved headers, and
            previews the mapping as edited here.
          </p>
        ) : null}
      </form>
      <div aria-live="polite" aria-busy={running}>
        {running ? (
          <p class="profile-pending">
            <span class="spinner" aria-hidden="true" />
            Calling your endpoint (up to 10 s)…
          </p>
        ) : result ? (
          <TestResult id={result.id} answer={result.answer} />
        ) : null}
      </div>
    </section>
  );
}
