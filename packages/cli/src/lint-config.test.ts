// The repository's eslint config must keep its type-aware rules on: a config that lost `projectService` (or
// the typed rule sets) would still lint, find nothing typed, and pass CI silently. This lints a fixture that
// is wrong in ways only type information shows, with the real eslint.config.js, and expects each finding.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO } from './__fixtures__/run-cli.js';

describe('eslint config (type-aware rules on)', () => {
  it('reports what only types reveal, honours a justified disable comment and reports an unused one', { timeout: 180_000 }, async () => {
    // ignore: false because eslint.config.js ignores the fixture folder (so `pnpm lint` stays green).
    const eslint = new ESLint({ cwd: REPO, ignore: false });
    const [result] = await eslint.lintFiles([join(FIXTURES, 'lint', 'type-aware.ts')]);
    const found = result!.messages.map((m) => `${m.line}: ${m.ruleId ?? m.message}`);
    expect(found).toEqual([
      '9: @typescript-eslint/no-floating-promises',
      '13: @typescript-eslint/restrict-template-expressions',
      '17: @typescript-eslint/await-thenable',
      // Line 22's `new Function` is covered by its disable comment: no no-implied-eval finding.
      expect.stringMatching(
        /^26: Unused eslint-disable directive \(no problems were reported from '@typescript-eslint\/no-floating-promises'\)/,
      ),
    ]);
  });
});
