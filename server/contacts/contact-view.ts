import type { ContactProfile, IdentityStatus } from '../../protocol/index.js';
import type { ContactRecord, VisitorRecord } from '../store/index.js';

/** The agent's view of a contact: the last good profile with its provenance, and the last try. */
export function toContactProfile(
  externalUserId: string,
  identity: IdentityStatus,
  record: ContactRecord | null,
  context: { projectName: string; pending: boolean },
): ContactProfile {
  return {
    externalUserId,
    identity,
    profile: record?.profile ?? null,
    provenance: record?.provenance ?? { fields: {}, properties: {} },
    notFoundAtSiteAt: record?.notFoundAtSiteAt ?? null,
    fetchedAt: record?.fetchedAt ?? null,
    httpStatus: record?.httpStatus ?? null,
    latencyMs: record?.latencyMs ?? null,
    siteName: context.projectName,
    lastAttempt: record?.lastAttempt ?? null,
    pending: context.pending,
  };
}

/** The label of a visitor whose person the site erased: nothing of theirs is left to name. */
const ERASED_LABEL = 'Deleted contact';

/** What agents call a visitor: the profile name, else the site's id, else a short tag. */
export function visitorLabel(
  visitor: Pick<VisitorRecord, 'id' | 'externalUserId'> & {
    name?: string | null;
    erasedAt?: string | null;
  },
): string {
  if (visitor.erasedAt) return ERASED_LABEL;
  if (visitor.name) return visitor.name;
  if (visitor.externalUserId) return visitor.externalUserId;
  // Ids may end in - or _; a tag of letters and digits reads better.
  const tag = visitor.id
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-4)
    .toUpperCase();
  return `Visitor ${tag}`;
}
