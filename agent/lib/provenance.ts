import type { ContactSource, FieldSource, Provenance } from '../../protocol/index.js';
import { ago, dateTime } from './format.js';

/** In a fixed order, so chips line up from row to row. */
export const SOURCES: readonly ContactSource[] = ['push', 'pull', 'token'];

/** How filters and chips name a source. */
export const SOURCE_NAMES: Record<ContactSource, string> = {
  push: 'Pushed',
  pull: 'Pulled',
  token: 'Token',
};

/** "push · CRM sync · 3 min ago": the compact tag beside a value. */
export function sourceSummary(source: FieldSource, now = Date.now()): string {
  return [source.source, source.detail, ago(source.at, now)].filter(Boolean).join(' · ');
}

/** "Pushed with the API key “CRM sync” · Jun 2, 2025, 10:00": the tag's full words. */
export function sourceDescription(source: FieldSource): string {
  let what: string;
  if (source.source === 'push') {
    what = source.detail ? `Pushed with the API key “${source.detail}”` : 'Pushed through the API';
  } else if (source.source === 'pull') {
    what = source.detail
      ? `Pulled from the site's user endpoint (${source.detail})`
      : "Pulled from the site's user endpoint";
  } else {
    what = "Carried in the site's signed user token";
  }
  return `${what} · ${dateTime(source.at)}`;
}

/** Every source that wrote some value of the contact. */
export function sourcesOf(provenance: Provenance): ContactSource[] {
  const used = new Set<ContactSource>();
  for (const s of Object.values(provenance.fields)) used.add(s.source);
  for (const s of Object.values(provenance.properties)) used.add(s.source);
  return SOURCES.filter((s) => used.has(s));
}

/** The name shown may be the full name or its parts: the newest of their sources. */
export function nameSource(provenance: Provenance): FieldSource | undefined {
  const { name, firstName, lastName } = provenance.fields;
  return [name, firstName, lastName]
    .filter((s): s is FieldSource => s !== undefined)
    .sort((a, b) => b.at.localeCompare(a.at))[0];
}
