import * as z from 'zod/mini';
import { Id, IsoDate } from './common.js';
import { AnswerShapeRow, IntegrationMapping, OnNotFound, RecordMatch } from './mapping.js';
import { FetchOutcome, FetchTrigger, Profile } from './profile.js';
import { ExternalUserId } from './session.js';

/** Header names the site endpoint call sets itself or that would smuggle requests. */
export const FORBIDDEN_HEADER_NAMES = [
  'host',
  'cookie',
  'content-length',
  'transfer-encoding',
  'connection',
  'content-type',
  'accept',
  'accept-encoding',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'proxy-authorization',
  'expect',
];

export const HeaderName = z.string().check(
  z.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'Use a header name such as Authorization'),
  z.refine(
    (name) => !FORBIDDEN_HEADER_NAMES.includes(name.toLowerCase()),
    'Palaver sets this header itself; it cannot be configured',
  ),
);

export const HeaderValue = z
  .string()
  .check(
    z.minLength(1, 'A header needs a value'),
    z.maxLength(4096),
    z.regex(/^[^\r\n\0]*$/, 'A header value cannot contain line breaks'),
  );

/** A header as admins send it: `value` omitted keeps the stored (write-only) value. */
export const IntegrationHeaderInput = z.object({
  name: HeaderName,
  value: z.optional(HeaderValue),
});
export type IntegrationHeaderInput = z.infer<typeof IntegrationHeaderInput>;

/** A header as the API shows it: never the value, only a mask such as `Bearer ••••`. */
export const IntegrationHeaderView = z.object({ name: z.string(), masked: z.string() });
export type IntegrationHeaderView = z.infer<typeof IntegrationHeaderView>;

/**
 * Where a GET carries the id: `path` sends it as one literal path segment (letters, digits and
 * `-` `_` `.` `~` `@` only; other ids are refused), `query` as one percent-encoded parameter
 * (any id).
 */
export const EndpointStyle = z.enum(['path', 'query']);
export type EndpointStyle = z.infer<typeof EndpointStyle>;
/** `POST` (data sync): one fixed URL without `{id}`, called as given; the id is in the body. */
export const EndpointMethod = z.enum(['GET', 'POST']);
export type EndpointMethod = z.infer<typeof EndpointMethod>;

export const FRESHNESS_DEFAULT_SECONDS = 300;

export const IdentitySecretView = z.object({
  id: Id,
  createdAt: IsoDate,
  /** Set on a rotated-out secret: it still verifies until then. */
  expiresAt: z.nullable(IsoDate),
});
export type IdentitySecretView = z.infer<typeof IdentitySecretView>;

export const IntegrationHealth = z.object({
  status: z.enum(['unknown', 'healthy', 'failing']),
  failingSince: z.nullable(IsoDate),
  lastSuccessAt: z.nullable(IsoDate),
  lastError: z.nullable(
    z.object({
      at: IsoDate,
      outcome: FetchOutcome,
      httpStatus: z.nullable(z.int()),
      message: z.string(),
    }),
  ),
  /** Attempts are paused until then (circuit breaker or the site's Retry-After). */
  pausedUntil: z.nullable(IsoDate),
});
export type IntegrationHealth = z.infer<typeof IntegrationHealth>;

/** A project's "API Integration" settings as admins see them. */
export const IntegrationSettings = z.object({
  projectId: Id,
  enabled: z.boolean(),
  style: EndpointStyle,
  url: z.string(),
  paramName: z.string(),
  method: EndpointMethod,
  headers: z.array(IntegrationHeaderView),
  freshnessSeconds: z.int(),
  requireVerified: z.boolean(),
  mapping: IntegrationMapping,
  onNotFound: OnNotFound,
  identitySecrets: z.array(IdentitySecretView),
  health: IntegrationHealth,
  updatedAt: z.nullable(IsoDate),
});
export type IntegrationSettings = z.infer<typeof IntegrationSettings>;

export const UpdateIntegrationRequest = z.object({
  enabled: z.optional(z.boolean()),
  style: z.optional(EndpointStyle),
  url: z.optional(z.string().check(z.maxLength(2048))),
  paramName: z.optional(z.string().check(z.maxLength(64))),
  method: z.optional(EndpointMethod),
  /** The complete list: headers not listed are removed. */
  headers: z.optional(z.array(IntegrationHeaderInput).check(z.maxLength(20))),
  freshnessSeconds: z.optional(z.int().check(z.gte(0), z.lte(7 * 24 * 3600))),
  requireVerified: z.optional(z.boolean()),
  mapping: z.optional(IntegrationMapping),
  onNotFound: z.optional(OnNotFound),
});
export type UpdateIntegrationRequest = z.infer<typeof UpdateIntegrationRequest>;

export const RotateSecretRequest = z.object({
  /** How long the previous secret keeps verifying; 0 revokes it at once. */
  graceHours: z.optional(z.int().check(z.gte(0), z.lte(24 * 14))),
});
export type RotateSecretRequest = z.infer<typeof RotateSecretRequest>;

/** The only answer that ever contains a secret; it is not retrievable again. */
export const RotateSecretResponse = z.object({
  secret: z.string(),
  settings: IntegrationSettings,
});
export type RotateSecretResponse = z.infer<typeof RotateSecretResponse>;

export const TestConnectionRequest = z.object({
  externalUserId: ExternalUserId,
  /** A mapping being edited, to preview before saving; the saved one when absent. */
  mapping: z.optional(IntegrationMapping),
});
export type TestConnectionRequest = z.infer<typeof TestConnectionRequest>;

export const DroppedPii = z.object({ path: z.string(), reason: z.string() });

/**
 * What "Test connection" shows: the answer's shape and the profile as it would be stored, never
 * the raw body or any value the profile would not keep.
 */
export const TestConnectionResult = z.object({
  outcome: FetchOutcome,
  httpStatus: z.nullable(z.int()),
  latencyMs: z.nullable(z.number()),
  message: z.string(),
  url: z.string(),
  profile: z.nullable(Profile),
  shape: z.nullable(z.enum(['standard', 'data_sync', 'custom'])),
  /** The answer's keys and types, values left out; empty when no JSON object arrived. */
  answerShape: z.array(AnswerShapeRow),
  /** More nodes than `answerShape` lists. */
  answerShapeTruncated: z.boolean(),
  /** Whether the answer was about the requested user; null when no answer was read. */
  match: z.nullable(RecordMatch),
  /** Field paths that failed validation. */
  invalidFields: z.array(z.string()),
  droppedPii: z.array(DroppedPii),
  unknownFields: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;

export const IntegrationLogEntry = z.object({
  id: Id,
  at: IsoDate,
  externalUserId: z.string(),
  trigger: FetchTrigger,
  outcome: FetchOutcome,
  httpStatus: z.nullable(z.int()),
  latencyMs: z.nullable(z.number()),
  errorClass: z.nullable(z.string()),
  message: z.nullable(z.string()),
  invalidFields: z.array(z.string()),
  droppedPii: z.array(DroppedPii),
});
export type IntegrationLogEntry = z.infer<typeof IntegrationLogEntry>;

export const IntegrationLogQuery = z.object({
  outcome: z.optional(FetchOutcome),
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(200)))),
});
export type IntegrationLogQuery = z.infer<typeof IntegrationLogQuery>;

export const IntegrationLog = z.object({ items: z.array(IntegrationLogEntry) });
export type IntegrationLog = z.infer<typeof IntegrationLog>;
