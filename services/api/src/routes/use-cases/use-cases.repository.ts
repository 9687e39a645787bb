import type { Statement } from "better-sqlite3";
import type { SqliteHandle } from "@modelplan/db";

export interface UseCasePageQuery {
  domain?: string;
  /** A LIKE pattern (see likePattern) matched against title, task and description. */
  pattern?: string;
  /** Slugs after this one. */
  after?: string;
  limit: number;
}

/**
 * One prepared statement per database for every page of the catalog (an absent filter is NULL).
 * Entries come back as the stored UTF-8 bytes (a BLOB cast of the JSON text), so a page is
 * spliced together without decoding 20 entries into strings and encoding them again: building the
 * query with drizzle and that round trip were most of a catalog read's time in the load script.
 */
const pageStatements = new WeakMap<SqliteHandle, Statement<[Record<string, unknown>], { slug: string; entry: Buffer }>>();

export function useCasePage(sqlite: SqliteHandle, q: UseCasePageQuery): { slug: string; entry: Buffer }[] {
  let statement = pageStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare<[Record<string, unknown>], { slug: string; entry: Buffer }>(
      `SELECT slug, CAST(entry AS BLOB) AS entry FROM use_cases
       WHERE (@domain IS NULL OR domain = @domain)
         AND (@after IS NULL OR slug > @after)
         AND (@pattern IS NULL OR lower(title) LIKE @pattern ESCAPE '\\' OR lower(task) LIKE @pattern ESCAPE '\\' OR lower(description) LIKE @pattern ESCAPE '\\')
       ORDER BY slug LIMIT @limit`,
    );
    pageStatements.set(sqlite, statement);
  }
  return statement.all({ domain: q.domain ?? null, after: q.after ?? null, pattern: q.pattern ?? null, limit: q.limit });
}
