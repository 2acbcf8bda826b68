/**
 * A set of non-negative integers below 2^53 (住民票コード, 個人番号 as numbers), each with the
 * line it was first seen on. Open addressing over typed arrays: a million entries cost
 * ~24 MB, where a Set<string> of the same codes costs several times that and loads the GC.
 */
export class LineNumberSet {
  private keys: Float64Array;
  private lines: Int32Array;
  private size = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity).fill(-1);
    this.lines = new Int32Array(capacity);
  }

  /** Adds `key`; returns 0 when it is new, else the line it was first added with. */
  addOrGet(key: number, line: number): number {
    if (this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    for (;;) {
      const found = this.keys[slot]!;
      if (found === -1) {
        this.keys[slot] = key;
        this.lines[slot] = line;
        this.size++;
        return 0;
      }
      if (found === key) return this.lines[slot]!;
      slot = (slot + 1) & mask;
    }
  }

  /** Forgets `key` (a row refused later, e.g. by the database): keeps probing chains intact. */
  delete(key: number): void {
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    while (this.keys[slot] !== -1) {
      if (this.keys[slot] === key) {
        // Backward-shift deletion (linear probing): move later entries of the chain up.
        let hole = slot;
        let next = (hole + 1) & mask;
        while (this.keys[next] !== -1) {
          const home = hash(this.keys[next]!) & mask;
          if ((next - home + mask + 1) % (mask + 1) >= (next - hole + mask + 1) % (mask + 1)) {
            this.keys[hole] = this.keys[next]!;
            this.lines[hole] = this.lines[next]!;
            hole = next;
          }
          next = (next + 1) & mask;
        }
        this.keys[hole] = -1;
        this.size--;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldLines = this.lines;
    this.keys = new Float64Array(oldKeys.length * 2).fill(-1);
    this.lines = new Int32Array(oldKeys.length * 2);
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] !== -1) this.addOrGet(oldKeys[i]!, oldLines[i]!);
    }
  }
}

function hash(key: number): number {
  const low = key >>> 0;
  const high = Math.floor(key / 4294967296) >>> 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
