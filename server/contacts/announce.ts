import type { Announcer } from '../announcer/index.js';
import type { ContactRecord, Store } from '../store/index.js';
import { toContactProfile, visitorLabel } from './contact-view.js';

/** Tells the agents showing a visitor of this contact that its profile is being fetched. */
export async function announceFetching(
  deps: { store: Store; announcer: Announcer },
  projectId: string,
  externalUserId: string,
): Promise<void> {
  const visitors = await deps.store.visitors.ofContact(projectId, externalUserId);
  const conversationIds = visitors.flatMap((v) => v.conversationIds);
  if (conversationIds.length > 0) await deps.announcer.profileFetching(projectId, conversationIds);
}

/**
 * Tells the agents of the project what the profile panel of every visitor carrying these
 * contacts shows now, the profile included: consoles apply it without asking again. One query
 * finds the visitors of all of them (a bulk push changes a hundred at once).
 */
export async function announceContacts(
  deps: { store: Store; announcer: Announcer },
  projectId: string,
  records: readonly ContactRecord[],
): Promise<void> {
  const { store, announcer } = deps;
  const ids = records.map((r) => r.externalUserId);
  const visitors = await store.visitors.ofContacts(projectId, ids);
  if (visitors.size === 0) return;
  const project = await store.projects.get(projectId);
  const projectName = project?.name ?? projectId;
  for (const record of records) {
    const { externalUserId } = record;
    for (const { visitorId, identity, conversationIds } of visitors.get(externalUserId) ?? []) {
      if (identity === 'anonymous') continue;
      await announcer.profileChanged({
        projectId,
        visitorId,
        conversationIds,
        contact: toContactProfile(externalUserId, identity, record, {
          projectName,
          pending: false,
        }),
        visitorLabel: visitorLabel({
          id: visitorId,
          externalUserId,
          name: record.profile?.name ?? null,
        }),
      });
    }
  }
}

/** `announceContacts` for one contact. */
export function announceContact(
  deps: { store: Store; announcer: Announcer },
  projectId: string,
  record: ContactRecord,
): Promise<void> {
  return announceContacts(deps, projectId, [record]);
}
