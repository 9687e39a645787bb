import type { Context, MiddlewareHandler } from "hono";
import type { AuthGate } from "../auth/auth-policy";
import { requestHeader, type NodeEnv } from "../lib/node-io";
import { problemResponse } from "../lib/problem";
import type { AppBindings } from "../lib/types";

/** The Host names an open service answers (with the port it listens on). */
export const LOOPBACK_HOST_NAMES = ["localhost", "127.0.0.1", "[::1]"] as const;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The port the request came in on (undefined under app.request, which has no socket). */
function localPort(c: Context): number | undefined {
  return (c.env as NodeEnv | undefined)?.incoming?.socket?.localPort;
}

/**
 * Whether a Host header names this machine's loopback interface on the port the service listens on:
 * `localhost`, `127.0.0.1` or `[::1]`, with `:port` (without it only when the port is 80, as clients
 * send it). Under app.request (no socket) any port of those names is accepted.
 */
export function isLoopbackHostHeader(host: string | undefined, port: number | undefined): boolean {
  if (host === undefined) return false;
  const m = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!m) return false;
  if (port === undefined) return true;
  return m[2] === undefined ? port === 80 : Number(m[2]) === port;
}

/**
 * Whether an Origin header names the service's own origin: the same host and port as the request's
 * Host (the scheme is not compared, so a service behind a TLS-terminating proxy keeps working). The
 * opaque origin `null` (sandboxed frames, file: pages) is never the service's own.
 */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || origin.trim() === "null") return false;
  let authority: string;
  try {
    const u = new URL(origin.trim());
    if (u.protocol !== "http:" && u.protocol !== "https:") return false;
    authority = u.host; // the scheme's default port dropped
  } catch {
    return false;
  }
  const own = host.trim().toLowerCase().replace(/:(80|443)$/, "");
  return authority.toLowerCase() === own;
}

/**
 * Where requests may come from (issue 14, finding 3: DNS rebinding and cross-origin writes), on /v1:
 *
 * - While the service runs open (no key needed: AuthGate), only loopback Host values are answered —
 *   `localhost`, `127.0.0.1`, `[::1]` with the service's port. A web page that rebinds its own DNS
 *   name to 127.0.0.1 sends its own name as Host, and is refused with 403
 *   (`/problems/host-not-allowed`) before it can read or write anything.
 * - Always, a browser write (POST, PUT, PATCH, DELETE) whose `Origin` is not the service's own
 *   (isSameOrigin) is refused with 403 (`/problems/cross-origin-write`): the API sends no CORS
 *   headers, so no legitimate page of another origin writes to it. Clients that are not browsers
 *   send no Origin and are not affected.
 */
export function localOrigin(gate: AuthGate): MiddlewareHandler<AppBindings> {
  return async function localOrigin(c, next) {
    const host = requestHeader(c, "host") ?? new URL(c.req.url).host;
    if (!isLoopbackHostHeader(host, localPort(c)) && (await gate.open())) {
      return problemResponse(
        c,
        403,
        `This service runs without API keys (open on loopback) and answers only the Host names ${LOOPBACK_HOST_NAMES.join(", ")} with its port; got '${host.slice(0, 200)}'. Use http://127.0.0.1:<port>, or create an API key to serve other names.`,
        { type: "/problems/host-not-allowed", title: "Host not allowed" },
      );
    }
    if (UNSAFE_METHODS.has(c.req.method)) {
      const origin = requestHeader(c, "origin");
      if (origin !== undefined && !isSameOrigin(origin, host)) {
        return problemResponse(c, 403, `Cross-origin writes are refused: Origin '${origin.slice(0, 200)}' is not this service's own (${host.slice(0, 200)}).`, {
          type: "/problems/cross-origin-write",
          title: "Cross-origin write refused",
        });
      }
    }
    return next();
  };
}
