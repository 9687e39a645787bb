import { afterEach, describe, expect, it } from "vitest";
import { createApiKey, hashKey, KEY_LOOKUP_TTL_MS, keyLookups, revokeApiKey } from "../src/auth/api-keys.repository";
import { openDatabase, type Database } from "@modelplan/db";
import { freshTestDatabase, type TestDatabase } from "../../../tests/helpers/test-database";

const opened: Database[] = [];
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  for (const d of databases.splice(0)) await d.drop();
});

/** The service's connection and a second one to the same database (another replica, or the keys CLI). */
async function twoConnections() {
  const fresh = await freshTestDatabase({ file: true });
  databases.push(fresh);
  const service = await openDatabase(fresh.location);
  const other = await openDatabase(fresh.location);
  opened.push(service, other);
  let now = 0;
  const lookups = keyLookups(service, () => now);
  return { service, other, lookups, advance: (ms: number) => (now += ms) };
}

describe("API key lookups reused between requests", () => {
  it("see a key created or revoked through this process at once", async () => {
    const { service, lookups } = await twoConnections();
    expect(await lookups.anyActiveKey()).toBe(false);
    const created = await createApiKey(service, { workspaceId: "w1", scope: "read", name: "k" }, new Date());
    expect(await lookups.anyActiveKey()).toBe(true);
    expect(await lookups.activeKeyByHash(hashKey(created.key))).toEqual({ id: created.row.id, workspaceId: "w1", scope: "read" });
    await revokeApiKey(service, created.row.id, new Date());
    expect(await lookups.activeKeyByHash(hashKey(created.key))).toBeUndefined();
    expect(await lookups.anyActiveKey()).toBe(false);
  });

  it("see a key created or revoked by another process within the reuse time, not later", async () => {
    const { other, lookups, advance } = await twoConnections();
    expect(await lookups.anyActiveKey()).toBe(false);
    // Written straight to the database, as another process does (this process's writes are seen at once).
    const key = "mp_written_by_another_process_00000000000";
    const { apiKeys } = other.tables;
    await other.db.insert(other.tables.workspaces).values({ id: "w1", name: "w1", createdAt: new Date().toISOString() });
    await other.db.insert(apiKeys).values({ id: "key_other", workspaceId: "w1", name: "k", prefix: key.slice(0, 8), hash: hashKey(key), scope: "admin", createdAt: new Date().toISOString() });
    // a key never looked up is found at once; "no key exists" (open mode) is reused for ≤ 1 s more
    expect((await lookups.activeKeyByHash(hashKey(key)))?.scope).toBe("admin");
    expect(await lookups.anyActiveKey()).toBe(false);
    advance(KEY_LOOKUP_TTL_MS + 1);
    expect(await lookups.anyActiveKey()).toBe(true);
    expect((await lookups.activeKeyByHash(hashKey(key)))?.scope).toBe("admin");
    await other.db.update(apiKeys).set({ revokedAt: new Date().toISOString() });
    expect((await lookups.activeKeyByHash(hashKey(key)))?.scope).toBe("admin"); // reused for ≤ 1 s
    advance(KEY_LOOKUP_TTL_MS + 1);
    expect(await lookups.activeKeyByHash(hashKey(key))).toBeUndefined();
    expect(await lookups.anyActiveKey()).toBe(false);
  });

  it("keep a bounded number of unknown keys", async () => {
    const { lookups } = await twoConnections();
    for (let i = 0; i < 5000; i++) expect(await lookups.activeKeyByHash(hashKey(`mp_unknown_${i}`))).toBeUndefined();
  });
});
