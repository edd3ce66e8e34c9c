/**
 * Memoises a factory by a string key. Building an Intl formatter costs tens of microseconds and a
 * page formats dozens of values; the keys (locale, currency, time zone) form small finite sets.
 */
export function memoize<V>(make: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
}
