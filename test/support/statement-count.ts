import type { Kysely } from 'kysely';

/** `db` as a handle that counts the statements sent through it (`count()`; `reset()` starts again). */
export function countingStatements<T>(db: Kysely<T>) {
  let count = 0;
  const counted = db.withPlugin({
    transformQuery: (args) => {
      count += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return {
    db: counted,
    count: () => count,
    reset: () => {
      count = 0;
    },
  };
}
