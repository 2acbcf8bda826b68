// The V8 flags `machi` starts a process with (bin/node-flags.json, explained in bin/machi.js):
// the benchmarks' servers are started the same way, to measure what is deployed.
import flags from '../../bin/node-flags.json' with { type: 'json' };

type Zone = 'internet' | 'lgwan' | 'mynumber';

/** The flags of a process that runs `zone` alone (`machi serve --zone`), or of any other. */
export function nodeFlags(zone?: Zone): readonly string[] {
  const own = zone ? (flags as Partial<Record<Zone, string[]>>)[zone] : undefined;
  return [...flags.every, ...(own ?? [])];
}
