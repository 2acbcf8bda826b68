import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { findMunicipality, isMachiError } from '../../core/index.ts';
import { generateResidentsCsv } from '../../modules/registry/index.ts';
import { type Command, requireOption, stringOption, UsageError } from '../command.ts';

function integerOption(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max.toLocaleString('en-US')}.`);
  }
  return value;
}

/** `machi registry generate`: deterministic demo residents as resident CSV. */
export const registryGenerateCommand: Command = {
  name: 'registry generate',
  summary: 'Write realistic demo residents of a municipality as resident CSV',
  help: [
    '  --municipality CODE   地方公共団体コード, e.g. 131016 (required)',
    '  --count N             how many persons (required, up to 10,000,000)',
    '  --seed S              same seed, same residents (default 1)',
    '  --out FILE            write to FILE instead of stdout',
  ].join('\n'),
  options: {
    municipality: { type: 'string' },
    count: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
  },
  async run({ values, stdout }) {
    const code = requireOption(values, 'municipality');
    try {
      findMunicipality(code);
    } catch (error) {
      if (isMachiError(error)) throw new UsageError(error.detail);
      throw error;
    }
    const count = integerOption(requireOption(values, 'count'), 'count', 0, 10_000_000);
    const seed = integerOption(stringOption(values, 'seed'), 'seed', 1, 2 ** 32 - 1);
    const out = stringOption(values, 'out');
    const target = out ? createWriteStream(out) : stdout;
    // Written chunk by chunk, waiting for 'drain': a million rows never sit in memory.
    for await (const chunk of generateResidentsCsv({ municipality: code, count, seed })) {
      if (!target.write(chunk)) await once(target, 'drain');
    }
    if (out) {
      target.end();
      await once(target, 'finish');
    }
    return 0;
  },
};
