// The V8 flags `machi` starts a zone's process with (bin/node-flags.json, explained in
// bin/machi.js): the benchmarks' servers are started the same way, to measure what is deployed.
import flags from '../../bin/node-flags.json' with { type: 'json' };

export const NODE_FLAGS: readonly string[] = flags;
