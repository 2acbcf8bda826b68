/** Collects what was removed, merging repeats of the same kind and detail into one count. */
import type { Removed } from '../types.ts';

export type OoxmlRemovedKind = 'macro' | 'external-relationship' | 'dde' | 'activex' | 'ole-object' | 'part';

export class RemovedTally {
  private readonly counts = new Map<
    string,
    { kind: OoxmlRemovedKind; detail: string | undefined; count: number }
  >();

  add(kind: OoxmlRemovedKind, detail?: string, count = 1): void {
    if (count <= 0) return;
    const key = `${kind}\u0000${detail ?? ''}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += count;
    else this.counts.set(key, { kind, detail, count });
  }

  get size(): number {
    return this.counts.size;
  }

  list(): Removed[] {
    return [...this.counts.values()].map(({ kind, detail, count }) =>
      detail === undefined ? { kind, count } : { kind, count, detail },
    );
  }
}
