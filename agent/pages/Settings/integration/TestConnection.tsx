import { useState } from 'preact/hooks';
import type { TestConnectionResult } from '../../../../protocol/index.js';
import { testConnection } from '../../../api/integration.js';
import { ApiError } from '../../../api/request.js';
import { Field, describedBy } from '../../../components/Field.js';
import { OutcomeChip } from '../../../components/OutcomeChip.js';
import { ProfilePreview } from '../../../components/ProfileFields.js';
import { milliseconds } from '../../../lib/format.js';
import { loadIntegration } from '../../../stores/integration.js';

/**
 * "Test connection": a real call for one user id with the saved settings. Shows what Palaver made
 * of the answer — status, latency, the parsed profile, validation problems — never the raw body.
 */
export function TestConnection({ projectId, unsaved }: { projectId: string; unsaved: boolean }) {
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
      setResult({ id, answer: await testConnection(projectId, id) });
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
          hint="A real call with the saved settings; it is logged, and nothing is stored."
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
            You have unsaved changes: the test uses the saved settings.
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

function ListBlock(props: { title: string; tone: 'bad' | 'warn' | 'info'; items: string[] }) {
  if (props.items.length === 0) return null;
  return (
    <div class={`test-list test-list-${props.tone}`}>
      <p class="test-list-title">{props.title}</p>
      <ul>
        {props.items.map((item) => (
          <li key={item}>
            <code class="break">{item}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

function TestResult({ id, answer }: { id: string; answer: TestConnectionResult }) {
  const facts = [
    answer.httpStatus !== null ? `HTTP ${answer.httpStatus}` : 'No HTTP answer',
    answer.latencyMs !== null ? milliseconds(answer.latencyMs) : null,
  ].filter(Boolean);
  return (
    <div class="test-result" data-testid="test-result">
      <div class="test-head">
        <OutcomeChip outcome={answer.outcome} />
        <span class="test-facts">{facts.join(' · ')}</span>
      </div>
      {answer.outcome === 'ok' ? null : <p class="test-message">{answer.message}</p>}
      {answer.url ? <p class="test-url break">{answer.url}</p> : null}
      {answer.shape ? (
        <p class="muted">
          {answer.shape === 'data_sync'
            ? 'Answer in the data-sync shape (displayName, photoURL, customData).'
            : 'Answer in the standard shape.'}
        </p>
      ) : null}
      <ListBlock title="Invalid fields" tone="bad" items={answer.invalidFields} />
      <ListBlock
        title="Dropped as sensitive data (never stored)"
        tone="warn"
        items={answer.droppedPii.map((d) => `${d.path} — ${d.reason}`)}
      />
      <ListBlock title="Unknown fields (ignored)" tone="info" items={answer.unknownFields} />
      <ListBlock title="Warnings" tone="warn" items={answer.warnings} />
      {answer.profile ? (
        <div class="test-profile">
          <p class="test-list-title">Profile agents would see</p>
          <ProfilePreview profile={answer.profile} seed={id} />
        </div>
      ) : null}
    </div>
  );
}
