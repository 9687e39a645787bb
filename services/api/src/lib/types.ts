import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AppDatabase, SqliteHandle } from "../db/client";
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
}

export interface AppBindings {
  Variables: {
    db: AppDatabase;
    sqlite: SqliteHandle;
    logger: Logger;
    requestId: string;
    workspaceId: string;
    now: () => Date;
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
