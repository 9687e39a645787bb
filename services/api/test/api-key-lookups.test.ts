import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey, hashKey, KEY_LOOKUP_TTL_MS, keyLookups, revokeApiKey } from "../src/auth/api-keys.repository";
import { openDatabase, type OpenedDatabase } from "@modelplan/db";

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.sqlite.close();
});

/** The service's connection and a second one to the same file (the keys CLI of another process). */
function twoConnections() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-keys-")), "keys.db");
  const service = openDatabase(file);
  const cli = openDatabase(file);
  opened.push(service, cli);
  let now = 0;
  const lookups = keyLookups(service.sqlite, () => now);
  return { service, cli, lookups, advance: (ms: number) => (now += ms) };
}

describe("API key lookups reused between requests", () => {
  it("see a key created or revoked through the service's own connection at once", () => {
    const { service, lookups } = twoConnections();
    expect(lookups.anyActiveKey()).toBe(false);
    const created = createApiKey(service.db, { workspaceId: "w1", scope: "read", name: "k" }, new Date());
    expect(lookups.anyActiveKey()).toBe(true);
    expect(lookups.activeKeyByHash(hashKey(created.key))).toEqual({ id: created.row.id, workspaceId: "w1", scope: "read" });
    revokeApiKey(service.db, created.row.id, new Date());
    expect(lookups.activeKeyByHash(hashKey(created.key))).toBeUndefined();
    expect(lookups.anyActiveKey()).toBe(false);
  });

  it("see a key created or revoked by another process within the reuse time, not later", () => {
    const { cli, lookups, advance } = twoConnections();
    expect(lookups.anyActiveKey()).toBe(false);
    const created = createApiKey(cli.db, { workspaceId: "w1", scope: "admin", name: "k" }, new Date());
    // a key never looked up is found at once; "no key exists" (open mode) is reused for ≤ 1 s more
    expect(lookups.activeKeyByHash(hashKey(created.key))?.scope).toBe("admin");
    expect(lookups.anyActiveKey()).toBe(false);
    advance(KEY_LOOKUP_TTL_MS + 1);
    expect(lookups.anyActiveKey()).toBe(true);
    expect(lookups.activeKeyByHash(hashKey(created.key))?.scope).toBe("admin");
    revokeApiKey(cli.db, created.row.id, new Date());
    expect(lookups.activeKeyByHash(hashKey(created.key))?.scope).toBe("admin"); // reused for ≤ 1 s
    advance(KEY_LOOKUP_TTL_MS + 1);
    expect(lookups.activeKeyByHash(hashKey(created.key))).toBeUndefined();
    expect(lookups.anyActiveKey()).toBe(false);
  });

  it("keep a bounded number of unknown keys", () => {
    const { lookups } = twoConnections();
    for (let i = 0; i < 5000; i++) expect(lookups.activeKeyByHash(hashKey(`mp_unknown_${i}`))).toBeUndefined();
  });
});
