import {
  DEFAULT_MAPPING,
  PROFILE_LIMITS,
  type IntegrationMapping,
  type Profile,
  type RecordMatch,
} from '../../protocol/index.js';
import { describeAnswer, type DescribedAnswer } from './answer-shape.js';
import {
  dropDangerousKeys,
  propertyProblems,
  stripPii,
  type DroppedKeys,
} from '../contacts/index.js';
import { isJsonContentType } from '../outbound/index.js';
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
  dangerous: DroppedKeys,
): Omit<ParsedProfile, 'answerShape'> {
  const { profile, warnings } = mapped;
  if (dangerous.total > dangerous.listed.length) {
    warnings.push(
      `${dangerous.total} __proto__, constructor or prototype keys were dropped; the first ${dangerous.listed.length} are listed`,
    );
  }
  // Named for the admin's test preview, but a site can send any number of them: list a few.
  const unknownFields = mapped.unknownFields.slice(0, UNKNOWN_FIELDS_LISTED);
  if (mapped.unknownFields.length > UNKNOWN_FIELDS_LISTED) {
    warnings.push(
      `${mapped.unknownFields.length} unknown fields were ignored; the first ${UNKNOWN_FIELDS_LISTED} are listed`,
    );
  }
  // The limits every stored property meets, pushed or pulled.
  const problems = propertyProblems(profile.metadata, 'metadata');
  if (problems.length > 0) {
    throw new ProfileValidationError(
      'invalid_profile',
      `Invalid metadata: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      problems.map((p) => p.path),
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
