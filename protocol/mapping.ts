import * as z from 'zod/mini';
import { DANGEROUS_KEYS, parseAnswerPath } from './answer-path.js';

/** A path into the site's answer (see answer-path.ts): checked as admins type it. */
export const AnswerPath = z.string().check(
  z.maxLength(300),
  z.superRefine((text, ctx) => {
    const parsed = parseAnswerPath(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem, input: text });
  }),
);

/** The name a mapped value gets among the contact's properties. */
export const PropertyName = z.string().check(
  z.minLength(1, 'Name the property'),
  z.maxLength(100),
  z.regex(/^[^\p{Cc}\p{Cf}]+$/u, 'A property name cannot hold control or invisible characters'),
  z.refine((name) => !DANGEROUS_KEYS.has(name), 'This name is reserved; choose another'),
);

export const PropertyMapping = z.object({ path: AnswerPath, property: PropertyName });
export type PropertyMapping = z.infer<typeof PropertyMapping>;

/**
 * `auto` tells the two built-in shapes apart by `status` (what every integration did before
 * mappings existed); `standard` and `data_sync` insist on one; `custom` reads the paths below.
 */
export const MappingPreset = z.enum(['auto', 'standard', 'data_sync', 'custom']);
export type MappingPreset = z.infer<typeof MappingPreset>;

/** Profile fields a custom mapping can fill, and `externalId`: where the answer names its user. */
export const MAPPED_FIELDS = [
  'externalId',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'avatarUrl',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export const MappedFields = z.object({
  externalId: z.optional(AnswerPath),
  name: z.optional(AnswerPath),
  firstName: z.optional(AnswerPath),
  lastName: z.optional(AnswerPath),
  email: z.optional(AnswerPath),
  phone: z.optional(AnswerPath),
  avatarUrl: z.optional(AnswerPath),
});
export type MappedFields = z.infer<typeof MappedFields>;

export const PROPERTY_MAPPINGS_MAX = 50;

/**
 * How the site's answer becomes a profile. Paths and properties are kept whatever the preset (so
 * switching presets back and forth loses nothing) and read only by `custom`.
 */
export const IntegrationMapping = z
  .object({
    preset: MappingPreset,
    fields: MappedFields,
    properties: z.array(PropertyMapping).check(z.maxLength(PROPERTY_MAPPINGS_MAX)),
    /** Copy every top-level field no path above reads into the properties too. */
    includeRemaining: z.boolean(),
  })
  .check(
    z.superRefine((mapping, ctx) => {
      const seen = new Set<string>();
      mapping.properties.forEach(({ property }, index) => {
        if (seen.has(property)) {
          ctx.addIssue({
            code: 'custom',
            message: `The property ${property} is listed twice`,
            path: ['properties', index, 'property'],
            input: property,
          });
        }
        seen.add(property);
      });
      const { externalId: _id, ...profileFields } = mapping.fields;
      const mapsSomething =
        Object.values(profileFields).some(Boolean) ||
        mapping.properties.length > 0 ||
        mapping.includeRemaining;
      if (mapping.preset === 'custom' && !mapsSomething) {
        ctx.addIssue({
          code: 'custom',
          message: 'Map at least one field or property, or choose a preset',
          path: ['fields'],
          input: mapping.fields,
        });
      }
    }),
  );
export type IntegrationMapping = z.infer<typeof IntegrationMapping>;

export const DEFAULT_MAPPING: IntegrationMapping = {
  preset: 'auto',
  fields: {},
  properties: [],
  includeRemaining: false,
};

/**
 * What a 404/410 does to a contact that already has a profile: `keep` it, marked "not found at
 * the site", or `clear` it.
 */
export const OnNotFound = z.enum(['keep', 'clear']);
export type OnNotFound = z.infer<typeof OnNotFound>;

/** One node of the answer as Test connection shows it: its place and type, never its value. */
export const AnswerShapeRow = z.object({
  /** Where it is, written as a mapping path (ready to copy). */
  path: z.string(),
  depth: z.int(),
  type: z.enum(['object', 'array', 'string', 'number', 'boolean', 'null']),
  /** `string (12 chars)`, `array (3 items)`, `object (4 keys)`… */
  summary: z.string(),
  /** Set when the PII guard would drop it: why (`sensitive_key`, `card_number`…). */
  dropped: z.nullable(z.string()),
});
export type AnswerShapeRow = z.infer<typeof AnswerShapeRow>;

/** Whether the answer names the user that was asked for (see record matching). */
export const RecordMatch = z.object({
  verdict: z.enum(['matched', 'mismatch', 'unchecked']),
  /** The path the id was read from, when there was one. */
  path: z.nullable(z.string()),
  message: z.string(),
});
export type RecordMatch = z.infer<typeof RecordMatch>;
