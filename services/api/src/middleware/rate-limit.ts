import type { MiddlewareHandler } from "hono";
import type { RateLimitOptions } from "../config";
import { setResponseHeader } from "../lib/node-io";
import { problemResponse } from "../lib/problem";
import { TokenBuckets, type TakeResult } from "../lib/rate-limit";
import type { AppBindings, Principal } from "../lib/types";

/** One request's take from its buckets, and what was limited. */
export type RateCheck = TakeResult & { what: "requests" | "benchmark submissions" };

/** Benchmark submissions start CPU-heavy jobs: they draw from a separate, smaller bucket. */
const isBenchmarkSubmission = (method: string, path: string) => method === "POST" && path === "/v1/benchmarks";

/**
 * Per-key token buckets (per client address when running open), with benchmark submissions limited
 * separately. A refused take consumes nothing.
 */
export class RequestRateLimiter {
  private readonly requests: TokenBuckets;
  private readonly benchmarks: TokenBuckets;

  constructor(options: RateLimitOptions) {
    this.requests = new TokenBuckets(options.requests);
    this.benchmarks = new TokenBuckets(options.benchmarks);
  }

  take(method: string, path: string, principal: Principal | undefined, clientAddress: string): RateCheck {
    const id = principal?.keyId ?? `addr:${clientAddress}`;
    const submission = isBenchmarkSubmission(method, path);
    const result = this.requests.take(id);
    if (result.allowed && submission) return { ...this.benchmarks.take(id), what: "benchmark submissions" };
    return { ...result, what: submission ? "benchmark submissions" : "requests" };
  }
}

/** The peer address from @hono/node-server's incoming message ("local" under app.request in tests). */
function clientAddress(c: { env: unknown }): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/**
 * Takes the request's token: RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) on every
 * answer, and a 429 problem with Retry-After when the bucket is empty. Runs after authentication,
 * whose principal it counts against.
 */
export function rateLimit(limiter: RequestRateLimiter): MiddlewareHandler<AppBindings> {
  return async function rateLimit(c, next) {
    const rate = limiter.take(c.req.method, c.req.path, c.get("principal"), clientAddress(c));
    setResponseHeader(c, "RateLimit-Limit", String(rate.limit));
    setResponseHeader(c, "RateLimit-Remaining", String(rate.remaining));
    setResponseHeader(c, "RateLimit-Reset", String(rate.resetSec));
    if (!rate.allowed) {
      return problemResponse(c, 429, `Too many ${rate.what}; retry in ${rate.retryAfterSec} s.`, { headers: { "Retry-After": String(rate.retryAfterSec) } });
    }
    return next();
  };
}
