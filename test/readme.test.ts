import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withErrorsTable } from '../scripts/errors-table.ts';
import { commands } from '../src/cli/commands/index.ts';
import { errorCodes } from '../src/core/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every error code (regenerate with `npx tsx scripts/errors-table.ts`)', () => {
    expect(withErrorsTable(readme)).toBe(readme);
    for (const code of Object.keys(errorCodes)) expect(readme).toContain(`/problems/${code}`);
  });

  it('names every CLI command', () => {
    for (const command of commands) expect(readme).toContain(`machi ${command.name}`);
  });
});
