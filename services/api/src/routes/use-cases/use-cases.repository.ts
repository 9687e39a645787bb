import type { Statement } from "better-sqlite3";
import { eq, inArray } from "drizzle-orm";
import { useCases, type AppDatabase, type SqliteHandle } from "@modelplan/db";
import type { UseCase } from "./use-cases.schemas";

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

/** One catalog entry, as loaded from the validated catalog file, or undefined. */
export function findUseCase(db: AppDatabase, slug: string): UseCase | undefined {
  const row = db.select({ entry: useCases.entry }).from(useCases).where(eq(useCases.slug, slug)).get();
  // The column holds entries readUseCaseCatalog validated against UseCaseSchema before loading them.
  return row?.entry as UseCase | undefined;
}

/** The catalog entries of these slugs that exist, in the order of `slugs`. */
export function findUseCases(db: AppDatabase, slugs: readonly string[]): UseCase[] {
  if (!slugs.length) return [];
  const rows = db.select({ slug: useCases.slug, entry: useCases.entry }).from(useCases).where(inArray(useCases.slug, [...slugs])).all();
  const bySlug = new Map(rows.map((r) => [r.slug, r.entry as UseCase]));
  return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
}
