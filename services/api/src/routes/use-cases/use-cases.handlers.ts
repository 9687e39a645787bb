import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { useCases } from "../../../../../db/schema/index";
import { ApiError } from "../../lib/problem";
import { decodeCursor, encodeCursor } from "../../lib/pagination";
import { rawJson } from "../../lib/raw-json";
import type { AppRouteHandler } from "../../lib/types";
import type { GetUseCaseRoute, ListUseCasesRoute } from "./use-cases.routes";
import type { UseCase } from "./use-cases.schemas";

/** Escapes LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export const listUseCases: AppRouteHandler<ListUseCasesRoute> = (c) => {
  const { limit, cursor, domain, q } = c.req.valid("query");
  const where: SQL[] = [];
  if (domain) where.push(eq(useCases.domain, domain));
  if (q) {
    const p = likePattern(q);
    where.push(
      or(
        sql`lower(${useCases.title}) LIKE ${p} ESCAPE '\\'`,
        sql`lower(${useCases.task}) LIKE ${p} ESCAPE '\\'`,
        sql`lower(${useCases.description}) LIKE ${p} ESCAPE '\\'`,
      )!,
    );
  }
  if (cursor) where.push(gt(useCases.slug, String(decodeCursor(cursor, 1)[0])));
  // The stored entry is already the JSON of the response item: splice it in as text rather than
  // parsing and re-serialising 20 catalog entries per page.
  const rows = c
    .get("db")
    .select({ slug: useCases.slug, entryJson: sql<string>`${useCases.entry}` })
    .from(useCases)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(useCases.slug))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor([page[page.length - 1].slug]) : null;
  const json = `{"items":[${page.map((r) => r.entryJson).join(",")}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  return rawJson<{ items: UseCase[]; nextCursor: string | null }>(c, json);
};

export const getUseCase: AppRouteHandler<GetUseCaseRoute> = (c) => {
  const { slug } = c.req.valid("param");
  const row = c.get("db").select({ entry: useCases.entry }).from(useCases).where(eq(useCases.slug, slug)).get();
  if (!row) throw ApiError.notFound("Use case", slug);
  return c.json(row.entry as UseCase, 200);
};

