import { Router, type Request } from 'express';
import * as z from 'zod/mini';
import { jsonBody, signedByPalaver } from './signed-requests.js';
import type { AcmeSigningSecrets } from './signing-secrets.js';

/** Deliveries Acme keeps for its page; older ones are forgotten, and so are their ids. */
const KEPT = 100;
const SUMMARY_MAX = 120;

/** The envelope of every webhook Palaver sends (README, "Webhooks"). */
const WebhookEvent = z.object({
  id: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  createdAt: z.string(),
  projectId: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export interface ReceivedWebhook {
  receivedAt: Date;
  /** From the Palaver-Event-Id header (unverified when the delivery was rejected). */
  eventId: string | null;
  type: string | null;
  /** null when the signature verified; else why Acme refused the delivery. */
  rejected: string | null;
  summary: string;
  /** How many times Palaver delivered this event; Acme handled it once. */
  deliveries: number;
}

const cut = (text: string) =>
  text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '?');

/** A line about what happened, for a person scanning the page; not the whole payload. */
function summarise(type: string, data: Record<string, unknown>): string {
  if (type === 'message.created') {
    const author = field(data, 'message', 'author');
    // An anonymous visitor has no name.
    const name = field(author, 'name');
    const who = [text(field(author, 'kind')), ...(typeof name === 'string' ? [name] : [])].join(
      ' ',
    );
    return cut(`${who}: “${text(field(data, 'message', 'body'))}”`);
  }
  if (type.startsWith('conversation.')) {
    const conversation = field(data, 'conversation');
    return `conversation ${text(field(conversation, 'id'))} (${text(field(conversation, 'status'))})`;
  }
  if (type.startsWith('contact.')) {
    const changed = field(data, 'contact', 'changed');
    const fields = Array.isArray(changed) ? `: ${changed.map(String).join(', ')}` : '';
    return cut(`contact ${text(field(data, 'contact', 'externalId'))}${fields}`);
  }
  if (type === 'integration.health_changed') {
    return `Acme's user API went from ${text(data.from)} to ${text(data.to)}`;
  }
  return cut(JSON.stringify(data));
}

/** What Acme's receiver got from Palaver, newest first, each event handled once. */
export class WebhookLog {
  private readonly entries: ReceivedWebhook[] = [];
  private readonly byEventId = new Map<string, ReceivedWebhook>();

  list(): readonly ReceivedWebhook[] {
    return this.entries;
  }

  /** Records a verified event; false when it was already handled (a redelivery). */
  accept(eventId: string, type: string, data: Record<string, unknown>): boolean {
    const seen = this.byEventId.get(eventId);
    if (seen) {
      seen.deliveries += 1;
      return false;
    }
    const entry = this.add({ eventId, type, rejected: null, summary: summarise(type, data) });
    this.byEventId.set(eventId, entry);
    return true;
  }

  reject(eventId: string | null, type: string | null, why: string): void {
    this.add({ eventId, type, rejected: why, summary: '' });
  }

  private add(entry: Omit<ReceivedWebhook, 'receivedAt' | 'deliveries'>): ReceivedWebhook {
    const kept = { ...entry, receivedAt: new Date(), deliveries: 1 };
    this.entries.unshift(kept);
    for (const old of this.entries.splice(KEPT)) {
      if (old.eventId !== null && this.byEventId.get(old.eventId) === old) {
        this.byEventId.delete(old.eventId);
      }
    }
    return kept;
  }
}

/**
 * Acme's webhook receiver, `POST /palaver/webhooks` on its customer API: verifies the signature
 * over the raw body, drops a redelivered event by its `Palaver-Event-Id`, and logs every delivery
 * (rejected ones too) for the page at /demo/webhooks.
 */
export function webhookReceiverRouter(options: {
  log: WebhookLog;
  signingSecrets: AcmeSigningSecrets;
}): Router {
  const { log } = options;
  const router = Router();
  // Before the signature is checked these are anybody's words: kept short for the page.
  const header = (req: Request, name: string) => {
    const value = req.get(name);
    return value === undefined ? null : cut(value);
  };
  const claimed = (req: Request) => ({
    eventId: header(req, 'palaver-event-id'),
    type: header(req, 'palaver-event-type'),
  });
  const rejected = (req: Request, why: string) => {
    const { eventId, type } = claimed(req);
    log.reject(eventId, type, why);
  };

  router.post('/webhooks', ...signedByPalaver(options.signingSecrets, rejected), (req, res) => {
    const refuse = (why: string) => {
      rejected(req, why);
      res.status(400).json({ error: why });
    };
    const { eventId } = claimed(req);
    if (!eventId) return refuse('no Palaver-Event-Id header');
    const event = WebhookEvent.safeParse(jsonBody(req));
    if (!event.success) {
      return refuse('the body is not a Palaver event ({id, type, createdAt, projectId, data})');
    }
    // A redelivery is answered 2xx too, or Palaver would keep retrying it.
    const fresh = log.accept(eventId, event.data.type, event.data.data);
    res.json({ received: eventId, duplicate: !fresh });
  });

  return router;
}
