import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './support/test-app';

const ADMIN = { email: 'admin@example.org', password: 'change-me-now-123' };

/** The shell block between the walk-through markers of the README, as a reader copies it. */
function walkthrough(): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!section) {
    throw new Error('README.md has no walk-through block between the markers.');
  }
  return section[1];
}

/** Runs a script as a reader's shell would, stopping at the first failing command. */
function bash(
  script: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('README: the first ten minutes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  });
  afterAll(() => t.close());

  it('runs command by command against a fresh API and ends with a filed recognition case', async () => {
    const run = await bash(walkthrough(), {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      BASE: t.baseUrl,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    // On failure the output shows how far the walk-through got.
    expect({ status: run.status, stderr: run.stderr, output: run.status === 0 ? '' : run.stdout }).toEqual({
      status: 0,
      stderr: '',
      output: '',
    });
    expect(run.stdout).toContain('"kind": "ERSTBERATUNG"');
    expect(run.stdout).toContain('"status": "BEANTRAGT"');

    const { rows } = await t.db.query<{ status: string; firstName: string }>(
      `SELECT rc.status, c.first_name AS "firstName"
         FROM recognition_cases rc JOIN clients c ON c.id = rc.client_id`,
    );
    expect(rows).toEqual([{ status: 'BEANTRAGT', firstName: 'Olena' }]);
    const { rows: consultations } = await t.db.query<{ kind: string }>('SELECT kind FROM consultations');
    expect(consultations).toEqual([{ kind: 'ERSTBERATUNG' }]);
  });
});
