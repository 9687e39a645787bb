import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { isUniqueViolation, type Database } from "@modelplan/db";
import type { Logger } from "./logger";
import { ApiError } from "./problem";

/** How long a remembered answer is replayed by default (IDEMPOTENCY_TTL_HOURS): 24 h. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface StoredResponse<Body = unknown> {
  status: number;
  body: Body;
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

/** The key was stored by a concurrent request (another replica) between this one's read and its insert. */
class KeyStoredConcurrently extends Error {}

/**
 * Runs `create` at most once per (workspace, operation, key) within `ttlMs` (24 h by default), across
 * replicas: in one transaction it either replays the remembered response (same body) or rejects a
 * reused key with another body (422), or runs `create` (which writes through `tx`) and remembers its
 * response. The key's primary key is the arbiter: when two requests with one key run at once (two
 * replicas), the second's insert waits for the first to commit and then fails; its transaction rolls
 * back, with whatever `create` wrote, and it replays the first's response. A remembered answer older
 * than `ttlMs` is forgotten (the key may be used again, for any body); the sweep
 * (startIdempotencySweep) deletes such rows. Without a key it just runs `create`.
 */
export async function withIdempotency<Body>(
  d: Database,
  scope: { workspaceId: string; operation: string; key: string | undefined; body: unknown; now: Date; ttlMs?: number },
  create: (tx: Database) => Promise<StoredResponse<Body>>,
): Promise<StoredResponse<Body> & { replayed: boolean }> {
  if (!scope.key) return { ...(await create(d)), replayed: false };
  const key = scope.key;
  const requestHash = createHash("sha256").update(canonicalJson(scope.body)).digest("hex");
  const { idempotencyKeys } = d.tables;
  const thisKey = and(eq(idempotencyKeys.workspaceId, scope.workspaceId), eq(idempotencyKeys.operation, scope.operation), eq(idempotencyKeys.key, key));
  const attempt = () =>
    d.transaction(async (tx) => {
      const [prior] = await tx.db.select().from(idempotencyKeys).where(thisKey).limit(1);
      const expired = prior !== undefined && Date.parse(prior.createdAt) <= scope.now.getTime() - (scope.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
      if (prior && expired) {
        await tx.db.delete(idempotencyKeys).where(thisKey);
      } else if (prior) {
        if (prior.requestHash !== requestHash) {
          throw new ApiError(422, "This Idempotency-Key was already used with a different request body; use a new key for a new request.", {
            type: "/problems/idempotency-key-reused",
            title: "Idempotency-Key reused",
            errors: [{ path: "Idempotency-Key", location: "header", message: "Key reused with a different body." }],
          });
        }
        // The body remembered under this workspace, operation and key is one `create` of this operation returned.
        const body: Body = JSON.parse(prior.responseBody);
        return { status: prior.responseStatus, body, headers: prior.responseHeaders as Record<string, string>, replayed: true };
      }
      const response = await create(tx);
      try {
        await tx.db.insert(idempotencyKeys).values({
          workspaceId: scope.workspaceId,
          operation: scope.operation,
          key,
          requestHash,
          responseStatus: response.status,
          responseBody: JSON.stringify(response.body),
          responseHeaders: response.headers,
          createdAt: scope.now.toISOString(),
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new KeyStoredConcurrently();
        throw err;
      }
      return { ...response, replayed: false };
    });
  try {
    return await attempt();
  } catch (err) {
    if (!(err instanceof KeyStoredConcurrently)) throw err;
    return attempt();
  }
}

/**
 * Deletes at most `batch` remembered answers created before `before` (one statement, by the index on
 * created_at); returns how many it deleted.
 */
export async function sweepIdempotencyKeys(d: Database, before: Date, batch = 500): Promise<number> {
  const t = d.tables.idempotencyKeys;
  const stale = d.db.select({ w: t.workspaceId, o: t.operation, k: t.key }).from(t).where(lt(t.createdAt, before.toISOString())).limit(batch);
  const deleted = await d.db
    .delete(t)
    .where(sql`(${t.workspaceId}, ${t.operation}, ${t.key}) IN ${stale}`)
    .returning({ key: t.key });
  return deleted.length;
}

/**
 * Deletes expired Idempotency-Key rows now and every `everyMs` (10 min): batches of 500 with the
 * event loop free between them (setImmediate), so a large backlog never holds a request up for more
 * than one small DELETE. Each replica runs its own sweep; two deleting the same expired rows at once
 * is harmless (a row is deleted once). Returns the function that stops it.
 */
export function startIdempotencySweep(d: Database, ttlMs: number, logger: Logger, everyMs = 10 * 60_000, now: () => Date = () => new Date()): () => void {
  let stopped = false;
  let running = false;
  const sweep = () => {
    if (running || stopped) return;
    running = true;
    const before = new Date(now().getTime() - ttlMs);
    let total = 0;
    const step = async () => {
      if (stopped) return void (running = false);
      let n: number;
      try {
        n = await sweepIdempotencyKeys(d, before);
      } catch (err) {
        running = false;
        logger.error({ err }, "idempotency sweep failed");
        return;
      }
      total += n;
      if (n > 0) setImmediate(() => void step());
      else {
        running = false;
        if (total > 0) logger.info({ deleted: total, ttlHours: ttlMs / 3600_000 }, "expired Idempotency-Key answers deleted");
      }
    };
    void step();
  };
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  setImmediate(sweep);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
