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

type PageRow = { slug: string; entry: Buffer };

/**
 * SQLite: one prepared statement per connection for every page of the catalog (an absent filter is
 * NULL). Entries come back as the stored UTF-8 bytes (a BLOB cast of the JSON text), so a page is
 * spliced together without decoding 20 entries into strings and encoding them again: building the
 * query with drizzle and that round trip were most of a catalog read's time in the load script.
 */
const pageStatements = new WeakMap<object, Statement<[Record<string, unknown>], PageRow>>();

/** A page of the catalog ordered by slug, each entry as the bytes of its JSON text. */
export async function useCasePage(d: Database, q: UseCasePageQuery): Promise<PageRow[]> {
  if (d.sqlite) {
    let statement = pageStatements.get(d.sqlite);
    if (!statement) {
      statement = d.sqlite.prepare<[Record<string, unknown>], PageRow>(
        `SELECT slug, CAST(entry AS BLOB) AS entry FROM use_cases
         WHERE (@domain IS NULL OR domain = @domain)
           AND (@after IS NULL OR slug > @after)
           AND (@pattern IS NULL OR lower(title) LIKE @pattern ESCAPE '\\' OR lower(task) LIKE @pattern ESCAPE '\\' OR lower(description) LIKE @pattern ESCAPE '\\')
         ORDER BY slug LIMIT @limit`,
      );
      pageStatements.set(d.sqlite, statement);
    }
    return statement.all({ domain: q.domain ?? null, after: q.after ?? null, pattern: q.pattern ?? null, limit: q.limit });
  }
  // PostgreSQL: the same query through drizzle; a `json` column's text is the entry as loaded.
  const { useCases } = d.tables;
  const where: (SQL | undefined)[] = [];
  if (q.domain !== undefined) where.push(eq(useCases.domain, q.domain));
  if (q.after !== undefined) where.push(gt(useCases.slug, q.after));
  if (q.pattern !== undefined) {
    const like = (column: AnyColumn) => sql`lower(${column}) LIKE ${q.pattern} ESCAPE '\\'`;
    where.push(or(like(useCases.title), like(useCases.task), like(useCases.description)));
  }
  const rows = await d.db
    .select({ slug: useCases.slug, entry: sql<string>`${useCases.entry}::text` })
    .from(useCases)
    .where(and(...where))
    .orderBy(useCases.slug)
    .limit(q.limit);
  return rows.map((r) => ({ slug: r.slug, entry: Buffer.from(r.entry, "utf8") }));
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
