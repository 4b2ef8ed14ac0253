import { Icon } from './Icon.js';

/**
 * The head of a side-panel section that fetches from the site: its heading, a Refresh button
 * (when `onRefresh` is given; it waits while `pending`), and a status line saying what runs.
 */
export function PanelHead(props: {
  id: string;
  title: string;
  pending: boolean;
  /** "Fetching profile…": announced while pending. */
  pendingText: string;
  /** The Refresh button's tooltip: what it asks, of whom. */
  refreshTitle: string;
  onRefresh?: (() => void) | undefined;
}) {
  return (
    <>
      <div class="panel-heading-row">
        <h3 id={props.id} class="panel-heading">
          {props.title}
        </h3>
        {props.onRefresh ? (
          <button
            type="button"
            class="button button-small"
            disabled={props.pending}
            title={props.refreshTitle}
            onClick={props.onRefresh}
          >
            <Icon name="refresh" size={13} />
            Refresh
          </button>
        ) : null}
      </div>
      <p class="profile-pending" role="status">
        {props.pending ? (
          <>
            <span class="spinner" aria-hidden="true" />
            {props.pendingText}
          </>
        ) : null}
      </p>
    </>
  );
}
