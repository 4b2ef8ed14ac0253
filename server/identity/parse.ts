import secureJson from 'secure-json-parse';
import {
  DataSyncAnswer,
  PROFILE_LIMITS,
  SiteUserAnswer,
  type Profile,
} from '../../protocol/index.js';
import { stripPii, type DroppedField } from './pii.js';

export interface ParsedProfile {
  profile: Profile;
  shape: 'standard' | 'data_sync';
  /** Top-level fields the contract does not define (ignored). */
  unknownFields: string[];
  droppedPii: DroppedField[];
  /** Values dropped for reasons other than PII (e.g. a non-https avatar). */
  warnings: string[];
}

/** An answer that is not a valid profile; `fields` are paths, never values. */
export class ProfileValidationError extends Error {
  override name = 'ProfileValidationError';
  constructor(
    readonly kind: 'bad_content_type' | 'bad_json' | 'invalid_profile',
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

const STANDARD_FIELDS = new Set([
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'avatar_url',
  'metadata',
]);
const DATA_SYNC_FIELDS = new Set([
  'status',
  'externalId',
  'displayName',
  'email',
  'phone',
  'photoURL',
  'customData',
]);

/** How many unknown top-level field names a parse result lists. */
const UNKNOWN_FIELDS_LISTED = 50;

function isJsonContentType(value: string | undefined): boolean {
  const type = (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** Metadata limits: key count, nesting depth, string length; reports the first offending path. */
function checkMetadata(metadata: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (Object.keys(metadata).length > PROFILE_LIMITS.metadataKeys) {
    problems.push(`metadata: more than ${PROFILE_LIMITS.metadataKeys} keys`);
  }
  const walk = (value: unknown, path: string, depth: number) => {
    if (problems.length >= 10) return;
    if (typeof value === 'string') {
      if (value.length > PROFILE_LIMITS.string) {
        problems.push(`${path}: longer than ${PROFILE_LIMITS.string} characters`);
      }
      return;
    }
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return;
    if (typeof value !== 'object') {
      problems.push(`${path}: not a JSON value`);
      return;
    }
    if (depth >= PROFILE_LIMITS.metadataDepth) {
      problems.push(`${path}: nested deeper than ${PROFILE_LIMITS.metadataDepth} levels`);
      return;
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length > PROFILE_LIMITS.metadataKeys) {
      problems.push(`${path}: more than ${PROFILE_LIMITS.metadataKeys} entries`);
      return;
    }
    for (const [key, inner] of entries) walk(inner, `${path}.${key}`, depth + 1);
  };
  for (const [key, value] of Object.entries(metadata)) walk(value, `metadata.${key}`, 1);
  return problems;
}

function httpsOrNull(value: string | null | undefined, warnings: string[]): string | null {
  if (!value) return null;
  try {
    if (new URL(value).protocol === 'https:') return value;
  } catch {
    // reported below
  }
  warnings.push('avatar: ignored because it is not an https URL');
  return null;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/**
 * Turns a site endpoint's 200 answer into a Profile: checks the content type, parses JSON
 * refusing prototype-pollution keys, validates either contract shape with its limits, and strips
 * PII from metadata. Never includes the body in an error.
 */
export function parseProfileAnswer(contentType: string | undefined, body: Buffer): ParsedProfile {
  if (!isJsonContentType(contentType)) {
    throw new ProfileValidationError(
      'bad_content_type',
      `Expected application/json, got ${(contentType ?? 'no content type').split(';')[0]}`,
    );
  }
  let json: unknown;
  try {
    json = secureJson.parse(body.toString('utf8'), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (error) {
    const polluted = error instanceof SyntaxError && /prototype/i.test(error.message);
    throw new ProfileValidationError(
      'bad_json',
      polluted
        ? 'The answer contains a forbidden __proto__ or constructor key'
        : 'The answer is not valid JSON',
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ProfileValidationError('invalid_profile', 'The answer must be a JSON object');
  }
  const isDataSync = (json as Record<string, unknown>).status !== undefined;
  const schema = isDataSync ? DataSyncAnswer : SiteUserAnswer;
  const result = schema.safeParse(json);
  if (!result.success) {
    const fields = [
      ...new Set(result.error.issues.map((i) => i.path.map(String).join('.') || '(root)')),
    ];
    throw new ProfileValidationError(
      'invalid_profile',
      `Invalid fields: ${fields.join(', ')}`,
      fields,
    );
  }
  const known = isDataSync ? DATA_SYNC_FIELDS : STANDARD_FIELDS;
  const allUnknown = Object.keys(json).filter((key) => !known.has(key));
  const warnings: string[] = [];
  // Named for the admin's test preview, but a site can send any number of them: list a few.
  const unknownFields = allUnknown.slice(0, UNKNOWN_FIELDS_LISTED);
  if (allUnknown.length > UNKNOWN_FIELDS_LISTED) {
    warnings.push(
      `${allUnknown.length} unknown fields were ignored; the first ${UNKNOWN_FIELDS_LISTED} are listed`,
    );
  }
  let profile: Profile;
  if (isDataSync) {
    const a = result.data as DataSyncAnswer;
    profile = {
      name: blankToNull(a.displayName),
      firstName: null,
      lastName: null,
      email: blankToNull(a.email),
      phone: blankToNull(a.phone),
      avatarUrl: httpsOrNull(a.photoURL, warnings),
      metadata: a.customData ?? {},
    };
  } else {
    const a = result.data as SiteUserAnswer;
    const firstName = blankToNull(a.first_name);
    const lastName = blankToNull(a.last_name);
    profile = {
      name: [firstName, lastName].filter(Boolean).join(' ') || null,
      firstName,
      lastName,
      email: blankToNull(a.email),
      phone: blankToNull(a.phone_number),
      avatarUrl: httpsOrNull(a.avatar_url, warnings),
      metadata: a.metadata ?? {},
    };
  }
  const metadataProblems = checkMetadata(profile.metadata);
  if (metadataProblems.length > 0) {
    throw new ProfileValidationError(
      'invalid_profile',
      `Invalid metadata: ${metadataProblems.join('; ')}`,
      metadataProblems.map((p) => p.split(':')[0] ?? p),
    );
  }
  const { clean, dropped } = stripPii(profile.metadata);
  profile.metadata = clean;
  if (Buffer.byteLength(JSON.stringify(profile)) > PROFILE_LIMITS.profileBytes) {
    throw new ProfileValidationError(
      'invalid_profile',
      `The profile is larger than ${PROFILE_LIMITS.profileBytes / 1024} KiB`,
    );
  }
  return {
    profile,
    shape: isDataSync ? 'data_sync' : 'standard',
    unknownFields,
    droppedPii: dropped,
    warnings,
  };
}
