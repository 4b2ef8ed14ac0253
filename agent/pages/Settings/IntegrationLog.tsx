import { useEffect, useRef, useState } from 'preact/hooks';
import type { FetchOutcome, IntegrationLogEntry, Project } from '../../../protocol/index.js';
import { fetchIntegrationLog } from '../../api/integration.js';
import { ApiError } from '../../api/request.js';
import { Icon } from '../../components/Icon.js';
import { OutcomeChip } from '../../components/OutcomeChip.js';
import { dateTime, milliseconds, shortWhen } from '../../lib/format.js';
import { OUTCOMES, OUTCOME_ORDER, TRIGGERS } from '../../lib/outcomes.js';
import { ProjectFrame } from './ProjectFrame.js';

export function IntegrationLogPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="log">
      {(project) => <LogView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

const LIMIT = 100;

interface LogState {
  items: IntegrationLogEntry[];
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

function LogView({ project }: { project: Project }) {
  const [outcome, setOutcome] = useState<FetchOutcome | null>(null);
  const [state, setState] = useState<LogState>({
    items: [],
    loading: false,
    loaded: false,
    error: null,
  });
  // Answers to an outdated filter are dropped.
  const generation = useRef(0);

  async function load(filter: FetchOutcome | null): Promise<void> {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const { items } = await fetchIntegrationLog(project.id, filter, LIMIT);
      if (mine === generation.current)
        setState({ items, loading: false, loaded: true, error: null });
    } catch (error) {
      if (mine !== generation.current) return;
      setState((s) => ({
        ...s,
        loading: false,
        error: error instanceof ApiError ? error.message : 'Could not load the log',
      }));
    }
  }

  useEffect(() => {
    void load(outcome);
  }, [project.id, outcome]);

  return (
    <section class="card" aria-labelledby="log-title">
      <div class="log-toolbar">
        <div>
          <h2 id="log-title">Integration log</h2>
          <p class="muted">
            The latest calls to your user endpoint, newest first. Header values and answer bodies
            are never logged.
          </p>
        </div>
        <span class="spacer" />
        <label class="log-filter" for="log-outcome">
          Outcome
          <select
            id="log-outcome"
            class="select select-small"
            value={outcome ?? ''}
            onChange={(e) => setOutcome((e.currentTarget.value || null) as FetchOutcome | null)}
          >
            <option value="">All outcomes</option>
            {OUTCOME_ORDER.map((o) => (
              <option key={o} value={o}>
                {OUTCOMES[o].label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="button button-small"
          disabled={state.loading}
          onClick={() => void load(outcome)}
        >
          <Icon name="refresh" size={13} />
          {state.loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {state.error ? (
        <p class="notice notice-error log-error" role="alert">
          {state.error}
        </p>
      ) : null}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Calls">
        <table class="table log-table" aria-busy={state.loading}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">User id</th>
              <th scope="col">Trigger</th>
              <th scope="col">Outcome</th>
              <th scope="col">HTTP</th>
              <th scope="col">Latency</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {state.items.map((entry) => (
              <LogRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      </div>
      {state.loaded && state.items.length === 0 ? (
        <div class="empty">
          <p class="empty-title">
            {outcome ? `No “${OUTCOMES[outcome].label}” attempts` : 'No attempts yet'}
          </p>
          <p class="empty-text">
            Calls appear here when a signed-in user starts a chat, an agent presses Refresh, or you
            test the connection.
          </p>
        </div>
      ) : null}
      {!state.loaded && state.loading ? <p class="loading">Loading…</p> : null}
    </section>
  );
}

function LogRow({ entry }: { entry: IntegrationLogEntry }) {
  return (
    <tr data-testid="log-row">
      <td class="log-time">
        <time dateTime={entry.at} title={dateTime(entry.at)}>
          {shortWhen(entry.at, Date.now(), true)}
        </time>
      </td>
      <td>
        <code class="code-chip break">{entry.externalUserId}</code>
      </td>
      <td>{TRIGGERS[entry.trigger]}</td>
      <td>
        <OutcomeChip outcome={entry.outcome} />
      </td>
      <td class="log-num">{entry.httpStatus ?? <span class="muted">—</span>}</td>
      <td class="log-num">
        {entry.latencyMs !== null ? milliseconds(entry.latencyMs) : <span class="muted">—</span>}
      </td>
      <td>
        <div class="log-details">
          {entry.errorClass ? <code class="code-chip">{entry.errorClass}</code> : null}
          {entry.message ? <span class="log-message">{entry.message}</span> : null}
          {entry.invalidFields.length > 0 &&
          !entry.message?.includes(entry.invalidFields.join(', ')) ? (
            <span class="log-extra">{`Invalid fields: ${entry.invalidFields.join(', ')}`}</span>
          ) : null}
          {entry.droppedPii.length > 0 ? (
            <span class="log-extra">
              {`Dropped: ${entry.droppedPii.map((d) => `${d.path} (${d.reason})`).join(', ')}`}
            </span>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
