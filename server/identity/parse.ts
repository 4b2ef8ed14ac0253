import {
  DataSyncAnswer,
  PROFILE_LIMITS,
  SiteUserAnswer,
  type Profile,
} from '../../protocol/index.js';
import { stripPii, type DroppedField } from '../contacts/index.js';

/** A value left out of the profile: PII, or a key that could reach an object's prototype. */
export interface DroppedValue {
  /** Dotted path: inside metadata for PII (`billing.card`), in the answer for dangerous keys. */
  key: string;
  reason: DroppedField['reason'] | 'dangerous_key';
}

export interface ParsedProfile {
  profile: Profile;
  shape: 'standard' | 'data_sync';
  /** Top-level fields the contract does not define (ignored). */
  unknownFields: string[];
  droppedPii: DroppedValue[];
  /** Values dropped for reasons other than PII (e.g. a non-https avatar). */
  warnings: string[];
}

/** An answer that is not a valid profile; `fields` are paths, never values. */
export class ProfileValidationError extends Error {
  override name = 'ProfileValidationError';
  constructor(
    readonly kind: 'bad_content_type' | 'bad_json' | 'invalid_profile' | 'id_mismatch',
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

/** Keys through which code that copies an object could reach (and pollute) a prototype. */
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** How many dropped dangerous keys a parse result lists (a hostile answer may hold thousands). */
const DANGEROUS_LISTED = 20;

interface JsonNode {
  value: unknown;
  parent: JsonNode | null;
  /** Property name, or array index. */
  key: string | number;
}

function pathOf(node: JsonNode): string {
  let path = '';
  for (let at: JsonNode | null = node; at?.parent; at = at.parent) {
    path = typeof at.key === 'number' ? `[${at.key}]${path}` : `.${at.key}${path}`;
  }
  return path.replace(/^\./, '');
}

/**
 * Deletes every dangerous key from a value fresh out of JSON.parse (which stores `__proto__` as
 * a plain own property, so nothing is polluted yet), before any other code copies it. Iterative:
 * the answer may be nested 100,000 levels deep. Paths are built only for the keys it lists.
 */
function dropDangerousKeys(root: unknown): { listed: string[]; total: number } {
  const listed: string[] = [];
  let total = 0;
  const stack: JsonNode[] = [{ value: root, parent: null, key: '' }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value } = node;
    if (value === null || typeof value !== 'object') continue;
    const children: JsonNode[] = [];
    if (Array.isArray(value)) {
      value.forEach((item, index) => children.push({ value: item, parent: node, key: index }));
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (DANGEROUS_KEYS.has(key)) {
          delete record[key];
          total += 1;
          if (listed.length < DANGEROUS_LISTED)
            listed.push(pathOf({ value: null, parent: node, key }));
        } else children.push({ value: record[key], parent: node, key });
      }
    }
    // Reversed so that keys come out in the order of the answer.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as JsonNode);
  }
  return { listed, total };
}

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
 * A data-sync answer names the user it describes: storing another user's data under this id
 * would show an agent the wrong person. A number is that number's decimal text (some sites keep
 * numeric ids); an answer without externalId cannot be checked, and says so.
 */
function checkAnsweredId(
  answered: string | number | null | undefined,
  requestedId: string,
  warnings: string[],
): void {
  if (answered === null || answered === undefined) {
    warnings.push(
      'The answer has no externalId: Palaver could not check that it is about this user',
    );
    return;
  }
  if (String(answered) !== requestedId) {
    throw new ProfileValidationError(
      'id_mismatch',
      "The answer's externalId is not the requested id: it describes another user, so nothing was stored",
      ['externalId'],
    );
  }
}

/**
 * Turns a site endpoint's 200 answer into a Profile: checks the content type, parses JSON
 * dropping (and listing) prototype-pollution keys, validates either contract shape with its limits, and strips
 * PII from metadata. Never includes the body in an error.
 */
export function parseProfileAnswer(
  contentType: string | undefined,
  body: Buffer,
  requestedId: string,
): ParsedProfile {
  if (!isJsonContentType(contentType)) {
    throw new ProfileValidationError(
      'bad_content_type',
      `Expected application/json, got ${(contentType ?? 'no content type').split(';')[0]}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProfileValidationError('bad_json', 'The answer is not valid JSON');
  }
  const dangerous = dropDangerousKeys(json);
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
  if (dangerous.total > dangerous.listed.length) {
    warnings.push(
      `${dangerous.total} __proto__, constructor or prototype keys were dropped; the first ${DANGEROUS_LISTED} are listed`,
    );
  }
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
    checkAnsweredId(a.externalId, requestedId, warnings);
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
    droppedPii: [
      ...dangerous.listed.map((key) => ({ key, reason: 'dangerous_key' as const })),
      ...dropped,
    ],
    warnings,
  };
}
