import * as z from 'zod/mini';
import { IdentityStatus, IsoDate, wellFormedText } from './common.js';
import { ContactSource, PROFILE_LIMITS, Provenance } from './profile.js';
import { ExternalUserId } from './session.js';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

const nameText = z.string().check(wellFormedText, z.trim(), z.maxLength(PROFILE_LIMITS.name));

/**
 * What the site's server sends for one contact. Every field is optional: a field left out stays
 * as stored, `null` clears it. Unknown fields are refused, so that a typo does not vanish.
 */
export const ContactInput = z.strictObject({
  name: z.optional(z.nullable(nameText)),
  firstName: z.optional(z.nullable(nameText)),
  lastName: z.optional(z.nullable(nameText)),
  email: z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(PROFILE_LIMITS.email),
          z.email('must be an email address such as jane@example.com'),
        ),
    ),
  ),
  phone: z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.trim(),
          z.regex(
            E164,
            'must be an E.164 phone number such as +14155550123 (plus, country code, digits)',
          ),
        ),
    ),
  ),
  avatarUrl: z.optional(
    z.nullable(
      z
        .string()
        .check(z.maxLength(PROFILE_LIMITS.url), z.refine(isHttpsUrl, 'must be an https:// URL')),
    ),
  ),
  /**
   * The site's traits, merged onto the stored ones key by key: a key sent replaces that key
   * (nested objects are replaced whole), `null` removes it, keys not sent stay.
   */
  properties: z.optional(z.record(z.string(), z.unknown())),
});
export type ContactInput = z.infer<typeof ContactInput>;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A contact as the API answers it. */
export const Contact = z.object({
  externalId: z.string(),
  name: z.nullable(z.string()),
  firstName: z.nullable(z.string()),
  lastName: z.nullable(z.string()),
  email: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  avatarUrl: z.nullable(z.string()),
  properties: z.record(z.string(), z.unknown()),
  provenance: Provenance,
  /** The strongest identity any of the contact's visitors proved; null if never seen in chat. */
  identity: z.nullable(IdentityStatus),
  /** Set when the site's endpoint last answered 404/410 for this id and the profile was kept. */
  notFoundAtSiteAt: z.nullable(IsoDate),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Contact = z.infer<typeof Contact>;

/** A value Palaver dropped from what was sent, and why (never the value itself). */
export const DroppedProperty = z.object({
  path: z.string(),
  reason: z.enum(['card_number', 'iban', 'us_ssn', 'sensitive_key', 'dangerous_key']),
});
export type DroppedProperty = z.infer<typeof DroppedProperty>;

/** The answer to an identify: the contact as stored, and what was left out of it. */
export const IdentifyResult = z.object({
  contact: Contact,
  created: z.boolean(),
  dropped: z.array(DroppedProperty),
});
export type IdentifyResult = z.infer<typeof IdentifyResult>;

export const BULK_MAX_CONTACTS = 100;

/** Items are checked one by one after the batch's own shape (count, duplicate ids). */
export const BulkIdentifyRequest = z.strictObject({
  contacts: z
    .array(z.looseObject({ externalId: z.optional(z.unknown()) }))
    .check(
      z.minLength(1, 'must hold at least one contact'),
      z.maxLength(
        BULK_MAX_CONTACTS,
        `must hold at most ${BULK_MAX_CONTACTS} contacts; split the batch`,
      ),
    ),
});
export type BulkIdentifyRequest = z.infer<typeof BulkIdentifyRequest>;

export const FieldError = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

export const BulkItemResult = z.discriminatedUnion('status', [
  z.object({
    index: z.int(),
    externalId: z.string(),
    status: z.literal('ok'),
    created: z.boolean(),
    dropped: z.array(DroppedProperty),
  }),
  z.object({
    index: z.int(),
    externalId: z.nullable(z.string()),
    status: z.literal('error'),
    errors: z.array(FieldError),
  }),
]);
export type BulkItemResult = z.infer<typeof BulkItemResult>;

export const BulkIdentifyResult = z.object({
  applied: z.int(),
  failed: z.int(),
  results: z.array(BulkItemResult),
});
export type BulkIdentifyResult = z.infer<typeof BulkIdentifyResult>;

export const CONTACT_PAGE_MAX = 200;

export const ContactListQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(CONTACT_PAGE_MAX))),
  /** Opaque; from the previous page's `nextCursor`. */
  cursor: z.optional(z.string().check(z.maxLength(512))),
  /** Words matched against name, email, phone, external id and property values. */
  q: z.optional(z.string().check(z.maxLength(200))),
  updatedSince: z.optional(IsoDate),
  identity: z.optional(z.enum(['verified', 'claimed', 'unseen'])),
  source: z.optional(ContactSource),
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;

export const ContactPage = z.object({
  data: z.array(Contact),
  /** Null on the last page. */
  nextCursor: z.nullable(z.string()),
});
export type ContactPage = z.infer<typeof ContactPage>;

export const ContactParams = z.object({ externalId: ExternalUserId });

export const EraseContactQuery = z.object({
  /** Also erase the messages of the contact's conversations (right to erasure). */
  eraseMessages: z.optional(z.enum(['true', 'false'])),
});

export const EraseResult = z.object({
  externalId: z.string(),
  conversations: z.int(),
  messagesErased: z.boolean(),
});
export type EraseResult = z.infer<typeof EraseResult>;

export const MergeRequest = z.strictObject({ fromExternalId: ExternalUserId });
export type MergeRequest = z.infer<typeof MergeRequest>;

export const MergeResult = z.object({
  contact: Contact,
  mergedFrom: z.string(),
  conversationsMoved: z.int(),
  /** True when this merge had already been done (a retry): nothing changed now. */
  alreadyMerged: z.boolean(),
});
export type MergeResult = z.infer<typeof MergeResult>;

/** A conversation of a contact, as the contact's page lists it. */
export const ContactConversation = z.object({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: IsoDate,
  lastActivityAt: IsoDate,
  lastMessageBody: z.nullable(z.string()),
});
export type ContactConversation = z.infer<typeof ContactConversation>;

/** The console's page of one contact. */
export const ContactDetail = z.object({
  contact: Contact,
  conversations: z.array(ContactConversation),
});
export type ContactDetail = z.infer<typeof ContactDetail>;

/** Contacts of one project for the console: the public list's query with the project named. */
export const ConsoleContactListQuery = z.extend(ContactListQuery, { projectId: z.string() });
export type ConsoleContactListQuery = z.infer<typeof ConsoleContactListQuery>;

export const ProjectContactParams = z.object({ id: z.string(), externalId: ExternalUserId });
