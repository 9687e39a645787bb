/**
 * Issue 14, findings 2 and 3: whether the service is open is decided at start-up and never reopens;
 * while open it answers only loopback Host names; browser writes from another Origin are refused.
 */
import net from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../src/auth/api-keys.repository";
import { AuthGate, StartupRefused, authAtStart } from "../src/auth/auth-policy";
import { isLoopbackHostHeader, isSameOrigin } from "../src/middleware/local-origin";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";
import { useTestServers } from "./helpers/test-server";

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
async function app(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(options);
  apps.push(t);
  return t;
}
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const start = useTestServers("auth-at-start");

/** A pino logger whose JSON lines land in `lines`. */
function capture(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: "info" }, sink);
}

/** One raw HTTP/1.1 request (any Host, any Origin); resolves with status, headers and body. */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      const lines = Object.entries({ ...headers, Connection: "close", ...(body !== undefined ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) } : {}) }).map(([k, v]) => `${k}: ${v}\r\n`);
      socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join("")}\r\n${body ?? ""}`);
    });
    let text = "";
    socket.on("data", (d) => (text += d.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, ...rest] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head, body: rest.join("\r\n\r\n") });
    });
  });
}

describe("open or closed, decided at start-up (finding 2)", () => {
  it("decides from AUTH, the bind address and the keys at start-up", () => {
    expect(authAtStart("auto", "127.0.0.1", 0).open).toBe(true);
    expect(authAtStart("auto", "::1", 0).open).toBe(true);
    expect(authAtStart("auto", "127.0.0.1", 1).open).toBe(false);
    expect(authAtStart("auto", "0.0.0.0", 2).open).toBe(false);
    expect(() => authAtStart("auto", "0.0.0.0", 0)).toThrow(StartupRefused);
    expect(() => authAtStart("auto", "192.168.1.5", 0)).toThrow(/npm run keys -- create/);
    expect(authAtStart("on", "127.0.0.1", 0).open).toBe(false);
    expect(authAtStart("off", "0.0.0.0", 3).open).toBe(true);
  });

  it("an exposed service stays closed when its last key is revoked; the keys CLI can still mint keys", async () => {
    let only!: Awaited<ReturnType<typeof createApiKey>>;
    // The app decides "closed" when it is built: a key exists at start-up.
    const t = await app({ host: "0.0.0.0", seed: async (d) => (only = await createApiKey(d, { workspaceId: "owner", scope: "admin", name: "only" }, new Date())) });
    await expect(app({ host: "0.0.0.0" })).rejects.toThrow(StartupRefused);
    expect((await t.call("DELETE", `/v1/keys/${only.row.id}`, undefined, bearer(only.key))).status).toBe(204);
    const takeover = await expectProblem(await t.call("POST", "/v1/keys", { name: "taken over", scope: "admin" }), 401);
    expect(takeover.detail).toMatch(/requires an API key/);
    await expectProblem(await t.call("GET", "/v1/scenarios"), 401);
    // The operator's way back in: the keys CLI writes to the database directly.
    const minted = await createApiKey(t.database, { workspaceId: "owner", scope: "admin", name: "from the CLI" }, new Date());
    expect((await t.call("GET", "/v1/keys", undefined, bearer(minted.key))).status).toBe(200);
  });

  it("open on loopback until the first key is created, then closed at once and for good", async () => {
    const t = await app();
    expect((await t.call("GET", "/v1/scenarios")).status).toBe(200);
    const created = (await (await t.call("POST", "/v1/keys", { name: "first", scope: "admin" })).json()) as { id: string; key: string };
    await expectProblem(await t.call("GET", "/v1/scenarios"), 401);
    expect((await t.call("GET", "/v1/scenarios", undefined, bearer(created.key))).status).toBe(200);
    // Revoking every key does not reopen it.
    expect((await t.call("DELETE", `/v1/keys/${created.id}`, undefined, bearer(created.key))).status).toBe(204);
    await expectProblem(await t.call("GET", "/v1/scenarios"), 401);
    await expectProblem(await t.call("POST", "/v1/keys", { name: "again", scope: "admin" }), 401);
  });

  it("the gate closes when a key appears from elsewhere (the CLI), logging it once; AUTH=off never closes", async () => {
    let anyKey = false;
    const lines: Record<string, unknown>[] = [];
    const gate = new AuthGate("auto", authAtStart("auto", "127.0.0.1", 0), async () => anyKey, capture(lines));
    expect(await gate.open()).toBe(true);
    anyKey = true;
    expect(await gate.open()).toBe(false);
    anyKey = false; // the key revoked
    expect(await gate.open()).toBe(false);
    expect(lines.filter((l) => String(l.msg).startsWith("API keys are required from now on"))).toHaveLength(1);
    const off = new AuthGate("off", authAtStart("off", "0.0.0.0", 1), async () => true);
    expect(await off.open()).toBe(true);
  });

  it("a key made by another connection (the CLI against the running service) closes it within a second", async () => {
    const s = await start();
    expect((await fetch(`${s.url}/v1/scenarios`)).status).toBe(200);
    const { openDatabase } = await import("@modelplan/db");
    const cli = await openDatabase(s.databaseUrl);
    const minted = await createApiKey(cli, { workspaceId: "ops", scope: "admin", name: "cli" }, new Date());
    await revokeApiKey(cli, minted.row.id, new Date()); // revoked again at once: still closes it (it existed)
    const second = await createApiKey(cli, { workspaceId: "ops", scope: "read", name: "cli 2" }, new Date());
    await cli.close();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${s.url}/v1/scenarios`)).status).toBe(401);
    await revokeApiKey(s.database, second.row.id, new Date());
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${s.url}/v1/scenarios`)).status).toBe(401);
  });
});

describe("Host and Origin checks (finding 3)", () => {
  it("names the loopback Host values with the port, and the service's own Origin", () => {
    for (const h of ["localhost:8787", "127.0.0.1:8787", "[::1]:8787", "LOCALHOST:8787"]) expect(isLoopbackHostHeader(h, 8787)).toBe(true);
    for (const h of ["rebind.attacker.example:8787", "127.0.0.2:8787", "localhost:8788", "127.0.0.1", "localhost.:8787", "[::1]", "127.0.0.1:8787@x", undefined]) {
      expect(isLoopbackHostHeader(h, 8787)).toBe(false);
    }
    expect(isLoopbackHostHeader("127.0.0.1", 80)).toBe(true);
    expect(isSameOrigin("http://127.0.0.1:8787", "127.0.0.1:8787")).toBe(true);
    expect(isSameOrigin("https://api.example.com", "api.example.com")).toBe(true);
    expect(isSameOrigin("http://api.example.com", "api.example.com:80")).toBe(true);
    for (const o of ["http://evil.example", "null", "http://127.0.0.1:8788", "file://", "not a url"]) expect(isSameOrigin(o, "127.0.0.1:8787")).toBe(false);
  });

  it("open on loopback: a rebound Host is refused with 403 problem+json before anything runs; loopback names are served", async () => {
    const s = await start();
    const host = `rebind.attacker.example:${s.port}`;
    const res = await raw(s.port, "POST", "/v1/keys", { Host: host, Origin: `http://${host}` }, JSON.stringify({ name: "rebound", scope: "admin" }));
    expect(res.status).toBe(403);
    expect(res.headers).toMatch(/content-type: application\/problem\+json/i);
    const problem = JSON.parse(res.body) as { type: string; requestId: string; detail: string };
    expect(problem.type).toBe("/problems/host-not-allowed");
    expect(problem.detail).toContain("rebind.attacker.example");
    expect(res.headers).toContain(`X-Request-Id: ${problem.requestId}`);
    expect((await raw(s.port, "GET", "/v1/keys", { Host: host })).status).toBe(403);
    expect((await raw(s.port, "GET", "/v1/scenarios", { Host: `127.0.0.1:${s.port + 1}` })).status).toBe(403);
    // Nothing was created: still open, no key.
    for (const name of ["localhost", "127.0.0.1", "[::1]"]) expect((await raw(s.port, "GET", "/v1/keys", { Host: `${name}:${s.port}` })).status).toBe(200);
    expect((await raw(s.port, "GET", "/health", { Host: host })).status).toBe(200);
  });

  it("with keys, any Host is served (a service behind a proxy), but a browser write from another Origin is refused", async () => {
    const t = await app();
    const write = (await createApiKey(t.database, { workspaceId: "acme", scope: "write", name: "w" }, new Date())).key;
    const headers = { ...bearer(write), host: "api.example.com" };
    expect((await t.call("GET", "/v1/scenarios", undefined, headers)).status).toBe(200);
    const refused = await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(), { ...headers, origin: "https://evil.example" }), 403);
    expect(refused.type).toBe("/problems/cross-origin-write");
    await expectProblem(await t.call("POST", "/v1/scenarios", sampleScenario(), { ...headers, origin: "null" }), 403);
    expect((await t.call("POST", "/v1/scenarios", sampleScenario(), { ...headers, origin: "https://api.example.com" })).status).toBe(201);
    expect((await t.call("POST", "/v1/scenarios", sampleScenario(), headers)).status).toBe(201);
    // Reads are not writes: a cross-origin GET cannot read the answer without CORS anyway.
    expect((await t.call("GET", "/v1/scenarios", undefined, { ...headers, origin: "https://evil.example" })).status).toBe(200);
  });
});
