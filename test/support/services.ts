import pg from 'pg';

/**
 * The PostgreSQL the tests may use: `TEST_DATABASE_URL`, else the local service this machine kind
 * runs. Without one the suites skip loudly, except under CI=true, where skipping would hide a
 * broken adapter.
 */
export async function postgresUrlForTests(): Promise<string | null> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(
        `CI=true but PostgreSQL is not reachable at ${url} (${String(error)}); PostgreSQL tests must run in CI`,
      );
    }
    console.warn(
      `\n!!! POSTGRESQL TESTS SKIPPED: no PostgreSQL at ${url}. Start one or set TEST_DATABASE_URL. !!!\n`,
    );
    return null;
  }
}

/** Like `postgresUrlForTests`, for Redis (`TEST_REDIS_URL`, else the local service). */
export async function redisUrlForTests(): Promise<string | null> {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(
        `CI=true but Redis is not reachable at ${url} (${String(error)}); Redis tests must run in CI`,
      );
    }
    console.warn(
      `\n!!! REDIS TESTS SKIPPED: no Redis at ${url}. Start one or set TEST_REDIS_URL. !!!\n`,
    );
    return null;
  } finally {
    client.disconnect();
  }
}

/** One statement on its own connection (CREATE/DROP DATABASE, DROP SCHEMA…), closed after. */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
