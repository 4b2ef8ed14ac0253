import { useId, useState } from 'preact/hooks';
import {
  checkActionInputs,
  type Card,
  type CardButton,
  type CardInputValues,
  type InputProblem,
  type Role,
} from '../../../protocol/index.js';
import { Dialog } from '../Dialog.js';

/** Called once the agent used a button (and confirmed, when the card asks to). */
export type OnCardAction = (action: string, inputs: CardInputValues, button: CardButton) => void;

/** What every button of a card needs from the view that draws it. */
export interface ActionHost {
  card: Card;
  role: Role;
  /** The action running now: every button waits, that one shows it is busy. */
  busyAction: string | null;
  onAction: OnCardAction;
}

const STYLE_CLASS = {
  primary: 'button button-small button-primary',
  secondary: 'button button-small',
  danger: 'button button-small button-danger',
} as const;

/**
 * One button of a card. It checks the values it sends against the card (the same check the server
 * runs), asks for confirmation in a dialog when the card says so, and only then calls `onAction`.
 * Outside a form it sends no values and shows its own problems; in a form, the form shows them.
 */
export function ActionButton(props: {
  button: CardButton;
  host: ActionHost;
  values?: CardInputValues;
  onProblems?: (problems: InputProblem[]) => void;
}) {
  const { button, host } = props;
  const id = useId();
  const [confirming, setConfirming] = useState<CardInputValues | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const adminOnly = button.adminOnly === true && host.role !== 'admin';
  const busy = host.busyAction === button.action;
  // A dangerous action starts on Cancel, so that Enter does not confirm it by reflex.
  const danger = button.style === 'danger';

  function press(): void {
    const checked = checkActionInputs(host.card, button.action, props.values ?? {}, host.role);
    const problems = checked.ok ? [] : checked.problems;
    if (props.onProblems) props.onProblems(problems);
    else setProblem(problems[0]?.message ?? null);
    if (!checked.ok) return;
    if (button.confirm !== undefined) setConfirming(checked.inputs);
    else host.onAction(button.action, checked.inputs, button);
  }

  function confirm(inputs: CardInputValues): void {
    setConfirming(null);
    host.onAction(button.action, inputs, button);
  }

  const note = adminOnly ? 'Only admins can use this button' : problem;
  return (
    <span class="site-card-action">
      <button
        type="button"
        class={STYLE_CLASS[button.style ?? 'secondary']}
        disabled={adminOnly || host.busyAction !== null}
        aria-busy={busy || undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onClick={press}
      >
        {busy ? <span class="spinner" aria-hidden="true" /> : null}
        {button.text}
      </button>
      {note ? (
        <span id={`${id}-note`} class={adminOnly ? 'site-card-action-note' : 'field-error'}>
          {note}
        </span>
      ) : null}
      {confirming ? (
        <Dialog id={`${id}-confirm`} title={`${button.text}?`} onClose={() => setConfirming(null)}>
          <div class="dialog-body">
            <p class="pre-line">{button.confirm}</p>
            <div class="dialog-actions">
              <button
                type="button"
                autoFocus={danger}
                class="button"
                onClick={() => setConfirming(null)}
              >
                Cancel
              </button>
              <button
                type="button"
                autoFocus={!danger}
                class={danger ? 'button button-danger-solid' : 'button button-primary'}
                onClick={() => confirm(confirming)}
              >
                {button.text}
              </button>
            </div>
          </div>
        </Dialog>
      ) : null}
    </span>
  );
}
