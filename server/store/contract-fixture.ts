import { afterEach, beforeEach } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import { visitorRecord } from '../../test/support/records.js';
import { newId } from '../ids.js';
import { blankContact, emptyProfile } from './contact-blank.js';
import type { Profile } from '../../protocol/index.js';
import type {
  AgentRecord,
  ContactRecord,
  NewLogEntry,
  NewMessage,
  Store,
  VisitorRecord,
} from './port.js';

/**
 * What the contract suites share: a fresh store per test, opened by the adapter's factory and
 * holding one project `p1`, and builders for the records the tests store.
 */
export interface StoreFixture {
  readonly store: Store;
  readonly now: string;
  /** Stores a visitor of `p1`; its record. */
  visitor(overrides?: Partial<VisitorRecord>, tokenHash?: string): Promise<VisitorRecord>;
  message(conversationId: string, overrides?: Partial<NewMessage>): NewMessage;
  /** The visitor's open conversation, opened under `newConversationId` when there is none. */
  openFor(v: VisitorRecord, newConversationId?: string): NewMessage['target'];
  /** Opens the visitor's conversation with a first message (seq 1); its id. */
  openWithMessage(v: VisitorRecord, id?: string, overrides?: Partial<NewMessage>): Promise<string>;
  agent(email: string): AgentRecord;
  /** Open connections first (PostgreSQL), so that racing callers really run side by side. */
  connectionsForEveryCaller(): Promise<unknown>;
}

/** When every record of the fixture was made. */
const NOW = '2026-01-01T00:00:00.000Z';

/** A contact record of `p1` as a change would return it. */
export function contactRecord(
  externalUserId: string,
  updatedAt: string,
  profile: Partial<Profile> | null = null,
  extra: Partial<ContactRecord> = {},
): ContactRecord {
  return {
    ...blankContact('p1', externalUserId, updatedAt),
    profile: profile && { ...emptyProfile(), ...profile },
    ...extra,
  };
}

/** An integration log entry of `p1`: a successful session fetch of `u1`. */
export function logEntry(overrides: Partial<NewLogEntry> = {}): NewLogEntry {
  return {
    projectId: 'p1',
    id: 'ilog_1',
    at: NOW,
    externalUserId: 'u1',
    trigger: 'session',
    outcome: 'ok',
    httpStatus: 200,
    latencyMs: 1,
    errorClass: null,
    message: null,
    invalidFields: [],
    droppedPii: [],
    ...overrides,
  };
}

export const createdOnce = (outcomes: boolean[]) => outcomes.filter(Boolean).length;

/** Registers the hooks that open and close the store around each test of the calling suite. */
export function useStoreFixture(open: () => Promise<Store>): StoreFixture {
  let current: Store | undefined;
  const now = NOW;

  beforeEach(async () => {
    current = await open();
    await current.projects.create({
      id: 'p1',
      name: 'P1',
      allowedOrigins: ['https://a.test'],
      widget: DEFAULT_WIDGET_OPTIONS,
      createdAt: now,
    });
  });
  afterEach(() => current?.close());

  const fixture: StoreFixture = {
    get store() {
      if (!current) throw new Error('The store opens before each test');
      return current;
    },
    now,
    async visitor(overrides = {}, tokenHash = newId('tok')) {
      const record = visitorRecord({
        id: newId('vis'),
        projectId: 'p1',
        firstSeenAt: now,
        ...overrides,
      });
      await fixture.store.visitors.create({ ...record, tokenHash });
      return record;
    },
    message(conversationId, overrides = {}) {
      return {
        target: { conversationId },
        senderKey: 'v:x',
        clientMessageId: newId('c'),
        author: { kind: 'visitor', id: 'x', name: null, avatarUrl: null },
        body: 'hello',
        createdAt: now,
        ...overrides,
      };
    },
    openFor(v, newConversationId = newId('conv')) {
      return { openFor: { visitorId: v.id, projectId: 'p1', newConversationId } };
    },
    async openWithMessage(v, id = newId('conv'), overrides = {}) {
      const first = await fixture.store.conversations.append({
        ...fixture.message(''),
        target: fixture.openFor(v, id),
        ...overrides,
      });
      return first.conversation.id;
    },
    agent(email) {
      return {
        id: newId('agt'),
        email,
        name: email,
        role: 'admin',
        active: true,
        passwordHash: 'x',
        projectIds: ['p1'],
        createdAt: now,
      };
    },
    connectionsForEveryCaller: () => Promise.all([1, 2, 3, 4].map(() => fixture.store.ping())),
  };
  return fixture;
}
