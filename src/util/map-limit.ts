/**
 * `items.map(fn)` with at most `limit` calls in flight; results in the order of `items`.
 * After the first failure no new call starts; it rejects with that failure once the calls
 * in flight have settled, so nothing is left running behind the caller's back.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}
