import type { MiddlewareHandler } from "hono";
import type { AppBindings, AppDeps } from "../lib/types";

/** Makes the app's dependencies (database, logger, clock) available to every route as `c.get(...)`. */
export function dependencies(deps: AppDeps): MiddlewareHandler<AppBindings> {
  const now = deps.now ?? (() => new Date());
  return async function dependencies(c, next) {
    c.set("db", deps.db);
    c.set("logger", deps.logger);
    c.set("now", now);
    return next();
  };
}
