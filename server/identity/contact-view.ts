import type { ContactProfile, IdentityStatus } from '../../protocol/index.js';
import type { ContactRecord } from '../store/index.js';

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
    fetchedAt: record?.fetchedAt ?? null,
    httpStatus: record?.httpStatus ?? null,
    latencyMs: record?.latencyMs ?? null,
    sourceName: `${context.projectName} API`,
    lastAttempt: record?.lastAttempt ?? null,
    pending: context.pending,
  };
}
