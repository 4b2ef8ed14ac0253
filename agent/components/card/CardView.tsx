import { useRef } from 'preact/hooks';
import type { Card, Role } from '../../../protocol/index.js';
import { ActionButton, type ActionHost, type OnCardAction } from './ActionButton.js';
import { CardForm } from './CardForm.js';
import { ComponentList } from './ComponentList.js';

export interface CardViewProps {
  /** A card as the site sent it, parsed with `Card` from protocol/. */
  card: Card;
  /** The signed-in agent's role: `adminOnly` buttons are disabled, with a note, for agents. */
  role: Role;
  /** Called with the button's action, its form's values (`{}` outside a form) and the button. */
  onAction: OnCardAction;
  /** The action that is running: every button waits, that one shows a spinner. */
  busyAction?: string | null;
}

/**
 * Draws a card with the console's own elements: text nodes and attributes set here, links and
 * images only by the schemes the protocol allows, forms with labelled controls. A new card (a
 * refresh, or the answer to an action) starts its forms afresh.
 */
export function CardView(props: CardViewProps) {
  const { card } = props;
  const drawn = useRef({ card, generation: 0 });
  if (drawn.current.card !== card) {
    drawn.current = { card, generation: drawn.current.generation + 1 };
  }
  const host: ActionHost = {
    card,
    role: props.role,
    busyAction: props.busyAction ?? null,
    onAction: props.onAction,
  };
  return (
    <div
      class="site-card"
      key={drawn.current.generation}
      aria-busy={host.busyAction !== null || undefined}
    >
      {card.title ? <h4 class="site-card-title">{card.title}</h4> : null}
      <ComponentList
        components={card.components}
        renderButton={(button) => <ActionButton button={button} host={host} />}
        renderForm={(form) => <CardForm form={form} host={host} />}
      />
    </div>
  );
}
