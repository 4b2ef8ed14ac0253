import {
  CardActionBody,
  CardActionOutcome,
  CardLoad,
  CardLoadQuery,
  ConversationCardParams,
  ConversationCards,
} from '../card-calls.js';
import { IdParams, route } from './route.js';

/**
 * Cards beside a conversation, for every agent. A card's site failing is an answer (200 with
 * `status: error`, the reason and its card log entry), so that the console shows it in that
 * card's frame; 4xx answers are about the request (unknown card, a refused click).
 */
export const agentCardRoutes = {
  listConversationCards: route({
    method: 'GET',
    path: '/api/agent/conversations/{id}/cards',
    operationId: 'listConversationCards',
    tag: 'Agent',
    summary: "The project's enabled cards, to draw their frames at once (no site is asked)",
    access: 'agent',
    rateLimited: false,
    params: IdParams,
    response: ConversationCards,
    status: 200,
    errors: [401, 404, 503],
  }),
  getConversationCard: route({
    method: 'GET',
    path: '/api/agent/conversations/{id}/cards/{cardId}',
    operationId: 'getConversationCard',
    tag: 'Agent',
    summary: 'One card for the conversation: from its cache, or asked of the site (refresh=true)',
    access: 'agent',
    rateLimited: false,
    params: ConversationCardParams,
    query: CardLoadQuery,
    response: CardLoad,
    status: 200,
    errors: [400, 401, 404, 422, 503],
  }),
  useCardAction: route({
    method: 'POST',
    path: '/api/agent/conversations/{id}/cards/{cardId}/actions',
    operationId: 'useCardAction',
    tag: 'Agent',
    summary:
      "Use a card's button: checked, then sent to the site once per idempotency key (a repeat gets the first outcome)",
    access: 'agent',
    rateLimited: false,
    params: ConversationCardParams,
    body: CardActionBody,
    response: CardActionOutcome,
    status: 200,
    errors: [400, 401, 403, 404, 409, 413, 422, 503],
  }),
} as const;
