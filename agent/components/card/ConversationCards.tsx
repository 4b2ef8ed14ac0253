import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Card, CardInputValues } from '../../../protocol/index.js';
import { fetchCard, fetchConversationCards, sendCardAction } from '../../api/cards.js';
import { ApiError, failed } from '../../api/request.js';
import { clientMessageId } from '../../lib/ids.js';
import { $session } from '../../stores/session.js';
import { addMessage } from '../../stores/threads.js';
import { CardFrame, type CardFrameState } from './CardFrame.js';
import { CardView } from './CardView.js';

const LOG_HELP = 'An admin sees the details in Settings → Projects → Cards, in the card log.';

/**
 * The conversation's cards, under the profile: the frames as soon as the list arrives, then each
 * card on its own request, in parallel, so that a slow site delays only its own card.
 */
export function ConversationCards({ conversationId }: { conversationId: string }) {
  const [cards, setCards] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    let current = true;
    setCards([]);
    fetchConversationCards(conversationId).then(
      (list) => current && setCards(list.items),
      // No frames: cards are extras, and the conversation works without them.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [conversationId]);
  return (
    <>
      {cards.map((card) => (
        <SiteCard
          key={`${conversationId}:${card.id}`}
          conversationId={conversationId}
          cardId={card.id}
          name={card.name}
        />
      ))}
    </>
  );
}

interface Click {
  action: string;
  inputs: CardInputValues;
  key: string;
}

function SiteCard(props: { conversationId: string; cardId: string; name: string }) {
  const { conversationId, cardId } = props;
  const session = useStore($session);
  const role = session.status === 'authenticated' ? session.session.agent.role : 'agent';
  const [state, setState] = useState<CardFrameState>({ status: 'loading' });
  const [card, setCard] = useState<Card | null>(null);
  const [result, setResult] = useState<{ status: 'success' | 'error'; message: string } | null>(
    null,
  );
  const [busy, setBusy] = useState<string | null>(null);
  // The click whose answer never came: Try again sends it with the same key, done at most once.
  const [lost, setLost] = useState<Click | null>(null);

  async function load(refresh: boolean): Promise<void> {
    setState({ status: 'loading' });
    try {
      const loaded = await fetchCard(conversationId, cardId, refresh);
      if (loaded.status === 'ok') {
        setCard(loaded.card);
        setState({ status: 'ready' });
      } else setState({ status: 'error', reason: loaded.message, help: LOG_HELP });
    } catch (error) {
      setState({ status: 'error', reason: failed(error, 'load the card') });
    }
  }

  useEffect(() => {
    void load(false);
  }, []);

  async function send(click: Click): Promise<void> {
    setBusy(click.action);
    setResult(null);
    setLost(null);
    try {
      const outcome = await sendCardAction(conversationId, cardId, {
        action: click.action,
        inputs: click.inputs,
        idempotencyKey: click.key,
      });
      if (outcome.status === 'error') {
        setResult({ status: 'error', message: `${outcome.message}. ${LOG_HELP}` });
        return;
      }
      if (outcome.card) setCard(outcome.card);
      if (outcome.note) addMessage(outcome.note);
      setResult(outcome.result ?? (outcome.note ? { status: 'success', message: 'Done' } : null));
    } catch (error) {
      // No answer (the network, or the server failed): the same click may be sent again, with
      // its key, and reaches the site at most once.
      if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) setLost(click);
      setResult({ status: 'error', message: failed(error, 'use the button') });
    } finally {
      setBusy(null);
    }
  }

  return (
    <CardFrame name={props.name} state={state} onRefresh={() => void load(true)} result={result}>
      {lost ? (
        <button type="button" class="link-button" onClick={() => void send(lost)}>
          Try again
        </button>
      ) : null}
      {card ? (
        <CardView
          card={card}
          role={role}
          busyAction={busy}
          onAction={(action, inputs) => void send({ action, inputs, key: clientMessageId() })}
        />
      ) : null}
    </CardFrame>
  );
}
