import {
  CONTACT_FIELDS,
  type FetchAttempt,
  type OnNotFound,
  type Profile,
} from '../../protocol/index.js';
import {
  blankContact,
  type ChangeOptions,
  type ContactRecord,
  type Store,
} from '../store/index.js';
import { applyWrite, clearProfile, type ContactWrite } from './rules.js';

/** A successful fetch: a profile, or none when the site does not know the id (404/410). */
export interface PulledProfile {
  profile: Profile | null;
  fetchedAt: string;
  httpStatus: number;
  latencyMs: number;
}

/**
 * The site's endpoint speaks for everything it said before: its values replace what earlier
 * pulls stored, and what it no longer says is cleared. A value it leaves empty is "not known":
 * it never clears a value pushed or carried in a token.
 */
function pullWrite(profile: Profile, pulled: PulledProfile): ContactWrite {
  const fields: ContactWrite['fields'] = {};
  for (const field of CONTACT_FIELDS) {
    const value = profile[field];
    if (value !== null) fields[field] = value;
  }
  // A null property is "not known" too: it is left out, so it clears only what pulls set.
  const properties = Object.fromEntries(
    Object.entries(profile.metadata).filter(([, value]) => value !== null),
  );
  return {
    origin: { source: 'pull', at: pulled.fetchedAt, detail: `HTTP ${pulled.httpStatus}` },
    fields,
    properties,
    replacesOwn: true,
  };
}

function afterPull(
  current: ContactRecord,
  pulled: PulledProfile,
  onNotFound: OnNotFound,
): ContactRecord {
  if (pulled.profile) {
    return { ...applyWrite(current, pullWrite(pulled.profile, pulled)), notFoundAtSiteAt: null };
  }
  if (onNotFound === 'clear') return clearProfile(current, pulled.fetchedAt);
  return current.profile ? { ...current, notFoundAtSiteAt: pulled.fetchedAt } : current;
}

/**
 * Stores an attempt to fetch a contact's profile, and what it fetched (null: it failed). Null
 * when the contact is gone and no visitor carries its id any more: the person was erased (or
 * merged into another) while the call was in flight, and the pull must not bring them back.
 */
export async function storePull(
  store: Store,
  projectId: string,
  externalUserId: string,
  attempt: FetchAttempt,
  pulled: PulledProfile | null,
  onNotFound: OnNotFound,
  /** Webhook deliveries of the change (contactChangeOutbox). */
  webhooks: Pick<ChangeOptions, 'outbox'> = {},
): Promise<ContactRecord | null> {
  const stored = await store.contacts.change(
    projectId,
    [externalUserId],
    (current) => {
      const base = current ?? blankContact(projectId, externalUserId, attempt.at);
      // A failed attempt changes no value, so the contact keeps its place in the list.
      if (!pulled) return { ...base, lastAttempt: attempt };
      return {
        ...afterPull(base, pulled, onNotFound),
        fetchedAt: pulled.fetchedAt,
        httpStatus: pulled.httpStatus,
        latencyMs: pulled.latencyMs,
        lastAttempt: attempt,
      };
    },
    { onlyWhileCarried: true, ...webhooks },
  );
  return stored.get(externalUserId) ?? null;
}
