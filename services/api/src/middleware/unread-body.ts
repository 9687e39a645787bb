import type { MiddlewareHandler } from "hono";
import { bodyLeftUnread } from "../lib/node-io";
import type { AppBindings } from "../lib/types";

/**
 * An answer sent before the request body was read (401, 404, 413, 429...) leaves bytes on the
 * socket that the server will drain and drop: `Connection: close` tells a keep-alive client not to
 * send its next request on it.
 */
export function closeOnUnreadBody(): MiddlewareHandler<AppBindings> {
  return async function closeOnUnreadBody(c, next) {
    await next();
    if (bodyLeftUnread(c)) c.res.headers.set("Connection", "close");
  };
}
