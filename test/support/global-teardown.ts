import { rm } from 'node:fs/promises';
import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__ANKER_TEST_STATE__;
  if (!state) {
    return;
  }
  await withAdminClient(state.adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(state.templateDatabase)} WITH (FORCE)`),
  );
  await state.embedded?.stop();
  if (state.tempDir) {
    await rm(state.tempDir, { recursive: true, force: true });
  }
}
