/** Collects what was removed, merged by kind, in the order first seen (for `Rebuilt.removed`). */
import type { Removed } from '../types.ts';

export class Tally {
  private readonly counts = new Map<string, { count: number; details: Set<string> }>();

  add(kind: string, detail?: string): void {
    let entry = this.counts.get(kind);
    if (entry === undefined) {
      entry = { count: 0, details: new Set() };
      this.counts.set(kind, entry);
    }
    entry.count++;
    if (detail !== undefined) entry.details.add(detail);
  }

  has(kind: string): boolean {
    return this.counts.has(kind);
  }

  list(): Removed[] {
    return [...this.counts].map(([kind, { count, details }]) =>
      details.size > 0 ? { kind, count, detail: [...details].join(', ') } : { kind, count },
    );
  }
}
