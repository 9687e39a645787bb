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

/** A catalog row of a page: its slug and the hash of its stored entry (loadUseCaseCatalog). */
export interface UseCaseRef {
  slug: string;
  contentHash: string;
}

const PAGE_WHERE = `WHERE (@domain IS NULL OR domain = @domain)
         AND (@after IS NULL OR slug > @after)
         AND (@pattern IS NULL OR lower(title) LIKE @pattern ESCAPE '\\' OR lower(task) LIKE @pattern ESCAPE '\\' OR lower(description) LIKE @pattern ESCAPE '\\')
       ORDER BY slug LIMIT @limit`;

/**
 * Prepared statements per database for every page of the catalog (an absent filter is NULL): the
 * page's rows as slug and content hash only, and the same rows with their entries as the stored
 * UTF-8 bytes (a BLOB cast of the JSON text), so a page is spliced together without decoding 20
 * entries into strings and encoding them again.
 */
const pageStatements = new WeakMap<
  SqliteHandle,
  { refs: Statement<[Record<string, unknown>], UseCaseRef>; entries: Statement<[Record<string, unknown>], UseCaseRef & { entry: Buffer }> }
>();

function statementsOf(sqlite: SqliteHandle) {
  let statements = pageStatements.get(sqlite);
  if (!statements) {
    statements = {
      refs: sqlite.prepare(`SELECT slug, content_hash AS contentHash FROM use_cases ${PAGE_WHERE}`),
      entries: sqlite.prepare(`SELECT slug, content_hash AS contentHash, CAST(entry AS BLOB) AS entry FROM use_cases ${PAGE_WHERE}`),
    };
    pageStatements.set(sqlite, statements);
  }
  return statements;
}

const pageParams = (q: UseCasePageQuery) => ({ domain: q.domain ?? null, after: q.after ?? null, pattern: q.pattern ?? null, limit: q.limit });

const stateStatements = new WeakMap<SqliteHandle, { changes: Statement<[], number>; dataVersion: Statement<[], number> }>();

/**
 * What changes whenever the database may have changed: rows written through this connection
 * (total_changes()) and commits by any other connection or process (PRAGMA data_version). Equal
 * values mean no row of the catalog (or of anything else) was written in between.
 */
export function databaseState(sqlite: SqliteHandle): string {
  let statements = stateStatements.get(sqlite);
  if (!statements) {
    statements = {
      changes: sqlite.prepare<[], number>("SELECT total_changes()").pluck(),
      dataVersion: sqlite.prepare<[], number>("PRAGMA data_version").pluck(),
    };
    stateStatements.set(sqlite, statements);
  }
  return `${statements.changes.get()}:${statements.dataVersion.get()}`;
}

/** The rows of a page of the catalog (slug order, filters applied), without their entries. */
export function useCasePageRefs(sqlite: SqliteHandle, q: UseCasePageQuery): UseCaseRef[] {
  return statementsOf(sqlite).refs.all(pageParams(q));
}

/** The same rows as useCasePageRefs, each with its entry's stored JSON bytes. */
export function useCasePage(sqlite: SqliteHandle, q: UseCasePageQuery): (UseCaseRef & { entry: Buffer })[] {
  return statementsOf(sqlite).entries.all(pageParams(q));
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
