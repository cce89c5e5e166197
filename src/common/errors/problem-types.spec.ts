import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemTypes } from './problem-types';

describe('problem catalogue', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

  it.each(Object.values(ProblemTypes).map((problem) => [problem.type, problem]))(
    'the README lists %s with its status and title',
    (_type, problem) => {
      expect(readme).toMatch(
        new RegExp(`\\| \`${problem.type}\` +\\| ${problem.status} +\\| ${escape(problem.title)} +\\|`),
      );
    },
  );

  it('has unique types', () => {
    const types = Object.values(ProblemTypes).map((problem) => problem.type);
    expect(new Set(types).size).toBe(types.length);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
