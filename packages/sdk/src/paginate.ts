/**
 * `client.paginate(path, { query })`: every item of a cursor-paginated list (a GET answering
 * `{ items, nextCursor }` and taking `cursor`), fetching the next page only when the loop asks for more.
 */
import type { paths } from "./schema.js";
import type { RequestControls } from "./transport.js";
import { unwrap } from "./unwrap.js";

type GetOperation<P> = P extends keyof paths ? (paths[P] extends { get: infer Op } ? Op : never) : never;
type QueryOf<P> = GetOperation<P> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type PathParamsOf<P> = GetOperation<P> extends { parameters: { path: infer X } } ? X : never;
type PageOf<P> = GetOperation<P> extends { responses: { 200: { content: { "application/json": infer B } } } } ? B : never;

/** The paths whose GET is a cursor-paginated list. */
export type PaginatedPath = {
  [P in keyof paths]: PageOf<P> extends { items: unknown[]; nextCursor: string | null } ? ("cursor" extends keyof QueryOf<P> ? P : never) : never;
}[keyof paths];

/** The item type of a paginated list. */
export type PageItem<P extends PaginatedPath> = PageOf<P> extends { items: (infer I)[] } ? I : never;

/** Options of `paginate`: the list's query (a `cursor` starts from that page), its path parameters, and per-call controls. */
export type PaginateOptions<P extends PaginatedPath> = {
  query?: QueryOf<P>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
} & RequestControls &
  ([PathParamsOf<P>] extends [never] ? { path?: never } : { path: PathParamsOf<P> });

export type Paginate = <P extends PaginatedPath>(
  url: P,
  ...options: [PathParamsOf<P>] extends [never] ? [PaginateOptions<P>?] : [PaginateOptions<P>]
) => AsyncGenerator<PageItem<P>, void, undefined>;

/** The page-fetching GET `paginate` needs, untyped (the public signature carries the types). */
type UntypedGet = (url: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export function paginator(client: { GET: unknown }): Paginate {
  const get = client.GET as UntypedGet;
  async function* paginate(url: string, options: { query?: Record<string, unknown>; path?: unknown; [key: string]: unknown } = {}) {
    const { query = {}, path, ...controls } = options;
    let cursor = typeof query.cursor === "string" ? query.cursor : undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = (await unwrap(get(url, { ...controls, params: { query: { ...query, cursor }, path } }))) as { items: unknown[]; nextCursor: string | null };
      yield* page.items;
      if (page.nextCursor === null) return;
      if (seen.has(page.nextCursor)) throw new Error(`${url}: the service repeated the cursor ${page.nextCursor}; stopping instead of looping`);
      seen.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }
  return paginate as unknown as Paginate;
}
