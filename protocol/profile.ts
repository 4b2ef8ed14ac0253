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
  /** Null until a fetch succeeded, or when the site does not know this id (new profile). */
  profile: z.nullable(Profile),
  /** Provenance of `profile`: when and how it was fetched. */
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
