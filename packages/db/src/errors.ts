/**
 * Database errors a client should retry rather than report: the database was busy (a lock held past
 * the wait allowed for it) or briefly unreachable. The service answers them 503 with Retry-After.
 * drizzle wraps a driver's error in DrizzleQueryError (the driver's is its `cause`), so the chain of
 * causes is searched.
 */
export function isDatabaseBusy(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // better-sqlite3: SQLITE_BUSY (another connection's lock outlasted busy_timeout), its extended
    // codes (SQLITE_BUSY_SNAPSHOT...), SQLITE_LOCKED (a lock of this connection's shared cache).
    if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  }
  return false;
}
