import type { Statement } from "better-sqlite3";
import { and, eq, gt, inArray, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Database } from "@modelplan/db";
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

type SqliteConnection = NonNullable<Database["sqlite"]>;

/**
 * SQLite: prepared statements per connection for every page of the catalog (an absent filter is
 * NULL): the page's rows as slug and content hash only, and the same rows with their entries as the
 * stored UTF-8 bytes (a BLOB cast of the JSON text), so a page is spliced together without decoding 20
 * entries into strings and encoding them again.
 */
const pageStatements = new WeakMap<
  object,
  { refs: Statement<[Record<string, unknown>], UseCaseRef>; entries: Statement<[Record<string, unknown>], UseCaseRef & { entry: Buffer }> }
>();

function statementsOf(sqlite: SqliteConnection) {
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

const stateStatements = new WeakMap<object, { changes: Statement<[], number>; dataVersion: Statement<[], number> }>();

/**
 * SQLite: what changes whenever the database may have changed — rows written through this connection
 * (total_changes()) and commits by any other connection or process (PRAGMA data_version). Equal values
 * mean no row of the catalog (or of anything else) was written in between. PostgreSQL: undefined (no
 * such counter is cheap to read, and other replicas write), so every page's rows are read again.
 */
export function databaseState(d: Database): string | undefined {
  if (!d.sqlite) return undefined;
  let statements = stateStatements.get(d.sqlite);
  if (!statements) {
    statements = {
      changes: d.sqlite.prepare<[], number>("SELECT total_changes()").pluck(),
      dataVersion: d.sqlite.prepare<[], number>("PRAGMA data_version").pluck(),
    };
    stateStatements.set(d.sqlite, statements);
  }
  return `${statements.changes.get()}:${statements.dataVersion.get()}`;
}

/** PostgreSQL: the page's filters through drizzle. */
function pageWhere(d: Database, q: UseCasePageQuery): SQL | undefined {
  const { useCases } = d.tables;
  const where: (SQL | undefined)[] = [];
  if (q.domain !== undefined) where.push(eq(useCases.domain, q.domain));
  if (q.after !== undefined) where.push(gt(useCases.slug, q.after));
  if (q.pattern !== undefined) {
    const like = (column: AnyColumn) => sql`lower(${column}) LIKE ${q.pattern} ESCAPE '\\'`;
    where.push(or(like(useCases.title), like(useCases.task), like(useCases.description)));
  }
  return and(...where);
}

/** The rows of a page of the catalog (slug order, filters applied), without their entries. */
export async function useCasePageRefs(d: Database, q: UseCasePageQuery): Promise<UseCaseRef[]> {
  if (d.sqlite) return statementsOf(d.sqlite).refs.all(pageParams(q));
  const { useCases } = d.tables;
  return d.db.select({ slug: useCases.slug, contentHash: useCases.contentHash }).from(useCases).where(pageWhere(d, q)).orderBy(useCases.slug).limit(q.limit);
}

/** The same rows as useCasePageRefs, each with its entry's stored JSON bytes. */
export async function useCasePage(d: Database, q: UseCasePageQuery): Promise<(UseCaseRef & { entry: Buffer })[]> {
  if (d.sqlite) return statementsOf(d.sqlite).entries.all(pageParams(q));
  // PostgreSQL: a `json` column's text is the entry as loaded.
  const { useCases } = d.tables;
  const rows = await d.db
    .select({ slug: useCases.slug, contentHash: useCases.contentHash, entry: sql<string>`${useCases.entry}::text` })
    .from(useCases)
    .where(pageWhere(d, q))
    .orderBy(useCases.slug)
    .limit(q.limit);
  return rows.map((r) => ({ slug: r.slug, contentHash: r.contentHash, entry: Buffer.from(r.entry, "utf8") }));
}

/** One catalog entry, as loaded from the validated catalog file, or undefined. */
export async function findUseCase(d: Database, slug: string): Promise<UseCase | undefined> {
  const { useCases } = d.tables;
  const [row] = await d.db.select({ entry: useCases.entry }).from(useCases).where(eq(useCases.slug, slug)).limit(1);
  // The column holds entries readUseCaseCatalog validated against UseCaseSchema before loading them.
  return row?.entry as UseCase | undefined;
}

/** The catalog entries of these slugs that exist, in the order of `slugs`. */
export async function findUseCases(d: Database, slugs: readonly string[]): Promise<UseCase[]> {
  if (!slugs.length) return [];
  const { useCases } = d.tables;
  const rows = await d.db.select({ slug: useCases.slug, entry: useCases.entry }).from(useCases).where(inArray(useCases.slug, [...slugs]));
  const bySlug = new Map(rows.map((r) => [r.slug, r.entry as UseCase]));
  return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
}
