import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AppDatabase, SqliteHandle } from "@modelplan/db";
import type { Scope } from "../auth/scopes";
import type { AuthMode, RateLimitOptions, ServiceLimits } from "../config";
import type { Logger } from "./logger";

/** What the app needs from the outside world; the server and the tests each build one. */
export interface AppDeps {
  db: AppDatabase;
  sqlite: SqliteHandle;
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
    db: AppDatabase;
    sqlite: SqliteHandle;
    logger: Logger;
    requestId: string;
    workspaceId: string;
    principal: Principal;
    now: () => Date;
    limits: ServiceLimits;
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
