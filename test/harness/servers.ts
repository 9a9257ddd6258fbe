/**
 * What real servers this test run has, as found by the global set-up. A suite that needs one it lacks is
 * skipped with a loud notice on a developer's machine, and fails under CI (CI=true), where every server must exist
 * (EventStoreDB excepted: it cannot run on the CI machines, so its suite is skipped there too, as loudly).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export function postgresUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function describeWithServer(server: string, available: boolean, howToProvide: string, name: string, suite: () => void, requiredInCi = true): void {
  if (available) {
    describe(name, suite);
    return;
  }
  const notice = `\n${'!'.repeat(78)}\n!! SKIPPED: "${name}" needs ${server}, which this run could not find.\n!! ${howToProvide}\n${'!'.repeat(78)}\n`;
  if (process.env.CI === 'true' && requiredInCi) {
    describe(name, () => {
      it(`needs ${server}`, () => {
        throw new Error(notice);
      });
    });
    return;
  }
  process.stderr.write(notice);
  describe.skip(name, suite);
}

/** A new, empty database on the test server; returns its URL. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const base = postgresUrl();
  if (!base) throw new Error('no PostgreSQL server for this run');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
