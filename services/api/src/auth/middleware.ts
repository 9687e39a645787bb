import type { Context } from "hono";
import { DEFAULT_WORKSPACE_ID } from "../db/client";
import { problemResponse } from "../lib/create-app";
import { TokenBuckets, type BucketPolicy } from "../lib/rate-limit";
import type { SqliteHandle } from "../db/client";
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

function unauthorized(c: Context<AppBindings>, detail: string, invalidToken: boolean): Response {
  const challenge = invalidToken ? 'Bearer realm="modelplan", error="invalid_token"' : 'Bearer realm="modelplan"';
  return problemResponse(c, 401, detail, { headers: { "WWW-Authenticate": challenge } });
}

/**
 * Authenticates `Authorization: Bearer <key>` and sets the caller's workspace and scope. With
 * mode "auto" the service runs open (default workspace, every scope) while no active key exists —
 * the local quick start; once a key exists, every request needs one. Mode "off" is always open.
 * Returns the 401/403 answer, or undefined when the request may go on.
 */
export function authenticator(mode: AuthMode, sqlite: SqliteHandle): (c: Context<AppBindings>) => Response | undefined {
  const keys = keyLookups(sqlite);
  return (c) => {
    if (isPublicPath(c.req.path)) return undefined;
    const header = requestHeader(c, "authorization");
    const needed = requiredScope(c.req.method, c.req.path);
    if (header !== undefined) {
      const m = /^Bearer\s+([\x21-\x7e]{1,200})\s*$/i.exec(header);
      if (!m) return unauthorized(c, "The Authorization header must be 'Bearer <api key>'.", true);
      const key = keys.activeKeyByHash(hashKey(m[1]));
      if (!key) return unauthorized(c, "The API key is unknown or revoked.", true);
      if (!scopeAllows(key.scope, needed)) {
        return problemResponse(c, 403, `This operation needs a key with scope '${needed}'; this key has '${key.scope}'.`);
      }
      c.set("workspaceId", key.workspaceId);
      c.set("principal", { keyId: key.id, scope: key.scope, open: false });
      return undefined;
    }
    const open = mode === "off" || (mode === "auto" && !keys.anyActiveKey());
    if (!open) return unauthorized(c, "This service requires an API key: send 'Authorization: Bearer <key>'.", false);
    c.set("workspaceId", DEFAULT_WORKSPACE_ID);
    c.set("principal", OPEN_PRINCIPAL);
    return undefined;
  };
}

const OPEN_PRINCIPAL: Principal = Object.freeze({ keyId: null, scope: "admin", open: true });

export interface RateLimitOptions {
  /** Every request of a key (or of a client address when running open). */
  requests: BucketPolicy;
  /** Benchmark submissions (POST /v1/benchmarks), counted separately. */
  benchmarks: BucketPolicy;
}

/** The peer address from @hono/node-server's incoming message ("local" under app.request in tests). */
function clientAddress(c: Context<AppBindings>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/**
 * Per-key token buckets → 429 problem+json with Retry-After, and RateLimit-* headers (IETF
 * draft-ietf-httpapi-ratelimit-headers) on every limited response. Returns the 429 answer, or
 * undefined when the request may go on.
 */
export function rateLimiter(options: RateLimitOptions): (c: Context<AppBindings>) => Response | undefined {
  const requests = new TokenBuckets(options.requests);
  const benchmarks = new TokenBuckets(options.benchmarks);
  return (c) => {
    if (isPublicPath(c.req.path)) return undefined;
    const principal = c.get("principal");
    const id = principal?.keyId ?? `addr:${clientAddress(c)}`;
    const isBenchmarkSubmission = c.req.method === "POST" && c.req.path === "/v1/benchmarks";
    let result = requests.take(id);
    if (result.allowed && isBenchmarkSubmission) result = benchmarks.take(id);
    setResponseHeader(c, "RateLimit-Limit", String(result.limit));
    setResponseHeader(c, "RateLimit-Remaining", String(result.remaining));
    setResponseHeader(c, "RateLimit-Reset", String(result.resetSec));
    if (!result.allowed) {
      const what = isBenchmarkSubmission ? "benchmark submissions" : "requests";
      return problemResponse(c, 429, `Too many ${what}; retry in ${result.retryAfterSec} s.`, {
        headers: { "Retry-After": String(result.retryAfterSec) },
      });
    }
    return undefined;
  };
}
