import type { Context } from "hono";
import { DEFAULT_WORKSPACE_ID, type SqliteHandle } from "@modelplan/db";
import { problemResponse } from "../lib/create-app";
import { TokenBuckets, type BucketPolicy, type TakeResult } from "../lib/rate-limit";
import { requestHeader, setResponseHeader } from "../lib/node-io";
import type { AppBindings, Principal } from "../lib/types";
import { hashKey, keyLookups, scopeAllows, type Scope } from "./api-keys.repository";

export type AuthMode = "auto" | "on" | "off";

/** Routes anyone may call: liveness and the API contract with its reference page. */
const PUBLIC_PATHS = new Set(["/health", "/openapi.json", "/docs"]);
const isPublicPath = (p: string) => PUBLIC_PATHS.has(p) || p.startsWith("/docs/assets/");

/** POSTs that compute an answer and store nothing: a read key may call them. */
const COMPUTE_ONLY_POSTS = [/^\/v1\/estimates\/(training|inference)$/, /^\/v1\/benchmarks\/predict$/, /^\/v1\/plans\/compare$/];

/** The scope an operation needs: key management is admin, writes are write, everything else read. */
export function requiredScope(method: string, path: string): Scope {
  if (path === "/v1/keys" || path.startsWith("/v1/keys/")) return "admin";
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return "read";
  if (method === "POST" && COMPUTE_ONLY_POSTS.some((r) => r.test(path))) return "read";
  return "write";
}

/** Who a request comes from, or why it is refused (401 carries the WWW-Authenticate challenge kind). */
export type CallerCheck =
  | { ok: true; workspaceId: string; principal: Principal }
  | { ok: false; status: 401; detail: string; invalidToken: boolean }
  | { ok: false; status: 403; detail: string };

/**
 * Authenticates `Authorization: Bearer <key>`: the caller's workspace and scope, or the refusal. With
 * mode "auto" the service runs open (default workspace, every scope) while no active key exists —
 * the local quick start; once a key exists, every request needs one. Mode "off" is always open.
 * Answers undefined for the public paths. It takes no request object: the app's front
 * (create-app.ts) and the Node-level front (request-front.ts) both call it.
 */
export function callerResolver(mode: AuthMode, sqlite: SqliteHandle): (method: string, path: string, authorization: string | undefined) => CallerCheck | undefined {
  const keys = keyLookups(sqlite);
  return (method, path, header) => {
    if (isPublicPath(path)) return undefined;
    const needed = requiredScope(method, path);
    if (header !== undefined) {
      const m = /^Bearer\s+([\x21-\x7e]{1,200})\s*$/i.exec(header);
      if (!m) return { ok: false, status: 401, detail: "The Authorization header must be 'Bearer <api key>'.", invalidToken: true };
      const key = keys.activeKeyByHash(hashKey(m[1]));
      if (!key) return { ok: false, status: 401, detail: "The API key is unknown or revoked.", invalidToken: true };
      if (!scopeAllows(key.scope, needed)) return { ok: false, status: 403, detail: `This operation needs a key with scope '${needed}'; this key has '${key.scope}'.` };
      return { ok: true, workspaceId: key.workspaceId, principal: { keyId: key.id, scope: key.scope, open: false } };
    }
    const open = mode === "off" || (mode === "auto" && !keys.anyActiveKey());
    if (!open) return { ok: false, status: 401, detail: "This service requires an API key: send 'Authorization: Bearer <key>'.", invalidToken: false };
    return OPEN_CALLER;
  };
}

const OPEN_PRINCIPAL: Principal = Object.freeze({ keyId: null, scope: "admin", open: true });
const OPEN_CALLER: CallerCheck = Object.freeze({ ok: true, workspaceId: DEFAULT_WORKSPACE_ID, principal: OPEN_PRINCIPAL });

/** Sets an admitted caller's workspace and principal on the request. */
export function admitCaller(c: Context<AppBindings>, caller: Extract<CallerCheck, { ok: true }>): void {
  c.set("workspaceId", caller.workspaceId);
  c.set("principal", caller.principal);
}

/** The app's authentication step: sets the caller, or returns the 401/403 problem answer. */
export function authenticator(resolve: ReturnType<typeof callerResolver>): (c: Context<AppBindings>) => Response | undefined {
  return (c) => {
    const caller = resolve(c.req.method, c.req.path, requestHeader(c, "authorization"));
    if (caller === undefined) return undefined;
    if (caller.ok) {
      admitCaller(c, caller);
      return undefined;
    }
    if (caller.status === 403) return problemResponse(c, 403, caller.detail);
    const challenge = caller.invalidToken ? 'Bearer realm="modelplan", error="invalid_token"' : 'Bearer realm="modelplan"';
    return problemResponse(c, 401, caller.detail, { headers: { "WWW-Authenticate": challenge } });
  };
}

export interface RateLimitOptions {
  /** Every request of a key (or of a client address when running open). */
  requests: BucketPolicy;
  /** Benchmark submissions (POST /v1/benchmarks), counted separately. */
  benchmarks: BucketPolicy;
}

/** One request's take from its buckets, and what was limited. */
export type RateCheck = TakeResult & { what: "requests" | "benchmark submissions" };

/**
 * Per-key token buckets (per client address when running open), with benchmark submissions
 * limited separately. A refused take consumes nothing, so a request refused here and asked again
 * (the Node-level front hands refusals to the app) is counted once.
 */
export class RequestRateLimiter {
  private readonly requests: TokenBuckets;
  private readonly benchmarks: TokenBuckets;

  constructor(options: RateLimitOptions) {
    this.requests = new TokenBuckets(options.requests);
    this.benchmarks = new TokenBuckets(options.benchmarks);
  }

  /** Takes a request's tokens; undefined for the public paths, which are not limited. */
  take(method: string, path: string, principal: Principal | undefined, clientAddress: string): RateCheck | undefined {
    if (isPublicPath(path)) return undefined;
    const id = principal?.keyId ?? `addr:${clientAddress}`;
    const isBenchmarkSubmission = method === "POST" && path === "/v1/benchmarks";
    const result = this.requests.take(id);
    if (result.allowed && isBenchmarkSubmission) return { ...this.benchmarks.take(id), what: "benchmark submissions" };
    return { ...result, what: isBenchmarkSubmission ? "benchmark submissions" : "requests" };
  }
}

/** RateLimit-* headers (IETF draft-ietf-httpapi-ratelimit-headers) of a take, as name/value pairs. */
export function rateLimitHeaders(rate: RateCheck): [string, string, string, string, string, string] {
  return ["RateLimit-Limit", String(rate.limit), "RateLimit-Remaining", String(rate.remaining), "RateLimit-Reset", String(rate.resetSec)];
}

/** Sets a take's RateLimit-* headers on the answer; returns the 429 problem answer when it was refused. */
export function applyRateCheck(c: Context<AppBindings>, rate: RateCheck): Response | undefined {
  const headers = rateLimitHeaders(rate);
  for (let i = 0; i < headers.length; i += 2) setResponseHeader(c, headers[i], headers[i + 1]);
  if (rate.allowed) return undefined;
  return problemResponse(c, 429, `Too many ${rate.what}; retry in ${rate.retryAfterSec} s.`, { headers: { "Retry-After": String(rate.retryAfterSec) } });
}

/** The peer address from @hono/node-server's incoming message ("local" under app.request in tests). */
function clientAddress(c: Context<AppBindings>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/**
 * The app's rate-limiting step → 429 problem+json with Retry-After, and RateLimit-* headers on every
 * limited response. Returns the 429 answer, or undefined when the request may go on.
 */
export function rateLimiter(limiter: RequestRateLimiter): (c: Context<AppBindings>) => Response | undefined {
  return (c) => {
    const rate = limiter.take(c.req.method, c.req.path, c.get("principal"), clientAddress(c));
    return rate === undefined ? undefined : applyRateCheck(c, rate);
  };
}
