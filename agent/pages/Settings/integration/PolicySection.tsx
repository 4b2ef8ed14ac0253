import { Field, describedBy } from '../../../components/Field.js';
import type { IntegrationDraft } from './draft.js';
import { SwitchRow } from './SwitchRow.js';

/**
 * How fresh a profile must be at session start, whether a claimed id is trusted, and what a 404
 * does to a stored profile.
 */
export function PolicySection(props: {
  draft: IntegrationDraft;
  /** The problem reported at exactly this path. */
  problem: (path: string) => string | undefined;
  onChange: (patch: Partial<IntegrationDraft>) => void;
}) {
  const { draft, problem } = props;
  return (
    <section class="card form" aria-labelledby="policy-title">
      <h2 class="card-title" id="policy-title">
        Freshness and verification
      </h2>
      <Field
        id="int-freshness"
        label="Freshness window (minutes)"
        hint="At session start Palaver fetches the profile again only when it is older than this, so page views do not hammer your API. 0 fetches every time. The agent's Refresh button ignores it."
        error={problem('freshnessSeconds')}
      >
        <input
          class="input input-narrow"
          inputMode="decimal"
          {...describedBy('int-freshness', problem('freshnessSeconds'), true)}
          value={draft.minutes}
          onInput={(e) => props.onChange({ minutes: e.currentTarget.value })}
        />
      </Field>
      <SwitchRow
        id="int-verified"
        label="Require verified identity"
        hint={
          draft.requireVerified
            ? 'On: a user id without a valid userToken or userHash is ignored — the visitor chats anonymously and nothing is fetched.'
            : 'Off: a user id without proof is accepted as claimed. Its profile is fetched, but agents see it marked “Unverified (claimed)”, because anyone can type any id in a browser.'
        }
        checked={draft.requireVerified}
        onChange={(requireVerified) => props.onChange({ requireVerified })}
      />
      <fieldset class="field">
        <legend>When the site answers 404 or 410 for a contact that has a profile</legend>
        {(
          [
            ['keep', 'Keep the profile and mark it “not found at the site”'],
            ['clear', 'Clear the profile'],
          ] as const
        ).map(([value, text]) => (
          <label key={value} class="radio-row">
            <input
              type="radio"
              name="int-not-found"
              value={value}
              checked={draft.onNotFound === value}
              onChange={() => props.onChange({ onNotFound: value })}
            />
            {text}
          </label>
        ))}
        {problem('onNotFound') ? <p class="field-error">{problem('onNotFound')}</p> : null}
      </fieldset>
    </section>
  );
}
