import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Rule {
  name: string;
  severity: string;
  from: { path?: string };
  to: { path?: string; pathNot?: string };
}

const { forbidden } = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  forbidden: Rule[];
};

/** Applies a rule the way dependency-cruiser does: `$1` in `to` is the first group matched by `from`. */
function forbids(rule: Rule, from: string, to: string): boolean {
  const match = rule.from.path ? new RegExp(rule.from.path).exec(from) : [from];
  if (!match) return false;
  const group = (pattern: string) => pattern.replaceAll('$1', match[1] ?? '');
  if (rule.to.path && !new RegExp(group(rule.to.path)).test(to)) return false;
  if (rule.to.pathNot && new RegExp(group(rule.to.pathNot)).test(to)) return false;
  return true;
}

describe('the dependency linter keeps the zones apart (CI runs depcruise)', () => {
  const rule = forbidden.find((entry) => entry.name === 'zone-to-zone-only-through-gateway');

  it('is an error for the internet zone to import the mynumber zone, either way round', () => {
    expect(rule?.severity).toBe('error');
    expect(forbids(rule!, 'src/zones/internet/index.ts', 'src/zones/mynumber/index.ts')).toBe(true);
    expect(
      forbids(rule!, 'src/zones/internet/pages/x.ts', 'src/zones/mynumber/population-statistics.ts'),
    ).toBe(true);
    expect(forbids(rule!, 'src/zones/mynumber/index.ts', 'src/zones/internet/index.ts')).toBe(true);
  });

  it('lets a zone import its own files and the gateway', () => {
    expect(forbids(rule!, 'src/zones/mynumber/index.ts', 'src/zones/mynumber/population-statistics.ts')).toBe(
      false,
    );
    expect(forbids(rule!, 'src/zones/internet/index.ts', 'src/zones/gateway/index.ts')).toBe(false);
  });
});
