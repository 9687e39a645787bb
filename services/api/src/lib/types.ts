import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Database } from "@modelplan/db";
import type { Scope } from "../auth/scopes";
import type { AuthMode, RateLimitOptions } from "../config";
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
  /** "auto" (default): open while no API key exists; "on": keys always required; "off": always open. */
  authMode?: AuthMode;
  /** Token-bucket limits per key; omitted = the defaults of config.ts. */
  rateLimits?: RateLimitOptions;
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
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
