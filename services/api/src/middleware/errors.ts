import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { methodNotAllowed as honoMethodNotAllowed } from "hono/method-not-allowed";
import { isDatabaseUnavailable } from "@modelplan/db";
import type { Logger } from "../lib/logger";
import { BodyReadError } from "../lib/node-io";
import { ApiError, PROBLEM_TYPES, problemResponse, type ProblemStatus } from "../lib/problem";
import type { AppBindings, AppOpenAPI } from "../lib/types";

/** 404 problem for a path no route matches. */
export const notFound: NotFoundHandler<AppBindings> = (c) => problemResponse(c, 404, `No route matches ${c.req.method} ${c.req.path}.`);

/** A path that exists with other methods: the 404 becomes a 405 problem with Allow. */
export function methodNotAllowed(app: AppOpenAPI): MiddlewareHandler<AppBindings> {
  return honoMethodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      problemResponse(c as Context<AppBindings>, 405, `${c.req.method} is not supported on ${c.req.path}; allowed: ${methods.join(", ")}.`, {
        headers: { Allow: methods.join(", ") },
      }),
  });
}

/** Retry-After of a request refused because the database was busy or unreachable (s). */
export const DATABASE_BUSY_RETRY_AFTER_S = 1;

/**
 * Every error becomes problem+json: ApiError as thrown, a body the client broke off as 400, Hono's
 * HTTPExceptions with their status, a database busy past its lock wait (another process's write
 * lock) or briefly unreachable (packages/db isDatabaseUnavailable) as 503 with Retry-After; anything else is a bug — logged with the
 * request id, answered 500 without internals.
 */
export function onError(logger: Logger): ErrorHandler<AppBindings> {
  return (err, c) => {
    if (err instanceof ApiError) {
      return problemResponse(c, err.status, err.message, { errors: err.errors, headers: err.headers, type: err.type, title: err.title, limit: err.limit });
    }
    if (err instanceof BodyReadError) {
      // The client broke off mid-body; it will most likely not see this answer.
      return problemResponse(c, 400, "The request body was not received completely.", { headers: { Connection: "close" } });
    }
    if (err instanceof HTTPException) {
      const status = (err.status in PROBLEM_TYPES ? err.status : 400) as ProblemStatus;
      const detail =
        status === 400 && /json/i.test(err.message)
          ? "The request body is not valid JSON."
          : status === 415
            ? "Send the body as application/json."
            : err.message || PROBLEM_TYPES[status].title;
      return problemResponse(c, status, detail);
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn({ requestId: c.get("requestId"), err }, "database busy or unreachable: answered 503");
      return problemResponse(c, 503, "The database is busy or unreachable; retry after the Retry-After delay.", { headers: { "Retry-After": String(DATABASE_BUSY_RETRY_AFTER_S) } });
    }
    logger.error({ requestId: c.get("requestId"), err }, "unhandled error");
    return problemResponse(c, 500, "An unexpected error occurred. Quote the requestId when reporting it.");
  };
}
