import { CONTACT_FIELDS } from '../../protocol/index.js';
import type { ChangeOptions, ContactRecord, NewDelivery } from '../store/index.js';
import type { WebhookOutbox } from './outbox.js';

/**
 * The names of what changed, never the values: a receiver that wants them asks the site's own
 * records (or Palaver's API), and webhook logs on either side carry no personal data. Properties
 * count as one field, `properties`; the identity proved in chat as `identity`.
 */
function changedFields(before: ContactRecord | null, after: ContactRecord): string[] {
  const was = before?.profile ?? null;
  const is = after.profile;
  const changed: string[] = CONTACT_FIELDS.filter(
    (field) => (was?.[field] ?? null) !== (is?.[field] ?? null),
  );
  if (JSON.stringify(was?.metadata ?? {}) !== JSON.stringify(is?.metadata ?? {})) {
    changed.push('properties');
  }
  if ((before?.identity ?? null) !== after.identity) changed.push('identity');
  return changed;
}

/**
 * What a contact change writes for `contact.updated` subscribers, or nothing when the project has
 * none: `{ contact: { externalId, identity?, changed } }` for each contact whose profile,
 * properties or identity changed (bookkeeping such as the last fetch attempt is not a change).
 */
export async function contactChangeOutbox(
  outbox: WebhookOutbox | undefined,
  projectId: string,
  at: () => string,
): Promise<Pick<ChangeOptions, 'outbox'>> {
  const subscribers = await outbox?.wants(projectId, ['contact.updated']);
  if (!outbox || !subscribers) return {};
  return {
    outbox: (changes) => {
      return changes.flatMap(({ before, after }): NewDelivery[] => {
        const changed = changedFields(before, after);
        if (changed.length === 0) return [];
        return outbox.deliveries(subscribers, {
          projectId,
          type: 'contact.updated',
          at: at(),
          orderKey: `contact:${after.externalUserId}`,
          data: {
            contact: {
              externalId: after.externalUserId,
              ...(after.identity !== null && { identity: after.identity }),
              changed,
            },
          },
        });
      });
    },
  };
}

/** `contact.deleted` for an erasure, written with it; none without subscribers. */
export async function contactDeletedDeliveries(
  outbox: WebhookOutbox | undefined,
  projectId: string,
  externalId: string,
  at: string,
): Promise<NewDelivery[]> {
  const subscribers = await outbox?.wants(projectId, ['contact.deleted']);
  if (!outbox || !subscribers) return [];
  return outbox.deliveries(subscribers, {
    projectId,
    type: 'contact.deleted',
    at,
    orderKey: `contact:${externalId}`,
    data: { contact: { externalId } },
  });
}
