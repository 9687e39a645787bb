import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";

/**
 * Sends JSON that is already serialised — e.g. stored JSON columns spliced into a page — typed as
 * if `c.json(value: T)` had sent it, so the route's declared response type still applies.
 */
export function rawJson<T>(c: Context, json: string): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  return c.body(json, 200, { "Content-Type": "application/json" }) as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}

/** Types an already-built JSON response (e.g. bytes from a cache) as `c.json(value: T)` would. */
export function asJson<T>(res: Response): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  return res as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
