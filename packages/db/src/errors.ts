/**
 * Database errors a client should retry rather than report: the database was busy (a lock held past
 * the wait allowed for it, a deadlock or serialization conflict it broke) or briefly unreachable (a
 * restart, a full connection pool, a dropped connection). The service answers them 503 with
 * Retry-After. drizzle wraps a driver's error in DrizzleQueryError (the driver's is its `cause`), so
 * the chain of causes is searched.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (typeof code === "string") {
      // better-sqlite3: another connection's lock outlasted busy_timeout (and the extended codes).
      if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
      if (POSTGRES_TRANSIENT.has(code) || code.startsWith("08")) return true;
      if (NETWORK_ERRORS.has(code)) return true;
    }
    // node-postgres' pool and client say these without a code.
    if (typeof message === "string" && /timeout exceeded when trying to connect|Connection terminated/i.test(message)) return true;
  }
  return false;
}

/** SQLSTATEs of PostgreSQL that a retry can clear (https://www.postgresql.org/docs/15/errcodes-appendix.html); class 08 (connection) too. */
const POSTGRES_TRANSIENT = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available (lock_timeout)
  "57014", // query_canceled (statement_timeout)
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** A unique or primary-key constraint refused the row (another request inserted the same key first). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE") return true;
  }
  return false;
}
