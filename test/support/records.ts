import type { VisitorRecord } from '../../server/store/index.js';

/** A visitor as a session start stores one, seen once at `firstSeenAt`: add what the test needs. */
export function visitorRecord(
  visitor: Pick<VisitorRecord, 'id' | 'projectId' | 'firstSeenAt'> & Partial<VisitorRecord>,
): VisitorRecord {
  return {
    externalUserId: null,
    identity: 'anonymous',
    lastSeenAt: visitor.firstSeenAt,
    pageUrl: null,
    referrer: null,
    userAgent: null,
    locale: null,
    erasedAt: null,
    ...visitor,
  };
}
