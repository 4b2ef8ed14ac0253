import {
  UpdateIntegrationRequest,
  type EndpointMethod,
  type EndpointStyle,
  type IntegrationSettings,
  type OnNotFound,
} from '../../../../protocol/index.js';
import type { FieldProblem } from '../../../api/request.js';
import { check } from '../../../lib/form.js';
import { headerInputs, headersChanged, type HeaderRow } from './HeaderRows.js';
import { mappingDraftOf, mappingOf, sameMapping, type MappingDraft } from './mapping-draft.js';

/** The integration form as typed, headers aside (they have rows of their own). */
export interface IntegrationDraft {
  enabled: boolean;
  style: EndpointStyle;
  url: string;
  paramName: string;
  method: EndpointMethod;
  /** The freshness window in minutes, as typed. */
  minutes: string;
  requireVerified: boolean;
  mapping: MappingDraft;
  onNotFound: OnNotFound;
}

const MAX_MINUTES = 7 * 24 * 60;

/** Paths the form shows next to an input. */
export const INTEGRATION_FIELDS = [
  'enabled',
  'style',
  'url',
  'paramName',
  'method',
  'headers',
  'freshnessSeconds',
  'requireVerified',
  'mapping',
  'onNotFound',
];

export function draftOf(settings: IntegrationSettings): IntegrationDraft {
  return {
    enabled: settings.enabled,
    style: settings.style,
    url: settings.url,
    paramName: settings.paramName || 'id',
    method: settings.method,
    minutes: String(settings.freshnessSeconds / 60),
    requireVerified: settings.requireVerified,
    mapping: mappingDraftOf(settings.mapping),
    onNotFound: settings.onNotFound,
  };
}

const minutesOf = (draft: IntegrationDraft) =>
  draft.minutes.trim() === '' ? Number.NaN : Number(draft.minutes);

export function requestOf(draft: IntegrationDraft, rows: HeaderRow[]): UpdateIntegrationRequest {
  return {
    enabled: draft.enabled,
    style: draft.style,
    url: draft.url.trim(),
    paramName: draft.paramName.trim(),
    method: draft.method,
    headers: headerInputs(rows),
    freshnessSeconds: Math.round(minutesOf(draft) * 60),
    requireVerified: draft.requireVerified,
    mapping: mappingOf(draft.mapping),
    onNotFound: draft.onNotFound,
  };
}

/** Whether saving would change anything (a query parameter name only counts in query style). */
export function isDirty(
  draft: IntegrationDraft,
  rows: HeaderRow[],
  settings: IntegrationSettings,
): boolean {
  const body = requestOf(draft, rows);
  return (
    headersChanged(rows, settings) ||
    draft.enabled !== settings.enabled ||
    draft.style !== settings.style ||
    body.url !== settings.url ||
    (draft.style === 'query' && body.paramName !== settings.paramName) ||
    draft.method !== settings.method ||
    body.freshnessSeconds !== settings.freshnessSeconds ||
    draft.requireVerified !== settings.requireVerified ||
    draft.onNotFound !== settings.onNotFound ||
    !sameMapping(mappingOf(draft.mapping), settings.mapping)
  );
}

/** The problems the browser can find before asking the server, in the server's words and paths. */
export function draftProblems(draft: IntegrationDraft, rows: HeaderRow[]): FieldProblem[] {
  const body = requestOf(draft, rows);
  const minutes = minutesOf(draft);
  const local = check(UpdateIntegrationRequest, body).filter(
    (p) => !p.path.startsWith('freshnessSeconds'),
  );
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_MINUTES) {
    local.push({
      path: 'freshnessSeconds',
      message: `Enter a number of minutes from 0 to ${MAX_MINUTES} (7 days)`,
    });
  }
  if (draft.enabled && !body.url) {
    local.push({ path: 'url', message: 'Enter the URL of your user endpoint to turn this on' });
  }
  rows.forEach((row, i) => {
    if (row.masked === null && !row.name.trim()) {
      local.push({ path: `headers.${i}.name`, message: 'Enter a header name' });
    }
  });
  return local;
}
