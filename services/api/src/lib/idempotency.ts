import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { isUniqueViolation, type Database } from "@modelplan/db";
import { ApiError } from "./problem";

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

/** The key was stored by a concurrent request (another replica) between this one's read and its insert. */
class KeyStoredConcurrently extends Error {}

/**
 * Runs `create` at most once per (workspace, operation, key), across replicas: in one transaction it
 * either replays the remembered response (same body) or rejects a reused key with another body (422),
 * or runs `create` (which writes through `tx`) and remembers its response. The key's primary key is
 * the arbiter: when two requests with one key run at once (two replicas), the second's insert waits
 * for the first to commit and then fails; its transaction rolls back, with whatever `create` wrote, and
 * it replays the first's response. Without a key it just runs `create`.
 */
export async function withIdempotency(
  d: Database,
  scope: { workspaceId: string; operation: string; key: string | undefined; body: unknown; now: Date },
  create: (tx: Database) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!scope.key) return { ...(await create(d)), replayed: false };
  const key = scope.key;
  const requestHash = createHash("sha256").update(canonicalJson(scope.body)).digest("hex");
  const { idempotencyKeys } = d.tables;
  const attempt = () =>
    d.transaction(async (tx) => {
      const [prior] = await tx.db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.workspaceId, scope.workspaceId), eq(idempotencyKeys.operation, scope.operation), eq(idempotencyKeys.key, key)))
        .limit(1);
      if (prior) {
        if (prior.requestHash !== requestHash) {
          throw new ApiError(422, "This Idempotency-Key was already used with a different request body; use a new key for a new request.", {
            type: "/problems/idempotency-key-reused",
            title: "Idempotency-Key reused",
            errors: [{ path: "Idempotency-Key", location: "header", message: "Key reused with a different body." }],
          });
        }
        return { status: prior.responseStatus, body: JSON.parse(prior.responseBody), headers: prior.responseHeaders as Record<string, string>, replayed: true };
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
