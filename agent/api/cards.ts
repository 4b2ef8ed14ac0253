import type {
  CardCallLogQuery,
  CardInputValues,
  CreateCardRequest,
  UpdateCardRequest,
} from '../../protocol/index.js';
import { agentCardRoutes, cardRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchConversationCards = (id: string) =>
  call(agentCardRoutes.listConversationCards, { params: { id } });

export const fetchCard = (id: string, cardId: string, refresh: boolean) =>
  call(agentCardRoutes.getConversationCard, {
    params: { id, cardId },
    query: { refresh: refresh ? 'true' : null },
  });

/** `idempotencyKey`: made once per click, sent again on every retry of that click. */
export const sendCardAction = (
  id: string,
  cardId: string,
  body: { action: string; inputs: CardInputValues; idempotencyKey: string },
) => call(agentCardRoutes.useCardAction, { params: { id, cardId }, body });

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
