import type { CardActionOutcome, CardCallEntry } from '../../protocol/index.js';
/** A project's card: an endpoint of the site that answers with live data beside conversations. */
export interface CardRecord {
  id: string;
  projectId: string;
  name: string;
  url: string;
  /** The endpoint's custom headers, sealed (SecretBox); null when there are none. */
  headersSealed: string | null;
  enabled: boolean;
  cacheSeconds: number;
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** One entry of the card call log (see CardCallEntry); inputs already through the PII guard. */
export type CardCallRecord = CardCallEntry & {
  projectId: string;
  /** The contact the call was about, so that erasing them erases the entry. */
  externalUserId: string | null;
};

/** The first use of an idempotency key, or the one already made. */
export type ActionClaim =
  { claimed: true } | { claimed: false; fingerprint: string; outcome: CardActionOutcome | null };

/** The cards of each project, their call log and the outcomes of their actions. */
export interface CardStore {
  /** Throws DuplicateError (`card`, `name`) when the project has a card of that name. */
  create(card: CardRecord): Promise<void>;
  /** The project's cards by position, then creation. */
  list(projectId: string): Promise<CardRecord[]>;
  /** One card of the project; null when the project has no card with this id. */
  get(projectId: string, id: string): Promise<CardRecord | null>;
  /** Replaces the stored card; false when it is gone. Duplicate names throw as in `create`. */
  save(card: CardRecord): Promise<boolean>;
  /** False when the project has no card with this id. */
  delete(projectId: string, id: string): Promise<boolean>;

  /** Appends to the card log; a project keeps its newest entries (a thousand). */
  appendCall(entry: CardCallRecord): Promise<void>;
  /** Newest first (time, then id), after `after` when given. */
  listCalls(
    projectId: string,
    query: { cardId?: string; limit: number; after?: { at: string; id: string } },
  ): Promise<CardCallEntry[]>;

  /**
   * Claims (project, key) for one use of an action, or answers the use already made with it:
   * its fingerprint and its outcome (null while it is still calling the site).
   */
  claimAction(
    projectId: string,
    key: string,
    use: { fingerprint: string; externalUserId: string | null; at: string },
  ): Promise<ActionClaim>;
  /** Stores the outcome of a claimed use: repeats of the key get it from now on. */
  settleAction(projectId: string, key: string, outcome: CardActionOutcome): Promise<void>;
  /** Gives a claimed key up (the site was not reached, or not usefully): a retry calls again. */
  releaseAction(projectId: string, key: string): Promise<void>;
}
