import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "./database";

/** The columns of a catalog entry that are searched; the whole entry is stored as JSON beside them. */
export interface UseCaseCatalogEntry {
  slug: string;
  title: string;
  domain: string;
  task: string;
  description: string;
}

/** A versioned catalog, already validated by its reader (the service checks it against its API schema). */
export interface UseCaseCatalog<T extends UseCaseCatalogEntry = UseCaseCatalogEntry> {
  catalogVersion: string;
  items: T[];
}

export interface LoadResult {
  catalogVersion: string;
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Loads the catalog idempotently: a row is written only when its content hash changed, so a second
 * start with the same file changes nothing.
 */
export async function loadUseCaseCatalog(d: Database, catalog: UseCaseCatalog): Promise<LoadResult> {
  const result: LoadResult = { catalogVersion: catalog.catalogVersion, inserted: 0, updated: 0, unchanged: 0 };
  const { useCases } = d.tables;
  await d.transaction(async (tx) => {
    const existing = new Map((await tx.db.select({ slug: useCases.slug, hash: useCases.contentHash }).from(useCases)).map((r) => [r.slug, r.hash]));
    for (const item of catalog.items) {
      const contentHash = createHash("sha256").update(JSON.stringify(item)).digest("hex");
      const before = existing.get(item.slug);
      if (before === contentHash) {
        result.unchanged++;
        continue;
      }
      const row = { slug: item.slug, title: item.title, domain: item.domain, task: item.task, description: item.description, entry: item, contentHash, catalogVersion: catalog.catalogVersion };
      await tx.db
        .insert(useCases)
        .values(row)
        .onConflictDoUpdate({ target: useCases.slug, set: { ...row, slug: sql`excluded.slug` } });
      if (before === undefined) result.inserted++;
      else result.updated++;
    }
  });
  return result;
}
