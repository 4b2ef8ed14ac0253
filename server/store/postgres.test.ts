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
    ]);
    await Promise.all(stores.map((s) => s.close()));
  });
});
