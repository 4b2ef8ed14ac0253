import type { EraseResult, MergeResult } from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { AuditEntry, NewDelivery, Store } from '../store/index.js';
import { announceContact } from './announce.js';
import { combine } from './rules.js';
import type { Actor } from './service.js';
import { toContact } from './view.js';

/** The two destructive changes to contacts, each recorded in the project's audit log. */

interface Context {
  store: Store;
  announcer: Announcer;
  now: () => Date;
}

function audit(
  context: Context,
  entry: Pick<AuditEntry, 'projectId' | 'action' | 'subject' | 'details'>,
  actor: Actor,
): AuditEntry {
  return { id: newId('aud'), at: context.now().toISOString(), actor: actor.description, ...entry };
}

/** Tells the consoles showing these visitors to read them again (their contact changed). */
async function visitorsChanged(
  context: Context,
  projectId: string,
  visitors: { visitorId: string; conversationIds: string[] }[],
): Promise<void> {
  for (const { visitorId, conversationIds } of visitors) {
    await context.announcer.visitorUpdated(projectId, visitorId, conversationIds);
  }
}

export async function eraseContact(
  context: Context,
  projectId: string,
  externalId: string,
  options: { messages: boolean },
  actor: Actor,
  /** contact.deleted webhook deliveries, written with the erasure. */
  deliveries: NewDelivery[] = [],
): Promise<EraseResult> {
  const visitors = await context.store.visitors.ofContact(projectId, externalId);
  const erased = await context.store.contacts.erase(projectId, externalId, {
    messages: options.messages,
    deliveries,
    audit: audit(
      context,
      {
        projectId,
        action: 'contact.erased',
        subject: externalId,
        details: { messagesErased: options.messages },
      },
      actor,
    ),
  });
  if (!erased) throw notFound(`No contact or visitor has the externalId "${externalId}"; it`);
  await visitorsChanged(context, projectId, visitors);
  return {
    externalId,
    conversations: erased.conversationIds.length,
    messagesErased: options.messages,
  };
}

export async function mergeContacts(
  context: Context,
  projectId: string,
  primary: string,
  secondary: string,
  actor: Actor,
  /** contact.deleted webhook deliveries of the secondary, written with the merge. */
  deliveries: NewDelivery[] = [],
): Promise<MergeResult> {
  if (primary === secondary) {
    throw new AppError('validation_failed', 422, 'A contact cannot be merged into itself', [
      { path: 'fromExternalId', message: 'must differ from the contact merged into' },
    ]);
  }
  const { store } = context;
  const target = await store.contacts.get(projectId, primary);
  if (!target) throw notFound(`No contact has the externalId "${primary}"; it`);
  const visitors = await store.visitors.ofContact(projectId, secondary);
  const at = context.now().toISOString();
  const merged = await store.contacts.merge(
    projectId,
    primary,
    secondary,
    (p, s) => combine(p, s, at),
    audit(
      context,
      { projectId, action: 'contact.merged', subject: primary, details: { from: secondary } },
      actor,
    ),
    deliveries,
  );
  if (!merged) {
    // A retry of a merge that went through (its answer lost) finds the secondary gone.
    const done = await store.contacts.lastMergeOf(projectId, secondary);
    if (done?.subject !== primary) {
      throw notFound(`No contact has the externalId "${secondary}" (fromExternalId); it`);
    }
    return {
      contact: toContact(target),
      mergedFrom: secondary,
      conversationsMoved: 0,
      alreadyMerged: true,
    };
  }
  await visitorsChanged(context, projectId, visitors);
  await announceContact(context, projectId, merged.contact);
  return {
    contact: toContact(merged.contact),
    mergedFrom: secondary,
    conversationsMoved: merged.conversationIds.length,
    alreadyMerged: false,
  };
}
