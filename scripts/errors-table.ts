// Writes the README's errors table (between the errors:begin/end markers) from the one
// list in src/core/errors/codes.ts and the advice in src/web/problems/descriptions.ts.
// `npx tsx scripts/errors-table.ts --check` fails when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodes } from '../src/core/index.ts';
import { problemDescriptions } from '../src/web/index.ts';

export function errorsTable(): string {
  const rows = Object.entries(errorCodes).map(([code, { status, title }]) => {
    const advice = problemDescriptions[code as keyof typeof errorCodes]?.action.en ?? '';
    return `| \`/problems/${code}\` | ${status} | ${title} | ${advice.replaceAll('|', '\\|')} |`;
  });
  return ['| type | status | meaning | what to do |', '|---|---|---|---|', ...rows].join('\n');
}

export function withErrorsTable(readme: string): string {
  return readme.replace(
    /<!-- errors:begin -->[\s\S]*<!-- errors:end -->/,
    `<!-- errors:begin -->\n${errorsTable()}\n<!-- errors:end -->`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  const updated = withErrorsTable(readme);
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README errors table is out of date: run npx tsx scripts/errors-table.ts');
      process.exit(1);
    }
  } else writeFileSync(path, updated);
}
