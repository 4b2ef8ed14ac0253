import type { Contact } from '../../protocol/index.js';
import type { ContactRecord } from '../store/index.js';

/** A contact as the public API answers it. */
export function toContact(record: ContactRecord): Contact {
  const p = record.profile;
  return {
    externalId: record.externalUserId,
    name: p?.name ?? null,
    firstName: p?.firstName ?? null,
    lastName: p?.lastName ?? null,
    email: p?.email ?? null,
    phone: p?.phone ?? null,
    avatarUrl: p?.avatarUrl ?? null,
    properties: p?.metadata ?? {},
    provenance: record.provenance,
    identity: record.identity,
    notFoundAtSiteAt: record.notFoundAtSiteAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
