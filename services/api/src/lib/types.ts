import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Database } from "@modelplan/db";
import type { Scope } from "../auth/scopes";
import type { AuthMode, RateLimitOptions, ServiceLimits } from "../config";
import type { Logger } from "./logger";

/** What the app needs from the outside world; the server and the tests each build one. */
export interface AppDeps {
  /** The database (SQLite or PostgreSQL) behind the data-access interface of @modelplan/db. */
  db: Database;
  logger: Logger;
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /**
   * "auto" (default): open when bound to loopback with no API key when the app is built (closed for
   * good once one exists); "on": keys always required; "off": always open (auth/auth-policy.ts).
   */
  authMode?: AuthMode;
  /** The address the service is bound to (default 127.0.0.1): whether it may run open. */
  host?: string;
  /** Token-bucket limits per workspace and key; omitted = the defaults of config.ts. */
  rateLimits?: RateLimitOptions;
  /** Quotas and computation limits; omitted = DEFAULT_LIMITS of config.ts. */
  limits?: ServiceLimits;
  /**
   * Active API keys when the service started (countActiveKeys), for the open/closed decision; omitted
   * = 0. Either way an open `auto` app closes on the first request that finds a key in the database.
   */
  activeKeysAtStart?: number;
  /** Set `draining` when the service starts shutting down: GET /ready answers 503 from then on. */
  lifecycle?: Lifecycle;
}

/** What GET /ready reports of the process besides its database. */
export interface Lifecycle {
  draining: boolean;
}

/** Who is calling: an API key, or the open local mode. */
export interface Principal {
  keyId: string | null;
  scope: Scope;
  open: boolean;
}

/** The per-request variables every route can read (set by the middleware of lib/create-app.ts). */
export interface AppBindings {
  Variables: {
    db: Database;
    logger: Logger;
    requestId: string;
    workspaceId: string;
    principal: Principal;
    now: () => Date;
    limits: ServiceLimits;
    lifecycle: Lifecycle;
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
