import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys, type AppDatabase } from "@modelplan/db";
import type { Logger } from "./logger";
import { ApiError } from "./problem";

/** How long a remembered answer is replayed by default (IDEMPOTENCY_TTL_HOURS): 24 h. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Canonical JSON (sorted keys) so that key order does not change the request fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs `create` at most once per (workspace, operation, key) within `ttlMs` (24 h by default): inside
 * one SQLite transaction it either replays the remembered response (same body) or rejects a reused key
 * with another body (422), or runs `create` and remembers its response. A remembered answer older than
 * `ttlMs` is forgotten (the key may be used again, for any body); the sweep (startIdempotencySweep)
 * deletes such rows. Without a key it just runs `create`.
 */
export function withIdempotency(
  db: AppDatabase,
  scope: { workspaceId: string; operation: string; key: string | undefined; body: unknown; now: Date; ttlMs?: number },
  create: () => StoredResponse,
): StoredResponse & { replayed: boolean } {
  if (!scope.key) return { ...create(), replayed: false };
  const requestHash = createHash("sha256").update(canonicalJson(scope.body)).digest("hex");
  return db.transaction((tx) => {
    const prior = tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.workspaceId, scope.workspaceId), eq(idempotencyKeys.operation, scope.operation), eq(idempotencyKeys.key, scope.key!)))
      .get();
    const expired = prior !== undefined && Date.parse(prior.createdAt) <= scope.now.getTime() - (scope.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
    if (prior && expired) {
      tx.delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.workspaceId, scope.workspaceId), eq(idempotencyKeys.operation, scope.operation), eq(idempotencyKeys.key, scope.key!)))
        .run();
    } else if (prior) {
      if (prior.requestHash !== requestHash) {
        throw new ApiError(422, "This Idempotency-Key was already used with a different request body; use a new key for a new request.", {
          type: "/problems/idempotency-key-reused",
          title: "Idempotency-Key reused",
          errors: [{ path: "Idempotency-Key", location: "header", message: "Key reused with a different body." }],
        });
      }
      return { status: prior.responseStatus, body: JSON.parse(prior.responseBody), headers: prior.responseHeaders as Record<string, string>, replayed: true };
    }
    const response = create();
    tx.insert(idempotencyKeys)
      .values({
        workspaceId: scope.workspaceId,
        operation: scope.operation,
        key: scope.key!,
        requestHash,
        responseStatus: response.status,
        responseBody: JSON.stringify(response.body),
        responseHeaders: response.headers,
        createdAt: scope.now.toISOString(),
      })
      .run();
    return { ...response, replayed: false };
  });
}

/**
 * Deletes at most `batch` remembered answers created before `before` (one statement, by the index on
 * created_at); returns how many it deleted.
 */
export function sweepIdempotencyKeys(db: AppDatabase, before: Date, batch = 500): number {
  const t = idempotencyKeys;
  const stale = db.select({ w: t.workspaceId, o: t.operation, k: t.key }).from(t).where(lt(t.createdAt, before.toISOString())).limit(batch);
  return db.delete(t).where(sql`(${t.workspaceId}, ${t.operation}, ${t.key}) IN ${stale}`).run().changes;
}

/**
 * Deletes expired Idempotency-Key rows now and every `everyMs` (10 min): batches of 500 with the
 * event loop free between them (setImmediate), so a large backlog never holds a request up for more
 * than one small DELETE. Returns the function that stops it.
 */
export function startIdempotencySweep(db: AppDatabase, ttlMs: number, logger: Logger, everyMs = 10 * 60_000, now: () => Date = () => new Date()): () => void {
  let stopped = false;
  let running = false;
  const sweep = () => {
    if (running || stopped) return;
    running = true;
    const before = new Date(now().getTime() - ttlMs);
    let total = 0;
    const step = () => {
      if (stopped) return void (running = false);
      let n: number;
      try {
        n = sweepIdempotencyKeys(db, before);
      } catch (err) {
        running = false;
        logger.error({ err }, "idempotency sweep failed");
        return;
      }
      total += n;
      if (n > 0) setImmediate(step);
      else {
        running = false;
        if (total > 0) logger.info({ deleted: total, ttlHours: ttlMs / 3600_000 }, "expired Idempotency-Key answers deleted");
      }
    };
    step();
  };
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  setImmediate(sweep);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
