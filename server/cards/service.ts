import { createHash } from 'node:crypto';
import {
  ActionAnswer,
  CardAnswer,
  checkActionInputs,
  findCardAction,
  type Card,
  type CardActionBody,
  type CardActionOutcome,
  type CardCallEntry,
  type CardCallError,
  type CardCallLog,
  type CardCallLogQuery,
  type CardLoad,
  type ConversationCards,
} from '../../protocol/index.js';
import { stripPii } from '../contacts/index.js';
import type { ChatService } from '../conversations/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { newId, newSequencedId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { AgentRecord, ConversationRecord, Store } from '../store/index.js';
import { CardCache } from './cache.js';
import { cardContext, type ConversationContext } from './context.js';
import type { CardSettingsService, ResolvedCard } from './settings.js';
import { callSite, type SiteAnswer, type SiteCallDeps } from './site-call.js';

/** How long a repeat of an action waits for its first use to finish (a call's deadline and some). */
const DUPLICATE_WAIT_MS = 15_000;
const DUPLICATE_POLL_MS = 50;

export interface CardServiceDeps extends SiteCallDeps {
  store: Store;
  settings: CardSettingsService;
  chat: ChatService;
  logger: Logger;
  now?: () => number;
}

interface Fetched {
  card: Card;
  fetchedAt: string;
}

interface CallFacts {
  card: ResolvedCard;
  agent: AgentRecord;
  externalUserId: string | null;
  kind: CardCallEntry['kind'];
  action: string | null;
  inputs: Record<string, string | boolean> | null;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Cards beside a conversation and the actions of their buttons. A card is asked for on its own
 * (the conversation never waits for cards) and its good answer reused for the card's cache time
 * per contact; concurrent identical asks share one call. An action reaches the site once per
 * idempotency key, whatever the double clicks and retries. Every call is in the card log; a
 * failing site is an answer (`status: error`), never an exception.
 */
export class CardService {
  private readonly cache: CardCache<Fetched>;
  private readonly inflight = new Map<string, Promise<CardLoad>>();
  /** Uses of an idempotency key in progress in this process: a double click shares the first. */
  private readonly acting = new Map<
    string,
    { fingerprint: string; outcome: Promise<CardActionOutcome> }
  >();
  private readonly now: () => number;

  constructor(private readonly deps: CardServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.cache = new CardCache(this.now);
  }

  /** The enabled cards of the conversation's project: no site is asked. */
  async cardsOf(agent: AgentRecord, conversationId: string): Promise<ConversationCards> {
    const conversation = await this.deps.chat.conversationForAgent(agent, conversationId);
    const cards = await this.deps.store.cards.list(conversation.projectId);
    return { items: cards.filter((c) => c.enabled).map(({ id, name }) => ({ id, name })) };
  }

  /** One card for one conversation, from the cache unless `refresh` or expired. */
  async load(
    agent: AgentRecord,
    conversationId: string,
    cardId: string,
    refresh: boolean,
  ): Promise<CardLoad> {
    const { conversation, card } = await this.target(agent, conversationId, cardId);
    const about = await cardContext(this.deps.store, conversation);
    const key = cacheKey(card, conversation, about);
    const hit = refresh ? null : this.cache.fresh(key);
    if (hit) return { status: 'ok', ...hit.value, cached: true };
    let running = this.inflight.get(key);
    if (!running) {
      running = this.fetchCard(agent, card, about, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  /** An agent used a card's button: checked, sent to the site once per idempotency key. */
  async act(
    agent: AgentRecord,
    conversationId: string,
    cardId: string,
    body: CardActionBody,
  ): Promise<CardActionOutcome> {
    const { conversation, card } = await this.target(agent, conversationId, cardId);
    const fingerprint = `${card.id}:${body.action}:${conversation.id}`;
    const key = `${card.projectId}\u0000${body.idempotencyKey}`;
    const running = this.acting.get(key);
    if (running) {
      if (running.fingerprint !== fingerprint) throw reusedKey();
      return running.outcome;
    }
    const outcome = this.useOnce(agent, conversation, card, body, fingerprint).finally(() =>
      this.acting.delete(key),
    );
    this.acting.set(key, { fingerprint, outcome });
    return outcome;
  }

  /** The card log, newest first. */
  async log(projectId: string, query: CardCallLogQuery): Promise<CardCallLog> {
    if (!(await this.deps.store.projects.get(projectId))) throw notFound(`Project "${projectId}"`);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeLogCursor(query.cursor) : undefined;
    const items = await this.deps.store.cards.listCalls(projectId, {
      limit,
      ...(query.cardId !== undefined ? { cardId: query.cardId } : {}),
      ...(after ? { after } : {}),
    });
    const last = items.at(-1);
    return {
      items,
      nextCursor: items.length === limit && last ? encodeCursor(last.at, last.id) : null,
    };
  }

  private async target(agent: AgentRecord, conversationId: string, cardId: string) {
    const conversation = await this.deps.chat.conversationForAgent(agent, conversationId);
    const card = await this.deps.settings.enabledCard(conversation.projectId, cardId);
    if (!card) throw notFound('Card');
    return { conversation, card };
  }

  private async fetchCard(
    agent: AgentRecord,
    card: ResolvedCard,
    about: ConversationContext,
    key: string,
  ): Promise<CardLoad> {
    const answer = await callSite(
      this.deps,
      card,
      card.url,
      about.context,
      newId('creq'),
      CardAnswer,
      'invalid_card',
    );
    const facts: CallFacts = {
      card,
      agent,
      externalUserId: about.externalUserId,
      kind: 'card',
      action: null,
      inputs: null,
    };
    const logId = await this.record(facts, answer);
    if (!answer.ok) return failure(answer, logId);
    const fetched = { card: answer.value.card, fetchedAt: new Date(this.now()).toISOString() };
    this.cache.set(key, fetched, card.cacheSeconds * 1000);
    return { status: 'ok', ...fetched, cached: false };
  }

  /** The first use of a key in this process: claimed in the store, so across instances too. */
  private async useOnce(
    agent: AgentRecord,
    conversation: ConversationRecord,
    card: ResolvedCard,
    body: CardActionBody,
    fingerprint: string,
  ): Promise<CardActionOutcome> {
    const about = await cardContext(this.deps.store, conversation);
    const deadline = this.now() + DUPLICATE_WAIT_MS;
    for (;;) {
      const claim = await this.deps.store.cards.claimAction(card.projectId, body.idempotencyKey, {
        fingerprint,
        externalUserId: about.externalUserId,
        at: new Date(this.now()).toISOString(),
      });
      if (claim.claimed) break;
      if (claim.fingerprint !== fingerprint) throw reusedKey();
      if (claim.outcome) return claim.outcome;
      // Another instance is calling the site with this key: its outcome is ours.
      if (this.now() > deadline) {
        throw conflict('This action is still running; try again in a moment');
      }
      await new Promise((resolve) => setTimeout(resolve, DUPLICATE_POLL_MS));
    }
    let outcome: CardActionOutcome | null = null;
    try {
      outcome = await this.callAction(agent, conversation, card, body, about);
      return outcome;
    } finally {
      // Settled: repeats get this outcome. Not settled (refused before the call, or the site
      // gave no answer): a retry with the same key may call again, and the site sees the key.
      if (outcome && (outcome.status === 'ok' || outcome.errorClass.startsWith('invalid'))) {
        await this.deps.store.cards.settleAction(card.projectId, body.idempotencyKey, outcome);
      } else {
        await this.deps.store.cards.releaseAction(card.projectId, body.idempotencyKey);
      }
    }
  }

  private async callAction(
    agent: AgentRecord,
    conversation: ConversationRecord,
    card: ResolvedCard,
    body: CardActionBody,
    about: ConversationContext,
  ): Promise<CardActionOutcome> {
    const key = cacheKey(card, conversation, about);
    const seen = this.cache.seen(key)?.card ?? (await this.seenAgain(agent, card, about, key));
    const site = findCardAction(seen, body.action);
    if (site?.button.adminOnly === true && agent.role !== 'admin') {
      throw forbidden(`Only admins may use “${site.button.text}”`);
    }
    const checked = checkActionInputs(seen, body.action, body.inputs ?? {}, agent.role);
    if (!checked.ok) {
      const first = checked.problems[0];
      if (first?.path === 'action') throw conflict(first.message);
      throw new AppError(
        'validation_failed',
        422,
        checked.problems.map((p) => p.message).join('; '),
        checked.problems,
      );
    }
    const answer = await callSite(
      this.deps,
      card,
      card.url,
      {
        action: body.action,
        inputs: checked.inputs,
        context: about.context,
        agent: { id: agent.id, name: agent.name, email: agent.email, role: agent.role },
        idempotencyKey: body.idempotencyKey,
      },
      `act_${sha(`${card.projectId}:${body.idempotencyKey}`)}`,
      ActionAnswer,
      'invalid_answer',
    );
    const logId = await this.record(
      {
        card,
        agent,
        externalUserId: about.externalUserId,
        kind: 'action',
        action: body.action,
        inputs: checked.inputs,
      },
      answer,
    );
    if (!answer.ok) return failure(answer, logId);
    const { card: next, result, note } = answer.value;
    if (next)
      this.cache.set(
        key,
        { card: next, fetchedAt: new Date(this.now()).toISOString() },
        card.cacheSeconds * 1000,
      );
    const written =
      note === undefined
        ? undefined
        : await this.deps.chat.agentNote(agent, conversation, sha(body.idempotencyKey), note);
    return {
      status: 'ok',
      ...(next ? { card: next } : {}),
      ...(result ? { result } : {}),
      ...(written ? { note: written } : {}),
    };
  }

  /** The card the agent clicked on is no longer in memory (expired, or another instance). */
  private async seenAgain(
    agent: AgentRecord,
    card: ResolvedCard,
    about: ConversationContext,
    key: string,
  ): Promise<Card> {
    const load = await this.fetchCard(agent, card, about, key);
    if (load.status === 'ok') return load.card;
    throw conflict(`The card could not be loaded to check this button: ${load.message}`);
  }

  /** Writes the card log entry (inputs through the PII guard) and the server log line. */
  private async record(facts: CallFacts, answer: SiteAnswer<unknown>): Promise<string> {
    const { card, agent } = facts;
    const guarded = facts.inputs ? stripPii(facts.inputs) : null;
    const id = newSequencedId('clog');
    const entry = {
      id,
      projectId: card.projectId,
      at: new Date(this.now()).toISOString(),
      cardId: card.id,
      cardName: card.name,
      agent: { id: agent.id, name: agent.name },
      externalUserId: facts.externalUserId,
      kind: facts.kind,
      action: facts.action,
      outcome: answer.ok ? ('ok' as const) : ('error' as const),
      httpStatus: answer.httpStatus,
      latencyMs: answer.latencyMs,
      errorClass: answer.ok ? null : answer.errorClass,
      message: answer.ok ? `HTTP 200 in ${answer.latencyMs} ms` : answer.message,
      inputs: guarded ? (guarded.clean as Record<string, string | boolean>) : null,
      droppedPii: (guarded?.dropped ?? []).map((d) => ({ path: d.key, reason: d.reason })),
    };
    await this.deps.store.cards.appendCall(entry).catch((error: unknown) => {
      // The call's result still reaches the agent; only its log entry is lost.
      this.deps.logger.warn({ err: error, projectId: card.projectId }, 'card log write failed');
    });
    this.deps.logger[answer.ok ? 'info' : 'warn'](
      {
        projectId: card.projectId,
        cardId: card.id,
        kind: facts.kind,
        outcome: entry.outcome,
        errorClass: entry.errorClass,
        httpStatus: entry.httpStatus,
        latencyMs: entry.latencyMs,
      },
      'card call',
    );
    return id;
  }
}

/** Answers are per contact; an anonymous visitor's per conversation. */
function cacheKey(
  card: ResolvedCard,
  conversation: ConversationRecord,
  about: ConversationContext,
) {
  const who = about.externalUserId === null ? `c:${conversation.id}` : `u:${about.externalUserId}`;
  return `${card.projectId}\u0000${card.id}\u0000${who}`;
}

const reusedKey = () =>
  conflict('This idempotency key was used for another action; make a new key for each click');

function failure(
  answer: Extract<SiteAnswer<unknown>, { ok: false }>,
  logId: string,
): CardCallError {
  return { status: 'error', errorClass: answer.errorClass, message: answer.message, logId };
}

function decodeLogCursor(cursor: string): { at: string; id: string } {
  const [at, id] = decodeCursor(cursor, 'The cursor is not one this server issued; start over');
  return { at, id };
}
