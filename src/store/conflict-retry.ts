/**
 * Writes that PostgreSQL may abort for a conflict with a concurrent one, tried again: a
 * deadlock (40P01) or a serialization failure (40001) rolls the whole statement or transaction
 * back, and PostgreSQL's advice is to run it again. Only for writes that are idempotent and
 * atomic (a run's flush is both), so a second attempt finds nothing half-done.
 */
const CONFLICTS = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

export async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConflict(error)) throw error;
      // Jittered, so the two that deadlocked do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFLICTS.has(code);
}
