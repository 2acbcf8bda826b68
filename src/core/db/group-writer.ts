/** How a group writer gathers what waits. */
export interface GroupWriterOptions<T> {
  /** Most items one group carries. */
  readonly maxGroup: number;
  /**
   * Least time from one group's start to the next: under load, the items of these
   * milliseconds share a statement (and its commit) instead of one each, since every
   * statement costs a round trip whatever its size. An item that finds the writer idle for
   * longer goes at once.
   */
  readonly spacingMs: number;
  /** Splits what waits into the next group and the rest; default: the first maxGroup. */
  readonly split?: (waiting: readonly T[], maxGroup: number) => { group: T[]; later: T[] };
}

/**
 * Group commit: items that arrive while a group is being written wait and go together in
 * the next one. `write` settles each item of its group itself (each caller waits for its
 * own answer) and must not throw.
 */
export function groupWriter<T>(
  write: (group: readonly T[]) => Promise<void>,
  options: GroupWriterOptions<T>,
): (item: T) => void {
  const split =
    options.split ??
    ((waiting: readonly T[], max: number) => ({ group: waiting.slice(0, max), later: waiting.slice(max) }));
  let waiting: T[] = [];
  let draining = false;
  let lastStart = Number.NEGATIVE_INFINITY;

  async function drain(): Promise<void> {
    // Wait for the end of this turn of the event loop, so that the items its requests
    // brought share the first group (under load the loop reads several per turn).
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (waiting.length > 0) {
        const wait = lastStart + options.spacingMs - performance.now();
        if (wait > 0 && waiting.length < options.maxGroup) {
          await new Promise<void>((resolve) => setTimeout(resolve, wait));
        }
        const { group, later } = split(waiting, options.maxGroup);
        waiting = later;
        lastStart = performance.now();
        await write(group);
      }
    } finally {
      draining = false;
    }
  }

  return (item) => {
    waiting.push(item);
    if (!draining) {
      draining = true;
      void drain();
    }
  };
}
