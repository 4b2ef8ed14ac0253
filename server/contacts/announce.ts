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
 * Tells the agents of the project what the profile panel of every visitor carrying this contact
 * shows now, the profile included: consoles apply it without asking again.
 */
export async function announceContact(
  deps: { store: Store; announcer: Announcer },
  projectId: string,
  externalUserId: string,
  record: ContactRecord | null,
): Promise<void> {
  const { store, announcer } = deps;
  const [visitors, project] = await Promise.all([
    store.visitors.ofContact(projectId, externalUserId),
    store.projects.get(projectId),
  ]);
  const projectName = project?.name ?? projectId;
  await Promise.all(
    visitors.map(async ({ visitorId, conversationIds }) => {
      const visitor = await store.visitors.get(visitorId);
      if (!visitor || visitor.identity === 'anonymous') return;
      await announcer.profileChanged({
        projectId,
        visitorId,
        conversationIds,
        contact: toContactProfile(externalUserId, visitor.identity, record, {
          projectName,
          pending: false,
        }),
        visitorLabel: visitorLabel({
          id: visitorId,
          externalUserId,
          name: record?.profile?.name ?? null,
        }),
      });
    }),
  );
}
