import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
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
