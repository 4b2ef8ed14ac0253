import {
  DataSyncAnswer,
  MAPPED_FIELDS,
  PROFILE_LIMITS,
  SiteUserAnswer,
  formatAnswerPath,
  parseAnswerPath,
  resolveAnswerPath,
  type IntegrationMapping,
  type MappedField,
  type Profile,
  type RecordMatch,
} from '../../protocol/index.js';
import { isSensitiveKey } from '../contacts/index.js';
import { ProfileValidationError, type DroppedValue } from './profile-error.js';
import { DEFAULT_ID_PATHS, matchRecord } from './record-match.js';

/** An answer read through a mapping, before the limits every profile gets (see parse.ts). */
export interface MappedAnswer {
  profile: Profile;
  shape: 'standard' | 'data_sync' | 'custom';
  /** Top-level fields nothing read (all of them: the caller lists a few). */
  unknownFields: string[];
  warnings: string[];
  droppedPii: DroppedValue[];
  match: RecordMatch;
}

const STANDARD_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'avatar_url',
  'metadata',
];
const DATA_SYNC_FIELDS = [
  'status',
  'externalId',
  'displayName',
  'email',
  'phone',
  'photoURL',
  'customData',
];

const TEXT_LIMITS: Record<Exclude<MappedField, 'externalId'>, number> = {
  name: PROFILE_LIMITS.name,
  firstName: PROFILE_LIMITS.name,
  lastName: PROFILE_LIMITS.name,
  email: PROFILE_LIMITS.email,
  phone: PROFILE_LIMITS.phone,
  avatarUrl: PROFILE_LIMITS.url,
};

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
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

const fullName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(' ') || null;

function invalid(fields: string[], messages = fields): ProfileValidationError {
  return new ProfileValidationError(
    'invalid_profile',
    `Invalid fields: ${messages.join(', ')}`,
    fields,
  );
}

/** One of the two built-in shapes, read exactly as before mappings existed. */
function preset(
  json: Record<string, unknown>,
  dataSync: boolean,
  requestedId: string,
): MappedAnswer {
  const warnings: string[] = [];
  // The data-sync contract names its user in externalId; a standard answer may carry either.
  const match = matchRecord(json, dataSync ? ['externalId'] : DEFAULT_ID_PATHS, requestedId);
  if (dataSync && match.verdict === 'unchecked') warnings.push(match.message);
  const result = (dataSync ? DataSyncAnswer : SiteUserAnswer).safeParse(json);
  if (!result.success) {
    throw invalid([
      ...new Set(result.error.issues.map((i) => i.path.map(String).join('.') || '(root)')),
    ]);
  }
  const known = new Set(dataSync ? DATA_SYNC_FIELDS : STANDARD_FIELDS);
  const unknownFields = Object.keys(json).filter((key) => !known.has(key));
  const common = { unknownFields, warnings, droppedPii: [], match };
  if (dataSync) {
    const a = result.data as DataSyncAnswer;
    return {
      ...common,
      shape: 'data_sync',
      profile: {
        name: blankToNull(a.displayName),
        firstName: null,
        lastName: null,
        email: blankToNull(a.email),
        phone: blankToNull(a.phone),
        avatarUrl: httpsOrNull(a.photoURL, warnings),
        metadata: a.customData ?? {},
      },
    };
  }
  const a = result.data as SiteUserAnswer;
  const firstName = blankToNull(a.first_name);
  const lastName = blankToNull(a.last_name);
  return {
    ...common,
    shape: 'standard',
    profile: {
      name: fullName(firstName, lastName),
      firstName,
      lastName,
      email: blankToNull(a.email),
      phone: blankToNull(a.phone_number),
      avatarUrl: httpsOrNull(a.avatar_url, warnings),
      metadata: a.metadata ?? {},
    },
  };
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The admin's own paths: fields, then properties, then (optionally) whatever is left. */
function custom(
  json: Record<string, unknown>,
  mapping: IntegrationMapping,
  requestedId: string,
): MappedAnswer {
  const idPath = mapping.fields.externalId;
  const match = matchRecord(json, idPath ? [idPath] : DEFAULT_ID_PATHS, requestedId);
  const warnings = idPath && match.verdict === 'unchecked' ? [match.message] : [];
  const used = new Set<string>();
  const segmentsOf = (text: string) => {
    const parsed = parseAnswerPath(text);
    const segments = parsed.ok ? parsed.segments : null;
    if (segments?.[0] !== undefined) used.add(segments[0]);
    return segments;
  };
  if (idPath) segmentsOf(idPath);

  const problems: Array<{ path: string; message: string }> = [];
  const text: Partial<Record<MappedField, string | null>> = {};
  for (const field of MAPPED_FIELDS) {
    const path = mapping.fields[field];
    const segments = path === undefined ? null : segmentsOf(path);
    if (field === 'externalId' || !segments) continue;
    const found = resolveAnswerPath(json, segments);
    if (!found.found || found.value === null) continue;
    const shown = formatAnswerPath(segments);
    if (typeof found.value !== 'string') {
      problems.push({
        path: shown,
        message: `${shown} (${field}): expected text, found ${describeType(found.value)}`,
      });
    } else if (found.value.length > TEXT_LIMITS[field]) {
      problems.push({
        path: shown,
        message: `${shown} (${field}): longer than ${TEXT_LIMITS[field]} characters`,
      });
    } else {
      text[field] = blankToNull(found.value);
    }
  }
  if (problems.length > 0) {
    throw invalid(
      problems.map((p) => p.path),
      problems.map((p) => p.message),
    );
  }

  const metadata: Record<string, unknown> = {};
  const droppedPii: DroppedValue[] = [];
  for (const { path, property } of mapping.properties) {
    const segments = segmentsOf(path);
    if (!segments) continue;
    const shown = formatAnswerPath(segments);
    // The guard judges keys where the value lives, not only the name it is given here.
    if (segments.some((s) => isSensitiveKey(s))) {
      droppedPii.push({ key: shown, reason: 'sensitive_key' });
      continue;
    }
    const found = resolveAnswerPath(json, segments);
    if (found.found) metadata[property] = found.value;
    else warnings.push(`${shown}: not in the answer, so the property ${property} was left out`);
  }
  const unused = Object.keys(json).filter((key) => !used.has(key));
  if (mapping.includeRemaining) {
    for (const key of unused) if (!Object.hasOwn(metadata, key)) metadata[key] = json[key];
  }
  const firstName = text.firstName ?? null;
  const lastName = text.lastName ?? null;
  return {
    profile: {
      name: text.name ?? fullName(firstName, lastName),
      firstName,
      lastName,
      email: text.email ?? null,
      phone: text.phone ?? null,
      avatarUrl: httpsOrNull(text.avatarUrl, warnings),
      metadata,
    },
    shape: 'custom',
    unknownFields: mapping.includeRemaining ? [] : unused,
    warnings,
    droppedPii,
    match,
  };
}

/**
 * Reads a JSON object answer through the integration's mapping, checking first that it is about
 * the requested user. Throws ProfileValidationError naming the paths (never the values) of what
 * cannot be used.
 */
export function mapAnswer(
  json: Record<string, unknown>,
  mapping: IntegrationMapping,
  requestedId: string,
): MappedAnswer {
  switch (mapping.preset) {
    case 'custom':
      return custom(json, mapping, requestedId);
    case 'standard':
      return preset(json, false, requestedId);
    case 'data_sync':
      return preset(json, true, requestedId);
    case 'auto':
      return preset(json, json.status !== undefined, requestedId);
  }
}
