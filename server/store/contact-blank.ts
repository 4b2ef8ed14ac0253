import type { Profile } from '../../protocol/index.js';
import type { ContactRecord } from './contacts-port.js';

/** A profile that says nothing: every field null, no properties. */
export function emptyProfile(): Profile {
  return {
    name: null,
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    avatarUrl: null,
    metadata: {},
  };
}

/** A contact nothing is known of yet: what the first write to it starts from. */
export function blankContact(projectId: string, externalUserId: string, at: string): ContactRecord {
  return {
    projectId,
    externalUserId,
    profile: null,
    provenance: { fields: {}, properties: {} },
    identity: null,
    notFoundAtSiteAt: null,
    fetchedAt: null,
    httpStatus: null,
    latencyMs: null,
    lastAttempt: null,
    createdAt: at,
    updatedAt: at,
  };
}
