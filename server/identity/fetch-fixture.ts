import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import type { FetchTrigger } from '../../protocol/index.js';
import { visitorRecord } from '../../test/support/records.js';
import { RecordingAnnouncer } from '../announcer/index.js';
import { SecretBox } from '../crypto/secrets.js';
import { createLogger } from '../logger.js';
import { ProjectService } from '../projects/service.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { ProfileFetcher } from './fetch-profile.js';
import type { GuardedHttpClient, GuardedRequest, GuardedResponse } from '../outbound/index.js';
import { IntegrationService } from './integration.js';

/** Test support for the fetcher's suites: a project, its integration, a scripted site. */

export const PROJECT = 'acme';
export const START = Date.parse('2030-01-01T10:00:00.000Z');
export const ALICE = { first_name: 'Alice', last_name: 'Martin', metadata: { plan: 'Pro' } };

type Script = (req: GuardedRequest) => Promise<GuardedResponse>;

/** Stands in for the guarded client: records every request and answers from a script. */
export class FakeClient {
  readonly calls: GuardedRequest[] = [];
  readonly queue: Script[] = [];
  fallback: Script = () => Promise.resolve(json(200, { first_name: 'Default' }));

  request(req: GuardedRequest): Promise<GuardedResponse> {
    this.calls.push(req);
    return (this.queue.shift() ?? this.fallback)(req);
  }

  answer(...responses: Array<GuardedResponse | Error>): void {
    for (const response of responses) {
      this.queue.push(() =>
        response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
      );
    }
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

export const status = (code: number, headers: Record<string, string> = {}) => ({
  status: code,
  headers,
  body: Buffer.alloc(0),
});

export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** One test's world; fresh before each test of the suite that calls `useFetchFixture`. */
export class FetchFixture {
  clock = START;
  readonly announcer = new RecordingAnnouncer();
  readonly client = new FakeClient();
  readonly integrations: IntegrationService;
  readonly fetcher: ProfileFetcher;

  constructor(readonly store: Store) {
    this.integrations = new IntegrationService(store, new SecretBox(randomBytes(32)), {
      allowHttp: false,
    });
    this.fetcher = new ProfileFetcher({
      store,
      integrations: this.integrations,
      client: this.client as unknown as GuardedHttpClient,
      logger: createLogger('silent'),
      announcer: this.announcer,
      now: () => this.clock,
    });
  }

  /** The integration as a session start or the Refresh route resolves it, at the current clock. */
  resolved(projectId = PROJECT) {
    return this.integrations.resolve(projectId, new Date(this.clock));
  }

  async refresh(id: string) {
    await this.carried(id);
    return this.fetcher.refresh(await this.resolved(), id);
  }

  async inBackground(id: string, trigger: FetchTrigger) {
    await this.carried(id);
    return this.fetcher.inBackground(await this.resolved(), id, trigger);
  }

  /**
   * A fetch starts from a visitor carrying the id (a session start, the Refresh button): one is
   * made unless the test made its own. Without one, the pull would store nothing (erased person).
   */
  private async carried(externalUserId: string) {
    if ((await this.store.visitors.ofContact(PROJECT, externalUserId)).length > 0) return;
    await this.verifiedVisitor(`vis_${externalUserId}`, externalUserId);
  }

  /** A visitor carrying the contact, so that agents have something to be told about. */
  verifiedVisitor(id: string, externalUserId: string) {
    return this.store.visitors.create({
      ...visitorRecord({
        id,
        projectId: PROJECT,
        firstSeenAt: new Date(START).toISOString(),
        externalUserId,
        identity: 'verified',
      }),
      tokenHash: `hash_${id}`,
    });
  }

  contact(id = 'u1') {
    return this.store.contacts.get(PROJECT, id);
  }

  log() {
    return this.store.identity.listLog(PROJECT, {});
  }

  async health() {
    return (await this.integrations.record(PROJECT)).health;
  }
}

/** Registers the hooks; the returned getter answers the current test's fixture. */
export function useFetchFixture(): () => FetchFixture {
  let current: FetchFixture | undefined;
  beforeEach(async () => {
    const store = await openSqliteStore(':memory:');
    current = new FetchFixture(store);
    await new ProjectService(store, current.announcer).create({
      id: PROJECT,
      name: 'Acme',
      allowedOrigins: [],
    });
    current.announcer.clear();
    await current.integrations.update(PROJECT, {
      enabled: true,
      url: 'https://api.acme.test/users/{id}',
      headers: [{ name: 'Authorization', value: 'Bearer sk_unit_canary' }],
    });
  });
  afterEach(() => current?.store.close());
  return () => {
    if (!current) throw new Error('the fixture exists only inside a test');
    return current;
  };
}
