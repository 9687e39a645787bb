import { ApiError } from "../../lib/problem";
import { decodeCursor, pageOf } from "../../lib/pagination";
import { asJson } from "../../lib/raw-json";
import type { AppRouteHandler } from "../../lib/types";
import type { GetUseCaseRoute, ListUseCasesRoute } from "./use-cases.routes";
import type { UseCase } from "./use-cases.schemas";
import { findUseCase, useCasePage } from "./use-cases.repository";

/** Escapes LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export const listUseCases: AppRouteHandler<ListUseCasesRoute> = async (c) => {
  const { limit, cursor, domain, q } = c.req.valid("query");
  const after = cursor ? String(decodeCursor(cursor, 1)[0]) : undefined;
  const read = await useCasePage(c.get("db"), { domain, pattern: q ? likePattern(q) : undefined, after, limit: limit + 1 });
  const { rows: page, nextCursor } = pageOf(read, limit, (last) => [last.slug]);
  // The stored entry is already the JSON of the response item: splice its bytes in.
  const parts: Buffer[] = [PAGE_START];
  page.forEach((r, i) => parts.push(...(i ? [COMMA, r.entry] : [r.entry])));
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`, "utf8"));
  return asJson<{ items: UseCase[]; nextCursor: string | null }>(c.body(Buffer.concat(parts) as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/json" }));
};

const PAGE_START = Buffer.from('{"items":[', "utf8");
const COMMA = Buffer.from(",", "utf8");

export const getUseCase: AppRouteHandler<GetUseCaseRoute> = async (c) => {
  const { slug } = c.req.valid("param");
  const useCase = await findUseCase(c.get("db"), slug);
  if (!useCase) throw ApiError.notFound("Use case", slug);
  return c.json(useCase, 200);
};

