import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by the global setup for every test worker. */
export const TEST_ENV = {
  adminUrl: 'ANKER_TEST_ADMIN_URL',
  templateDatabase: 'ANKER_TEST_TEMPLATE_DB',
} as const;

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function withAdminClient<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
