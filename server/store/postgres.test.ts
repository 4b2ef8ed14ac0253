import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { describeStoreContract } from './store.contract.js';
import { openPostgresStore } from './postgres.js';
import { postgresUrlForTests } from '../../test/support/services.js';

const url = await postgresUrlForTests();
const schemas: string[] = [];

afterAll(async () => {
  if (!url || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

if (url) {
  describeStoreContract('PostgreSQL', () => {
    const schema = `palaver_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return openPostgresStore(url, { schema, poolSize: 4 });
  });
}

describe.runIf(url)('PostgreSQL migrations', () => {
  test('instances starting at the same time on an empty database migrate it once', async () => {
    const schema = `palaver_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore(url!, { schema, poolSize: 2 })),
    );
    await Promise.all(stores.map((s) => s.ping()));
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT name FROM ${schema}.kysely_migration ORDER BY name`,
    );
    await client.end();
    expect(rows.map((r) => r.name)).toEqual([
      '0001_initial',
      '0002_identity',
      '0003_unread_counters',
      '0004_contacts',
      '0005_api_keys',
      '0006_integration_mapping',
      '0007_signing_secrets',
      '0008_cards',
      '0009_card_actions',
      '0010_webhooks',
      '0011_webhook_claims_per_subscription',
    ]);
    await Promise.all(stores.map((s) => s.close()));
  });
});

describe.runIf(url)('PostgreSQL migrations under a statement_timeout', () => {
  test('wait for another instance’s migration longer than the timeout the role sets for queries', async () => {
    // A database of its own: the migration lock is per database, and others' tests share `test`.
    const database = `palaver_lock_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const own = new URL(url!);
    own.pathname = `/${database}`;
    // What `ALTER ROLE palaver SET statement_timeout = …` does, for this connection string only.
    const withTimeout = new URL(own);
    withTimeout.searchParams.set('options', '-c statement_timeout=300');
    // Another instance migrating: it holds the migration lock for a while.
    const other = new pg.Client({ connectionString: own.toString() });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(3853314791062309107)');
      const opening = openPostgresStore(withTimeout.toString(), { poolSize: 2 });
      const outcome = Promise.allSettled([opening]);
      // Released only once the new instance has waited for it well past its statement_timeout.
      await expect
        .poll(
          async () =>
            (
              await other.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'
                   AND wait_event = 'advisory'
                   AND now() - query_start > interval '900 milliseconds'`,
              )
            ).rows[0]!.n,
          { timeout: 5000 },
        )
        .toBe(1);
      await other.query('SELECT pg_advisory_unlock(3853314791062309107)');
      const [result] = await outcome;
      expect(result.status).toBe('fulfilled');
      const store = await opening;
      await store.ping();
      await store.close();
    } finally {
      await other.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }, 15_000);
});
