import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@modelplan/db";
import { createApiKey, hashKey } from "../src/auth/api-keys.repository";
import { createRoute } from "@hono/zod-openapi";
import { routeScopes } from "../src/auth/route-scopes";
import { startServer } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { createBaseApp, createRouter } from "../src/lib/create-app";
import { createLogger } from "../src/lib/logger";
import { TokenBuckets } from "../src/lib/rate-limit";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";
import { freshTestDatabase, type TestDatabase } from "../../../tests/helpers/test-database";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const key = async (workspaceId: string, scope: "read" | "write" | "admin") => (await createApiKey(t.database, { workspaceId, scope, name: "test" }, new Date())).key;

describe("open local mode", () => {
  it("serves without a key while no key exists, and requires one as soon as one is created", async () => {
    expect((await t.call("GET", "/v1/scenarios")).status).toBe(200);
    const created = await t.call("POST", "/v1/keys", { name: "first admin", scope: "admin" });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { key: string; workspaceId: string; prefix: string };
    expect(body.key).toMatch(/^mp_/);
    expect(body.key.startsWith(body.prefix)).toBe(true);
    expect(body.workspaceId).toBe("ws_default");

    const res = await t.call("GET", "/v1/scenarios");
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="modelplan"');
    expect((await t.call("GET", "/v1/scenarios", undefined, bearer(body.key))).status).toBe(200);
  });

  it("keeps /health, /openapi.json and /docs public", async () => {
    await key("acme", "read");
    for (const p of ["/health", "/openapi.json", "/docs"]) expect((await t.call("GET", p)).status).toBe(200);
  });

  it("AUTH=on requires a key even when none exists", async () => {
    const strict = await createTestApp({ authMode: "on" });
    await expectProblem(await strict.call("GET", "/v1/use-cases"), 401);
    await strict.close();
  });
});

describe("keys and scopes", () => {
  it("rejects malformed, unknown and revoked keys with 401 invalid_token", async () => {
    const admin = await key("acme", "admin");
    for (const header of ["Basic abc", "Bearer", "Bearer mp_not_a_real_key"]) {
      const res = await t.call("GET", "/v1/use-cases", undefined, { authorization: header });
      await expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
    const list = (await (await t.call("GET", "/v1/keys", undefined, bearer(admin))).json()) as { items: { id: string }[] };
    expect(list.items).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(admin);
    expect((await t.call("DELETE", `/v1/keys/${list.items[0].id}`, undefined, bearer(admin))).status).toBe(204);
    await expectProblem(await t.call("GET", "/v1/use-cases", undefined, bearer(admin)), 401);
  });

  it("read keys read, write keys write, only admin keys manage keys (403 otherwise)", async () => {
    const read = await key("acme", "read");
    const write = await key("acme", "write");
    expect((await t.call("GET", "/v1/use-cases", undefined, bearer(read))).status).toBe(200);
    const denied = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(read)), 403);
    expect(denied.detail).toContain("'write'");
    expect((await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(write))).status).toBe(201);
    await expectProblem(await t.call("GET", "/v1/keys", undefined, bearer(write)), 403);
    await expectProblem(await t.call("POST", "/v1/keys", { name: "x", scope: "admin" }, bearer(write)), 403);
  });

  it("enforces the scope each route declares next to its createRoute", () => {
    const scopeOf = routeScopes(t.app);
    expect(scopeOf("GET", "/v1/scenarios")).toBe("read");
    expect(scopeOf("HEAD", "/v1/scenarios")).toBe("read");
    expect(scopeOf("POST", "/v1/estimates/training")).toBe("read");
    expect(scopeOf("POST", "/v1/scenarios")).toBe("write");
    expect(scopeOf("DELETE", "/v1/scenarios/x")).toBe("write");
    expect(scopeOf("POST", "/v1/scenarios/x/plan")).toBe("write");
    expect(scopeOf("GET", "/v1/scenarios/x/estimates/y")).toBe("read");
    expect(scopeOf("GET", "/v1/keys")).toBe("admin");
    expect(scopeOf("DELETE", "/v1/keys/key_1")).toBe("admin");
    // a path no operation declares still needs a valid key
    expect(scopeOf("GET", "/v1/nothing")).toBe("read");
  });

  it("refuses to build an app with a route that declares no scope", () => {
    const app = createBaseApp({ db: t.database, logger: createLogger("silent") });
    const undeclared = createRoute({ method: "get", path: "/v1/undeclared", operationId: "undeclared", responses: { 204: { description: "Nothing." } } });
    app.route("/", createRouter().openapi(undeclared, (c) => c.body(null, 204)));
    expect(() => routeScopes(app)).toThrow(/undeclared declares no scope/);
  });
});

describe("workspace isolation", () => {
  it("a key sees and changes only its own workspace's scenarios; foreign ids answer 404", async () => {
    const a = await key("acme", "write");
    const b = await key("globex", "admin");
    const created = (await (await t.call("POST", "/v1/scenarios", sampleScenario(), bearer(a))).json()) as { id: string; workspaceId: string };
    expect(created.workspaceId).toBe("acme");
    await expectProblem(await t.call("GET", `/v1/scenarios/${created.id}`, undefined, bearer(b)), 404);
    await expectProblem(await t.call("PATCH", `/v1/scenarios/${created.id}`, { name: "pwned" }, bearer(b)), 404);
    await expectProblem(await t.call("DELETE", `/v1/scenarios/${created.id}`, undefined, bearer(b)), 404);
    const listB = (await (await t.call("GET", "/v1/scenarios", undefined, bearer(b))).json()) as { items: unknown[] };
    expect(listB.items).toEqual([]);
    const still = (await (await t.call("GET", `/v1/scenarios/${created.id}`, undefined, bearer(a))).json()) as { name: string };
    expect(still.name).toBe(sampleScenario().name);
    // keys of another workspace cannot be listed or revoked
    const keysOfA = (await (await t.call("GET", "/v1/keys", undefined, bearer(b))).json()) as { items: { workspaceId: string }[] };
    expect(keysOfA.items.every((k) => k.workspaceId === "globex")).toBe(true);
  });

  it("an Idempotency-Key of one workspace does not replay into another", async () => {
    const a = await key("acme", "write");
    const b = await key("globex", "write");
    const ra = (await (await t.call("POST", "/v1/scenarios", sampleScenario(), { ...bearer(a), "idempotency-key": "same" })).json()) as { id: string };
    const rb = (await (await t.call("POST", "/v1/scenarios", sampleScenario(), { ...bearer(b), "idempotency-key": "same" })).json()) as { id: string; workspaceId: string };
    expect(rb.id).not.toBe(ra.id);
    expect(rb.workspaceId).toBe("globex");
  });
});

describe("rate limits", () => {
  it("answers 429 problem+json with Retry-After and RateLimit headers once the bucket is empty", async () => {
    const limited = await createTestApp({ rateLimits: { requests: { capacity: 3, refillPerSec: 0.5 }, benchmarks: { capacity: 1, refillPerSec: 0.001 } } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await limited.call("GET", "/v1/use-cases");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const p = await expectProblem(last!, 429);
    expect(p.detail).toMatch(/retry in 2 s/);
    expect(last!.headers.get("retry-after")).toBe("2");
    expect(last!.headers.get("ratelimit-limit")).toBe("3");
    expect(last!.headers.get("ratelimit-remaining")).toBe("0");
    await limited.close();
  });

  it("token buckets refill continuously and keep keys apart", () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, refillPerSec: 1 }, () => now);
    expect(buckets.take("a").allowed).toBe(true);
    expect(buckets.take("a").allowed).toBe(true);
    expect(buckets.take("a")).toMatchObject({ allowed: false, retryAfterSec: 1 });
    expect(buckets.take("b").allowed).toBe(true);
    now = 1500;
    expect(buckets.take("a")).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe("start-up safety", () => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const d of databases.splice(0)) await d.drop();
  });
  const fresh = async () => {
    const d = await freshTestDatabase({ file: true });
    databases.push(d);
    return d;
  };

  it("refuses to listen beyond loopback without keys, and starts with AUTH=off", async () => {
    const db = await fresh();
    await expect(startServer(loadConfig({ HOST: "0.0.0.0", PORT: "0", DATABASE_URL: db.url }), createLogger("silent"))).rejects.toThrow(/no API key exists/);
    const open = await startServer(loadConfig({ HOST: "0.0.0.0", PORT: "0", DATABASE_URL: db.url, AUTH: "off" }), createLogger("silent"));
    await open.close();
  });

  it("the keys CLI creates, lists and revokes keys shown once and stored hashed", async () => {
    const db = await fresh();
    const run = (...args: string[]) =>
      execFileSync(process.execPath, ["--import", "tsx", "services/api/scripts/keys.ts", ...args], { env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8" });
    const created = JSON.parse(run("create", "--workspace", "acme", "--scope", "write", "--json")) as { id: string; key: string };
    expect(created.key).toMatch(/^mp_/);
    if (db.location.dialect === "sqlite") {
      const file = db.location.path;
      const stored = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
      expect(stored.includes(Buffer.from(created.id))).toBe(true); // the row is there...
      expect(stored.includes(Buffer.from(created.key))).toBe(false); // ...but not the secret
    } else {
      const d = await openDatabase(db.location);
      const rows = await d.execute<{ id: string; hash: string; row: string }>(sql`SELECT id, hash, api_keys::text AS row FROM api_keys`);
      await d.close();
      expect(rows.map((r) => r.id)).toEqual([created.id]); // the row is there...
      expect(rows[0].row).not.toContain(created.key); // ...but not the secret
      expect(rows[0].hash).toBe(hashKey(created.key));
    }
    expect(run("list")).toContain(created.id);
    expect(run("revoke", created.id)).toContain("revoked");
    expect(run("list")).toContain("revoked");
  }, 90_000); // four CLI processes, each starting tsx: tens of seconds on a busy machine
});
