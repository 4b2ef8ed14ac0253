import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { Icon } from '../Icon.js';
import { PanelHead } from '../PanelHead.js';

/** Where a card stands: being fetched, shown, or failed (with why, and where to look). */
export type CardFrameState =
  { status: 'loading' } | { status: 'ready' } | { status: 'error'; reason: string; help?: string };

export interface CardFrameProps {
  /** The card's name in the project's settings, e.g. "Recent orders". */
  name: string;
  state: CardFrameState;
  /** Asks the site for the card again; the button waits while the card loads. */
  onRefresh?: () => void;
  /** The outcome of the last action, as the site put it for the agent. */
  result?: { status: 'success' | 'error'; message: string } | null;
  /** The card itself (a CardView); kept on screen while a refresh runs or after it failed. */
  children?: ComponentChildren;
}

/**
 * A card's place in the conversation's side column: its name and Refresh, the loading and error
 * states, the last action's result, then the card. It looks like the profile section above it.
 */
export function CardFrame(props: CardFrameProps) {
  const id = useId();
  const { state, result } = props;
  const loading = state.status === 'loading';
  return (
    <section class="panel-section site-card-frame" aria-labelledby={id} aria-busy={loading}>
      <PanelHead
        id={id}
        title={props.name}
        pending={loading}
        pendingText="Loading…"
        refreshTitle={`Ask the site for “${props.name}” again`}
        onRefresh={props.onRefresh}
      />
      {state.status === 'error' ? (
        <div class="profile-alert site-card-error" role="alert">
          <Icon name="alert" size={14} />
          <div>
            <p class="strong">{state.reason}</p>
            {state.help ? <p class="profile-alert-detail">{state.help}</p> : null}
          </div>
        </div>
      ) : null}
      {result ? (
        <p
          class={`notice ${result.status === 'success' ? 'notice-success' : 'notice-error'} site-card-result`}
          role="status"
        >
          {result.message}
        </p>
      ) : null}
      {props.children}
    </section>
  );
}
