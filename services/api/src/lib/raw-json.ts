import type { TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";

/**
 * Types an already-built JSON response — bytes from the estimate cache, a page spliced from stored
 * JSON — as if `c.json(value: T)` had sent it, so the route's declared response type still applies.
 */
export function asJson<T>(res: Response): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  return res as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
