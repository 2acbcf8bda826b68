// Fails when a production dependency carries a copyleft licence that would bind
// Machi's MIT code (GPL, AGPL, LGPL, SSPL, EUPL). Dev-only tools are not linked in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Node {
  path?: string;
  dependencies?: Record<string, Node>;
}

const tree = JSON.parse(
  execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  }),
) as Node;
const forbidden = /\b(A?GPL|LGPL|SSPL|EUPL)\b/i;
const seen = new Map<string, string>();

function walk(node: Node) {
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    if (!child.path || seen.has(child.path)) continue;
    const manifest = JSON.parse(readFileSync(join(child.path, 'package.json'), 'utf8')) as {
      license?: string | { type?: string };
      licenses?: { type?: string }[];
    };
    const license =
      typeof manifest.license === 'string'
        ? manifest.license
        : (manifest.license?.type ?? manifest.licenses?.map((l) => l.type).join(' OR ') ?? 'UNKNOWN');
    seen.set(child.path, `${name}: ${license}`);
    walk(child);
  }
}
walk(tree);

// "X OR GPL" lets us take X; only a licence with no permissive choice is refused.
const bad = [...seen.values()].filter((entry) => {
  const license = entry.split(': ')[1] ?? '';
  return license.split(/\s+OR\s+/i).every((choice) => forbidden.test(choice));
});
if (bad.length > 0) {
  console.error(`Copyleft licences in production dependencies:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log(`licences ok: ${seen.size} production packages, none copyleft`);
