/**
 * Seeded mutations of valid files, for fuzzing the sanitizer: the same seed gives the same
 * cases on every machine, so a failure found once can be replayed. (mulberry32 PRNG.)
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values that make length and offset fields lie: zero, all ones, just past a boundary.
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];
const INTERESTING_32 = [0, 0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0xffff];

/** One to four mutations of `input`: byte flips, lying integers, cut, repeated or inserted ranges. */
export function mutate(input: Uint8Array, random: () => number): Uint8Array {
  let bytes = new Uint8Array(input);
  const pick = (n: number) => Math.floor(random() * n);
  const rounds = 1 + pick(4);
  for (let round = 0; round < rounds && bytes.length > 0; round++) {
    const at = pick(bytes.length);
    switch (pick(6)) {
      case 0: // flip bits in a few bytes
        for (let i = 0; i < 1 + pick(8); i++) {
          const j = pick(bytes.length);
          bytes[j] = bytes[j]! ^ (1 << pick(8));
        }
        break;
      case 1:
        bytes[at] = INTERESTING[pick(INTERESTING.length)]!;
        break;
      case 2: {
        const value = INTERESTING_32[pick(INTERESTING_32.length)]!;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
        if (at + 4 <= bytes.length) view.setUint32(at, value, random() < 0.5);
        break;
      }
      case 3: // truncate
        bytes = bytes.slice(0, Math.max(1, at));
        break;
      case 4: {
        // repeat a range in place (duplicated chunks, markers, objects)
        const length = 1 + pick(Math.min(256, bytes.length - at));
        const copy = bytes.slice(at, at + length);
        const grown = new Uint8Array(bytes.length + length);
        grown.set(bytes.subarray(0, at + length));
        grown.set(copy, at + length);
        grown.set(bytes.subarray(at + length), at + 2 * length);
        bytes = grown;
        break;
      }
      default: {
        // delete a range
        const length = 1 + pick(Math.min(256, bytes.length - at));
        bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + length)]);
      }
    }
  }
  return bytes;
}
