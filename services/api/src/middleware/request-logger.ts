import type { MiddlewareHandler } from "hono";
import type { Logger } from "../lib/logger";
import type { AppBindings } from "../lib/types";

/** One JSON log line per request (level info), with its request id, status and duration. */
export function requestLogger(logger: Logger): MiddlewareHandler<AppBindings> {
  return async function requestLogger(c, next) {
    const started = performance.now();
    await next();
    if (!logger.isLevelEnabled("info")) return;
    const ms = Math.round((performance.now() - started) * 100) / 100;
    logger.info({ requestId: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, ms }, "request");
  };
}
