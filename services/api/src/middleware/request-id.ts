import type { MiddlewareHandler } from "hono";
import { requestHeader, setResponseHeader } from "../lib/node-io";
import type { AppBindings } from "../lib/types";

const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The request id of an answer: the client's X-Request-Id when well-formed, else a new UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

/** Sets `requestId` for the request, and sends it back as X-Request-Id on every answer. */
export function requestId(): MiddlewareHandler<AppBindings> {
  return async function requestId(c, next) {
    const id = requestIdFrom(requestHeader(c, "x-request-id"));
    c.set("requestId", id);
    setResponseHeader(c, "X-Request-Id", id);
    return next();
  };
}
