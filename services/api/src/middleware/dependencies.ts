import type { MiddlewareHandler } from "hono";
import { DEFAULT_LIMITS } from "../config";
import type { AppBindings, AppDeps } from "../lib/types";

/** Makes the app's dependencies (database, logger, clock, limits, lifecycle) available to every route as `c.get(...)`. */
export function dependencies(deps: AppDeps): MiddlewareHandler<AppBindings> {
  const now = deps.now ?? (() => new Date());
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const lifecycle = deps.lifecycle ?? { draining: false };
  return async function dependencies(c, next) {
    c.set("lifecycle", lifecycle);
    c.set("db", deps.db);
    c.set("logger", deps.logger);
    c.set("now", now);
    c.set("limits", limits);
    return next();
  };
}
