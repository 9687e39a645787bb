import type { Context } from "hono";
import type { ServerResponse } from "node:http";

/**
 * A signal that aborts when the caller goes away before its answer is sent: the Node response closes
 * unfinished (under the server), or the request's own signal aborts (app.request in tests). Read from
 * Node's response rather than `c.req.raw.signal`, which makes @hono/node-server build a whole WHATWG
 * Request (lib/node-io.ts).
 */
export function callerGoneSignal(c: Context): AbortSignal {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return c.req.raw.signal;
  const controller = new AbortController();
  if (outgoing.destroyed && !outgoing.writableFinished) controller.abort(new Error("the caller closed the connection"));
  else
    outgoing.once("close", () => {
      if (!outgoing.writableFinished) controller.abort(new Error("the caller closed the connection"));
    });
  return controller.signal;
}
