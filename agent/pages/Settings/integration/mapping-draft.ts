import {
  MAPPED_FIELDS,
  type IntegrationMapping,
  type MappedField,
  type MappingPreset,
} from '../../../../protocol/index.js';

export interface PropertyRow {
  key: number;
  path: string;
  property: string;
}

/** The mapping as typed: every field has an input, empty meaning "not mapped". */
export interface MappingDraft {
  preset: MappingPreset;
  fields: Record<MappedField, string>;
  properties: PropertyRow[];
  includeRemaining: boolean;
}

let rowKey = 0;
export const newPropertyRow = (): PropertyRow => ({ key: ++rowKey, path: '', property: '' });

export function mappingDraftOf(mapping: IntegrationMapping): MappingDraft {
  return {
    preset: mapping.preset,
    fields: Object.fromEntries(MAPPED_FIELDS.map((f) => [f, mapping.fields[f] ?? ''])) as Record<
      MappedField,
      string
    >,
    properties: mapping.properties.map((p) => ({ key: ++rowKey, ...p })),
    includeRemaining: mapping.includeRemaining,
  };
}

/** What the server is sent, in one canonical order (so that drafts compare by their text). */
export function mappingOf(draft: MappingDraft): IntegrationMapping {
  const fields: IntegrationMapping['fields'] = {};
  for (const field of MAPPED_FIELDS) {
    const path = draft.fields[field].trim();
    if (path) fields[field] = path;
  }
  return {
    preset: draft.preset,
    fields,
    properties: draft.properties.map((row) => ({
      path: row.path.trim(),
      property: row.property.trim(),
    })),
    includeRemaining: draft.includeRemaining,
  };
}

export const sameMapping = (a: IntegrationMapping, b: IntegrationMapping) =>
  JSON.stringify(mappingOf(mappingDraftOf(a))) === JSON.stringify(mappingOf(mappingDraftOf(b)));
