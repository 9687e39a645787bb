/**
 * The Node-level request front (lib/request-front.ts): estimate-cache hits answered before the
 * app, with the app's checks and state, and everything else handed to the app unchanged.
 */
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../src/auth/api-keys.repository";
import { asciiJson } from "../src/lib/response-cache";
import { useTestServers } from "./helpers/test-server";

const TRAINING = JSON.stringify({ model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 });
const PATH = "/v1/estimates/training";

interface Answer {
  status: number;
  /** Header names as sent, and values by lower-case name. */
  names: string[];
  headers: Record<string, string>;
  body: Buffer;
  reusedSocket: boolean;
}

/** One request with exactly these headers (no Accept-Encoding unless given), over `agent` when given. */
function send(port: number, options: { path?: string; method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: options.path ?? PATH, method: options.method ?? "POST", agent: options.agent ?? false, headers: { "content-type": "application/json", ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          const names = res.rawHeaders.filter((_, i) => i % 2 === 0);
          const headers = Object.fromEntries(names.map((n, i) => [n.toLowerCase(), res.rawHeaders[2 * i + 1]]));
          resolve({ status: res.statusCode!, names, headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body ?? TRAINING);
  });
}

const start = useTestServers("front");

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

describe("the request front", () => {
  it("answers a hit itself, with the headers and bytes the app sends for the same hit", async () => {
    const s = await start();
    const miss = await send(s.port);
    expect(miss.headers["x-cache"]).toBe("miss");
    // estimate answers are ASCII-only JSON
    expect(miss.body.every((b) => b < 0x80)).toBe(true);
    for (const acceptEncoding of [undefined, "gzip, deflate"]) {
      const headers: Record<string, string> = acceptEncoding ? { "accept-encoding": acceptEncoding } : {};
      const before = { ...s.front };
      const front = await send(s.port, { headers });
      expect(s.front.answered).toBe(before.answered + 1);
      // a query string takes the request past the front; the app answers the same hit
      const app = await send(s.port, { path: `${PATH}?via=app`, headers });
      expect(s.front.answered).toBe(before.answered + 1);
      for (const a of [front, app]) {
        expect(a.status).toBe(200);
        expect(a.headers["x-cache"]).toBe("hit");
        expect(a.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
        expect(a.headers["ratelimit-limit"]).toBe("200");
        expect(Number(a.headers["content-length"])).toBe(a.body.length);
        expect((acceptEncoding ? gunzipSync(a.body) : a.body).equals(miss.body)).toBe(true);
      }
      const names = (a: Answer) => a.names.map((n) => n.toLowerCase()).sort();
      expect(names(front)).toEqual(names(app));
      const same = (a: Answer) => ({ ...a.headers, date: undefined, "x-request-id": undefined, "ratelimit-remaining": undefined, "ratelimit-reset": undefined });
      expect(same(front)).toEqual(same(app));
      expect(front.body.equals(app.body)).toBe(true);
      expect(front.headers["content-encoding"]).toBe(acceptEncoding ? "gzip" : undefined);
    }
    expect(s.responseCache.stats).toMatchObject({ hits: 4, misses: 1 });
  });

  it("echoes a well-formed X-Request-Id and logs the hit like the app", async () => {
    const s = await start();
    await send(s.port);
    expect((await send(s.port, { headers: { "x-request-id": "trace-7" } })).headers["x-request-id"]).toBe("trace-7");
    expect((await send(s.port, { headers: { "x-request-id": "not a valid id" } })).headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.front.answered).toBe(2);
  });

  it("takes one rate-limit token per request, whoever answers it, and lets the app refuse with 429", async () => {
    const s = await start({ RATE_LIMIT_BURST: "3", RATE_LIMIT_RPS: "0.01" });
    const answers = [await send(s.port), await send(s.port), await send(s.port), await send(s.port)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers["x-cache"])).toEqual(["miss", "hit", "hit", undefined]);
    expect(answers.slice(0, 3).map((a) => a.headers["ratelimit-remaining"])).toEqual(["2", "1", "0"]);
    expect(answers[3].headers["content-type"]).toBe("application/problem+json");
    expect(Number(answers[3].headers["retry-after"])).toBeGreaterThan(0);
    expect(s.front).toMatchObject({ answered: 2, handedOver: 2 }); // the miss and the refusal
  });

  it("hits stay within the caller's workspace; unknown and revoked keys are refused by the app", async () => {
    const s = await start(); // open until the first key exists, then every request needs one
    const now = new Date();
    const a = createApiKey(s.database.db, { workspaceId: "team-a", scope: "read", name: "a" }, now);
    const b = createApiKey(s.database.db, { workspaceId: "team-b", scope: "read", name: "b" }, now);
    const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
    expect((await send(s.port, as(a.key))).headers["x-cache"]).toBe("miss");
    expect((await send(s.port, as(a.key))).headers["x-cache"]).toBe("hit");
    expect((await send(s.port, as(b.key))).headers["x-cache"]).toBe("miss");
    const none = await send(s.port);
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="modelplan"');
    expect((await send(s.port, as("mp_unknown"))).status).toBe(401);
    revokeApiKey(s.database.db, a.row.id, now);
    const revoked = await send(s.port, as(a.key));
    expect(revoked.status).toBe(401);
    expect(revoked.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect(s.front.answered).toBe(1);
  });

  it("hands over what is not a plain hit, answered as the app answers it, on a kept-alive connection", async () => {
    const s = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const on = (o: Parameters<typeof send>[1] = {}) => send(s.port, { ...o, agent });
      expect((await on()).headers["x-cache"]).toBe("miss");
      const hit = await on();
      expect([hit.headers["x-cache"], hit.reusedSocket]).toEqual(["hit", true]);
      expect((await on({ headers: { "content-encoding": "gzip" } })).status).toBe(415);
      expect((await on({ headers: { "content-type": "text/plain" } })).status).toBe(415);
      expect((await on({ body: "{" })).status).toBe(400);
      expect((await on({ body: "[]" })).status).toBe(422);
      expect((await on({ method: "PUT" })).status).toBe(405);
      const after = await on();
      expect([after.status, after.headers["x-cache"], after.reusedSocket]).toEqual([200, "hit", true]);
      expect(s.front.answered).toBe(2);
    } finally {
      agent.destroy();
    }
  });
});
