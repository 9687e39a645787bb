import { OpenAPIHono } from "@hono/zod-openapi";
import { authenticate } from "../auth/authenticate";
import { routeScopes } from "../auth/route-scopes";
import { DEFAULT_RATE_LIMITS } from "../config";
import { dependencies } from "../middleware/dependencies";
import { methodNotAllowed, notFound, onError } from "../middleware/errors";
import { jsonBody } from "../middleware/json-body";
import { rateLimit, RequestRateLimiter } from "../middleware/rate-limit";
import { requestId } from "../middleware/request-id";
import { requestLogger } from "../middleware/request-logger";
import { closeOnUnreadBody } from "../middleware/unread-body";
import { fieldErrorsFromZod, problemResponse, type ProblemFieldError } from "./problem";
import type { AppBindings, AppDeps, AppOpenAPI } from "./types";

type Location = ProblemFieldError["location"];
const TARGET_LOCATION: Record<string, Location> = { json: "body", form: "body", query: "query", param: "path", header: "header", cookie: "header" };

/**
 * A router whose validation failures become 422 problem+json naming every bad field — never a raw
 * ZodError. Every route module builds its router with this.
 */
export function createRouter(): AppOpenAPI {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) {
        const location = TARGET_LOCATION[result.target] ?? "body";
        const errors = fieldErrorsFromZod(result.error, location);
        const names = [...new Set(errors.map((e) => e.path))];
        return problemResponse(c, 422, `${names.length} field${names.length === 1 ? " is" : "s are"} invalid: ${names.join(", ")}`, { errors });
      }
    },
  });
}

/**
 * The generic app: every request passes this chain of middleware, in this order, before the route
 * the caller mounts (app.ts):
 *
 * 1. requestId — X-Request-Id (the client's when well-formed, else a new UUID) on every answer
 * 2. requestLogger — one log line per request, after the answer
 * 3. closeOnUnreadBody — `Connection: close` on an answer sent before the body was read
 * 4. dependencies — db (the Database), logger, clock on the context
 * 5. authenticate (/v1/*) — 401 / 403 against the scope the route declares next to its createRoute
 * 6. rateLimit (/v1/*) — RateLimit-* headers, 429 with Retry-After
 * 7. jsonBody — 415 / 413 / 400 / 422 for bodies no route could accept; the text for the validator
 * 8. methodNotAllowed — a 404 on a path that exists with other methods becomes a 405 with Allow
 *
 * then the routers' own middleware (the estimate cache) and the route: its validators (422 naming
 * every bad field) and handler. Errors anywhere become problem+json (onError), unknown paths 404.
 */
export function createBaseApp(deps: AppDeps): AppOpenAPI {
  const app = createRouter();
  // Built on the first request, once the caller has mounted every route.
  let scopeOf: ReturnType<typeof routeScopes> | undefined;
  const auth = { mode: deps.authMode ?? "auto", database: deps.db, scopeOf: (method: string, path: string) => (scopeOf ??= routeScopes(app))(method, path) };

  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(closeOnUnreadBody());
  app.use(dependencies(deps));
  app.use("/v1/*", authenticate(auth));
  app.use("/v1/*", rateLimit(new RequestRateLimiter(deps.rateLimits ?? DEFAULT_RATE_LIMITS)));
  app.use(jsonBody({ maxBodyBytes: deps.maxBodyBytes ?? 1024 * 1024 }));
  app.use(methodNotAllowed(app));
  app.notFound(notFound);
  app.onError(onError(deps.logger));
  return app;
}
