import { z } from "@hono/zod-openapi";
import { ApiError } from "./problem";

export const MAX_PAGE_LIMIT = 100;

export const PaginationQuerySchema = z.object({
  // Decimal digits only: z.coerce would take "0x10", "1e1" or " 5" through Number().
  limit: z
    .preprocess((v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v), z.number().int().min(1).max(MAX_PAGE_LIMIT))
    .default(20)
    .openapi({ param: { name: "limit", in: "query" }, description: `Page size, 1–${MAX_PAGE_LIMIT}.`, example: 20 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "Opaque cursor from the previous page's `nextCursor`.", example: "WyJjdXN0b21lci1zZXJ2aWNlLWJvdCJd" }),
});

/** A page of items with the cursor of the next page (null on the last page). */
export function pageSchema<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({
      items: z.array(item).openapi({ description: "The items of this page." }),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Pass as `cursor` to get the next page; null when there is none.", example: null }),
    })
    .openapi(name);
}

/** Keyset cursors: the sort key values of the last item, base64url-encoded JSON. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === "string" || typeof v === "number")) {
      return values as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** The 400 for a cursor that is malformed or was issued by another listing or sort order. */
export function invalidCursor(): ApiError {
  return new ApiError(400, "The cursor is not valid for this listing; start again without `cursor`.", {
    errors: [{ path: "cursor", location: "query", message: "Malformed or foreign cursor." }],
  });
}
