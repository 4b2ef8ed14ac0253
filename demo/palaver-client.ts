import type {
  BulkIdentifyResult,
  ContactInput,
  IdentifyResult,
  Problem,
} from '../protocol/index.js';

/** How long Acme's server waits for Palaver before it gives up on a call. */
const DEADLINE_MS = 10_000;

/** A call Palaver refused (its problem+json answer) or never answered (status 0). */
class PalaverApiError extends Error {
  override name = 'PalaverApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ContactPush = ContactInput & { externalId: string };

/**
 * Acme's server talking to Palaver's public API over HTTP with its API key, as any site's server
 * would: nothing in-process, so the demo exercises the same path as a real integration.
 */
export class PalaverClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  identify(externalId: string, input: ContactInput): Promise<IdentifyResult> {
    return this.call('PUT', `/contacts/${encodeURIComponent(externalId)}`, input);
  }

  /** At most 100 contacts; each is applied (or refused) on its own. */
  bulkIdentify(contacts: readonly ContactPush[]): Promise<BulkIdentifyResult> {
    return this.call('POST', '/contacts/bulk', { contacts });
  }

  private async call<T>(method: string, path: string, body: unknown): Promise<T> {
    const url = `${this.baseUrl}/api/v1${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
    } catch (error) {
      throw new PalaverApiError(0, `Palaver did not answer ${method} ${url}: ${reasonOf(error)}`);
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 200);
      try {
        detail = (JSON.parse(text) as Problem).detail;
      } catch {
        // not problem+json (a proxy's page): keep the start of the text
      }
      throw new PalaverApiError(response.status, `Palaver answered ${response.status}: ${detail}`);
    }
    return JSON.parse(text) as T;
  }
}

/** fetch fails with "fetch failed" and the useful part (ECONNREFUSED…) in its cause. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
