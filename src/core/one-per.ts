/**
 * `make` made once per key object and kept for as long as the key lives (a WeakMap): one group
 * writer per audit log, one coalescing reader per database. `make` also gets the first call's
 * other arguments; every later call with the same key must pass the same ones (they are not
 * looked at again).
 */
export function onePer<Key extends object, Args extends unknown[], Value>(
  make: (key: Key, ...args: Args) => Value,
): (key: Key, ...args: Args) => Value {
  const made = new WeakMap<Key, Value>();
  return (key, ...args) => {
    if (made.has(key)) return made.get(key) as Value;
    const value = make(key, ...args);
    made.set(key, value);
    return value;
  };
}
