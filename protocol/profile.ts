import * as z from 'zod/mini';
import { IdentityStatus, IsoDate } from './common.js';

/** Limits on what a site endpoint may tell us about one user. */
export const PROFILE_LIMITS = {
  name: 200,
  email: 254,
  phone: 64,
  url: 2048,
  string: 2000,
  metadataKeys: 100,
  metadataDepth: 3,
  profileBytes: 32 * 1024,
} as const;

const text = (max: number) => z.nullish(z.string().check(z.maxLength(max)));

/**
 * The answer of a site's user endpoint, in the contract's snake_case. All fields optional; null
 * means "not known"; unknown top-level fields are ignored (and counted).
 */
export const SiteUserAnswer = z.looseObject({
  first_name: text(PROFILE_LIMITS.name),
  last_name: text(PROFILE_LIMITS.name),
  email: text(PROFILE_LIMITS.email),
  phone_number: text(PROFILE_LIMITS.phone),
  avatar_url: text(PROFILE_LIMITS.url),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
});
export type SiteUserAnswer = z.infer<typeof SiteUserAnswer>;

/** The "data sync" shape some sites already implement; detected by `status: "ok"`. */
export const DataSyncAnswer = z.looseObject({
  status: z.literal('ok'),
  externalId: z.nullish(z.union([z.string().check(z.maxLength(256)), z.number()])),
  displayName: text(PROFILE_LIMITS.name),
  email: text(PROFILE_LIMITS.email),
  phone: text(PROFILE_LIMITS.phone),
  photoURL: text(PROFILE_LIMITS.url),
  customData: z.nullish(z.record(z.string(), z.unknown())),
});
export type DataSyncAnswer = z.infer<typeof DataSyncAnswer>;

/**
 * A contact is one person of a site, known by the site's own id. Values arrive three ways and
 * meet in one record: pushed by the site's server (API key), pulled from its user endpoint, or
 * carried in a signed userToken. Every field remembers which.
 */
export const ContactSource = z.enum(['push', 'pull', 'token']);
export type ContactSource = z.infer<typeof ContactSource>;

/** Where one field's value came from, and when. The newest write wins per field. */
export const FieldSource = z.object({
  source: ContactSource,
  at: IsoDate,
  /** push: the API key's label; pull: the endpoint's status ("HTTP 200"); token: null. */
  detail: z.nullable(z.string()),
});
export type FieldSource = z.infer<typeof FieldSource>;

/** The profile fields a contact has besides its properties. */
export const CONTACT_FIELDS = [
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'avatarUrl',
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Per field (and per top-level property key) provenance. */
export const Provenance = z.object({
  fields: z.partialRecord(z.enum(CONTACT_FIELDS), FieldSource),
  properties: z.record(z.string(), FieldSource),
});
export type Provenance = z.infer<typeof Provenance>;

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What Palaver keeps about a contact, whichever shape the site answered in. */
export const Profile = z.object({
  name: z.nullable(z.string()),
  firstName: z.nullable(z.string()),
  lastName: z.nullable(z.string()),
  email: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  /** https only; anything else is dropped at parse time. */
  avatarUrl: z.nullable(z.string()),
  metadata: z.record(z.string(), z.unknown()),
});
export type Profile = z.infer<typeof Profile>;

export const FetchOutcome = z.enum([
  'invalid_id',
  'ok',
  'not_found',
  'unauthorized',
  'rate_limited',
  'server_error',
  'timeout',
  'network_error',
  'blocked',
  'config_error',
  'invalid_response',
  /** The answer was about another user than the one asked for: nothing was stored. */
  'identity_mismatch',
  'circuit_open',
]);
export type FetchOutcome = z.infer<typeof FetchOutcome>;

export const FetchTrigger = z.enum(['session', 'identify', 'refresh', 'test']);
export type FetchTrigger = z.infer<typeof FetchTrigger>;

/** The last attempt to fetch a contact's profile, successful or not. */
export const FetchAttempt = z.object({
  at: IsoDate,
  outcome: FetchOutcome,
  httpStatus: z.nullable(z.int()),
  latencyMs: z.nullable(z.number()),
  /** Safe to show: never contains secrets or the answer body. */
  message: z.nullable(z.string()),
});
export type FetchAttempt = z.infer<typeof FetchAttempt>;

/** Everything the agent's profile panel shows about the person behind a conversation. */
export const ContactProfile = z.object({
  externalUserId: z.string(),
  identity: IdentityStatus,
  /** Null while nothing is known about the person (pushed, pulled or carried in a token). */
  profile: z.nullable(Profile),
  /** Where each value came from: push (API key), pull (the site's endpoint) or token. */
  provenance: Provenance,
  /** The site's endpoint last answered 404/410 for this id; the profile shown was kept. */
  notFoundAtSiteAt: z.nullable(IsoDate),
  /** The last successful pull: when, and how the endpoint answered. */
  fetchedAt: z.nullable(IsoDate),
  httpStatus: z.nullable(z.int()),
  latencyMs: z.nullable(z.number()),
  /** The site the profile comes from (the project's name); the console words it. */
  siteName: z.string(),
  lastAttempt: z.nullable(FetchAttempt),
  /** A fetch for this contact is running now. */
  pending: z.boolean(),
});
export type ContactProfile = z.infer<typeof ContactProfile>;
