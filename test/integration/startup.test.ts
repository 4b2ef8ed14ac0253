import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type {
  Agent,
  ApiKeyList,
  ContactPage,
  IntegrationSettings,
  Project,
  SigningSecrets,
} from '../../protocol/index.js';
import { signatureHeader } from '../../server/signing/index.js';
import { AgentClient } from '../support/clients.js';
import { startInstance, type Instance } from '../support/instances.js';
import { postgresUrlForTests, runSql } from '../support/services.js';

const pgUrl = await postgresUrlForTests();
/** Enough processes racing through start-up that a check-then-insert loses every time. */
const TOGETHER = 4;

const running: Instance[] = [];
const dataDirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.stop()));
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-startup-'));
  dataDirs.push(dir);
  return dir;
}

/** Starts the instances at the same moment; every one of them must come up. */
async function startTogether(
  envs: Record<string, string>[],
  entry: 'demo' | 'server',
): Promise<Instance[]> {
  const outcomes = await Promise.allSettled(envs.map((env) => startInstance(env, entry)));
  for (const outcome of outcomes) if (outcome.status === 'fulfilled') running.push(outcome.value);
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(failed.map((f) => String(f.reason))).toEqual([]);
  return running.slice();
}

/** What the demo printed for signing in. */
function printedCredentials(instance: Instance) {
  const field = (label: string) =>
    instance.output
      .find((line) => line.trimStart().startsWith(label))
      ?.trim()
      .slice(label.length)
      .trim()
      .split(/\s+/)[0];
  return { email: field('Sign in as'), password: field('Password') };
}

/**
 * After a start-up race, the deployment is as one instance alone would have made it: one admin,
 * one demo project whose user API is configured, readable and accepted by every instance.
 */
async function expectOneDemoDeployment(instances: Instance[], dataDir: string) {
  const credentials = instances.map(printedCredentials);
  expect(new Set(credentials.map((c) => JSON.stringify(c))).size).toBe(1);
  const { email, password } = credentials[0]!;
  const apiSecret = readFileSync(join(dataDir, 'demo-api-secret'), 'utf8').trim();
  const acmeKey = readFileSync(join(dataDir, 'demo-palaver-api-key'), 'utf8').trim();
  for (const instance of instances) {
    const admin = await AgentClient.login(instance.url, email!, password!);
    const agents = await admin.request<{ items: Agent[] }>('GET', '/api/admin/agents');
    expect(agents.body.items.map((a) => a.email)).toEqual([email]);
    const projects = await admin.request<{ items: Project[] }>('GET', '/api/admin/projects');
    expect(projects.body.items.map((p) => p.id)).toEqual(['demo']);
    // Its sealed headers open with this instance's secret key.
    const integration = await admin.request<IntegrationSettings>(
      'GET',
      '/api/admin/projects/demo/integration',
    );
    expect(integration).toMatchObject({
      status: 200,
      body: {
        enabled: true,
        headers: [{ name: 'Authorization', masked: 'Bearer ••••' }],
        identitySecrets: [expect.any(Object)],
      },
    });
    // Acme's user API accepts the bearer secret the integration sends, on every instance.
    const user = await fetch(`${instance.url}/demo-api/users/u_1001`, {
      headers: { authorization: `Bearer ${apiSecret}` },
    });
    expect(user.status).toBe(200);
    // One key for Acme's server, whichever instance made it, and Acme's users pushed with it.
    const keys = await admin.request<ApiKeyList>('GET', '/api/admin/projects/demo/api-keys');
    expect(keys.body.apiKeys.map((k) => k.label)).toEqual(['Acme server']);
    const contacts = await fetch(`${instance.url}/api/v1/contacts`, {
      headers: { authorization: `Bearer ${acmeKey}` },
    });
    expect(((await contacts.json()) as ContactPage).data).toHaveLength(5);
    // Acme holds a copy of a secret Palaver signs with, and every instance's Acme accepts it.
    const signing = await admin.request<SigningSecrets>(
      'GET',
      '/api/admin/projects/demo/signing-secret',
    );
    const active = signing.body.secrets.map((secret) => secret.prefix);
    const held = readFileSync(join(dataDir, 'demo-signing-secrets'), 'utf8')
      .split('\n')
      .filter((secret) => active.some((prefix) => secret.startsWith(prefix)));
    expect(held).toHaveLength(1);
    const context = JSON.stringify({
      project: { id: 'demo', name: 'Acme' },
      conversation: { id: 'conv_1', status: 'open', assignee: null },
      contact: null,
    });
    const card = await fetch(`${instance.url}/demo-api/palaver/cards/orders`, {
      method: 'POST',
      headers: { 'palaver-signature': signatureHeader(held, context, new Date()) },
      body: context,
    });
    expect(card.status).toBe(200);
  }
}

describe.runIf(pgUrl)('instances starting together on a fresh PostgreSQL database', () => {
  const databases: string[] = [];

  const admin = (sql: string) => runSql(pgUrl!, sql);

  async function freshDatabase(): Promise<string> {
    const name = `palaver_start_${randomBytes(5).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(pgUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  afterAll(async () => {
    for (const name of databases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  test('the demo: all become ready, with one admin and one demo project, sharing a data directory', async () => {
    const dataDir = freshDataDir();
    const env = { DATABASE_URL: await freshDatabase(), PALAVER_DATA_DIR: dataDir };
    const instances = await startTogether(
      Array.from({ length: TOGETHER }, () => env),
      'demo',
    );
    await expectOneDemoDeployment(instances, dataDir);
  }, 60_000);

  test('production: all become ready and the configured first admin exists once', async () => {
    const env = {
      DATABASE_URL: await freshDatabase(),
      PALAVER_DATA_DIR: freshDataDir(),
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      PALAVER_ADMIN_EMAIL: 'first@start.test',
      PALAVER_ADMIN_PASSWORD: 'first-admin-password',
    };
    const instances = await startTogether(
      Array.from({ length: TOGETHER }, () => env),
      'server',
    );
    for (const instance of instances) {
      const admin = await AgentClient.login(
        instance.url,
        'first@start.test',
        'first-admin-password',
      );
      const agents = await admin.request<{ items: Agent[] }>('GET', '/api/admin/agents');
      expect(agents.body.items.map((a) => [a.email, a.role])).toEqual([
        ['first@start.test', 'admin'],
      ]);
    }
  }, 60_000);

  test('production: a first admin is created only while no agent exists, even when instances disagree on who', async () => {
    const database = await freshDatabase();
    const dataDir = freshDataDir();
    const key = randomBytes(32).toString('hex');
    const envs = Array.from({ length: TOGETHER }, (_, i) => ({
      DATABASE_URL: database,
      PALAVER_DATA_DIR: dataDir,
      PALAVER_SECRET_KEY: key,
      PALAVER_ADMIN_EMAIL: `admin-${i}@start.test`,
      PALAVER_ADMIN_PASSWORD: `admin-${i}-password`,
    }));
    const instances = await startTogether(envs, 'server');
    const creators = instances.filter((instance) =>
      instance.output.some((line) => line.includes('"msg":"created the first admin"')),
    );
    expect(creators).toHaveLength(1);
    const i = instances.indexOf(creators[0]!);
    const admin = await AgentClient.login(
      instances[0]!.url,
      `admin-${i}@start.test`,
      `admin-${i}-password`,
    );
    const agents = await admin.request<{ items: Agent[] }>('GET', '/api/admin/agents');
    expect(agents.body.items.map((a) => a.email)).toEqual([`admin-${i}@start.test`]);
  }, 60_000);
});

describe('processes starting together on a fresh SQLite file', () => {
  test('the demo: all become ready, with one admin and one demo project', async () => {
    const dataDir = freshDataDir();
    const instances = await startTogether(
      Array.from({ length: TOGETHER }, () => ({ PALAVER_DATA_DIR: dataDir })),
      'demo',
    );
    await expectOneDemoDeployment(instances, dataDir);
  }, 60_000);
});
