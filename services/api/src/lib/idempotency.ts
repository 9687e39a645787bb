import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { idempotencyKeys, type AppDatabase } from "@modelplan/db";
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

/**
 * Runs `create` at most once per (workspace, operation, key): inside one SQLite transaction it either
 * replays the remembered response (same body) or rejects a reused key with another body (422), or runs
 * `create` and remembers its response. Without a key it just runs `create`.
 */
export function withIdempotency(
  db: AppDatabase,
  scope: { workspaceId: string; operation: string; key: string | undefined; body: unknown; now: Date },
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
  }, { behavior: "immediate" });
}
