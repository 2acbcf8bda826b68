/**
 * Reads rows by key, many callers' keys in one statement: the keys asked for in the same
 * tick go together at once, and while a statement is in flight the keys asked for meanwhile
 * wait and go together in the next. Why: on a busy zone each statement costs the process a
 * round trip to PostgreSQL (a write to its socket, a wake-up, a read) that costs more than
 * the server's indexed lookup; a hundred requests a second asking for their sessions then
 * make a few statements instead of a hundred. An idle process adds no wait: the first key
 * goes at once.
 *
 * `read` answers the rows of the keys it was given, each under its key's `idOf`; a key with
 * no row answers undefined. If a statement fails, each of its callers gets the error.
 */
export function coalescedReads<Key, Row>(options: {
  readonly idOf: (key: Key) => string;
  readonly read: (keys: readonly Key[]) => Promise<ReadonlyMap<string, Row>>;
  /** Most keys one statement carries. */
  readonly maxKeys?: number;
}): (key: Key) => Promise<Row | undefined> {
  const maxKeys = options.maxKeys ?? 500;
  type Waiting = { key: Key; resolve: (row: Row | undefined) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let reading = false;

  async function readAll(): Promise<void> {
    // Yield once, so that the keys asked for in the same tick share the first statement.
    await Promise.resolve();
    while (waiting.length > 0) {
      const group = waiting.slice(0, maxKeys);
      waiting = waiting.slice(group.length);
      try {
        const rows = await options.read(group.map((one) => one.key));
        for (const one of group) one.resolve(rows.get(options.idOf(one.key)));
      } catch (error) {
        for (const one of group) one.reject(error);
      }
    }
    reading = false;
  }

  return (key) =>
    new Promise<Row | undefined>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!reading) {
        reading = true;
        // readAll never rejects: each statement's failure goes to its own callers.
        void readAll();
      }
    });
}
