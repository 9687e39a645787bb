import type { MiddlewareHandler } from "hono";
import type { RateLimitOptions } from "../config";
import { setResponseHeader } from "../lib/node-io";
import { problemResponse } from "../lib/problem";
import { TokenBuckets, type TakeResult } from "../lib/rate-limit";
import type { AppBindings, Principal } from "../lib/types";

/** One request's take from its buckets, and what was limited. */
export type RateCheck = TakeResult & { what: string };

/** Benchmark submissions start CPU-heavy jobs: they draw from a separate, smaller bucket. */
const isBenchmarkSubmission = (method: string, path: string) => method === "POST" && path === "/v1/benchmarks";

/**
 * Token buckets per workspace — all of a workspace's keys draw from one bucket, so minting keys buys
 * no extra capacity — and per key inside it (a key's own limit, at most its workspace's). Running
 * open, the client address stands for the workspace. Benchmark submissions draw from a separate,
 * smaller bucket per workspace. A refused take consumes nothing.
 */
export class RequestRateLimiter {
  private readonly workspaces: TokenBuckets;
  private readonly keys: TokenBuckets;
  private readonly benchmarks: TokenBuckets;

  constructor(options: RateLimitOptions) {
    this.workspaces = new TokenBuckets(options.requests);
    this.keys = new TokenBuckets(options.keyRequests ?? options.requests);
    this.benchmarks = new TokenBuckets(options.benchmarks);
  }

  take(method: string, path: string, principal: Principal | undefined, workspaceId: string | undefined, clientAddress: string): RateCheck {
    const keyId = principal?.keyId ?? null;
    const owner = keyId !== null && workspaceId !== undefined ? `ws:${workspaceId}` : `addr:${clientAddress}`;
    const submission = isBenchmarkSubmission(method, path);
    const what = submission ? "benchmark submissions" : "requests";
    let key: TakeResult | undefined;
    if (keyId !== null) {
      key = this.keys.take(keyId);
      if (!key.allowed) return { ...key, what: "requests of this key" };
    }
    const workspace = this.workspaces.take(owner);
    if (!workspace.allowed) {
      if (keyId !== null) this.keys.refund(keyId);
      return { ...workspace, what: keyId !== null ? "requests of this workspace" : what };
    }
    if (submission) {
      const bench = this.benchmarks.take(owner);
      if (!bench.allowed) {
        if (keyId !== null) this.keys.refund(keyId);
        this.workspaces.refund(owner);
      }
      return { ...bench, what: "benchmark submissions" };
    }
    // The headers show the tighter of the two buckets.
    return { ...(key !== undefined && key.remaining < workspace.remaining ? key : workspace), what };
  }
}

/** The peer address from @hono/node-server's incoming message ("local" under app.request in tests). */
function clientAddress(c: { env: unknown }): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/**
 * Takes the request's token (its key's and its workspace's buckets): RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) on every
 * answer, and a 429 problem with Retry-After when the bucket is empty. Runs after authentication,
 * whose principal it counts against.
 */
export function rateLimit(limiter: RequestRateLimiter): MiddlewareHandler<AppBindings> {
  return async function rateLimit(c, next) {
    const rate = limiter.take(c.req.method, c.req.path, c.get("principal"), c.get("workspaceId"), clientAddress(c));
    setResponseHeader(c, "RateLimit-Limit", String(rate.limit));
    setResponseHeader(c, "RateLimit-Remaining", String(rate.remaining));
    setResponseHeader(c, "RateLimit-Reset", String(rate.resetSec));
    if (!rate.allowed) {
      return problemResponse(c, 429, `Too many ${rate.what}; retry in ${rate.retryAfterSec} s.`, { headers: { "Retry-After": String(rate.retryAfterSec) } });
    }
    return next();
  };
}
