import type { ComponentChildren } from 'preact';
import { Icon } from '../../components/Icon.js';

/** The button that opens the form for a new item of the list. */
export function AddButton(props: { label: string; onClick: () => void }) {
  return (
    <button type="button" class="button button-primary" onClick={props.onClick}>
      <Icon name="plus" size={14} />
      {props.label}
    </button>
  );
}

/**
 * The list in its card: the named columns and a last, unnamed one for each row's buttons, the
 * rows, "Loading…" until they come, and `note` under them.
 */
export function ListTable(props: {
  columns: readonly string[];
  loading: boolean;
  children: ComponentChildren;
  note?: ComponentChildren;
}) {
  return (
    <div class="card">
      <table class="table">
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
      {props.loading ? <p class="loading">Loading…</p> : null}
      {props.note}
    </div>
  );
}
