import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { lockWorkspace } from "../lib/workspace-lock";
import type { Scope } from "./scopes";
import type { ApiKeyRow, Database } from "@modelplan/db";

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

export async function ensureWorkspace(d: Database, workspaceId: string, now: Date): Promise<void> {
  await d.db.insert(d.tables.workspaces).values({ id: workspaceId, name: workspaceId, createdAt: now.toISOString() }).onConflictDoNothing();
}

/**
 * Key-table writes made by this process (create, revoke): the reused lookups of keyLookups are
 * dropped as soon as this changes, so a key created or revoked through this replica takes effect here
 * at once (other replicas: within KEY_LOOKUP_TTL_MS).
 */
let keyWrites = 0;

/**
 * Creates a key in its workspace (created when missing). `check` runs first in the same transaction,
 * with the workspace locked (lib/workspace-lock.ts): a quota it throws for cannot be passed by two
 * requests at once.
 */
export async function createApiKey(
  d: Database,
  input: { workspaceId: string; scope: Scope; name: string },
  now: Date,
  check?: (tx: Database) => Promise<void>,
): Promise<CreatedKey> {
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
  await d.transaction(async (tx) => {
    if (check) {
      await lockWorkspace(tx, input.workspaceId);
      await check(tx);
    }
    await ensureWorkspace(tx, input.workspaceId, now);
    await tx.db.insert(tx.tables.apiKeys).values(row);
  });
  keyWrites++;
  return { row, key };
}

/** How long answers of the key table are reused when nothing written through this process changed it. */
export const KEY_LOOKUP_TTL_MS = 1000;

type ActiveKey = { id: string; workspaceId: string; scope: Scope };

/**
 * The per-request lookups of the auth middleware: prepared statements (building a query each time
 * cost ~10% of a cheap route), and their answers reused — the "is any key active" check alone was
 * ~5% of the server's time on a cached estimate (profiled with scripts/load.ts). Reused answers are
 * dropped as soon as this process creates or revokes a key, and after KEY_LOOKUP_TTL_MS otherwise, so
 * a key created or revoked by another process (another replica, the keys CLI against a running
 * service) takes effect within a second.
 */
export function keyLookups(d: Database, nowMs: () => number = () => performance.now()) {
  const { apiKeys } = d.tables;
  const byHash = d.db
    .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, scope: apiKeys.scope })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, sql.placeholder("hash")), isNull(apiKeys.revokedAt)))
    .limit(1)
    .prepare("api_key_by_hash");
  const anyActive = d.db.select({ id: apiKeys.id }).from(apiKeys).where(isNull(apiKeys.revokedAt)).limit(1).prepare("api_key_any_active");
  const keysByHash = new Map<string, ActiveKey | null>();
  let anyKey: boolean | undefined;
  let validUntil = -Infinity;
  let seenWrites = -1;
  /** Forget reused answers when they are too old or this process has written keys since. */
  const fresh = () => {
    const now = nowMs();
    if (now < validUntil && keyWrites === seenWrites) return;
    keysByHash.clear();
    anyKey = undefined;
    validUntil = now + KEY_LOOKUP_TTL_MS;
    seenWrites = keyWrites;
  };
  return {
    async activeKeyByHash(hash: string): Promise<ActiveKey | undefined> {
      fresh();
      let key = keysByHash.get(hash);
      if (key === undefined) {
        const [row] = await byHash.execute({ hash });
        key = row ? { id: row.id, workspaceId: row.workspaceId, scope: row.scope } : null;
        // Bounded: unknown keys sent by a client must not grow this without limit.
        if (keysByHash.size >= 1024) keysByHash.clear();
        keysByHash.set(hash, key);
      }
      return key ?? undefined;
    },
    async anyActiveKey(): Promise<boolean> {
      fresh();
      anyKey ??= (await anyActive.execute()).length > 0;
      return anyKey;
    },
  };
}

export async function listApiKeys(d: Database, workspaceId?: string): Promise<ApiKeyRow[]> {
  const { apiKeys } = d.tables;
  const q = d.db.select().from(apiKeys);
  return (workspaceId ? q.where(eq(apiKeys.workspaceId, workspaceId)) : q).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes a key (of the given workspace, when given). Returns the row, or undefined if none matched. */
export async function revokeApiKey(d: Database, id: string, now: Date, workspaceId?: string): Promise<ApiKeyRow | undefined> {
  const { apiKeys } = d.tables;
  const where = workspaceId ? and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId)) : eq(apiKeys.id, id);
  const [row] = await d.db.select().from(apiKeys).where(where).limit(1);
  if (!row) return undefined;
  if (!row.revokedAt) {
    await d.db.update(apiKeys).set({ revokedAt: now.toISOString() }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
    keyWrites++;
  }
  return { ...row, revokedAt: row.revokedAt ?? now.toISOString() };
}

/** Active keys of the service (of one workspace, when given). */
export async function countActiveKeys(d: Database, workspaceId?: string): Promise<number> {
  const { apiKeys } = d.tables;
  const active = isNull(apiKeys.revokedAt);
  const [row] = await d.db
    .select({ n: count() })
    .from(apiKeys)
    .where(workspaceId ? and(active, eq(apiKeys.workspaceId, workspaceId)) : active);
  return row?.n ?? 0;
}
