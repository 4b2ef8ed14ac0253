import {
  CONTACT_FIELDS,
  PROFILE_LIMITS,
  type FieldError,
  type ContactField,
  type FieldSource,
  type Profile,
  type Provenance,
} from '../../protocol/index.js';
import { emptyProfile, type ContactRecord } from '../store/index.js';

/**
 * How values from pushes, pulls and tokens meet in one contact (README, "Push, pull and token").
 * Per field, and per top-level property key, the newest write wins; a write older than what is
 * stored for a field changes nothing of that field.
 */
export interface ContactWrite {
  origin: FieldSource;
  /** Values to set; null clears. Fields left out stay as they are. */
  fields: Partial<Record<ContactField, string | null>>;
  /** Keys to set, each value whole (nested objects replace, never deep-merge); null removes. */
  properties: Record<string, unknown>;
  /**
   * The write speaks for everything its source said before, as a pull of the site's endpoint
   * does: values that source set and this write no longer carries are cleared.
   */
  replacesOwn: boolean;
}

type Values = Record<ContactField, string | null>;

function valuesOf(profile: Profile | null): Values {
  const { metadata: _metadata, ...values } = profile ?? emptyProfile();
  return values;
}

/** A profile with nothing in it is no profile: agents see "no profile" rather than blanks. */
function toProfile(values: Values, properties: Record<string, unknown>): Profile | null {
  const empty =
    CONTACT_FIELDS.every((field) => values[field] === null) && Object.keys(properties).length === 0;
  return empty ? null : { ...values, metadata: properties };
}

const newer = (origin: FieldSource, stored: FieldSource | undefined) =>
  !stored || stored.at <= origin.at;

function fullName(values: Values): string | null {
  return [values.firstName, values.lastName].filter(Boolean).join(' ') || null;
}

const sameSource = (a: FieldSource | undefined, b: FieldSource) =>
  a !== undefined && a.source === b.source && a.at === b.at && a.detail === b.detail;

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The contact after `write`; `current` is left untouched, and returned as it is when the write
 * changes no value and no provenance (the caller then stores and announces nothing).
 */
export function applyWrite(current: ContactRecord, write: ContactWrite): ContactRecord {
  const { origin } = write;
  const values = valuesOf(current.profile);
  const properties: Record<string, unknown> = { ...(current.profile?.metadata ?? {}) };
  const fieldSources = { ...current.provenance.fields };
  const propertySources = { ...current.provenance.properties };
  // Tracked as the write goes: comparing whole records afterwards cost more than the write.
  let changed = false;

  const setField = (field: ContactField, value: string | null) => {
    const stored = fieldSources[field];
    if (!newer(origin, stored)) return;
    if (values[field] !== value) changed = true;
    values[field] = value;
    if (value === null) {
      if (stored) changed = true;
      delete fieldSources[field];
    } else {
      if (!sameSource(stored, origin)) changed = true;
      fieldSources[field] = origin;
    }
  };
  const fields = { ...write.fields };
  if (write.replacesOwn) {
    for (const field of CONTACT_FIELDS) {
      if (!(field in fields) && fieldSources[field]?.source === origin.source) fields[field] = null;
    }
  }
  for (const field of CONTACT_FIELDS) {
    const value = fields[field];
    if (value !== undefined) setField(field, value);
  }
  // A first or last name alone still names the person: keep `name` in step with them.
  if (!('name' in write.fields) && ('firstName' in write.fields || 'lastName' in write.fields)) {
    setField('name', fullName(values));
  }

  const propertyWrites = { ...write.properties };
  if (write.replacesOwn) {
    for (const [key, source] of Object.entries(propertySources)) {
      if (!(key in propertyWrites) && source.source === origin.source) propertyWrites[key] = null;
    }
  }
  for (const [key, value] of Object.entries(propertyWrites)) {
    const stored = propertySources[key];
    if (!newer(origin, stored)) continue;
    if (value === null) {
      if (key in properties || stored) changed = true;
      delete properties[key];
      delete propertySources[key];
    } else {
      if (
        !sameSource(stored, origin) ||
        !(key in properties) ||
        !sameValue(properties[key], value)
      ) {
        changed = true;
      }
      properties[key] = value;
      propertySources[key] = origin;
    }
  }

  if (!changed) return current;
  return {
    ...current,
    profile: toProfile(values, properties),
    provenance: { fields: fieldSources, properties: propertySources },
    updatedAt: origin.at,
  };
}

/** Everything pulled, token-carried and pushed is dropped, as when the site forgets the person. */
export function clearProfile(current: ContactRecord, at: string): ContactRecord {
  if (current.profile === null) return current;
  return {
    ...current,
    profile: null,
    provenance: { fields: {}, properties: {} },
    updatedAt: at,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key with `primary` winning; anything else is primary's when it has it. */
function deepMerge(primary: unknown, secondary: unknown): unknown {
  if (!isPlainObject(primary) || !isPlainObject(secondary)) return primary;
  const merged: Record<string, unknown> = { ...secondary };
  for (const [key, value] of Object.entries(primary)) {
    merged[key] = key in secondary ? deepMerge(value, secondary[key]) : value;
  }
  return merged;
}

const IDENTITY_RANK = { verified: 2, claimed: 1 } as const;

function stronger(
  a: ContactRecord['identity'],
  b: ContactRecord['identity'],
): ContactRecord['identity'] {
  if (a === null) return b;
  if (b === null) return a;
  return IDENTITY_RANK[a] >= IDENTITY_RANK[b] ? a : b;
}

/**
 * The primary after taking in the secondary: each field is the primary's when it has one, else
 * the secondary's (with its provenance); properties deep-merge with the primary winning.
 */
export function combine(
  primary: ContactRecord,
  secondary: ContactRecord,
  at: string,
): ContactRecord {
  const values = valuesOf(primary.profile);
  const fromSecondary = valuesOf(secondary.profile);
  const fieldSources = { ...primary.provenance.fields };
  for (const field of CONTACT_FIELDS) {
    const source = secondary.provenance.fields[field];
    if (values[field] === null && fromSecondary[field] !== null) {
      values[field] = fromSecondary[field];
      if (source) fieldSources[field] = source;
    }
  }
  const properties = deepMerge(
    primary.profile?.metadata ?? {},
    secondary.profile?.metadata ?? {},
  ) as Record<string, unknown>;
  const propertySources: Provenance['properties'] = {
    ...secondary.provenance.properties,
    ...primary.provenance.properties,
  };
  for (const key of Object.keys(propertySources)) {
    if (!(key in properties)) delete propertySources[key];
  }
  return {
    ...primary,
    profile: toProfile(values, properties),
    provenance: { fields: fieldSources, properties: propertySources },
    identity: stronger(primary.identity, secondary.identity),
    createdAt: primary.createdAt < secondary.createdAt ? primary.createdAt : secondary.createdAt,
    updatedAt: at,
  };
}

/** The identity a chat session proved, kept when it is stronger than what the contact had. */
export function withIdentity(
  current: ContactRecord,
  identity: 'verified' | 'claimed',
): ContactRecord {
  const next = stronger(current.identity, identity);
  return next === current.identity ? current : { ...current, identity: next };
}

/** The bounds a stored contact keeps, whatever combination of writes built it. */
export function sizeProblems(record: ContactRecord): FieldError[] {
  const properties = record.profile?.metadata ?? {};
  if (Object.keys(properties).length > PROFILE_LIMITS.metadataKeys) {
    return [
      {
        path: 'properties',
        message: `the contact would have more than ${PROFILE_LIMITS.metadataKeys} properties; remove some with null`,
      },
    ];
  }
  if (Buffer.byteLength(JSON.stringify(record.profile)) > PROFILE_LIMITS.profileBytes) {
    return [
      {
        path: '(root)',
        message: `the contact would be larger than ${PROFILE_LIMITS.profileBytes / 1024} KiB`,
      },
    ];
  }
  return [];
}
