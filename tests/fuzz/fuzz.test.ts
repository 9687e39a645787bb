/**
 * The fuzzer in `npm test`: a seeded short run (1,500 generated requests) against the real server,
 * plus tests of the fuzzer's own oracle (each check must be able to fail: a deliberately broken
 * server is fed through the same session and every defect must be reported).
 * Long run: `npx tsx scripts/fuzz.ts --runs 10000 --seed N`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleValue, validArb } from "./lib/arbitraries";
import { formatReport, runFuzz, summarizeFailures } from "./lib/harness";
import { isValid, validate } from "./lib/json-schema";
import { listOperations, matchRoute, type OpenApiDocument } from "./lib/openapi";
import { anyRequestArb } from "./lib/requests";
import { FuzzSession, type Failure } from "./lib/session";
import { DeepNest, pctEncode, renderJson } from "./lib/values";

const SEED = 20261122;
const RUNS = 1500;

describe("fuzz: the real server against its OpenAPI document", () => {
  it(`${RUNS} generated requests (seed ${SEED}): no 5xx, problem+json errors, documented statuses and schemas, rejected writes change nothing`, async () => {
    const report = await runFuzz({ runs: RUNS, seed: SEED });
    const summary = `${formatReport(report)}\n${summarizeFailures(report.failures)}\nreplay: npx tsx scripts/fuzz.ts --runs ${RUNS} --seed ${SEED}`;
    expect(report.failures.length, summary).toBe(0);
    expect(report.generated).toBe(RUNS);
    // Every documented operation was reached, and most answered 2xx at least once (those that need a
    // measured benchmark or plannable scenarios may not, within this budget).
    const reached = new Set(report.byOperation.keys());
    expect(report.operations.filter((o) => !reached.has(o.operationId)).map((o) => o.operationId), summary).toEqual([]);
    const succeeded = report.operations.filter((o) => [...(report.byOperation.get(o.operationId)?.keys() ?? [])].some((s) => s >= 200 && s < 300));
    const never = report.operations.filter((o) => !succeeded.includes(o)).map((o) => o.operationId);
    expect(succeeded.length / report.operations.length, `no 2xx for: ${never.join(", ")}\n${summary}`).toBeGreaterThan(0.6);
  }, 180_000);
});

// ---------------------------------------------------------------------------------------------
// The oracle itself.

const DOC: OpenApiDocument = {
  openapi: "3.1.0",
  security: [{ bearerAuth: [] }],
  paths: {
    "/things": {
      post: {
        operationId: "createThing",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ThingInput" } } } },
        responses: {
          "201": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } },
          "422": { description: "bad", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
        },
      },
    },
    "/things/{id}": {
      get: {
        operationId: "getThing",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", maxLength: 8 } }],
        responses: {
          "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } },
          "404": { description: "none", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      ThingInput: {
        type: "object",
        properties: { name: { type: "string", minLength: 1, maxLength: 10 }, size: { type: "integer", minimum: 0, maximum: 5 } },
        required: ["name", "size"],
        additionalProperties: false,
      },
      Thing: {
        type: "object",
        properties: { id: { type: "string" }, name: { type: "string" }, size: { type: "integer", minimum: 0, maximum: 5 } },
        required: ["id", "name", "size"],
      },
      Problem: {
        type: "object",
        properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, detail: { type: "string" }, instance: { type: "string" }, requestId: { type: "string" } },
        required: ["type", "title", "status", "detail", "instance", "requestId"],
      },
    },
  },
};

type Behaviour = (req: http.IncomingMessage, body: string) => { status: number; type?: string; body?: string; write?: boolean };

/** A tiny server implementing DOC, with a pluggable defect; `writes` counts stored changes. */
async function brokenServer(behaviour: Behaviour) {
  const state = { writes: 0, things: new Map<string, unknown>() };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const out = behaviour(req, body);
      if (out.write) state.writes++;
      res.writeHead(out.status, { "content-type": out.type ?? "application/json", "x-request-id": "r1" });
      res.end(out.body ?? "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const problem = (status: number) => JSON.stringify({ type: "/p", title: "t", status, detail: "d", instance: "/things", requestId: "r1" });

async function failuresFor(behaviour: Behaviour, req: Parameters<FuzzSession["run"]>[0]): Promise<Failure["kind"][]> {
  const srv = await brokenServer(behaviour);
  const session = new FuzzSession({
    baseUrl: srv.url,
    doc: DOC,
    ops: listOperations(DOC),
    changes: { marker: () => String(srv.state.writes), digests: () => new Map([["things", String(srv.state.writes)]]) },
  });
  try {
    return (await session.run(req)).map((f) => f.kind);
  } finally {
    session.close();
    await srv.close();
  }
}

const createReq = (value: unknown) => ({
  target: "createThing",
  category: "valid" as const,
  auth: "main" as const,
  method: "POST",
  pathParams: {},
  query: [] as [string, string][],
  headers: {},
  body: { kind: "json" as const, value },
  contentType: "application/json",
});

describe("fuzz oracle", () => {
  it("accepts a correct server", async () => {
    const kinds = await failuresFor((req, body) => {
      if (req.method === "GET") return { status: 200, body: JSON.stringify({ id: "t1", name: "a", size: 1 }) };
      const v = JSON.parse(body) as { name: string; size: number };
      return { status: 201, body: JSON.stringify({ id: "t1", ...v }), write: true };
    }, createReq({ name: "a", size: 1 }));
    expect(kinds).toEqual([]);
  });

  it("reports a 5xx", async () => {
    expect(await failuresFor(() => ({ status: 500, type: "application/problem+json", body: problem(500) }), createReq({ name: "a", size: 1 }))).toContain("server-error");
  });

  it("reports a 4xx that is not problem+json, and one whose body misses RFC 9457 fields", async () => {
    expect(await failuresFor(() => ({ status: 422, type: "text/plain", body: "bad" }), createReq({ name: "a", size: 9 }))).toContain("not-problem-json");
    expect(await failuresFor(() => ({ status: 422, type: "application/problem+json", body: JSON.stringify({ title: "x" }) }), createReq({ name: "a", size: 9 }))).toContain("problem-schema");
  });

  it("reports a status the operation does not declare", async () => {
    expect(await failuresFor(() => ({ status: 409, type: "application/problem+json", body: problem(409) }), createReq({ name: "a", size: 1 }))).toContain("undeclared-status");
  });

  it("reports a 2xx body that breaks the documented schema", async () => {
    expect(await failuresFor(() => ({ status: 201, body: JSON.stringify({ id: "t1", name: "a", size: 99 }), write: true }), createReq({ name: "a", size: 1 }))).toContain("response-schema");
  });

  it("reports a 2xx for a body the document says is invalid", async () => {
    expect(await failuresFor(() => ({ status: 201, body: JSON.stringify({ id: "t1", name: "a", size: 1 }), write: true }), createReq({ name: "a", size: 9 }))).toContain("accepted-invalid");
  });

  it("reports a rejected write that changed stored data", async () => {
    expect(await failuresFor(() => ({ status: 422, type: "application/problem+json", body: problem(422), write: true }), createReq({ name: "", size: 1 }))).toContain("data-changed");
  });
});

describe("fuzz building blocks", () => {
  it("the validator checks types, required and unknown properties, bounds, patterns, unions and $ref", () => {
    const root = { components: { schemas: { N: { type: "integer", minimum: 1, maximum: 3 } } } };
    const schema = {
      type: "object",
      properties: { n: { $ref: "#/components/schemas/N" }, s: { type: "string", pattern: "^[a-z]+$", maxLength: 3 }, u: { anyOf: [{ type: "string" }, { type: "null" }] } },
      required: ["n"],
      additionalProperties: false,
    };
    expect(validate(schema, { n: 2, s: "ab", u: null }, root)).toEqual([]);
    for (const bad of [{}, { n: 0 }, { n: 2.5 }, { n: "2" }, { n: 2, s: "AB" }, { n: 2, s: "abcd" }, { n: 2, x: 1 }, { n: 2, u: 3 }, []]) {
      expect(validate(schema, bad, root).length, JSON.stringify(bad)).toBeGreaterThan(0);
    }
    expect(validate({ oneOf: [{ type: "integer" }, { type: "number" }] }, 1, root).length).toBeGreaterThan(0); // matches both
    expect(validate({ type: "string", format: "date-time", unevaluatedProperties: false }, "x", root)[0]?.message).toMatch(/unsupported schema keyword/);
    expect(validate({ type: "string", maxLength: 2 }, "😀😀", root)).toEqual([]); // code points, not UTF-16 units
  });

  it("valid values generated from the live document's request schemas validate against them", async () => {
    const { startFuzzServer, fetchDocument } = await import("./lib/harness");
    const server = await startFuzzServer();
    try {
      const doc = await fetchDocument(server.url);
      for (const op of listOperations(doc)) {
        const schema = op.body?.content["application/json"];
        if (!schema) continue;
        fc.assert(
          fc.property(validArb(doc, schema), (v) => {
            const parsed: unknown = JSON.parse(renderJson(v, (r) => r.fallback));
            const issues = validate(schema, parsed, doc);
            return issues.length === 0 || issues.every((i) => /nested deeper/.test(i.message));
          }),
          { numRuns: 100, seed: SEED },
        );
        expect(isValid(schema, exampleValue(doc, schema), doc) || op.operationId).toBe(true);
      }
      // Generation is deterministic for a seed.
      const ops = listOperations(doc);
      const arb = anyRequestArb(doc, ops, { maxBodyBytes: 1024, invalidOnly: () => false });
      expect(JSON.stringify(fc.sample(arb, { seed: 7, numRuns: 20 }))).toBe(JSON.stringify(fc.sample(arb, { seed: 7, numRuns: 20 })));
    } finally {
      await server.close();
    }
  }, 60_000);

  it("routes concrete paths to documented operations like the router does", () => {
    const ops = listOperations(DOC);
    expect(matchRoute(ops, "GET", "/things/abc").operation?.operationId).toBe("getThing");
    expect(matchRoute(ops, "GET", "/things/").operation).toBeUndefined(); // trailing slash = /things, no GET there
    expect(matchRoute(ops, "GET", "/things/").pathExists).toBe(true);
    expect(matchRoute(ops, "DELETE", "/things/abc")).toEqual({ operation: undefined, pathExists: true });
    expect(matchRoute(ops, "GET", "/nothing").pathExists).toBe(false);
  });

  it("writes markers and hostile strings on the wire", () => {
    expect(renderJson({ a: new DeepNest(3, "array") })).toBe('{"a":[[[1]]]}');
    expect(pctEncode("a\ud800b")).toBe("a%ED%A0%80b");
    expect(pctEncode("😀/")).toBe("%F0%9F%98%80%2F");
  });
});
