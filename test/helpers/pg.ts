/**
 * A fresh PostgreSQL database per test run: `zcrm_test_<pid>_<time>_<n>`, created on the server
 * of `ZCRM_TEST_PG_URL` (default: the local server's `test` database) and dropped afterwards.
 * When PostgreSQL cannot be reached the test fails — it never skips.
 */
import postgres from 'postgres';

export const PG_ADMIN_URL = process.env.ZCRM_TEST_PG_URL ?? 'postgres://127.0.0.1:5432/test';

let counter = 0;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `zcrm_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (e) {
    await admin.end({ timeout: 1 });
    throw new Error(`PostgreSQL at ${PG_ADMIN_URL} is needed by this test and could not be used: ${(e as Error).message}`);
  }
  await admin.end({ timeout: 1 });
  return {
    url: withDatabase(PG_ADMIN_URL, name),
    name,
    async drop() {
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
