import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import {
  UpdateIntegrationRequest,
  type EndpointMethod,
  type EndpointStyle,
  type IntegrationSettings,
  type Project,
} from '../../../protocol/index.js';
import type { FieldProblem } from '../../api/request.js';
import { Field, describedBy } from '../../components/Field.js';
import { Icon } from '../../components/Icon.js';
import { SaveBar } from '../../components/SaveBar.js';
import { OutcomeChip } from '../../components/OutcomeChip.js';
import { check, formError, problemsOf } from '../../lib/form.js';
import { ago, dateTime, shortWhen } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';
import { $integrations, loadIntegration, saveIntegration } from '../../stores/integration.js';
import { hrefOf } from '../../stores/route.js';
import { IdentitySecretCard } from './IdentitySecret.js';
import { ProjectFrame } from './ProjectFrame.js';
import { TestConnection } from './TestConnection.js';

export function IntegrationPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="integration">
      {(project) => <IntegrationView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

function IntegrationView({ project }: { project: Project }) {
  const entry = useStore($integrations)[project.id];
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    void loadIntegration(project.id);
  }, [project.id]);

  const settings = entry?.settings;
  if (!settings) {
    return entry?.error ? (
      <p class="notice notice-error" role="alert">
        {entry.error}
      </p>
    ) : (
      <p class="loading">Loading…</p>
    );
  }
  return (
    <>
      <HealthBanner settings={settings} />
      <div class="settings-grid">
        <div class="settings-main">
          <IntegrationForm settings={settings} onDirty={setDirty} />
          <IdentitySecretCard projectId={project.id} settings={settings} />
        </div>
        <aside class="settings-side" aria-label="Test connection">
          <TestConnection projectId={project.id} unsaved={dirty} />
        </aside>
      </div>
    </>
  );
}

/** Healthy, failing since …, or paused until …: what the last attempts say about the endpoint. */
export function HealthBanner({ settings }: { settings: IntegrationSettings }) {
  const now = useNow();
  const { health } = settings;
  const logHref = hrefOf({ name: 'integration-log', id: settings.projectId });
  const paused =
    health.pausedUntil && Date.parse(health.pausedUntil) > now ? health.pausedUntil : null;
  const logLink = (
    <a class="health-link" href={logHref}>
      Open the log
    </a>
  );

  if (!settings.enabled) {
    return (
      <div class="health health-off" data-testid="health">
        <Icon name="plug" size={16} />
        <p class="health-text">
          <span class="strong">The integration is off.</span> Palaver does not call your user API,
          and agents see no profiles.
        </p>
      </div>
    );
  }
  if (health.status === 'failing' || paused) {
    const error = health.lastError;
    return (
      <div class="health health-bad" role="status" data-testid="health">
        <Icon name="alert" size={16} />
        <div class="health-text">
          {health.status === 'failing' && health.failingSince ? (
            <p class="strong" title={dateTime(health.failingSince)}>
              {`Failing since ${shortWhen(health.failingSince, now)} (${ago(health.failingSince, now)})`}
            </p>
          ) : null}
          {error ? (
            <p class="health-error">
              {`Last error at ${shortWhen(error.at, now)}: `}
              <OutcomeChip outcome={error.outcome} />
              {error.httpStatus !== null && !error.message.startsWith(`HTTP ${error.httpStatus}`)
                ? ` HTTP ${error.httpStatus} · `
                : ' '}
              {error.message}
            </p>
          ) : null}
          {paused ? (
            <p class="strong" title={dateTime(paused)}>
              {`Paused until ${shortWhen(paused, now)}: after repeated failures, or as the site asked (Retry-After), Palaver waits before calling again.`}
            </p>
          ) : null}
          {health.lastSuccessAt ? (
            <p class="muted">{`Last success ${ago(health.lastSuccessAt, now)}.`}</p>
          ) : null}
        </div>
        {logLink}
      </div>
    );
  }
  if (health.status === 'healthy') {
    return (
      <div class="health health-good" role="status" data-testid="health">
        <Icon name="check" size={16} />
        <p class="health-text">
          <span class="strong">Healthy</span>
          {health.lastSuccessAt ? ` · last success ${ago(health.lastSuccessAt, now)}` : null}
        </p>
        {logLink}
      </div>
    );
  }
  return (
    <div class="health health-off" role="status" data-testid="health">
      <Icon name="plug" size={16} />
      <p class="health-text">
        <span class="strong">No calls yet.</span> Use Test connection to try your endpoint.
      </p>
    </div>
  );
}

interface HeaderRow {
  key: number;
  name: string;
  /** The stored value's mask; null for a header added in this form. */
  masked: string | null;
  /** The new value: required for new headers, and for stored ones being replaced. */
  value: string;
  replacing: boolean;
}

let rowKey = 0;
const rowsOf = (settings: IntegrationSettings): HeaderRow[] =>
  settings.headers.map((h) => ({
    key: ++rowKey,
    name: h.name,
    masked: h.masked,
    value: '',
    replacing: false,
  }));

/** Stored values stay on the server: a header without `value` keeps the one it has. */
function headerInputs(rows: HeaderRow[]) {
  return rows.map((row) =>
    row.masked !== null && !row.replacing
      ? { name: row.name }
      : { name: row.name.trim(), value: row.value },
  );
}

const EXAMPLE_ID = 'u_123';

/** Focus a control that renders on the next frame. */
const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/**
 * The request Palaver would make for an example user, or null while the URL is incomplete. A
 * data-sync POST goes to its one URL as given; the id travels in the body.
 */
export function exampleRequest(
  style: EndpointStyle,
  url: string,
  paramName: string,
  method: EndpointMethod,
): string | null {
  try {
    if (method === 'POST') return url.includes('{id}') ? null : `POST ${new URL(url).href}`;
    if (style === 'path') {
      if (!url.includes('{id}')) return null;
      return `${method} ${new URL(url.replace('{id}', EXAMPLE_ID)).href}`;
    }
    const target = new URL(url);
    target.searchParams.set(paramName.trim() || 'id', EXAMPLE_ID);
    return `${method} ${target.href}`;
  } catch {
    return null;
  }
}

const MAX_MINUTES = 7 * 24 * 60;
const FIELDS = [
  'enabled',
  'style',
  'url',
  'paramName',
  'method',
  'headers',
  'freshnessSeconds',
  'requireVerified',
];

function IntegrationForm(props: {
  settings: IntegrationSettings;
  onDirty: (dirty: boolean) => void;
}) {
  const { settings } = props;
  const [enabled, setEnabled] = useState(settings.enabled);
  const [style, setStyle] = useState<EndpointStyle>(settings.style);
  const [url, setUrl] = useState(settings.url);
  const [paramName, setParamName] = useState(settings.paramName || 'id');
  const [method, setMethod] = useState<EndpointMethod>(settings.method);
  const [rows, setRows] = useState<HeaderRow[]>(() => rowsOf(settings));
  const [minutes, setMinutes] = useState(String(settings.freshnessSeconds / 60));
  const [requireVerified, setRequireVerified] = useState(settings.requireVerified);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const minutesNumber = minutes.trim() === '' ? Number.NaN : Number(minutes);
  const body: UpdateIntegrationRequest = {
    enabled,
    style,
    url: url.trim(),
    paramName: paramName.trim(),
    method,
    headers: headerInputs(rows),
    freshnessSeconds: Math.round(minutesNumber * 60),
    requireVerified,
  };
  const headersDirty =
    rows.length !== settings.headers.length ||
    rows.some(
      (row, i) => row.masked === null || row.replacing || row.name !== settings.headers[i]?.name,
    );
  const dirty =
    headersDirty ||
    enabled !== settings.enabled ||
    style !== settings.style ||
    body.url !== settings.url ||
    (style === 'query' && body.paramName !== settings.paramName) ||
    method !== settings.method ||
    body.freshnessSeconds !== settings.freshnessSeconds ||
    requireVerified !== settings.requireVerified;

  useEffect(() => props.onDirty(dirty), [dirty]);

  function validate(): FieldProblem[] {
    const local = check(UpdateIntegrationRequest, body).filter(
      (p) => !p.path.startsWith('freshnessSeconds'),
    );
    if (!Number.isFinite(minutesNumber) || minutesNumber < 0 || minutesNumber > MAX_MINUTES) {
      local.push({
        path: 'freshnessSeconds',
        message: `Enter a number of minutes from 0 to ${MAX_MINUTES} (7 days)`,
      });
    }
    if (enabled && !body.url) {
      local.push({ path: 'url', message: 'Enter the URL of your user endpoint to turn this on' });
    }
    rows.forEach((row, i) => {
      if (row.masked === null && !row.name.trim()) {
        local.push({ path: `headers.${i}.name`, message: 'Enter a header name' });
      }
    });
    return local;
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setSaved(false);
    const local = validate();
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) {
      const form = event.currentTarget as HTMLFormElement;
      requestAnimationFrame(() =>
        form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    setSaving(true);
    try {
      const next = await saveIntegration(settings.projectId, body);
      setRows(rowsOf(next));
      setSaved(true);
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  const msg = (path: string) => problems.find((p) => p.path === path)?.message;
  const summary = formError(error, problems, FIELDS);
  const example = exampleRequest(style, body.url ?? '', paramName, method);
  const byQuery = method === 'GET' && style === 'query';

  function chooseMethod(next: EndpointMethod): void {
    setMethod(next);
    // A data-sync endpoint has one fixed URL: a path template's {id} segment does not belong.
    const trimmed = url.trim();
    if (next === 'POST' && trimmed.endsWith('/{id}')) setUrl(trimmed.slice(0, -'/{id}'.length));
  }

  function chooseStyle(next: EndpointStyle): void {
    setStyle(next);
    // Carry the URL over in the other style's shape when it obviously fits.
    const trimmed = url.trim();
    if (next === 'query' && trimmed.endsWith('/{id}')) setUrl(trimmed.slice(0, -'/{id}'.length));
    if (next === 'path' && trimmed && !trimmed.includes('{id}') && !trimmed.includes('?')) {
      setUrl(`${trimmed.replace(/\/+$/, '')}/{id}`);
    }
  }

  const updateRow = (key: number, patch: Partial<HeaderRow>) =>
    setRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  return (
    <form
      class="integration-form"
      onSubmit={(e) => void submit(e)}
      onInput={() => setSaved(false)}
      noValidate
      aria-label="API Integration settings"
    >
      {summary ? (
        <p class="notice notice-error" role="alert">
          {summary}
        </p>
      ) : null}
      <section class="card form" aria-labelledby="endpoint-title">
        <h2 class="card-title" id="endpoint-title">
          User endpoint
        </h2>
        <div class="toggle-row">
          <input
            id="int-enabled"
            type="checkbox"
            class="switch"
            checked={enabled}
            aria-describedby="int-enabled-hint"
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <div>
            <label for="int-enabled" class="strong">
              Fetch profiles from your API
            </label>
            <p class="field-hint" id="int-enabled-hint">
              When a signed-in user starts a chat, Palaver asks this endpoint who they are and shows
              the answer to agents beside the conversation.
            </p>
          </div>
        </div>
        <fieldset class="field">
          <legend>Request</legend>
          <div class="segmented">
            {(
              [
                ['GET', 'GET'],
                ['POST', 'POST (data sync)'],
              ] as const
            ).map(([value, text]) => (
              <label key={value} class={method === value ? 'segment is-on' : 'segment'}>
                <input
                  type="radio"
                  name="int-method"
                  value={value}
                  checked={method === value}
                  onChange={() => chooseMethod(value)}
                />
                {text}
              </label>
            ))}
          </div>
          <p class="field-hint">
            {method === 'GET'
              ? 'A GET with Accept: application/json and the headers below.'
              : 'A POST with the JSON body {"externalId": "…"}, for sites that already have a data-sync endpoint.'}
          </p>
        </fieldset>
        {method === 'GET' ? (
          <fieldset class="field">
            <legend>URL style</legend>
            <div class="segmented">
              {(
                [
                  ['path', 'Path variable (recommended)'],
                  ['query', 'Query parameter'],
                ] as const
              ).map(([value, text]) => (
                <label key={value} class={style === value ? 'segment is-on' : 'segment'}>
                  <input
                    type="radio"
                    name="int-style"
                    value={value}
                    checked={style === value}
                    onChange={() => chooseStyle(value)}
                  />
                  {text}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <div class={byQuery ? 'form-row form-row-url' : ''}>
          <Field
            id="int-url"
            label="Endpoint URL"
            hint={
              method === 'POST'
                ? 'Your data-sync endpoint, used as given (no {id}): the user id travels in the body.'
                : style === 'path'
                  ? 'Put {id} where the user id goes, e.g. https://api.example.com/users/{id}'
                  : 'e.g. https://api.example.com/users — Palaver adds the user id as a query parameter.'
            }
            error={msg('url')}
          >
            <input
              class="input input-mono"
              type="url"
              spellcheck={false}
              autocomplete="off"
              placeholder={
                method === 'POST'
                  ? 'https://api.example.com/palaver/users'
                  : style === 'path'
                    ? 'https://api.example.com/users/{id}'
                    : 'https://api.example.com/users'
              }
              {...describedBy('int-url', msg('url'), true)}
              value={url}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          </Field>
          {byQuery ? (
            <Field id="int-param" label="Parameter name" error={msg('paramName')}>
              <input
                class="input input-mono"
                spellcheck={false}
                {...describedBy('int-param', msg('paramName'))}
                value={paramName}
                onInput={(e) => setParamName(e.currentTarget.value)}
              />
            </Field>
          ) : null}
        </div>
        <div class="example-request" data-testid="example-request">
          <span class="example-label">Example request</span>
          {example ? (
            <code class="break">{example}</code>
          ) : (
            <span class="muted">Enter a full URL to see the request Palaver will make.</span>
          )}
          {example && method === 'POST' ? (
            <code class="break">{`{"externalId": "${EXAMPLE_ID}"}`}</code>
          ) : null}
        </div>
      </section>

      <section class="card form" aria-labelledby="headers-title">
        <h2 class="card-title" id="headers-title">
          Headers
        </h2>
        <p class="card-lead">
          Sent with every request, e.g. <code>Authorization: Bearer …</code>. Values are encrypted
          and write-only: once saved, nobody can read them back, only replace them.
        </p>
        {rows.length > 0 ? (
          <ul class="header-rows">
            {rows.map((row, i) => (
              <HeaderRowEditor
                key={row.key}
                row={row}
                index={i}
                nameError={msg(`headers.${i}.name`) ?? msg(`headers.${i}`)}
                valueError={msg(`headers.${i}.value`)}
                onChange={(patch) => updateRow(row.key, patch)}
                onRemove={() => setRows(rows.filter((r) => r.key !== row.key))}
              />
            ))}
          </ul>
        ) : (
          <p class="muted header-none">No headers.</p>
        )}
        {msg('headers') ? <p class="field-error">{msg('headers')}</p> : null}
        <button
          type="button"
          class="button button-small header-add"
          disabled={rows.length >= 20}
          onClick={() => {
            const key = ++rowKey;
            setRows([...rows, { key, name: '', masked: null, value: '', replacing: false }]);
            focusSoon(`int-header-${key}-name`);
          }}
        >
          <Icon name="plus" size={14} />
          Add header
        </button>
      </section>

      <section class="card form" aria-labelledby="policy-title">
        <h2 class="card-title" id="policy-title">
          Freshness and verification
        </h2>
        <Field
          id="int-freshness"
          label="Freshness window (minutes)"
          hint="At session start Palaver fetches the profile again only when it is older than this, so page views do not hammer your API. 0 fetches every time. The agent's Refresh button ignores it."
          error={msg('freshnessSeconds')}
        >
          <input
            class="input input-narrow"
            inputMode="decimal"
            {...describedBy('int-freshness', msg('freshnessSeconds'), true)}
            value={minutes}
            onInput={(e) => setMinutes(e.currentTarget.value)}
          />
        </Field>
        <div class="toggle-row">
          <input
            id="int-verified"
            type="checkbox"
            class="switch"
            checked={requireVerified}
            aria-describedby="int-verified-hint"
            onChange={(e) => setRequireVerified(e.currentTarget.checked)}
          />
          <div>
            <label for="int-verified" class="strong">
              Require verified identity
            </label>
            <p class="field-hint" id="int-verified-hint">
              {requireVerified
                ? 'On: a user id without a valid userToken or userHash is ignored — the visitor chats anonymously and nothing is fetched.'
                : 'Off: a user id without proof is accepted as claimed. Its profile is fetched, but agents see it marked “Unverified (claimed)”, because anyone can type any id in a browser.'}
            </p>
          </div>
        </div>
      </section>

      <SaveBar saved={saved} dirty={dirty} saving={saving} />
    </form>
  );
}

function HeaderRowEditor(props: {
  row: HeaderRow;
  index: number;
  nameError: string | undefined;
  valueError: string | undefined;
  onChange: (patch: Partial<HeaderRow>) => void;
  onRemove: () => void;
}) {
  const { row, index } = props;
  const stored = row.masked !== null;
  const nameId = `int-header-${row.key}-name`;
  const valueId = `int-header-${row.key}-value`;
  const label = row.name.trim() || `header ${index + 1}`;
  return (
    <li class="header-row" data-testid="header-row">
      <div class="header-cells">
        {stored ? (
          <code class="header-name" id={nameId}>
            {row.name}
          </code>
        ) : (
          <input
            class="input input-mono header-name-input"
            placeholder="Authorization"
            spellcheck={false}
            aria-label={`Name of header ${index + 1}`}
            {...describedBy(nameId, props.nameError)}
            value={row.name}
            onInput={(e) => props.onChange({ name: e.currentTarget.value })}
          />
        )}
        {stored && !row.replacing ? (
          <code class="header-masked" title="Stored encrypted; write-only">
            {row.masked}
          </code>
        ) : (
          <input
            class="input input-mono header-value-input"
            placeholder={stored ? 'New value' : 'Bearer …'}
            spellcheck={false}
            autocomplete="off"
            aria-label={stored ? `New value for ${row.name}` : `Value of header ${index + 1}`}
            {...describedBy(valueId, props.valueError)}
            value={row.value}
            onInput={(e) => props.onChange({ value: e.currentTarget.value })}
          />
        )}
        <span class="header-actions">
          {stored ? (
            <button
              type="button"
              class="button button-small"
              aria-label={
                row.replacing
                  ? `Keep the stored value of ${row.name}`
                  : `Replace the value of ${row.name}`
              }
              onClick={() => {
                props.onChange({ replacing: !row.replacing, value: '' });
                if (!row.replacing) focusSoon(valueId);
              }}
            >
              {row.replacing ? 'Keep current' : 'Replace'}
            </button>
          ) : null}
          <button
            type="button"
            class="icon-button"
            aria-label={`Remove ${label}`}
            title="Remove"
            onClick={props.onRemove}
          >
            <Icon name="trash" size={15} />
          </button>
        </span>
      </div>
      {props.nameError ? (
        <p class="field-error" id={`${nameId}-error`}>
          {props.nameError}
        </p>
      ) : null}
      {props.valueError ? (
        <p class="field-error" id={`${valueId}-error`}>
          {props.valueError}
        </p>
      ) : null}
    </li>
  );
}
