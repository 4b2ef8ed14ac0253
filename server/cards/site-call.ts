import { performance } from 'node:perf_hooks';
import type * as z from 'zod/mini';
import { isJsonContentType, requestFailure, type GuardedHttpClient } from '../outbound/index.js';
import { REQUEST_ID_HEADER, SIGNATURE_HEADER, type SigningService } from '../signing/index.js';
import type { ResolvedCard } from './settings.js';

/** The contract's deadline for one card or action call: connect, headers and the whole body. */
const CARD_DEADLINE_MS = 10_000;
/** Bodies above this are refused, compressed or not. */
const CARD_MAX_BYTES = 256 * 1024;
/** How many of a refused answer's problems the message lists. */
const PROBLEMS_LISTED = 3;

export interface SiteCallDeps {
  client: GuardedHttpClient;
  signing: SigningService;
}

/** What a call gave: the site's answer as the schema read it, or why there is none. */
export type SiteAnswer<T> =
  | { ok: true; value: T; httpStatus: number; latencyMs: number }
  | {
      ok: false;
      errorClass: string;
      message: string;
      httpStatus: number | null;
      latencyMs: number | null;
    };

function statusProblem(status: number): { errorClass: string; message: string } {
  if (status >= 300 && status < 400) {
    return {
      errorClass: 'redirect',
      message: `HTTP ${status}: redirects are not followed; set the card's final URL`,
    };
  }
  if (status === 401 || status === 403) {
    return {
      errorClass: 'unauthorized',
      message: `HTTP ${status}: the site refused Palaver's credentials; check the card's headers`,
    };
  }
  if (status === 429) {
    return { errorClass: 'rate_limited', message: 'HTTP 429: the site asked Palaver to slow down' };
  }
  if (status >= 500) {
    return { errorClass: 'server_error', message: `The site answered HTTP ${status}` };
  }
  return {
    errorClass: 'bad_status',
    message: `HTTP ${status}: a card endpoint answers 200 with JSON`,
  };
}

/** "card.components.3.url: may only use https:…", for the first few problems. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const listed = issues
    .slice(0, PROBLEMS_LISTED)
    .map((i) => `${i.path.map(String).join('.') || '(answer)'}: ${i.message}`);
  const more =
    issues.length > PROBLEMS_LISTED ? ` (and ${issues.length - PROBLEMS_LISTED} more)` : '';
  return `${listed.join('; ')}${more}`;
}

/**
 * POSTs `payload` as JSON to a card's endpoint, signed, with the card's headers, through the
 * guarded client (address policy, no redirects, deadline, body cap), and reads the answer with
 * `schema`. Never throws: every failure is a class and a message a site developer can act on.
 */
export async function callSite<T>(
  deps: SiteCallDeps,
  card: ResolvedCard,
  url: URL,
  payload: unknown,
  requestId: string,
  schema: z.ZodMiniType<T>,
  invalidClass: string,
): Promise<SiteAnswer<T>> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let response;
  try {
    const signature = await deps.signing.sign(card.projectId, body);
    response = await deps.client.request({
      url,
      method: 'POST',
      headers: {
        ...Object.fromEntries(card.headers.map((h) => [h.name, h.value])),
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': 'Palaver cards',
        [SIGNATURE_HEADER]: signature,
        [REQUEST_ID_HEADER]: requestId,
      },
      body,
      deadlineMs: CARD_DEADLINE_MS,
      maxBytes: CARD_MAX_BYTES,
    });
  } catch (error) {
    const e = requestFailure(error);
    return {
      ok: false,
      errorClass: e.errorClass,
      message: e.message,
      httpStatus: null,
      latencyMs: elapsed(),
    };
  }
  const latencyMs = elapsed();
  const at = { httpStatus: response.status, latencyMs };
  if (response.status !== 200) return { ok: false, ...at, ...statusProblem(response.status) };
  const contentType = response.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    return {
      ok: false,
      ...at,
      errorClass: 'bad_content_type',
      message: `Expected application/json, got ${(contentType ?? 'no content type').split(';')[0]}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch {
    return { ok: false, ...at, errorClass: 'bad_json', message: 'The answer is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      ...at,
      errorClass: invalidClass,
      message: describeIssues(parsed.error.issues),
    };
  }
  return { ok: true, ...at, value: parsed.data };
}
