import type { CardContext } from '../../protocol/index.js';
import { notFound } from '../errors.js';
import type { ConversationRecord, Store } from '../store/index.js';

/** What Palaver tells a card's site about a conversation, and whose contact it is. */
export interface ConversationContext {
  context: CardContext;
  /** The contact's id (null when anonymous): cache, log and erasure follow it. */
  externalUserId: string | null;
}

export async function cardContext(
  store: Store,
  conversation: ConversationRecord,
): Promise<ConversationContext> {
  const [project, visitor] = await Promise.all([
    store.projects.get(conversation.projectId),
    store.visitors.get(conversation.visitorId),
  ]);
  if (!project || !visitor) throw notFound('Conversation');
  const externalUserId =
    visitor.externalUserId !== null && visitor.identity !== 'anonymous'
      ? visitor.externalUserId
      : null;
  const contact =
    externalUserId === null ? null : await store.contacts.get(project.id, externalUserId);
  return {
    externalUserId,
    context: {
      project: { id: project.id, name: project.name },
      conversation: {
        id: conversation.id,
        status: conversation.status,
        // Conversations have no assignee yet; the field is in the contract for when they do.
        assignee: null,
      },
      contact:
        externalUserId === null
          ? null
          : {
              externalId: externalUserId,
              identity: visitor.identity,
              profile: contact?.profile ?? null,
              properties: contact?.profile?.metadata ?? {},
            },
    },
  };
}
