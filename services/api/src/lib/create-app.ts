import { OpenAPIHono } from "@hono/zod-openapi";
import { keyLookups } from "../auth/api-keys.repository";
import { authAtStart, AuthGate } from "../auth/auth-policy";
import { authenticate } from "../auth/authenticate";
import { routeScopes } from "../auth/route-scopes";
import { DEFAULT_RATE_LIMITS } from "../config";
import { dependencies } from "../middleware/dependencies";
import { methodNotAllowed, notFound, onError } from "../middleware/errors";
import { jsonBody } from "../middleware/json-body";
import { localOrigin } from "../middleware/local-origin";
import { rateLimit, RequestRateLimiter } from "../middleware/rate-limit";
import { requestId } from "../middleware/request-id";
import { requestLogger } from "../middleware/request-logger";
import { closeOnUnreadBody } from "../middleware/unread-body";
import type { AppBindings, AppDeps, AppOpenAPI } from "./types";
import { validationHook } from "./validation-hook";

/**
 * A router whose validation failures become 422 problem+json naming every bad field — never a raw
 * ZodError (lib/validation-hook.ts). Every route module builds its router with this.
 */
export function createRouter(): AppOpenAPI {
  return new OpenAPIHono<AppBindings>({ strict: false, defaultHook: validationHook() });
}

/**
 * The generic app: every request passes this chain of middleware, in this order, before the route
 * the caller mounts (app.ts):
 *
 * 1. requestId — X-Request-Id (the client's when well-formed, else a new UUID) on every answer
 * 2. requestLogger — one log line per request, after the answer
 * 3. closeOnUnreadBody — `Connection: close` on an answer sent before the body was read
 * 4. dependencies — db (the Database), logger, clock, limits on the context
 * 5. localOrigin (/v1/*) — 403 for a Host that is not loopback while the service runs open (DNS
 *    rebinding) and for a browser write from another Origin
 * 6. authenticate (/v1/*) — 401 / 403 against the scope the route declares next to its createRoute
 * 7. rateLimit (/v1/*) — RateLimit-* headers, 429 with Retry-After (per workspace, and per key inside it)
 * 8. jsonBody — 415 / 413 / 400 / 422 for bodies no route could accept; the text for the validator
 * 9. methodNotAllowed — a 404 on a path that exists with other methods becomes a 405 with Allow
 *
 * then the routers' own middleware (the estimate cache) and the route: its validators (422 naming
 * every bad field) and handler. Errors anywhere become problem+json (onError), unknown paths 404.
 */
export function createBaseApp(deps: AppDeps): AppOpenAPI {
  const app = createRouter();
  // Built on the first request, once the caller has mounted every route.
  let scopeOf: ReturnType<typeof routeScopes> | undefined;
  const keys = keyLookups(deps.db);
  // Open or closed: decided here, when the service starts (StartupRefused for an exposed service with no key).
  const mode = deps.authMode ?? "auto";
  const gate = new AuthGate(mode, authAtStart(mode, deps.host ?? "127.0.0.1", deps.activeKeysAtStart ?? 0), () => keys.anyActiveKey(), deps.logger);
  const auth = { gate, keys, scopeOf: (method: string, path: string) => (scopeOf ??= routeScopes(app))(method, path) };

  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(closeOnUnreadBody());
  app.use(dependencies(deps));
  app.use("/v1/*", localOrigin(gate));
  app.use("/v1/*", authenticate(auth));
  app.use("/v1/*", rateLimit(new RequestRateLimiter(deps.rateLimits ?? DEFAULT_RATE_LIMITS)));
  app.use(jsonBody({ maxBodyBytes: deps.maxBodyBytes ?? 1024 * 1024 }));
  app.use(methodNotAllowed(app));
  app.notFound(notFound);
  app.onError(onError(deps.logger));
  return app;
}
