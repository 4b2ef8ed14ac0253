import { Router, type Response } from 'express';
import {
  ActionRequest,
  CardContext,
  type ActionAnswer,
  type CardAnswer,
} from '../protocol/index.js';
import { CANCEL, money, ordersCard, paidWith, REASON_INPUT, REFUND } from './orders-card.js';
import { orderTotal, type AcmeOrder, type AcmeOrders, type OrderChange } from './orders.js';
import { jsonBody, signedByPalaver } from './signed-requests.js';
import type { AcmeSigningSecrets } from './signing-secrets.js';

/** Acme's own limit on a cancel reason: it goes into Palaver's note and Acme's records. */
const REASON_MAX = 200;
/** Answers remembered per idempotency key; past this the oldest are forgotten. */
const REMEMBERED_ANSWERS = 1000;

type Contact = NonNullable<CardContext['contact']>;

function refused(res: Response, error: string): void {
  res.status(400).json({ error });
}

/** The first problem zod found, with its path, for a developer reading the 400. */
function problem(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const [first] = issues;
  if (!first) return 'invalid request';
  const path = first.path.map(String).join('.');
  return path ? `${path}: ${first.message}` : first.message;
}

/**
 * Acme's card endpoint, `POST /palaver/cards/orders` on its customer API: Palaver posts a card
 * context and gets the contact's Orders card; or posts an action (a body with `action`) and Acme
 * cancels or refunds the order, once per idempotency key, answering the updated card, a result
 * for the agent and a note for the conversation's timeline.
 */
export function ordersCardRouter(options: {
  orders: AcmeOrders;
  signingSecrets: AcmeSigningSecrets;
}): Router {
  const { orders } = options;
  const answered = new Map<string, ActionAnswer>();
  const router = Router();

  const cardFor = (contact: CardContext['contact']): CardAnswer =>
    ordersCard(contact, contact ? orders.of(contact.externalId) : []);

  function answer(change: OrderChange, contact: Contact, note: (order: AcmeOrder) => string) {
    const card = cardFor(contact).card;
    if (!change.ok) return { card, result: { status: 'error' as const, message: change.message } };
    const done = note(change.order);
    return { card, result: { status: 'success' as const, message: done }, note: done };
  }

  function act(request: ActionRequest): ActionAnswer {
    const { contact } = request.context;
    if (!contact || contact.identity !== 'verified') {
      return {
        result: { status: 'error', message: 'Acme changes orders for verified customers only' },
      };
    }
    const [kind, number = ''] = request.action.split(':');
    if (kind === CANCEL) {
      const given = request.inputs[REASON_INPUT];
      const reason = typeof given === 'string' ? given.trim() : '';
      if (reason === '' || reason.length > REASON_MAX) {
        return {
          result: {
            status: 'error',
            message: `Give a reason for cancelling, of at most ${REASON_MAX} characters`,
          },
        };
      }
      return answer(
        orders.cancel(contact.externalId, number, reason),
        contact,
        (order) => `Order ${order.number} cancelled — reason: ${reason}`,
      );
    }
    if (kind === REFUND) {
      // Palaver lets only admins press an adminOnly button; Acme holds to its own rule too.
      if (request.agent.role !== 'admin') {
        return { result: { status: 'error', message: 'Only admins may refund an order' } };
      }
      return answer(
        orders.refund(contact.externalId, number),
        contact,
        (order) =>
          `Order ${order.number} refunded — ${money(orderTotal(order), order.currency)} to ${paidWith(order)}`,
      );
    }
    return {
      result: { status: 'error', message: `Acme has no action "${request.action}"` },
    };
  }

  router.post('/cards/orders', ...signedByPalaver(options.signingSecrets), (req, res) => {
    const body = jsonBody(req);
    if (body === undefined) return refused(res, 'The body is not JSON');
    if (typeof body === 'object' && body !== null && 'action' in body) {
      const request = ActionRequest.safeParse(body);
      if (!request.success) return refused(res, problem(request.error.issues));
      // A retry of the same use of a button: the first answer again, nothing done twice.
      let result = answered.get(request.data.idempotencyKey);
      if (!result) {
        result = act(request.data);
        if (answered.size >= REMEMBERED_ANSWERS) {
          answered.delete(answered.keys().next().value!);
        }
        answered.set(request.data.idempotencyKey, result);
      }
      res.json(result);
      return;
    }
    const context = CardContext.safeParse(body);
    if (!context.success) return refused(res, problem(context.error.issues));
    res.json(cardFor(context.data.contact));
  });

  return router;
}
