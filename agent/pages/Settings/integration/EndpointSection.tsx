import { Field, describedBy } from '../../../components/Field.js';
import type { IntegrationDraft } from './draft.js';
import { SwitchRow } from './SwitchRow.js';
import { EXAMPLE_ID, exampleRequest, urlForMethod, urlForStyle } from './endpoint.js';

/** The User endpoint card: on/off, GET or data-sync POST, the URL and the request it makes. */
export function EndpointSection(props: {
  draft: IntegrationDraft;
  /** The problem reported at exactly this path. */
  problem: (path: string) => string | undefined;
  onChange: (patch: Partial<IntegrationDraft>) => void;
}) {
  const { draft, problem } = props;
  const example = exampleRequest(draft.style, draft.url.trim(), draft.paramName, draft.method);
  const byQuery = draft.method === 'GET' && draft.style === 'query';
  return (
    <section class="card form" aria-labelledby="endpoint-title">
      <h2 class="card-title" id="endpoint-title">
        User endpoint
      </h2>
      <SwitchRow
        id="int-enabled"
        label="Fetch profiles from your API"
        hint="When a signed-in user starts a chat, Palaver asks this endpoint who they are and shows the answer to agents beside the conversation."
        checked={draft.enabled}
        onChange={(enabled) => props.onChange({ enabled })}
      />
      <fieldset class="field">
        <legend>Request</legend>
        <div class="segmented">
          {(
            [
              ['GET', 'GET'],
              ['POST', 'POST (data sync)'],
            ] as const
          ).map(([value, text]) => (
            <label key={value} class={draft.method === value ? 'segment is-on' : 'segment'}>
              <input
                type="radio"
                name="int-method"
                value={value}
                checked={draft.method === value}
                onChange={() =>
                  props.onChange({ method: value, url: urlForMethod(draft.url, value) })
                }
              />
              {text}
            </label>
          ))}
        </div>
        <p class="field-hint">
          {draft.method === 'GET'
            ? 'A GET with Accept: application/json and the headers below.'
            : 'A POST with the JSON body {"externalId": "…"}, for sites that already have a data-sync endpoint.'}
        </p>
      </fieldset>
      {draft.method === 'GET' ? (
        <fieldset class="field">
          <legend>URL style</legend>
          <div class="segmented">
            {(
              [
                ['path', 'Path variable (recommended)'],
                ['query', 'Query parameter'],
              ] as const
            ).map(([value, text]) => (
              <label key={value} class={draft.style === value ? 'segment is-on' : 'segment'}>
                <input
                  type="radio"
                  name="int-style"
                  value={value}
                  checked={draft.style === value}
                  onChange={() =>
                    props.onChange({ style: value, url: urlForStyle(draft.url, value) })
                  }
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
            draft.method === 'POST'
              ? 'Your data-sync endpoint, used as given (no {id}): the user id travels in the body.'
              : draft.style === 'path'
                ? 'Put {id} where the user id goes, e.g. https://api.example.com/users/{id}'
                : 'e.g. https://api.example.com/users — Palaver adds the user id as a query parameter.'
          }
          error={problem('url')}
        >
          <input
            class="input input-mono"
            type="url"
            spellcheck={false}
            autocomplete="off"
            placeholder={
              draft.method === 'POST'
                ? 'https://api.example.com/palaver/users'
                : draft.style === 'path'
                  ? 'https://api.example.com/users/{id}'
                  : 'https://api.example.com/users'
            }
            {...describedBy('int-url', problem('url'), true)}
            value={draft.url}
            onInput={(e) => props.onChange({ url: e.currentTarget.value })}
          />
        </Field>
        {byQuery ? (
          <Field id="int-param" label="Parameter name" error={problem('paramName')}>
            <input
              class="input input-mono"
              spellcheck={false}
              {...describedBy('int-param', problem('paramName'))}
              value={draft.paramName}
              onInput={(e) => props.onChange({ paramName: e.currentTarget.value })}
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
        {example && draft.method === 'POST' ? (
          <code class="break">{`{"externalId": "${EXAMPLE_ID}"}`}</code>
        ) : null}
      </div>
    </section>
  );
}
