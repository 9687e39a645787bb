import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt, lt, or, type AnyColumn, type SQL } from "drizzle-orm";
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

/** How a listing is ordered for keyset pagination: a sort column, then a unique id column to break ties. */
export interface Keyset<Row> {
  sort: AnyColumn;
  id: AnyColumn;
  descending: boolean;
  /** The row's values of (sort, id), as the cursor records them. */
  keyOf: (row: Row) => readonly [string, string];
  /** Recorded first in the cursor and checked on the way back (e.g. the sort order), so a foreign cursor is refused. */
  tag?: string;
}

/** What a keyset page query needs: the condition for rows after the cursor, the order, and how many to read. */
export interface KeysetQuery {
  after: SQL | undefined;
  orderBy: SQL[];
  limit: number;
}

/**
 * One page of a listing by keyset pagination: rows after the cursor's (sort, id), in order, `limit`
 * of them, and the cursor of the next page (null on the last). `select` runs the query with the
 * listing's own filters and `after` added to them; it reads one row more than the page to know
 * whether another page follows.
 */
export async function keysetPage<Row>(
  page: { limit: number; cursor?: string },
  keyset: Keyset<Row>,
  select: (q: KeysetQuery) => Promise<Row[]>,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const { sort, id, descending, tag } = keyset;
  let after: SQL | undefined;
  if (page.cursor) {
    const values = decodeCursor(page.cursor, tag === undefined ? 2 : 3).map(String);
    if (tag !== undefined && values.shift() !== tag) throw invalidCursor();
    const [sortValue, idValue] = values;
    const beyond = descending ? lt : gt;
    after = or(beyond(sort, sortValue), and(eq(sort, sortValue), beyond(id, idValue)));
  }
  const orderBy = descending ? [desc(sort), desc(id)] : [asc(sort), asc(id)];
  const rows = await select({ after, orderBy, limit: page.limit + 1 });
  return pageOf(rows, page.limit, (row) => [...(tag === undefined ? [] : [tag]), ...keyset.keyOf(row)]);
}

/** The first `limit` of `rows` (read one more than a page), and the cursor of the next page when there is one. */
export function pageOf<Row>(rows: Row[], limit: number, cursorOf: (last: Row) => (string | number)[]): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
