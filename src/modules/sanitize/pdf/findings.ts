/** Collects what the original PDF held, by kind and detail, into the report's `Removed` entries. */
import type { Removed } from '../types.ts';

export class Findings {
  private readonly counts = new Map<string, number>();

  add(kind: string, detail?: string, count = 1): void {
    const key = detail === undefined ? kind : `${kind}\u0000${detail}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
  }

  has(kind: string): boolean {
    for (const key of this.counts.keys()) if (key === kind || key.startsWith(`${kind}\u0000`)) return true;
    return false;
  }

  toRemoved(): Removed[] {
    return [...this.counts].map(([key, count]) => {
      const [kind, detail] = key.split('\u0000') as [string, string | undefined];
      return detail === undefined ? { kind, count } : { kind, count, detail };
    });
  }
}

/** The host of a URI, for the report: never the path or query, which may carry personal data. */
export function uriHost(uri: string): string {
  try {
    const parsed = new URL(uri.trim());
    return parsed.host || parsed.protocol;
  } catch {
    return '(not a valid URI)';
  }
}
