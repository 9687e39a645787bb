import { afterEach, describe, expect, it } from "vitest";
import { profileFingerprint, resolveModelSpec, modelKey, runHeader, type BenchRun } from "@modelplan/bench";
import { CATALOG_VERSION } from "@modelplan/estimator";
import { createApiKey, revokeApiKey } from "../src/auth/api-keys.repository";
import http from "node:http";
import net from "node:net";
import { gunzipSync } from "node:zlib";
import { asciiJson, asciiJsonBytes } from "../src/lib/ascii-json";
import { acceptsGzip, MIN_GZIP_BYTES, ResponseCache } from "../src/lib/response-cache";
import { estimateResponseCache } from "../src/routes/estimates/estimates.cache";
import { createTestApp, expectProblem, type TestApp } from "./helpers/test-app";
import { useTestServers } from "./helpers/test-server";

const TRAINING = { model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 };
const INFERENCE = { model: { preset: "llama-3-8b" }, hardware: "l4", quantization: "int8", workload: { inputTokens: 800, outputTokens: 200, requestsPerDay: 500_000 }, latency: { tpotMs: 50 } };

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

describe("asciiJson", () => {
  it("escapes every character outside printable ASCII, and the value parses the same", () => {
    const value = { range: "43–64%", formula: "(1 + 2) × 2·N", name: "客服机器人", emoji: "🚀", del: "\u007f" };
    const text = asciiJson(JSON.stringify(value));
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(text).toContain("43\\u201364%");
    expect(text).toContain("\\ud83d\\ude80"); // a surrogate pair, escaped as a pair
    expect(JSON.parse(text)).toEqual(value);
    const plain = JSON.stringify({ a: 1, b: "x" });
    expect(asciiJson(plain)).toBe(plain);
  });
});

describe("ResponseCache", () => {
  // every answer stored on its first request: these tests are of the LRU (admission has its own below)
  const cache = (options: Partial<ConstructorParameters<typeof ResponseCache>[0]> = {}) => new ResponseCache({ version: () => "v1", admission: "first-request", ...options });
  const value = (n: number) => new Uint8Array(n) as Uint8Array<ArrayBuffer>;

  it("keys by version, path, workspace, content type and the exact body", () => {
    let version = "v1";
    const c = cache({ version: () => version });
    const key = c.keyFor("/p", "ws", "application/json", '{"a":1}')!;
    for (const other of [
      c.keyFor("/q", "ws", "application/json", '{"a":1}'),
      c.keyFor("/p", "ws2", "application/json", '{"a":1}'),
      c.keyFor("/p", "ws", "application/json; charset=utf-8", '{"a":1}'),
      c.keyFor("/p", "ws", "application/json", '{"a": 1}'),
      // a workspace id cannot smuggle the content type into another key
      c.keyFor("/p", "ws16:application/json", "", '{"a":1}'),
    ]) {
      expect(other).not.toBe(key);
    }
    c.set(key, value(10));
    expect(c.get(c.keyFor("/p", "ws", "application/json", '{"a":1}')!)?.bytes).toEqual(value(10));
    version = "v2";
    const after = c.keyFor("/p", "ws", "application/json", '{"a":1}')!;
    expect(after).not.toBe(key);
    expect(c.get(after)).toBeUndefined();
  });

  it("keeps at most maxEntries, dropping the least recently used", () => {
    const c = cache({ maxEntries: 3 });
    for (const k of ["a", "b", "c"]) c.set(k, value(1));
    expect(c.get("a")).toBeDefined(); // a is now the most recent
    c.set("d", value(1));
    expect(c.size).toBe(3);
    expect(c.get("b")).toBeUndefined();
    expect(["a", "c", "d"].every((k) => c.get(k) !== undefined)).toBe(true);
    expect(c.stats.evictions).toBe(1);
  });

  it("keeps at most maxBytes, and never stores an entry larger than that", () => {
    const c = cache({ maxBytes: 1000 });
    for (let i = 0; i < 20; i++) c.set(`k${i}`, value(200));
    expect(c.bytes).toBeLessThanOrEqual(1000);
    expect(c.size).toBe(4); // 4 × (200 + 3 or 4 UTF-16 code units × 2)
    c.set("huge", value(1001));
    expect(c.get("huge")).toBeUndefined();
    expect(c.size).toBe(4);
    c.set("k19", value(100)); // replacing an entry accounts for the old one
    expect(c.bytes).toBe([...Array(3)].reduce((a) => a + 200 + 6, 0) + 100 + 6);
  });

  it("encodes answers as ASCII JSON bytes in memory of their own, small or large", () => {
    for (const value of [{ range: "43–64%", x: "×·", name: "客服机器人", emoji: "🚀", del: "\u007f" }, { a: 1 }, "é–".repeat(50_000)]) {
      const a = asciiJsonBytes(value);
      const b = asciiJsonBytes(value);
      expect(Buffer.from(a).equals(Buffer.from(asciiJson(JSON.stringify(value)), "latin1"))).toBe(true);
      expect(JSON.parse(Buffer.from(a).toString("utf8"))).toEqual(value);
      expect(a.buffer).not.toBe(b.buffer);
      expect(a.byteLength).toBe(a.buffer.byteLength);
    }
  });

  it("keeps a gzip encoding of large answers once asked for it, within maxBytes", () => {
    const c = cache({ maxBytes: 100_000 });
    const text = JSON.stringify({ assumptions: Array.from({ length: 60 }, (_, i) => ({ name: `figure ${i}`, source: "a published source, cited" })) });
    c.set("big", asciiJsonBytes(JSON.parse(text)));
    c.set("small", asciiJsonBytes({ a: 1 }));
    const before = c.bytes;
    const big = c.get("big")!;
    const gz = c.gzipOf("big", big)!;
    expect(gunzipSync(gz).toString("utf8")).toBe(text);
    expect(gz.byteLength).toBeLessThan(big.bytes.byteLength / 2);
    expect(c.gzipOf("big", big)).toBe(gz); // compressed once
    expect(c.stats.gzipEncodings).toBe(1);
    expect(c.bytes).toBe(before + gz.byteLength);
    expect(c.gzipOf("small", c.get("small")!)).toBeUndefined(); // under MIN_GZIP_BYTES
    expect(asciiJsonBytes({ a: 1 }).byteLength).toBeLessThan(MIN_GZIP_BYTES);
  });

  it("reads Accept-Encoding with its q-values", () => {
    for (const yes of ["gzip", "gzip, deflate", "deflate, gzip;q=0.5", "*", "br;q=1, gzip;q=0.8"]) expect(acceptsGzip(yes)).toBe(true);
    for (const no of [undefined, "", "identity", "gzip;q=0", "br", "deflate", "*;q=0", "identity, gzip;q=0"]) expect(acceptsGzip(no)).toBe(false);
  });

  it("stores an answer on the second request for its key, not the first (the default admission)", () => {
    const c = new ResponseCache({ version: () => "v1" });
    const key = c.keyFor("/p", "ws", "application/json", '{"a":1}')!;
    expect(c.set(key, value(10))).toBe(false);
    expect(c.get(key)).toBeUndefined();
    expect(c.set(key, value(10))).toBe(true);
    expect(c.get(key)?.bytes).toEqual(value(10));
    expect(c.stats).toMatchObject({ notAdmitted: 1, stores: 1, hits: 1, misses: 1 });
  });

  it("a sweep of one-off requests stores nothing and evicts nothing asked again", () => {
    const c = new ResponseCache({ version: () => "v1", maxEntries: 3 });
    const key = (body: string) => c.keyFor("/p", "ws", "application/json", body)!;
    for (const body of ["a", "b"]) for (let twice = 0; twice < 2; twice++) c.set(key(body), value(10));
    for (let i = 0; i < 1000; i++) expect(c.set(key(`sweep ${i}`), value(10))).toBe(false);
    expect(c.size).toBe(2);
    expect(c.get(key("a"))).toBeDefined();
    expect(c.get(key("b"))).toBeDefined();
    expect(c.stats).toMatchObject({ stores: 2, notAdmitted: 1002, evictions: 0 });
  });

  it("a workspace's doorkeeper is its own: another's flood does not make it forget what it asked", () => {
    const c = new ResponseCache({ version: () => "v1" });
    const mine = c.keyFor("/p", "mine", "application/json", '{"a":1}')!;
    expect(c.set(mine, value(10))).toBe(false);
    for (let i = 0; i < 20_000; i++) c.set(c.keyFor("/p", "other", "application/json", String(i))!, value(10));
    expect(c.set(mine, value(10))).toBe(true);
  });

  it("does not key bodies over maxKeyBodyLength", () => {
    const c = cache({ maxKeyBodyLength: 10 });
    expect(c.keyFor("/p", "ws", "application/json", "x".repeat(10))).toBeDefined();
    expect(c.keyFor("/p", "ws", "application/json", "x".repeat(11))).toBeUndefined();
  });
});

describe("estimate response cache over the API", () => {
  it("a hit is byte-identical to the miss before it and to a fresh computation without a cache", async () => {
    t = await createTestApp();
    for (const [route, body] of [["/v1/estimates/training", TRAINING], ["/v1/estimates/inference", INFERENCE]] as const) {
      const miss = await t.call("POST", route, body);
      expect(miss.status).toBe(200);
      expect(miss.headers.get("x-cache")).toBe("miss");
      // stored on its second request (second-request admission), answered from the cache from the third
      expect((await t.call("POST", route, body)).headers.get("x-cache")).toBe("miss");
      const hit = await t.call("POST", route, body);
      expect(hit.status).toBe(200);
      expect(hit.headers.get("x-cache")).toBe("hit");
      expect(hit.headers.get("content-type")).toBe("application/json");
      const missBytes = await bytes(miss);
      expect(await bytes(hit)).toEqual(missBytes);
      expect((await bytes(await t.call("POST", route, body))).equals(missBytes)).toBe(true); // a second hit too

      const uncached = await createTestApp({ estimateCache: null });
      try {
        const fresh = await uncached.call("POST", route, body);
        expect(fresh.headers.get("x-cache")).toBeNull();
        expect((await bytes(fresh)).equals(missBytes)).toBe(true);
      } finally {
        uncached.close();
      }
    }
  });

  it("a hit is gzip-encoded for a client that accepts it, and sent as stored otherwise", async () => {
    t = await createTestApp();
    const route = "/v1/estimates/training";
    const miss = await t.call("POST", route, TRAINING, { "accept-encoding": "gzip, deflate" });
    expect(miss.headers.get("x-cache")).toBe("miss");
    expect(miss.headers.get("content-encoding")).toBeNull(); // a computed answer is not compressed
    expect(miss.headers.get("vary")).toBe("Accept-Encoding");
    const plain = await bytes(miss);
    expect((await t.call("POST", route, TRAINING, { "accept-encoding": "gzip, deflate" })).headers.get("x-cache")).toBe("miss"); // stored now
    const gz = await t.call("POST", route, TRAINING, { "accept-encoding": "gzip, deflate" });
    expect(gz.headers.get("x-cache")).toBe("hit");
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("vary")).toBe("Accept-Encoding");
    const gzBytes = await bytes(gz);
    expect(gunzipSync(gzBytes).equals(plain)).toBe(true);
    expect(gzBytes.length).toBeLessThan(plain.length / 2);
    for (const refused of [{}, { "accept-encoding": "gzip;q=0, deflate" }, { "accept-encoding": "identity" }] as Record<string, string>[]) {
      const res = await t.call("POST", route, TRAINING, refused);
      expect(res.headers.get("x-cache")).toBe("hit");
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
      expect((await bytes(res)).equals(plain)).toBe(true);
    }
  });

  it("a different body misses; so does the same JSON written differently", async () => {
    t = await createTestApp();
    const first = await t.call("POST", "/v1/estimates/training", TRAINING);
    expect(first.headers.get("x-cache")).toBe("miss");
    const other = await t.call("POST", "/v1/estimates/training", { ...TRAINING, tokens: 3e9 });
    expect(other.headers.get("x-cache")).toBe("miss");
    expect(((await other.json()) as { tokens: number }).tokens).toBe(3e9);
    const spaced = await t.call("POST", "/v1/estimates/training", JSON.stringify(TRAINING, null, 2));
    expect(spaced.headers.get("x-cache")).toBe("miss");
    expect(await spaced.json()).toEqual(await first.json());
    // the same body on the other estimate route is another key (and here a 422)
    const wrongRoute = await t.call("POST", "/v1/estimates/inference", TRAINING);
    expect(wrongRoute.status).toBe(422);
  });

  it("a different catalog version misses", async () => {
    let version = CATALOG_VERSION;
    t = await createTestApp({ estimateCache: estimateResponseCache({ version: () => version }) });
    const outcomes = async (n: number) => {
      const seen: (string | null)[] = [];
      for (let i = 0; i < n; i++) seen.push((await t!.call("POST", "/v1/estimates/training", TRAINING)).headers.get("x-cache"));
      return seen;
    };
    expect(await outcomes(3)).toEqual(["miss", "miss", "hit"]);
    version = `${CATALOG_VERSION}.next`;
    expect(await outcomes(3)).toEqual(["miss", "miss", "hit"]);
  });

  it("stays bounded: the oldest answers are dropped and computed again", async () => {
    const cache = estimateResponseCache({ maxEntries: 3 });
    t = await createTestApp({ estimateCache: cache });
    const ask = async (tokens: number) => (await t!.call("POST", "/v1/estimates/training", { ...TRAINING, tokens })).headers.get("x-cache");
    for (let i = 1; i <= 5; i++) {
      expect(await ask(i * 1e9)).toBe("miss");
      expect(await ask(i * 1e9)).toBe("miss"); // stored on its second request
    }
    expect(cache.size).toBe(3);
    // dropped, and computed again; asked before, so stored again at once
    expect(await ask(1e9)).toBe("miss");
    expect(await ask(1e9)).toBe("hit");
    expect(await ask(5e9)).toBe("hit");
    expect(cache.size).toBe(3);
  });

  it("a what-if sweep (a new body every request) stores nothing; a body asked again is stored, then answered from the cache", async () => {
    const cache = estimateResponseCache();
    t = await createTestApp({ estimateCache: cache });
    const ask = async (tokens: number) => (await t!.call("POST", "/v1/estimates/training", { ...TRAINING, tokens })).headers.get("x-cache");
    for (let i = 1; i <= 5; i++) expect(await ask(i * 1e9)).toBe("miss");
    expect(cache.size).toBe(0);
    expect(await ask(3e9)).toBe("miss");
    expect(cache.size).toBe(1);
    expect(await ask(3e9)).toBe("hit");
    expect(cache.stats).toMatchObject({ hits: 1, misses: 6, stores: 1, notAdmitted: 5 });
  });

  it("refusals are never cached: the same 400 and 422 every time, and nothing stored", async () => {
    const cache = estimateResponseCache();
    t = await createTestApp({ estimateCache: cache });
    for (let i = 0; i < 2; i++) {
      const schema = await expectProblem(await t.call("POST", "/v1/estimates/training", { ...TRAINING, gpus: -1 }), 422);
      expect(schema.errors![0].path).toBe("gpus");
      const engine = await expectProblem(await t.call("POST", "/v1/estimates/training", { ...TRAINING, hardware: "no-such-gpu" }), 422);
      expect(engine.errors![0].path).toBe("hardware");
      await expectProblem(await t.call("POST", "/v1/estimates/training", '{"model":'), 400);
    }
    expect(cache.size).toBe(0);
    // the 422 does not depend on what was cached before it
    expect((await t.call("POST", "/v1/estimates/training", TRAINING)).status).toBe(200);
    await expectProblem(await t.call("POST", "/v1/estimates/training", { ...TRAINING, gpus: -1 }), 422);
  });

  it("a cached body sent with another method or content type is not answered from the cache", async () => {
    t = await createTestApp();
    expect((await t.call("POST", "/v1/estimates/training", TRAINING)).status).toBe(200);
    const put = await t.call("PUT", "/v1/estimates/training", TRAINING);
    await expectProblem(put, 405);
    expect(put.headers.get("x-cache")).toBeNull();
    // the content type is part of the key (it decides whether and how the body is validated)
    const vendor = await t.call("POST", "/v1/estimates/training", JSON.stringify(TRAINING), { "content-type": "application/vnd.x+json" });
    expect(vendor.headers.get("x-cache")).toBe("miss");
    const withCharset = await t.call("POST", "/v1/estimates/training", JSON.stringify(TRAINING), { "content-type": "application/json; charset=utf-8" });
    expect(withCharset.headers.get("x-cache")).toBe("miss");
  });

  it("authentication, scopes and rate limits run before the cache", async () => {
    t = await createTestApp({ rateLimits: { requests: { capacity: 3, refillPerSec: 0.001 }, benchmarks: { capacity: 1, refillPerSec: 0.001 } } });
    const acme = (await createApiKey(t.database, { workspaceId: "acme", scope: "read", name: "r" }, new Date())).key;
    const other = (await createApiKey(t.database, { workspaceId: "other", scope: "read", name: "r" }, new Date())).key;
    const as = (key: string) => ({ authorization: `Bearer ${key}` });
    expect((await t.call("POST", "/v1/estimates/training", TRAINING, as(acme))).headers.get("x-cache")).toBe("miss");
    expect((await t.call("POST", "/v1/estimates/training", TRAINING, as(acme))).headers.get("x-cache")).toBe("miss"); // stored now
    // no key, or a wrong one: 401 even though the answer is cached
    await expectProblem(await t.call("POST", "/v1/estimates/training", TRAINING), 401);
    await expectProblem(await t.call("POST", "/v1/estimates/training", TRAINING, as("mp_not_a_key")), 401);
    // another workspace computes its own answer (a hit would tell it what acme asked)
    const otherRes = await t.call("POST", "/v1/estimates/training", TRAINING, as(other));
    expect(otherRes.headers.get("x-cache")).toBe("miss");
    // acme's third request is its last token; the fourth is limited, cached or not
    const third = await t.call("POST", "/v1/estimates/training", TRAINING, as(acme));
    expect(third.headers.get("x-cache")).toBe("hit");
    expect(third.headers.get("ratelimit-remaining")).toBe("0");
    const limited = await t.call("POST", "/v1/estimates/training", TRAINING, as(acme));
    await expectProblem(limited, 429);
    expect(limited.headers.get("x-cache")).toBeNull();
  });

  it("an estimate on a measured hardware profile is never served stale after new runs", async () => {
    const cache = estimateResponseCache();
    t = await createTestApp({ estimateCache: cache });
    const spec = resolveModelSpec("mlp", { inputDim: 16, hiddenUnits: [32], classes: 4 });
    const header = runHeader(spec, modelKey(spec), "training", "training", 8, "whole-machine", 1);
    // Fixture runs, not measurements: the service stores what a machine reports.
    const run = (stepMs: number): BenchRun => ({
      ...header,
      status: "ok",
      stepTime: { medianMs: stepMs, p10Ms: stepMs * 0.9, p90Ms: stepMs * 1.1, ciLowMs: stepMs * 0.95, ciHighMs: stepMs * 1.05, n: 30 },
      samplesPerS: (8 * 1000) / stepMs,
      achievedFlopsPerS: (header.flopsPerStep * 1000) / stepMs,
    });
    const device = { kind: "cpu" as const, cpuModel: "Test CPU", logicalCores: 8, memoryBytes: 64e9, platform: "linux", arch: "x64", gpus: [] };
    const backend = { choice: "wasm" as const, threadsPerInstance: 1, versions: { node: "20.20.2", "tfjs-core": "4.22.0" } };
    const upload = (stepMs: number) => ({
      suite: "custom",
      status: "completed",
      startedAt: "2026-11-22T06:00:00.000Z",
      finishedAt: "2026-11-22T06:01:00.000Z",
      fingerprint: profileFingerprint(device, backend),
      device,
      backend,
      ceilings: { wholeMachine: { scope: "whole-machine", workers: 1, precision: "float32", flopsPerS: 1e9, cpuFlopsPerS: 1e9, bestN: 512, probes: [] } },
      bandwidth: { wholeMachine: { scope: "whole-machine", workers: 1, elements: 8388608, medianMs: 0.1, bytesPerS: 50e9, stable: true } },
      sgemm: null,
      runs: [run(stepMs)],
    });
    const first = await t.call("POST", "/v1/benchmarks/results", upload(10));
    expect(first.status, await first.clone().text()).toBe(201);
    const profileId = ((await first.json()) as { hardwareProfileId: string }).hardwareProfileId;
    const body = { model: { parameters: 1e6 }, tokens: 1e8, precision: "fp32", hardware: profileId, gpus: 1 };

    const before = await t.call("POST", "/v1/estimates/training", body);
    expect(before.status, await before.clone().text()).toBe(200);
    expect(before.headers.get("x-cache")).toBe("bypass");
    const beforeHours = ((await before.json()) as { gpuHours: { expected: number } }).gpuHours.expected;
    const again = await t.call("POST", "/v1/estimates/training", body);
    expect(again.headers.get("x-cache")).toBe("bypass");

    // the same machine reports runs twice as fast: the estimate must follow
    expect((await t.call("POST", "/v1/benchmarks/results", upload(5))).status).toBe(201);
    const after = await t.call("POST", "/v1/estimates/training", body);
    expect(after.headers.get("x-cache")).toBe("bypass");
    const afterHours = ((await after.json()) as { gpuHours: { expected: number } }).gpuHours.expected;
    expect(afterHours).toBeLessThan(beforeHours);
    expect(cache.size).toBe(0);
  });
});

describe("over HTTP", () => {
  const start = useTestServers();

  it("a hit is byte-identical to the miss, with the same headers but X-Cache", async () => {
    const server = await start();
    const post = () => fetch(`${server.url}/v1/estimates/training`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(TRAINING) });
    const miss = await post();
    expect(miss.status).toBe(200);
    expect(miss.headers.get("x-cache")).toBe("miss");
    const missBytes = await bytes(miss);
    expect(Number(miss.headers.get("content-length"))).toBe(missBytes.length);
    expect((await post()).headers.get("x-cache")).toBe("miss"); // stored on its second request
    const hit = await post();
    expect(hit.headers.get("x-cache")).toBe("hit");
    // fetch asks for gzip (as the SDK does) and decodes it: the same bytes arrive
    expect(hit.headers.get("content-encoding")).toBe("gzip");
    expect(hit.headers.get("content-type")).toBe("application/json");
    expect(hit.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit.headers.get("ratelimit-limit")).toBe("200");
    expect((await bytes(hit)).equals(missBytes)).toBe(true);
    expect(server.responseCache.stats).toMatchObject({ hits: 1, misses: 2, stores: 1, notAdmitted: 1, gzipEncodings: 1 });
  });

  it("a hit has the headers and bytes of the miss, as stored or gzip-encoded, only X-Cache differs", async () => {
    const s = await start();
    const miss = await send(s.port);
    expect(miss.headers["x-cache"]).toBe("miss");
    expect(miss.body.every((b) => b < 0x80)).toBe(true); // estimate answers are ASCII-only JSON
    expect((await send(s.port)).headers["x-cache"]).toBe("miss"); // stored on its second request
    for (const acceptEncoding of [undefined, "gzip, deflate"]) {
      const hit = await send(s.port, { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} });
      expect(hit.status).toBe(200);
      expect(hit.headers["x-cache"]).toBe("hit");
      expect(hit.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(hit.headers["content-length"])).toBe(hit.body.length);
      expect((acceptEncoding ? gunzipSync(hit.body) : hit.body).equals(miss.body)).toBe(true);
      expect(hit.headers["content-encoding"]).toBe(acceptEncoding ? "gzip" : undefined);
      const same = (a: Answer) => ({
        ...a.headers,
        date: undefined, "x-request-id": undefined, "ratelimit-remaining": undefined, "ratelimit-reset": undefined,
        "x-cache": undefined, "content-length": undefined, "content-encoding": undefined,
      });
      expect(same(hit)).toEqual(same(miss));
    }
    expect(s.responseCache.stats).toMatchObject({ hits: 2, misses: 2 });
  });

  it("hits stay within the caller's workspace; unknown and revoked keys are refused before the cache", async () => {
    const s = await start(); // open until the first key exists, then every request needs one
    const now = new Date();
    const a = await createApiKey(s.database, { workspaceId: "team-a", scope: "read", name: "a" }, now);
    const b = await createApiKey(s.database, { workspaceId: "team-b", scope: "read", name: "b" }, now);
    const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
    expect((await send(s.port, as(a.key))).headers["x-cache"]).toBe("miss");
    expect((await send(s.port, as(a.key))).headers["x-cache"]).toBe("miss");
    expect((await send(s.port, as(a.key))).headers["x-cache"]).toBe("hit");
    expect((await send(s.port, as(b.key))).headers["x-cache"]).toBe("miss");
    expect((await send(s.port, as(b.key))).headers["x-cache"]).toBe("miss"); // team-a's answer is not team-b's
    const none = await send(s.port);
    expect([none.status, none.headers["www-authenticate"], none.headers["x-cache"]]).toEqual([401, 'Bearer realm="modelplan"', undefined]);
    expect((await send(s.port, as("mp_unknown"))).status).toBe(401);
    await revokeApiKey(s.database, a.row.id, now);
    const revoked = await send(s.port, as(a.key));
    expect(revoked.status).toBe(401);
    expect(revoked.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect(s.responseCache.stats.hits).toBe(1);
  });

  it("takes a rate-limit token for every request, hits included, and refuses with 429 before the cache", async () => {
    const s = await start({ RATE_LIMIT_BURST: "3", RATE_LIMIT_RPS: "0.01" });
    const answers = [await send(s.port), await send(s.port), await send(s.port), await send(s.port)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers["x-cache"])).toEqual(["miss", "miss", "hit", undefined]);
    expect(answers.slice(0, 3).map((a) => a.headers["ratelimit-remaining"])).toEqual(["2", "1", "0"]);
    expect(answers[3].headers["content-type"]).toBe("application/problem+json");
    expect(Number(answers[3].headers["retry-after"])).toBeGreaterThan(0);
  });

  it("the body checks run before the cache: a cached body declared over the limit is a 413, compressed a 415", async () => {
    const s = await start({ MAX_BODY_BYTES: "1024" });
    expect((await send(s.port)).headers["x-cache"]).toBe("miss");
    expect((await send(s.port)).headers["x-cache"]).toBe("miss");
    expect((await send(s.port)).headers["x-cache"]).toBe("hit");
    const head = await rawRequest(s.port, `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n${TRAINING_TEXT}`);
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    expect((await send(s.port, { headers: { "content-encoding": "gzip" } })).status).toBe(415);
  });

  it("an invalid Host is refused with 400, never answered from the cache", async () => {
    const s = await start();
    expect((await send(s.port)).headers["x-cache"]).toBe("miss");
    for (const host of ["example.com:99999", "1.2.3.4.5:80:80"]) {
      const head = await rawRequest(s.port, `POST ${PATH} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${TRAINING_TEXT.length}\r\nConnection: close\r\n\r\n${TRAINING_TEXT}`);
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).not.toMatch(/x-cache/i);
    }
    expect(s.responseCache.stats.hits).toBe(0);
  });

  it("answers what no route accepts as the app does, on a kept-alive connection that hits again", async () => {
    const s = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const on = (o: Parameters<typeof send>[1] = {}) => send(s.port, { ...o, agent });
      expect((await on()).headers["x-cache"]).toBe("miss");
      expect((await on()).headers["x-cache"]).toBe("miss");
      const hit = await on();
      expect([hit.headers["x-cache"], hit.reusedSocket]).toEqual(["hit", true]);
      expect((await on({ headers: { "content-type": "text/plain" } })).status).toBe(415);
      expect((await on({ body: "{" })).status).toBe(400);
      expect((await on({ body: "[]" })).status).toBe(422);
      const put = await on({ method: "PUT" });
      expect([put.status, put.headers.allow, put.headers["x-cache"]]).toEqual([405, "POST", undefined]);
      const after = await on();
      expect([after.status, after.headers["x-cache"], after.reusedSocket]).toEqual([200, "hit", true]);
    } finally {
      agent.destroy();
    }
  });
});

const PATH = "/v1/estimates/training";
const TRAINING_TEXT = JSON.stringify(TRAINING);

interface Answer {
  status: number;
  /** Values by lower-case header name. */
  headers: Record<string, string>;
  body: Buffer;
  reusedSocket: boolean;
}

/** One POST of the training body with exactly these headers (no Accept-Encoding unless given), over `agent` when given. */
function send(port: number, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: PATH, method: options.method ?? "POST", agent: options.agent ?? false, headers: { "content-type": "application/json", ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
          resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body ?? TRAINING_TEXT);
  });
}

/** Writes `text` on a new connection and answers the response head. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    let received = "";
    socket.on("data", (d: Buffer) => {
      received += d.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end >= 0) {
        socket.destroy();
        resolve(received.slice(0, end + 2));
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(received));
  });
}
