/**
 * Defects the fuzzer found, pinned as plain regression tests against the real server over HTTP, so
 * each one has a one-line reproduction that stays after it is fixed. (The fuzz run itself may or may
 * not draw these exact inputs for a given seed.)
 */
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchDocument, startFuzzServer, type FuzzServer } from "./lib/harness";
import zlib from "node:zlib";
import { HttpClient, decodeBody } from "./lib/http";
import { validate } from "./lib/json-schema";
import { listOperations } from "./lib/openapi";

let server: FuzzServer;
let client: HttpClient;

beforeAll(async () => {
  server = await startFuzzServer();
  client = new HttpClient(server.url);
});
afterAll(async () => {
  client.close();
  await server.close();
});

function scenario(overrides: Record<string, unknown> = {}) {
  return {
    name: "Findings",
    audience: { usersAtLaunch: 1000, monthlyGrowthPct: 5, horizonMonths: 12 },
    usage: { requestsPerUserPerDay: 3 },
    model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
    funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 10_000 },
    ...overrides,
  };
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  client.send({ method: "POST", path, headers: { "content-type": "application/json", ...headers }, body: Buffer.from(body, "utf8") });

describe("fuzz findings", () => {
  it("deeply nested JSON in a free-form field is refused with a 4xx, not a 500", async () => {
    // model.architecture is `additionalProperties: {}`: any JSON. 10,000 levels overflow the stack of
    // the recursive JSON.stringify that stores it (drizzle's json column) -> 500 today.
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const body = JSON.stringify(scenario({ model: { strategy: "self-host", architecture: { placeholder: 0 } } })).replace('{"placeholder":0}', deep);
    const res = await post("/v1/scenarios", body);
    expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("a string with a lone surrogate is refused, or stored and read back unchanged", async () => {
    // JSON allows "\ud800"; SQLite stores text as UTF-8, where a lone surrogate cannot exist, so the
    // `name` column comes back as U+FFFD replacement characters: an acknowledged write that reads
    // back different. Either reject such strings (422) or keep them intact.
    const res = await post("/v1/scenarios", JSON.stringify(scenario({ name: "lone \ud800 surrogate" })));
    if (res.status >= 400) {
      expect(res.status).toBe(422);
      return;
    }
    expect(res.status).toBe(201);
    const created = JSON.parse(res.text) as { id: string; name: string };
    const got = await client.send({ method: "GET", path: `/v1/scenarios/${created.id}`, headers: {} });
    expect((JSON.parse(got.text) as { name: string }).name).toBe(created.name);
  });

  it.each([
    ["a 413 (body over the limit)", "POST", "/v1/scenarios", () => server.maxBodyBytes + 10, 413],
    ["a 404 to a DELETE that carried a body", "DELETE", "/v1/scenarios/scn_does_not_exist", () => 300_000, 404],
  ])("%s does not poison the kept-alive connection for the next request", async (_label, method, target, size, expected) => {
    // The server answers before reading the whole body; @hono/node-server then drains the rest for
    // up to 500 ms and destroys the socket. Without `Connection: close` on that answer, a keep-alive
    // client sends its next request on the doomed socket and gets "socket hang up".
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { port, hostname } = new URL(server.url);
    const send = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const r = http.request({ host: hostname, port, method, path, agent, headers: body ? { "content-type": "application/json", "content-length": String(body.length) } : {} }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        });
        r.on("error", reject);
        r.end(body);
      });
    try {
      const first = await send(method, target, Buffer.alloc(size(), 0x5b));
      expect(first.status).toBe(expected);
      const next = await send("GET", "/health").catch((err: Error) => ({ status: 0, error: err.message }));
      expect(next, `request after the ${expected} on the same keep-alive agent`).toMatchObject({ status: 200 });
    } finally {
      agent.destroy();
    }
  });

  it("the document declares 401 for every operation that requires a key, and 403 for those that need more than read", async () => {
    const ops = listOperations(await fetchDocument(server.url));
    const missing = ops.flatMap((op) => {
      if (!op.requiresAuth) return [];
      const needs = op.method === "GET" ? ["401"] : ["401", "403"];
      return needs.filter((s) => !(s in op.responses)).map((s) => `${op.operationId}: ${s}`);
    });
    expect(missing).toEqual([]);
  });

  it("a training estimate with a tiny positive deadline answers 422 or an estimate that matches its schema", async () => {
    // deadlineDays is documented as > 0; 5e-324 (the smallest double) makes the GPU count Infinity,
    // which JSON writes as null where the document promises a number.
    const doc = await fetchDocument(server.url);
    const op = listOperations(doc).find((o) => o.operationId === "estimateTraining");
    if (!op) return; // route not mounted in this build
    const res = await post("/v1/estimates/training", JSON.stringify({ model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 5e-324 }));
    if (res.status === 422) return;
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(validate(op.responses["200"].content["application/json"]!, JSON.parse(res.text), doc)).toEqual([]);
  });

  it("an inference estimate with a tiny positive bandwidth utilisation answers 422 or an estimate that matches its schema", async () => {
    // Same class of defect: bandwidthUtilisation 5e-324 (documented as > 0) divides a time by ~0,
    // and the Infinity comes back as null fields inside objects the document types as numbers.
    const doc = await fetchDocument(server.url);
    const op = listOperations(doc).find((o) => o.operationId === "estimateInference");
    if (!op) return;
    const res = await post(
      "/v1/estimates/inference",
      JSON.stringify({ model: { preset: "llama-3-8b" }, hardware: "l4", quantization: "int8", workload: { inputTokens: 800, outputTokens: 200, requestsPerDay: 500_000 }, latency: { tpotMs: 50 }, bandwidthUtilisation: 5e-324 }),
    );
    if (res.status === 422) return;
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(validate(op.responses["200"].content["application/json"]!, JSON.parse(res.text), doc)).toEqual([]);
  });

  it("a plan whose costs are far below a cent renders its report and every chart", async () => {
    // requestsPerUserPerDay ~1e-300 (documented as ≥ 0) made every monthly cost ~7e-303 USD; ECharts could
    // not lay out that value axis and the report answered 500 (seed 1109843920).
    const created = await post("/v1/scenarios", JSON.stringify(scenario({ useCases: ["smart-customer-service"], usage: { requestsPerUserPerDay: 1e-300 }, pricing: { model: "perSeatMonthly", priceUsd: 12 } })));
    expect(created.status, created.text.slice(0, 300)).toBe(201);
    const planned = await post(`/v1/scenarios/${JSON.parse(created.text).id}/plan`, "{}");
    expect(planned.status, planned.text.slice(0, 300)).toBe(201);
    const planId = JSON.parse(planned.text).id as string;
    for (const path of [`/v1/plans/${planId}/report`, `/v1/plans/${planId}/charts/monthly-cost.svg`, `/v1/plans/${planId}/charts/sensitivity-tornado.svg`]) {
      const res = await client.send({ method: "GET", path, headers: {} });
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(200);
    }
  });

  it("shutdown is not held up by a kept-alive connection whose in-flight request finished during the drain", async () => {
    // close() calls closeIdleConnections() once, when the signal comes; a connection that was busy
    // then stays open after its response until keepAliveTimeout (5 s), so the process lingers. The
    // response should carry `Connection: close` once shutdown has begun (or idle connections be
    // closed again after each response).
    const own = await startFuzzServer();
    const { port } = new URL(own.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    const body = JSON.stringify(scenario({ name: "in flight at shutdown" }));
    let response = "";
    socket.on("data", (d) => (response += d.toString()));
    socket.on("error", () => {});
    const socketClosed = new Promise((r) => socket.on("close", r));
    await new Promise((r) => socket.on("connect", r));
    socket.write(`POST /v1/scenarios HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((r) => setTimeout(r, 100));
    const closed = own.running.close().then(() => "closed");
    await new Promise((r) => setTimeout(r, 100));
    socket.write(body.slice(10));
    const outcome = await Promise.race([closed, new Promise((r) => setTimeout(() => r("still open after 2.5 s"), 2500))]);
    await Promise.race([socketClosed, new Promise((r) => setTimeout(r, 1000))]); // read what the server sent
    socket.destroy();
    await own.close();
    expect(response).toMatch(/^HTTP\/1\.1 201/);
    expect(outcome).toBe("closed");
  });

  it("the checker reads a gzip answer to `accept-encoding: br, gzip` as the JSON it encodes", async () => {
    // The fuzzer's own defect: a cached estimate is sent gzip-encoded to a client that accepts gzip,
    // and the checker parsed the compressed bytes as JSON and reported a failure.
    const doc = await fetchDocument(server.url);
    const op = listOperations(doc).find((o) => o.operationId === "estimateTraining");
    if (!op) return;
    const body = JSON.stringify({ model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm" });
    let res = await post("/v1/estimates/training", body, { "accept-encoding": "br, gzip" });
    for (let i = 0; i < 3 && res.headers["content-encoding"] !== "gzip"; i++) res = await post("/v1/estimates/training", body, { "accept-encoding": "br, gzip" });
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip"); // a cache hit, compressed
    expect(res.wireBytes).toBeLessThan(res.body.length);
    expect(validate(op.responses["200"].content["application/json"]!, JSON.parse(res.text), doc)).toEqual([]);
  });

  it("decodes gzip, deflate and br, in the order applied, and refuses an unknown coding", () => {
    const json = Buffer.from(JSON.stringify({ a: "é".repeat(50) }));
    expect(decodeBody(zlib.gzipSync(json), "gzip")).toEqual(json);
    expect(decodeBody(json, undefined)).toBe(json);
    expect(decodeBody(zlib.deflateSync(json), "deflate")).toEqual(json);
    expect(decodeBody(zlib.brotliCompressSync(zlib.gzipSync(json)), "gzip, br")).toEqual(json);
    expect(() => decodeBody(json, "zstd")).toThrow(/unknown content coding 'zstd'/);
  });
});
