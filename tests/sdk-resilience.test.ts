/**
 * The SDK's transport against real servers: the modelplan service (its real 429s, Idempotency-Key
 * replays, request ids), a port nothing listens on, and raw sockets that hang, stall a body or reset.
 * Faults the service cannot be made to produce (a 503, a lost answer) are injected by a local `fetch`
 * given to createClient; nothing mocks the global fetch.
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, ModelplanApiError, ModelplanNetworkError, ModelplanTimeoutError, unwrap } from "@modelplan/sdk";
import { startServer, type RunningServer } from "../services/api/src/bootstrap";
import { loadConfig } from "../services/api/src/config";
import { createLogger } from "../services/api/src/lib/logger";
import { freePort } from "./helpers/child-server";

let dir: string;
let server: RunningServer;
let limited: RunningServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-sdk-resilience-"));
  server = await startServer(loadConfig({ PORT: "0", MODELPLAN_DB: path.join(dir, "a.db") }), createLogger("silent"));
  // 2 requests at once, then 1 per second: the third request in a burst gets a real 429 with Retry-After: 1.
  limited = await startServer(
    loadConfig({ PORT: "0", MODELPLAN_DB: path.join(dir, "b.db"), RATE_LIMIT_BURST: "2", RATE_LIMIT_RPS: "1" }),
    createLogger("silent"),
  );
});

afterAll(async () => {
  await server?.close();
  await limited?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Seen {
  method: string;
  path: string;
  requestId: string | null;
  idempotencyKey: string | null;
  status?: number;
}

/** A fetch that records every attempt and passes it to the real network (optionally replacing the answer). */
function recordingFetch(replace?: (request: Request, attempt: number, real: () => Promise<Response>) => Promise<Response>) {
  const seen: Seen[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const entry: Seen = {
      method: request.method,
      path: new URL(request.url).pathname,
      requestId: request.headers.get("x-request-id"),
      idempotencyKey: request.headers.get("idempotency-key"),
    };
    seen.push(entry);
    const real = () => fetch(request);
    const response = replace ? await replace(request, seen.length, real) : await real();
    entry.status = response.status;
    return response;
  };
  return { seen, fetch: fetchImpl };
}

const scenarioBody = {
  name: "Retry-safe scenario",
  useCases: ["smart-customer-service"],
  audience: { usersAtLaunch: 1000, monthlyGrowthPct: 5, horizonMonths: 12 },
  usage: { requestsPerUserPerDay: 3 },
  model: { strategy: "hosted-api" as const, hostedModel: "gpt-4o-mini" },
  funding: { cashUsd: 100_000, monthlyNonComputeBurnUsd: 10_000 },
};

/** A TCP server that runs `onSocket` for every connection; resolves its URL. */
async function rawServer(onSocket: (socket: net.Socket) => void): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const s = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        s.close(() => resolve());
      }),
  };
}

describe("retries of 429 and 503", () => {
  it("waits out a real 429's Retry-After and then succeeds", async () => {
    const rec = recordingFetch();
    const client = createClient({ baseUrl: limited.url, fetch: rec.fetch });
    const started = performance.now();
    const answers = await Promise.all([1, 2, 3].map(() => unwrap(client.GET("/v1/hardware"))));
    const elapsedMs = performance.now() - started;
    expect(answers.every((a) => a.items.length > 0)).toBe(true);
    expect(rec.seen.map((s) => s.status).sort()).toEqual([200, 200, 200, 429]);
    expect(elapsedMs).toBeGreaterThanOrEqual(900); // Retry-After: 1
    // The retry is the same call: same id stem, suffixed per attempt.
    const limitedAttempt = rec.seen.find((s) => s.status === 429)!;
    expect(rec.seen.some((s) => s.requestId === `${limitedAttempt.requestId}-r1` && s.status === 200)).toBe(true);
  });

  it("returns the 429 when retries are off, as a ModelplanApiError with the request id and Retry-After", async () => {
    await new Promise((r) => setTimeout(r, 2100)); // refill the bucket
    const rec = recordingFetch();
    const client = createClient({ baseUrl: limited.url, fetch: rec.fetch, retry: false });
    const results = await Promise.allSettled([1, 2, 3].map(() => unwrap(client.GET("/v1/hardware"))));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
    expect(refused).toHaveLength(1);
    const err = refused[0];
    expect(err).toBeInstanceOf(ModelplanApiError);
    if (!(err instanceof ModelplanApiError)) return;
    expect(err.status).toBe(429);
    expect(err.retryAfterSec).toBe(1);
    expect(err.requestId).toBe(err.response.headers.get("x-request-id"));
    expect(rec.seen.map((s) => s.requestId)).toContain(err.requestId);
    expect(rec.seen).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than maxRetryAfterMs", async () => {
    const rec = recordingFetch(async () => new Response(null, { status: 503, headers: { "retry-after": "120" } }));
    const client = createClient({ baseUrl: server.url, fetch: rec.fetch });
    const started = performance.now();
    const { response } = await client.GET("/v1/hardware");
    expect(response.status).toBe(503);
    expect(rec.seen).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("retries a 503 with the same Idempotency-Key, so the service replays the scenario instead of creating a second", async () => {
    // The first attempt reaches the service (which creates the scenario) but its answer is lost behind a 503.
    const rec = recordingFetch(async (_request, attempt, real) => {
      const response = await real();
      return attempt === 1 ? new Response("upstream unavailable", { status: 503, headers: { "retry-after": "0" } }) : response;
    });
    const client = createClient({ baseUrl: server.url, fetch: rec.fetch });
    const { data, response } = await client.POST("/v1/scenarios", { body: { ...scenarioBody, name: "Idempotent retry" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("idempotent-replayed")).toBe("true");
    expect(rec.seen.map((s) => s.status)).toEqual([503, 201]);
    expect(rec.seen[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec.seen[1].idempotencyKey).toBe(rec.seen[0].idempotencyKey);
    const named = await unwrap(createClient({ baseUrl: server.url }).GET("/v1/scenarios", { params: { query: { name: "Idempotent retry" } } }));
    expect(named.items.map((s) => s.id)).toEqual([data!.id]);
  });

  it("gives each POST its own key, keeps the caller's, and sends none on GET", async () => {
    const rec = recordingFetch();
    const client = createClient({ baseUrl: server.url, fetch: rec.fetch });
    await unwrap(client.POST("/v1/scenarios", { body: { ...scenarioBody, name: "k1" } }));
    await unwrap(client.POST("/v1/scenarios", { body: { ...scenarioBody, name: "k2" } }));
    await unwrap(client.POST("/v1/scenarios", { body: { ...scenarioBody, name: "k3" }, params: { header: { "idempotency-key": "caller-key-1" } } }));
    await unwrap(client.GET("/v1/scenarios"));
    const keys = rec.seen.map((s) => s.idempotencyKey);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe("caller-key-1");
    expect(keys[3]).toBeNull();
  });

  it("stops after maxRetries and answers the last 503", async () => {
    const rec = recordingFetch(async () => new Response(null, { status: 503 }));
    const client = createClient({ baseUrl: server.url, fetch: rec.fetch, retry: { maxRetries: 3, initialDelayMs: 5 } });
    const { response } = await client.GET("/health");
    expect(response.status).toBe(503);
    expect(rec.seen).toHaveLength(4);
  });
});

describe("network failures are ModelplanNetworkError", () => {
  it("a port nothing listens on: ECONNREFUSED after the retries (nothing was sent, so even a POST is repeated)", async () => {
    const port = await freePort();
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { initialDelayMs: 5 } });
    const err = await client.POST("/v1/estimates/training", { body: { model: { preset: "gpt-2" }, tokens: 1e6, hardware: "t4" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelplanNetworkError);
    expect(err).not.toBeInstanceOf(ModelplanApiError);
    if (!(err instanceof ModelplanNetworkError)) return;
    expect(err.code).toBe("ECONNREFUSED");
    expect(err.attempts).toBe(3);
    expect(err.method).toBe("POST");
    expect(err.url).toBe(`http://127.0.0.1:${port}/v1/estimates/training`);
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}-r2$/);
    expect(err.message).toContain(err.requestId);
  });

  it("a connection reset after the request was sent: a GET is retried, a POST is not", async () => {
    const reset = await rawServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
    try {
      const client = createClient({ baseUrl: reset.url, retry: { initialDelayMs: 5 } });
      const getErr = await client.GET("/v1/hardware").catch((e: unknown) => e);
      expect(getErr).toBeInstanceOf(ModelplanNetworkError);
      expect((getErr as ModelplanNetworkError).attempts).toBe(3);
      const before = reset.connections();
      const postErr = await client.POST("/v1/scenarios", { body: scenarioBody }).catch((e: unknown) => e);
      expect(postErr).toBeInstanceOf(ModelplanNetworkError);
      expect((postErr as ModelplanNetworkError).attempts).toBe(1);
      expect(reset.connections() - before).toBe(1);
    } finally {
      await reset.close();
    }
  });
});

describe("timeouts and AbortSignal", () => {
  it("times out a server that never answers, per attempt, as ModelplanTimeoutError", async () => {
    const silent = await rawServer(() => undefined);
    try {
      const client = createClient({ baseUrl: silent.url, timeoutMs: 150, retry: { maxRetries: 1, initialDelayMs: 5 } });
      const started = performance.now();
      const err = await client.GET("/v1/hardware").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelplanTimeoutError);
      expect(err).toBeInstanceOf(ModelplanNetworkError);
      if (!(err instanceof ModelplanTimeoutError)) return;
      expect(err.timeoutMs).toBe(150);
      expect(err.attempts).toBe(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      // A call's own timeout wins over the client's.
      const quick = await client.GET("/v1/hardware", { timeoutMs: 50, retry: false }).catch((e: unknown) => e);
      expect(quick).toMatchObject({ name: "ModelplanTimeoutError", timeoutMs: 50, attempts: 1 });
    } finally {
      await silent.close();
    }
  });

  it("the timeout covers the answer's body", async () => {
    const stalled = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"items": ['); // and never the rest
    });
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = stalled.address() as net.AddressInfo;
      const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200, retry: false });
      const err = await client.GET("/v1/hardware").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelplanTimeoutError);
    } finally {
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });

  it("an aborted signal rejects with the caller's reason, during a request and during a Retry-After wait", async () => {
    const silent = await rawServer(() => undefined);
    try {
      const client = createClient({ baseUrl: silent.url });
      const inFlight = await client.GET("/v1/hardware", { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
      expect(inFlight).toMatchObject({ name: "TimeoutError" }); // AbortSignal.timeout's reason
      expect(inFlight).not.toBeInstanceOf(ModelplanNetworkError);

      const waiting = createClient({ baseUrl: server.url, fetch: async () => new Response(null, { status: 503, headers: { "retry-after": "30" } }) });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = performance.now();
      const duringWait = await waiting.GET("/health", { signal: controller.signal }).catch((e: unknown) => e);
      expect(duringWait).toMatchObject({ name: "AbortError" });
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });
});

describe("request ids", () => {
  it("every attempt carries an X-Request-Id, which the service echoes and the error carries", async () => {
    const rec = recordingFetch();
    const client = createClient({ baseUrl: server.url, fetch: rec.fetch });
    const err = await unwrap(client.GET("/v1/scenarios/{id}", { params: { path: { id: "scn_missing" } } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelplanApiError);
    if (!(err instanceof ModelplanApiError)) return;
    expect(err.status).toBe(404);
    expect(err.requestId).toBe(rec.seen[0].requestId);
    expect(err.problem.requestId).toBe(err.requestId);
    expect(err.method).toBe("GET");
    expect(err.url).toBe(`${server.url}/v1/scenarios/scn_missing`);
  });

  it("an error answer without a problem document (a proxy's 502) still carries the request id that was sent", async () => {
    const rec = recordingFetch(async () => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway", headers: { "content-type": "text/html" } }));
    const client = createClient({ baseUrl: server.url, fetch: rec.fetch });
    const err = await unwrap(client.GET("/v1/hardware")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelplanApiError);
    if (!(err instanceof ModelplanApiError)) return;
    expect(err.status).toBe(502);
    expect(err.problem).toMatchObject({ title: "Bad Gateway", status: 502, instance: "/v1/hardware" });
    expect(err.requestId).toBe(rec.seen[0].requestId);
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a caller's X-Request-Id", async () => {
    const client = createClient({ baseUrl: server.url, headers: { "X-Request-Id": "trace-42" } });
    const { response } = await client.GET("/v1/hardware");
    expect(response.headers.get("x-request-id")).toBe("trace-42");
  });
});
