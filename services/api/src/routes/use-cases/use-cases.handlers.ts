import { asciiBytes, asciiJson } from "../../lib/ascii-json";
import { ApiError } from "../../lib/problem";
import { decodeCursor, pageOf } from "../../lib/pagination";
import { asJson } from "../../lib/raw-json";
import type { AppRouteHandler } from "../../lib/types";
import type { GetUseCaseRoute, ListUseCasesRoute } from "./use-cases.routes";
import type { UseCase } from "./use-cases.schemas";
import type { Database } from "@modelplan/db";
import { CatalogPageCache } from "./use-cases.page-cache";
import { databaseState, findUseCase, useCasePage, useCasePageRefs } from "./use-cases.repository";

/** Escapes LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Rendered pages of each database's catalog (use-cases.page-cache.ts). */
const pageCaches = new WeakMap<object, CatalogPageCache>();

function pageCacheOf(d: Database): CatalogPageCache {
  const owner = d.sqlite ?? d;
  let cache = pageCaches.get(owner);
  if (!cache) pageCaches.set(owner, (cache = new CatalogPageCache()));
  return cache;
}

export const listUseCases: AppRouteHandler<ListUseCasesRoute> = async (c) => {
  const { limit, cursor, domain, q } = c.req.valid("query");
  const after = cursor ? String(decodeCursor(cursor, 1)[0]) : undefined;
  const d = c.get("db");
  const query = { domain, pattern: q ? likePattern(q) : undefined, after, limit: limit + 1 };
  const cursorOf = (last: { slug: string }) => [last.slug];
  const cache = pageCacheOf(d);
  // Unchanged database (SQLite only): the key this query gave before. Else the page's rows by slug and
  // content hash; their entries are read only for a page not rendered yet.
  const state = databaseState(d);
  const queryKey = JSON.stringify([limit, cursor ?? null, domain ?? null, q ?? null]);
  let key = state === undefined ? undefined : cache.keyOfQuery(queryKey, state);
  if (key === undefined) {
    const refs = pageOf(await useCasePageRefs(d, query), limit, cursorOf);
    key = CatalogPageCache.keyOf(refs.rows, refs.nextCursor);
  }
  let bytes = cache.get(key);
  if (bytes === undefined) {
    const page = pageOf(await useCasePage(d, query), limit, cursorOf);
    bytes = renderPage(page.rows, page.nextCursor);
    key = CatalogPageCache.keyOf(page.rows, page.nextCursor);
    cache.set(key, bytes);
  }
  if (state !== undefined) cache.rememberQuery(queryKey, state, key);
  return asJson<{ items: UseCase[]; nextCursor: string | null }>(c.body(bytes, 200, { "Content-Type": "application/json" }));
};

const PAGE_START = Buffer.from('{"items":[', "utf8");
const COMMA = Buffer.from(",", "utf8");

/**
 * A page's JSON: the stored entries are already the JSON of the response items, their bytes spliced
 * in; then written as ASCII-only JSON (lib/ascii-json.ts), as the estimate routes answer — the
 * entries' en dashes and × signs would otherwise send a JavaScript client's UTF-8 decoding of the
 * whole ~38 KB page down its slow path. Done once per page: the page cache keeps the result.
 */
function renderPage(rows: readonly { entry: Buffer }[], nextCursor: string | null): Uint8Array<ArrayBuffer> {
  const parts: Buffer[] = [PAGE_START];
  rows.forEach((r, i) => parts.push(...(i ? [COMMA, r.entry] : [r.entry])));
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`, "utf8"));
  return asciiBytes(asciiJson(Buffer.concat(parts).toString("utf8")));
}

export const getUseCase: AppRouteHandler<GetUseCaseRoute> = async (c) => {
  const { slug } = c.req.valid("param");
  const useCase = await findUseCase(c.get("db"), slug);
  if (!useCase) throw ApiError.notFound("Use case", slug);
  return c.json(useCase, 200);
};

