import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Scope } from "./scopes";
import { apiKeys, workspaces, type ApiKeyRow, type AppDatabase, type SqliteHandle } from "@modelplan/db";


export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** `mp_` + 32 base62-ish characters (192 bits of randomness). */
export function generateKey(): string {
  return `mp_${randomBytes(24).toString("base64url")}`;
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** The secret, shown once and never stored. */
  key: string;
}

export function ensureWorkspace(db: AppDatabase, workspaceId: string, now: Date): void {
  db.insert(workspaces).values({ id: workspaceId, name: workspaceId, createdAt: now.toISOString() }).onConflictDoNothing().run();
}

export function createApiKey(db: AppDatabase, input: { workspaceId: string; scope: Scope; name: string }, now: Date): CreatedKey {
  const key = generateKey();
  const row: ApiKeyRow = {
    id: `key_${randomUUID().replace(/-/g, "").slice(0, 20)}`,
    workspaceId: input.workspaceId,
    name: input.name,
    prefix: key.slice(0, 8),
    hash: hashKey(key),
    scope: input.scope,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  db.transaction((tx) => {
    ensureWorkspace(tx as unknown as AppDatabase, input.workspaceId, now);
    tx.insert(apiKeys).values(row).run();
  }, { behavior: "immediate" });
  return { row, key };
}

/** How long answers of the key table are reused when nothing written through this connection changed it. */
export const KEY_LOOKUP_TTL_MS = 1000;

type ActiveKey = { id: string; workspaceId: string; scope: Scope };

/**
 * The per-request lookups of the auth middleware: prepared statements (building a query each time
 * cost ~10% of a cheap route), and their answers reused — the "is any key active" check alone was
 * ~5% of the server's time on a cached estimate (profiled with scripts/load.ts). Reused answers are
 * dropped as soon as this connection writes anything (a key created or revoked through the API, or
 * by the tests) and after KEY_LOOKUP_TTL_MS otherwise, so a key created or revoked by another process
 * (the keys CLI against a running service) takes effect within a second.
 */
export function keyLookups(sqlite: SqliteHandle, nowMs: () => number = () => performance.now()) {
  const byHash = sqlite.prepare<[string], { id: string; workspace_id: string; scope: Scope }>(
    "SELECT id, workspace_id, scope FROM api_keys WHERE hash = ? AND revoked_at IS NULL",
  );
  const anyActive = sqlite.prepare<[], { n: number }>("SELECT EXISTS(SELECT 1 FROM api_keys WHERE revoked_at IS NULL) AS n");
  const changes = sqlite.prepare<[], number>("SELECT total_changes()").pluck();
  const keysByHash = new Map<string, ActiveKey | null>();
  let anyKey: boolean | undefined;
  let validUntil = -Infinity;
  let seenChanges = -1;
  /** Forget reused answers when they are too old or this connection has written since. */
  const fresh = () => {
    const now = nowMs();
    const total = changes.get() ?? 0;
    if (now < validUntil && total === seenChanges) return;
    keysByHash.clear();
    anyKey = undefined;
    validUntil = now + KEY_LOOKUP_TTL_MS;
    seenChanges = total;
  };
  return {
    activeKeyByHash(hash: string): ActiveKey | undefined {
      fresh();
      let key = keysByHash.get(hash);
      if (key === undefined) {
        const row = byHash.get(hash);
        key = row ? { id: row.id, workspaceId: row.workspace_id, scope: row.scope } : null;
        // Bounded: unknown keys sent by a client must not grow this without limit.
        if (keysByHash.size >= 1024) keysByHash.clear();
        keysByHash.set(hash, key);
      }
      return key ?? undefined;
    },
    anyActiveKey(): boolean {
      fresh();
      anyKey ??= anyActive.get()?.n === 1;
      return anyKey;
    },
  };
}

export function listApiKeys(db: AppDatabase, workspaceId?: string): ApiKeyRow[] {
  const q = db.select().from(apiKeys);
  return (workspaceId ? q.where(eq(apiKeys.workspaceId, workspaceId)) : q).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).all();
}

/** Revokes a key (of the given workspace, when given). Returns the row, or undefined if none matched. */
export function revokeApiKey(db: AppDatabase, id: string, now: Date, workspaceId?: string): ApiKeyRow | undefined {
  const where = workspaceId ? and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId)) : eq(apiKeys.id, id);
  const row = db.select().from(apiKeys).where(where).get();
  if (!row) return undefined;
  if (!row.revokedAt) db.update(apiKeys).set({ revokedAt: now.toISOString() }).where(eq(apiKeys.id, id)).run();
  return { ...row, revokedAt: row.revokedAt ?? now.toISOString() };
}

export function countActiveKeys(db: AppDatabase): number {
  return db.select({ n: sql<number>`count(*)` }).from(apiKeys).where(isNull(apiKeys.revokedAt)).get()?.n ?? 0;
}
