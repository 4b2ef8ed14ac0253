import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordingAnnouncer } from '../announcer/index.js';
import { SecretBox } from '../crypto/secrets.js';
import { IntegrationService, ProfileFetcher, userHashFor } from '../identity/index.js';
import type { GuardedHttpClient } from '../outbound/index.js';
import { createLogger } from '../logger.js';
import { ProjectService } from '../projects/service.js';
import { openSqliteStore, type ProjectRecord, type Store } from '../store/index.js';
import { VisitorService } from './service.js';
import { ContactService } from '../contacts/index.js';

const PROJECT = 'acme';
const context = { userAgent: null, now: new Date() };

let store: Store;
let integrations: IntegrationService;
let announcer: RecordingAnnouncer;
let visitors: VisitorService;
let project: ProjectRecord;
let secret: string;
let calls: number;

beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  announcer = new RecordingAnnouncer();
  integrations = new IntegrationService(store, new SecretBox(randomBytes(32)), {
    allowHttp: false,
  });
  calls = 0;
  const site = {
    request: () => {
      calls += 1;
      return Promise.resolve({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ first_name: 'Ann' })),
      });
    },
  } as unknown as GuardedHttpClient;
  const logger = createLogger('silent');
  const profiles = new ProfileFetcher({ store, integrations, client: site, logger, announcer });
  visitors = new VisitorService(
    store,
    integrations,
    profiles,
    new ContactService(store, announcer),
    announcer,
  );
  project = await new ProjectService(store, announcer).create({
    id: PROJECT,
    name: 'Acme',
    allowedOrigins: [],
  });
  await integrations.update(PROJECT, { enabled: true, url: 'https://api.acme.test/users/{id}' });
  secret = await integrations.rotateSecret(PROJECT, 0);
});
afterEach(() => store.close());

describe('a session start', () => {
  it('reads and opens the integration once, for the identity check and the profile fetch', async () => {
    const resolve = vi.spyOn(integrations, 'resolve');
    const record = vi.spyOn(integrations, 'record');
    const started = await visitors.start(
      project,
      { projectId: PROJECT, externalUserId: 'ann-1', userHash: userHashFor('ann-1', secret) },
      context,
    );
    expect(started.visitor.identity).toBe('verified');
    await expect.poll(() => announcer.of('profileChanged').length).toBe(1);

    expect(calls).toBe(1);
    expect(resolve).toHaveBeenCalledTimes(1);
    // Besides that read, only the site's health is read, to update it after the call.
    expect(record).toHaveBeenCalledTimes(2);
  });

  it('reads no integration settings for an anonymous visitor', async () => {
    const resolve = vi.spyOn(integrations, 'resolve');
    const record = vi.spyOn(integrations, 'record');
    await visitors.start(project, { projectId: PROJECT }, context);
    expect(resolve).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
  });
});
