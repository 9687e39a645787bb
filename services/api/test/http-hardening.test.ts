/**
 * Issue 14, finding 7: what Node and @hono/node-server answer before the app is problem+json with a
 * request id and a log line; invalid UTF-8 is refused; a 422 listing every unknown key is capped; the
 * reports send a Content-Security-Policy and nosniff; each workspace has its own share of the
 * estimate cache.
 */
import net from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey } from "../src/auth/api-keys.repository";
import { firstInvalidUtf8 } from "../src/middleware/json-body";
import { MAX_PROBLEM_ERRORS } from "../src/lib/problem";
import { ResponseCache } from "../src/lib/response-cache";
import { estimateResponseCache } from "../src/routes/estimates/estimates.cache";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";
import { useTestServers } from "./helpers/test-server";

const start = useTestServers("hardening");
const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
async function app(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(options);
  apps.push(t);
  return t;
}

function capture(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: "info" }, sink);
}

/** Writes raw bytes to the server and reads until it closes the connection. */
function rawExchange(port: number, request: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), head, body: rest.join("\r\n\r\n") });
    });
  });
}

function problemOf(r: { head: string; body: string }) {
  expect(r.head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
  const p = JSON.parse(r.body) as { status: number; type: string; requestId: string; detail: string };
  expect(r.head).toMatch(new RegExp(`\\r\\nx-request-id: ${p.requestId}`, "i"));
  return p;
}

describe("answers given before the app are problem+json with a request id and a log line", () => {
  it("an invalid Host: 400", async () => {
    const lines: Record<string, unknown>[] = [];
    const s = await start({}, capture(lines));
    for (const host of ["example.com:99999", "1.2.3.4.5:80:80"]) {
      const r = await rawExchange(s.port, `GET /v1/use-cases?limit=1 HTTP/1.1\r\nHost: ${host}\r\nX-Request-Id: bad-host-1\r\nConnection: close\r\n\r\n`);
      expect(r.status).toBe(400);
      const p = problemOf(r);
      expect(p).toMatchObject({ status: 400, type: "/problems/bad-request", requestId: "bad-host-1" });
      expect(p.detail).toContain(host);
    }
    expect(lines.filter((l) => l.msg === "request refused before routing" && l.requestId === "bad-host-1" && l.status === 400)).toHaveLength(2);
  });

  it("no Host at all: 400 (HTTP/1.1 and 1.0)", async () => {
    const s = await start();
    for (const version of ["1.1", "1.0"]) {
      const r = await rawExchange(s.port, `GET /health HTTP/${version}\r\nConnection: close\r\n\r\n`);
      expect(r.status).toBe(400);
      expect(problemOf(r).detail).toMatch(/no Host header/);
    }
  });

  it("headers over Node's limit: 431; malformed HTTP: 400; both logged", async () => {
    const lines: Record<string, unknown>[] = [];
    const s = await start({}, capture(lines));
    const big = await rawExchange(s.port, `GET /v1/use-cases HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(problemOf(big)).toMatchObject({ status: 431, type: "/problems/header-fields-too-large" });
    const garbage = await rawExchange(s.port, "GARBAGE\r\n\r\n");
    expect(garbage.status).toBe(400);
    problemOf(garbage);
    expect(lines.filter((l) => l.msg === "request refused before routing").map((l) => l.status)).toEqual([431, 400]);
    // The server still serves.
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });
});

describe("request bodies", () => {
  it("invalid UTF-8 is refused with 422 naming the byte, not stored as U+FFFD", async () => {
    const t = await app();
    const text = JSON.stringify(sampleScenario({ name: "bad @@ byte" }));
    const at = text.indexOf("@@");
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at + 2))]);
    const res = await t.app.request("/v1/scenarios", { method: "POST", headers: { "content-type": "application/json", "content-length": String(bytes.length) }, body: bytes });
    const p = await expectProblem(res, 422);
    expect(p.errors?.[0]).toMatchObject({ path: "(root)", location: "body" });
    expect(p.errors?.[0].message).toContain(`offset ${at}`);
    const list = (await (await t.call("GET", "/v1/scenarios")).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
    // Well-formed UTF-8 of every length is accepted.
    expect((await t.call("POST", "/v1/scenarios", sampleScenario({ name: "é – 中 😀" }))).status).toBe(201);
  });

  it("finds the first byte that breaks UTF-8", () => {
    const at = (...b: number[]) => firstInvalidUtf8(Uint8Array.from(b));
    expect(at(0x41, 0xc3, 0xa9, 0x42)).toBe(4); // valid
    expect(at(0x41, 0xc3, 0x28)).toBe(1);
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // a UTF-16 surrogate encoded
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // beyond U+10FFFF
    expect(at(0xc0, 0xaf)).toBe(0); // overlong
    expect(at(0x41, 0xe2, 0x82)).toBe(1); // cut short
  });

  it("a 422 for 80,000 unknown keys names the first 100 and counts the rest, in a few KiB", async () => {
    const t = await app();
    const body = `{${Array.from({ length: 80_000 }, (_, i) => `"k${i}":0`).join(",")}}`;
    const res = await t.call("POST", "/v1/scenarios", body);
    const text = await res.clone().text();
    const p = (await expectProblem(res, 422)) as Awaited<ReturnType<typeof expectProblem>> & { errorsOmitted?: number };
    expect(p.errors).toHaveLength(MAX_PROBLEM_ERRORS);
    expect(p.errors?.[0]).toMatchObject({ path: expect.stringMatching(/^k\d+$|^[a-z]/), location: "body" });
    expect(p.errorsOmitted).toBeGreaterThan(79_000);
    expect(p.detail.length).toBeLessThan(1200);
    expect(Buffer.byteLength(text)).toBeLessThan(32 * 1024);
  });
});

describe("reports", () => {
  it("the HTML report and the charts send a Content-Security-Policy without script, and nosniff", async () => {
    const t = await app();
    const scenario = (await (await t.call("POST", "/v1/scenarios", sampleScenario({ name: "<img src=x onerror=alert(1)>", useCases: ["smart-customer-service"] }))).json()) as { id: string };
    const plan = (await (await t.call("POST", `/v1/scenarios/${scenario.id}/plan`, {})).json()) as { id: string };
    const html = await t.call("GET", `/v1/plans/${plan.id}/report`);
    expect(html.status).toBe(200);
    const csp = html.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-eval/);
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    const page = await html.text();
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img src=x");
    const md = await t.call("GET", `/v1/plans/${plan.id}/report`, undefined, { accept: "text/markdown" });
    expect(md.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await md.text()).toMatch(/^# Plan: &lt;img src=x onerror=alert\(1\)&gt;/);
    const chart = await t.call("GET", `/v1/plans/${plan.id}/charts/monthly-cost.svg`);
    expect(chart.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});

describe("the estimate cache: a share per workspace", () => {
  const TRAINING = { model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 };

  it("one workspace's estimates never evict another's answers", () => {
    // every answer stored on its first request: the most an attacker's flood can store
    const c = new ResponseCache({ version: () => "v1", maxEntries: 3, admission: "first-request" });
    const v = () => new Uint8Array(10) as Uint8Array<ArrayBuffer>;
    const victim = ["a", "b"].map((b) => c.keyFor("/p", "victim", "application/json", b)!);
    for (const k of victim) c.set(k, v());
    for (let i = 0; i < 100; i++) c.set(c.keyFor("/p", "attacker", "application/json", String(i))!, v());
    expect(victim.every((k) => c.peek(k) !== undefined)).toBe(true);
    expect(c.shareOf("attacker").size).toBe(3);
    expect(c.shareOf("victim").size).toBe(2);
  });

  it("past maxWorkspaces shares, the share used least recently is dropped whole", () => {
    const c = new ResponseCache({ version: () => "v1", maxWorkspaces: 2, admission: "first-request" });
    const key = (ws: string) => c.keyFor("/p", ws, undefined, "{}")!;
    c.set(key("a"), new Uint8Array(1) as Uint8Array<ArrayBuffer>);
    c.set(key("b"), new Uint8Array(1) as Uint8Array<ArrayBuffer>);
    c.get(key("a"));
    c.set(key("c"), new Uint8Array(1) as Uint8Array<ArrayBuffer>);
    expect(c.peek(key("b"))).toBeUndefined();
    expect(c.peek(key("a"))).toBeDefined();
    expect(c.stats.sharesDropped).toBe(1);
    expect(c.size).toBe(2);
  });

  it("over the API: an attacker's flood of new estimates leaves the victim's answers cached", async () => {
    const cache = estimateResponseCache({ maxEntries: 4 });
    let victim = "";
    let attacker = "";
    const t = await app({
      estimateCache: cache,
      seed: async (d) => {
        victim = (await createApiKey(d, { workspaceId: "victim", scope: "read", name: "v" }, new Date())).key;
        attacker = (await createApiKey(d, { workspaceId: "attacker", scope: "read", name: "a" }, new Date())).key;
      },
    });
    const v = { authorization: `Bearer ${victim}` };
    expect((await t.call("POST", "/v1/estimates/training", TRAINING, v)).headers.get("x-cache")).toBe("miss");
    expect((await t.call("POST", "/v1/estimates/training", TRAINING, v)).headers.get("x-cache")).toBe("miss"); // stored
    // each new estimate asked twice, so that the attacker's answers are stored too
    for (let i = 1; i <= 8; i++) for (let twice = 0; twice < 2; twice++) await t.call("POST", "/v1/estimates/training", { ...TRAINING, tokens: i * 1e9 }, { authorization: `Bearer ${attacker}` });
    expect(cache.shareOf("attacker").size).toBe(4);
    expect((await t.call("POST", "/v1/estimates/training", TRAINING, v)).headers.get("x-cache")).toBe("hit");
  });
});
