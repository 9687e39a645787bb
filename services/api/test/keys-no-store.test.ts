/** Issue 14, finding 7: the answer carrying a new key's secret must not be stored by any cache. */
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey } from "../src/auth/api-keys.repository";
import { createTestApp, type TestApp } from "./helpers/test-app";

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

describe("POST /v1/keys", () => {
  it("answers the new secret with Cache-Control: no-store, and only that answer", async () => {
    t = await createTestApp();
    const admin = (await createApiKey(t.database, { workspaceId: "acme", scope: "admin", name: "admin" }, new Date())).key;
    const auth = { authorization: `Bearer ${admin}` };
    const created = await t.call("POST", "/v1/keys", { name: "ci", scope: "read" }, auth);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { key: string }).key).toMatch(/^mp_/);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const list = await t.call("GET", "/v1/keys", undefined, auth);
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).not.toBe("no-store");
  });
});
