import {
  MAPPED_FIELDS,
  PROPERTY_MAPPINGS_MAX,
  type MappedField,
  type MappingPreset,
} from '../../../../protocol/index.js';
import { Field, describedBy } from '../../../components/Field.js';
import { Icon } from '../../../components/Icon.js';
import { newPropertyRow, type MappingDraft, type PropertyRow } from './mapping-draft.js';
import { SwitchRow } from './SwitchRow.js';

const PRESETS: Array<[MappingPreset, string, string]> = [
  [
    'auto',
    'Automatic',
    'Reads the standard shape, or the data-sync shape when the answer has a "status".',
  ],
  [
    'standard',
    'Standard',
    'first_name, last_name, email, phone_number, avatar_url and metadata; a top-level externalId or id must be the requested id.',
  ],
  [
    'data_sync',
    'Data sync',
    'status "ok", externalId (must be the requested id), displayName, email, phone, photoURL and customData.',
  ],
  ['custom', 'Custom paths', 'Say where each value is in your answer.'],
];

const FIELDS: Record<MappedField, [string, string]> = {
  externalId: ['User id', 'data.id'],
  name: ['Full name', 'data.attributes.name'],
  firstName: ['First name', 'data.attributes.firstName'],
  lastName: ['Last name', 'data.attributes.lastName'],
  email: ['Email', 'data.attributes.emails[0].email'],
  phone: ['Phone', '/data/attributes/phone'],
  avatarUrl: ['Avatar URL (https)', 'data.attributes.avatar'],
};

/** How the site's answer becomes the profile: a preset, or the admin's own paths. */
export function MappingSection(props: {
  mapping: MappingDraft;
  problem: (path: string) => string | undefined;
  onChange: (mapping: MappingDraft) => void;
}) {
  const { mapping, problem } = props;
  const change = (patch: Partial<MappingDraft>) => props.onChange({ ...mapping, ...patch });
  const setRow = (key: number, patch: Partial<PropertyRow>) =>
    change({
      properties: mapping.properties.map((r) => (r.key === key ? { ...r, ...patch } : r)),
    });
  const presetHint = PRESETS.find(([value]) => value === mapping.preset)?.[2];
  return (
    <section class="card form" aria-labelledby="mapping-title">
      <h2 class="card-title" id="mapping-title">
        Answer mapping
      </h2>
      <p class="card-lead">
        Which parts of your endpoint’s answer become the profile. Paths are dot paths (
        <code>data.emails[0].email</code>) or JSON Pointers (<code>/data/emails/0/email</code>). An
        answer whose user id is not the requested one is refused: nothing is stored.
      </p>
      <Field id="map-preset" label="Shape" hint={presetHint} error={problem('mapping.preset')}>
        <select
          class="select"
          {...describedBy('map-preset', problem('mapping.preset'), true)}
          value={mapping.preset}
          onChange={(e) => change({ preset: e.currentTarget.value as MappingPreset })}
        >
          {PRESETS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      {mapping.preset === 'custom' ? (
        <>
          {problem('mapping.fields') ? (
            <p class="field-error">{problem('mapping.fields')}</p>
          ) : null}
          <div class="mapping-fields">
            {MAPPED_FIELDS.map((field) => {
              const id = `map-${field}`;
              const error = problem(`mapping.fields.${field}`);
              return (
                <Field
                  key={field}
                  id={id}
                  label={FIELDS[field][0]}
                  error={error}
                  hint={
                    field === 'externalId'
                      ? 'Checked against the requested id; empty: a top-level externalId or id'
                      : undefined
                  }
                >
                  <input
                    class="input input-mono"
                    spellcheck={false}
                    autocomplete="off"
                    placeholder={FIELDS[field][1]}
                    {...describedBy(id, error, field === 'externalId')}
                    value={mapping.fields[field]}
                    onInput={(e) =>
                      change({ fields: { ...mapping.fields, [field]: e.currentTarget.value } })
                    }
                  />
                </Field>
              );
            })}
          </div>
          <fieldset class="field">
            <legend>Properties</legend>
            <p class="field-hint">
              Values copied into the contact’s properties, shown to agents. Card numbers and other
              sensitive data are dropped.
            </p>
            {mapping.properties.length > 0 ? (
              <ul class="header-rows">
                {mapping.properties.map((row, i) => (
                  <PropertyRowEditor
                    key={row.key}
                    row={row}
                    index={i}
                    pathError={problem(`mapping.properties.${i}.path`)}
                    propertyError={problem(`mapping.properties.${i}.property`)}
                    onChange={(patch) => setRow(row.key, patch)}
                    onRemove={() =>
                      change({ properties: mapping.properties.filter((r) => r.key !== row.key) })
                    }
                  />
                ))}
              </ul>
            ) : null}
            <button
              type="button"
              class="button button-small header-add"
              disabled={mapping.properties.length >= PROPERTY_MAPPINGS_MAX}
              onClick={() => change({ properties: [...mapping.properties, newPropertyRow()] })}
            >
              <Icon name="plus" size={14} />
              Add property
            </button>
          </fieldset>
          <SwitchRow
            id="map-remaining"
            label="Copy all other top-level fields into properties"
            hint="Off: fields no path reads are ignored (Test connection lists them)."
            checked={mapping.includeRemaining}
            onChange={(includeRemaining) => change({ includeRemaining })}
          />
        </>
      ) : null}
    </section>
  );
}

function PropertyRowEditor(props: {
  row: PropertyRow;
  index: number;
  pathError: string | undefined;
  propertyError: string | undefined;
  onChange: (patch: Partial<PropertyRow>) => void;
  onRemove: () => void;
}) {
  const { row, index } = props;
  const pathId = `map-prop-${row.key}-path`;
  const propertyId = `map-prop-${row.key}-name`;
  return (
    <li class="header-row" data-testid="property-row">
      <div class="header-cells">
        <input
          class="input input-mono"
          placeholder="data.attributes.plan"
          spellcheck={false}
          aria-label={`Path of property ${index + 1}`}
          {...describedBy(pathId, props.pathError)}
          value={row.path}
          onInput={(e) => props.onChange({ path: e.currentTarget.value })}
        />
        <input
          class="input"
          placeholder="plan"
          spellcheck={false}
          aria-label={`Name of property ${index + 1}`}
          {...describedBy(propertyId, props.propertyError)}
          value={row.property}
          onInput={(e) => props.onChange({ property: e.currentTarget.value })}
        />
        <span class="header-actions">
          <button
            type="button"
            class="icon-button"
            aria-label={`Remove property ${index + 1}`}
            title="Remove"
            onClick={props.onRemove}
          >
            <Icon name="trash" size={15} />
          </button>
        </span>
      </div>
      {[
        [pathId, props.pathError],
        [propertyId, props.propertyError],
      ].map(([id, error]) =>
        error ? (
          <p key={id} class="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null,
      )}
    </li>
  );
}
