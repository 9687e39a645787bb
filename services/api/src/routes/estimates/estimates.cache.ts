import { CATALOG_VERSION } from "@modelplan/estimator";
import type { Context, MiddlewareHandler } from "hono";
import { bytesOfAnswer } from "../../lib/ascii-json";
import { requestHeader, setResponseHeader } from "../../lib/node-io";
import { acceptsGzip, CACHE_HEADER, ResponseCache, VARY_HEADER_VALUE, type CachedAnswer, type ResponseCacheOptions } from "../../lib/response-cache";
import type { AppBindings } from "../../lib/types";

/** The estimate routes whose answers are pure functions of the body and the catalogs. */
export const ESTIMATE_CACHE_PATHS = ["/v1/estimates/training", "/v1/estimates/inference"] as const;

/**
 * The default cache of training and serving estimates: keyed by the catalog version as well as the
 * body, so answers computed from other catalog figures are never served.
 */
export function estimateResponseCache(options: Partial<ResponseCacheOptions> = {}): ResponseCache {
  return new ResponseCache({ version: () => CATALOG_VERSION, ...options });
}

/**
 * The estimate routes' cache, as a middleware of their router: it runs after everything the app
 * checks first (request id, authentication and scope, rate limit, body size and JSON syntax), so a
 * hit is refused whatever a miss would be refused; and before the route's validation.
 *
 * - It looks the answer up by the raw body text (with the route, the content type, the caller's
 *   workspace and the catalog version): a hit is sent as stored — byte for byte the answer of the
 *   miss that stored it, gzip-encoded (compressed once, then kept) for a client that accepts gzip.
 * - On the way out it offers a 200 to the cache (only a 200: whatever was refused is refused again),
 *   which stores it if the same request was asked before (second-request admission, ResponseCache),
 *   unless the route said `Cache-Control: no-store` (an estimate on a measured hardware profile, whose
 *   figures change with the workspace's runs) or the body is too long to key: those are a `bypass`.
 *
 * X-Cache says which (hit, miss, bypass); every 200 carries Vary: Accept-Encoding.
 */
export function estimateCache(cache: ResponseCache): MiddlewareHandler<AppBindings> {
  return async function estimateCache(c, next) {
    if (c.req.method !== "POST") return next();
    const key = cache.keyFor(c.req.path, c.get("workspaceId"), requestHeader(c, "content-type"), await c.req.text());
    const stored = key === undefined ? undefined : cache.get(key);
    if (key !== undefined && stored !== undefined) return sendHit(c, cache, key, stored);
    await next();
    const res = c.res;
    if (res.status !== 200) return;
    // Set on the answer as it is sent (Node's outgoing message), not by rebuilding the Response.
    setResponseHeader(c, "Vary", VARY_HEADER_VALUE);
    if (key === undefined || res.headers.get("Cache-Control")?.includes("no-store")) {
      setResponseHeader(c, CACHE_HEADER, "bypass");
      return;
    }
    setResponseHeader(c, CACHE_HEADER, "miss");
    const bytes = bytesOfAnswer(res);
    if (bytes !== undefined) {
      cache.set(key, bytes);
      return;
    }
    // An answer not built by asciiJsonResponse: read back once, and sent again from the bytes read.
    const read = new Uint8Array(await res.arrayBuffer());
    cache.set(key, read);
    // Replaced, not merged: Hono merges the old response's headers into a new one unless c.res is cleared first.
    c.res = undefined;
    c.res = new Response(read, { status: 200, headers: res.headers });
  };
}

/** A stored answer: gzip-encoded when the client accepts it (and it is large enough), as stored otherwise. */
function sendHit(c: Context<AppBindings>, cache: ResponseCache, key: string, answer: CachedAnswer): Response {
  const gzip = acceptsGzip(requestHeader(c, "accept-encoding")) ? cache.gzipOf(key, answer) : undefined;
  const headers: Record<string, string> = { [CACHE_HEADER]: "hit", "Content-Type": "application/json", Vary: VARY_HEADER_VALUE };
  if (gzip !== undefined) headers["Content-Encoding"] = "gzip";
  return c.body(gzip ?? answer.bytes, 200, headers);
}
