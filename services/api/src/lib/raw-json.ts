import type { TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSONParsed } from "hono/utils/types";

/**
 * Types an already-built JSON response — bytes from the estimate cache, a page spliced from stored
 * JSON, a stored plan's document — as if `c.json(value: T, status)` had sent it, so the route's
 * declared response type still applies.
 */
export function asJson<T, S extends ContentfulStatusCode = 200>(res: Response): Response & TypedResponse<JSONParsed<T>, S, "json"> {
  return res as unknown as Response & TypedResponse<JSONParsed<T>, S, "json">;
}
