import type {
  CardActionOutcome,
  CardLoad,
  ConversationCards,
  CardCallLogQuery,
  CardInputValues,
  CreateCardRequest,
  UpdateCardRequest,
} from '../../protocol/index.js';
import { cardRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';
import { request, type Parser } from './request.js';

/*
 * The three calls beside a conversation go around the route table on purpose: its entries hold
 * the card schema (protocol/card.ts, ~3 KB gzipped), which the console would only use to parse
 * again what the server already parsed with it (CardAnswer, ActionAnswer). Cards are drawn with
 * the console's own elements, and CardView checks every link and image address again.
 */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The light check instead: the answer's shape, where the full parse would check the card too. */
function shaped<T>(ok: (value: Record<string, unknown>) => boolean): Parser<T> {
  return {
    safeParse: (value) =>
      isObject(value) && ok(value) ? { success: true, data: value as T } : { success: false },
  };
}

const byStatus = (value: Record<string, unknown>) =>
  value.status === 'error'
    ? typeof value.message === 'string'
    : value.status === 'ok' && (value.card === undefined || isObject(value.card));

const cardsOf = (id: string) => `/api/agent/conversations/${encodeURIComponent(id)}/cards`;

export const fetchConversationCards = (id: string) =>
  request('GET', cardsOf(id), {
    schema: shaped<ConversationCards>((value) => Array.isArray(value.items)),
  });

export const fetchCard = (id: string, cardId: string, refresh: boolean) =>
  request('GET', `${cardsOf(id)}/${encodeURIComponent(cardId)}${refresh ? '?refresh=true' : ''}`, {
    schema: shaped<CardLoad>(byStatus),
  });

/** `idempotencyKey`: made once per click, sent again on every retry of that click. */
export const sendCardAction = (
  id: string,
  cardId: string,
  body: { action: string; inputs: CardInputValues; idempotencyKey: string },
) =>
  request('POST', `${cardsOf(id)}/${encodeURIComponent(cardId)}/actions`, {
    body,
    schema: shaped<CardActionOutcome>(byStatus),
  });

export const fetchCardLog = (projectId: string, query: CardCallLogQuery) =>
  call(cardRoutes.listCardCalls, { params: { id: projectId }, query });

export const fetchCardSettings = (projectId: string) =>
  call(cardRoutes.listCards, { params: { id: projectId } });

export const createCard = (projectId: string, body: CreateCardRequest) =>
  call(cardRoutes.createCard, { params: { id: projectId }, body });

export const updateCard = (projectId: string, cardId: string, body: UpdateCardRequest) =>
  call(cardRoutes.updateCard, { params: { id: projectId, cardId }, body });

export const deleteCard = (projectId: string, cardId: string) =>
  call(cardRoutes.deleteCard, { params: { id: projectId, cardId } });
