import {
  DANGEROUS_KEYS,
  DEFAULT_MAPPING,
  PROFILE_LIMITS,
  type IntegrationMapping,
  type Profile,
  type RecordMatch,
} from '../../protocol/index.js';
import { describeAnswer, type DescribedAnswer } from './answer-shape.js';
import { stripPii } from '../contacts/index.js';
import { ProfileValidationError, type DroppedValue } from './profile-error.js';
import { mapAnswer, type MappedAnswer } from './profile-mapping.js';

export { ProfileValidationError, type DroppedValue } from './profile-error.js';

export interface ParsedProfile {
  profile: Profile;
  shape: MappedAnswer['shape'];
  /** Top-level fields nothing read (ignored). */
  unknownFields: string[];
  droppedPii: DroppedValue[];
  /** Values dropped for reasons other than PII (e.g. a non-https avatar). */
  warnings: string[];
  match: RecordMatch;
  /** The answer's keys and types, when the caller asked to `describe` it (Test connection). */
  answerShape: DescribedAnswer | null;
}

/** How many unknown top-level field names a parse result lists. */
const UNKNOWN_FIELDS_LISTED = 50;

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

/**
 * Turns a site endpoint's 200 answer into a Profile: checks the content type, parses JSON
 * dropping (and listing) prototype-pollution keys, reads it through the integration's mapping
 * (which first checks that it is about `requestedId`), then applies the limits and the PII guard
 * every profile gets. `describe` adds the answer's redacted shape, for Test connection. Never
 * includes the body, or any value, in an error.
 */
export function parseProfileAnswer(
  contentType: string | undefined,
  body: Buffer,
  requestedId: string,
  mapping: IntegrationMapping = DEFAULT_MAPPING,
  options: { describe?: boolean } = {},
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
  const answerShape = options.describe ? describeAnswer(json) : null;
  try {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new ProfileValidationError('invalid_profile', 'The answer must be a JSON object');
    }
    const mapped = mapAnswer(json as Record<string, unknown>, mapping, requestedId);
    return { ...withLimits(mapped, dangerous), answerShape };
  } catch (error) {
    if (error instanceof ProfileValidationError) error.shape = answerShape;
    throw error;
  }
}

/** The limits and the PII guard, whichever mapping read the answer. */
function withLimits(
  mapped: MappedAnswer,
  dangerous: { listed: string[]; total: number },
): Omit<ParsedProfile, 'answerShape'> {
  const { profile, warnings } = mapped;
  if (dangerous.total > dangerous.listed.length) {
    warnings.push(
      `${dangerous.total} __proto__, constructor or prototype keys were dropped; the first ${DANGEROUS_LISTED} are listed`,
    );
  }
  // Named for the admin's test preview, but a site can send any number of them: list a few.
  const unknownFields = mapped.unknownFields.slice(0, UNKNOWN_FIELDS_LISTED);
  if (mapped.unknownFields.length > UNKNOWN_FIELDS_LISTED) {
    warnings.push(
      `${mapped.unknownFields.length} unknown fields were ignored; the first ${UNKNOWN_FIELDS_LISTED} are listed`,
    );
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
    shape: mapped.shape,
    unknownFields,
    droppedPii: [
      ...dangerous.listed.map((key) => ({ key, reason: 'dangerous_key' as const })),
      ...mapped.droppedPii,
      ...dropped,
    ],
    warnings,
    match: mapped.match,
  };
}
