import type { IntegrationHeaderView } from '../../../../protocol/index.js';
import { describedBy } from '../../../components/Field.js';
import { Icon } from '../../../components/Icon.js';

export interface HeaderRow {
  key: number;
  name: string;
  /** The stored value's mask; null for a header added in this form. */
  masked: string | null;
  /** The new value: required for new headers, and for stored ones being replaced. */
  value: string;
  replacing: boolean;
}

/** Most headers one endpoint may have (the server's limit). */
const MAX_HEADERS = 20;

let rowKey = 0;
export const rowsOf = (settings: { headers: IntegrationHeaderView[] }): HeaderRow[] =>
  settings.headers.map((h) => ({
    key: ++rowKey,
    name: h.name,
    masked: h.masked,
    value: '',
    replacing: false,
  }));

/** Stored values stay on the server: a header without `value` keeps the one it has. */
export function headerInputs(rows: HeaderRow[]) {
  return rows.map((row) =>
    row.masked !== null && !row.replacing
      ? { name: row.name }
      : { name: row.name.trim(), value: row.value },
  );
}

/** Whether saving `rows` would change the stored headers. */
export function headersChanged(
  rows: HeaderRow[],
  settings: { headers: IntegrationHeaderView[] },
): boolean {
  return (
    rows.length !== settings.headers.length ||
    rows.some(
      (row, i) => row.masked === null || row.replacing || row.name !== settings.headers[i]?.name,
    )
  );
}

/** Focus a control that renders on the next frame. */
const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/** The Headers card: stored headers (masked, replaceable) and new ones, each removable. */
export function HeadersSection(props: {
  rows: HeaderRow[];
  /** The problem reported at exactly this path. */
  problem: (path: string) => string | undefined;
  onRows: (rows: HeaderRow[]) => void;
}) {
  const { rows, problem } = props;
  const updateRow = (key: number, patch: Partial<HeaderRow>) =>
    props.onRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  return (
    <section class="card form" aria-labelledby="headers-title">
      <h2 class="card-title" id="headers-title">
        Headers
      </h2>
      <p class="card-lead">
        Sent with every request, e.g. <code>Authorization: Bearer …</code>. Values are encrypted and
        write-only: once saved, nobody can read them back, only replace them.
      </p>
      {rows.length > 0 ? (
        <ul class="header-rows">
          {rows.map((row, i) => (
            <HeaderRowEditor
              key={row.key}
              row={row}
              index={i}
              nameError={problem(`headers.${i}.name`) ?? problem(`headers.${i}`)}
              valueError={problem(`headers.${i}.value`)}
              onChange={(patch) => updateRow(row.key, patch)}
              onRemove={() => props.onRows(rows.filter((r) => r.key !== row.key))}
            />
          ))}
        </ul>
      ) : (
        <p class="muted header-none">No headers.</p>
      )}
      {problem('headers') ? <p class="field-error">{problem('headers')}</p> : null}
      <button
        type="button"
        class="button button-small header-add"
        disabled={rows.length >= MAX_HEADERS}
        onClick={() => {
          const key = ++rowKey;
          props.onRows([...rows, { key, name: '', masked: null, value: '', replacing: false }]);
          focusSoon(`int-header-${key}-name`);
        }}
      >
        <Icon name="plus" size={14} />
        Add header
      </button>
    </section>
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
