import { createHash } from "node:crypto";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { useCases } from "../../../../db/schema/index";
import { UseCaseCatalogFileSchema, type UseCase } from "../routes/use-cases/use-cases.schemas";
import type { AppDatabase } from "./client";

export const USE_CASE_CATALOG_FILE = fileURLToPath(new URL("../../../../db/seed/use-cases.json", import.meta.url));

export interface UseCaseCatalog {
  catalogVersion: string;
  items: UseCase[];
}

/** Reads and validates the versioned catalog file; a broken file stops start-up with the field named. */
export function readUseCaseCatalog(file = USE_CASE_CATALOG_FILE): UseCaseCatalog {
  const parsed = UseCaseCatalogFileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid use-case catalog ${file}: ${issue.path.join(".")}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const item of parsed.data.items) {
    if (seen.has(item.slug)) throw new Error(`Invalid use-case catalog ${file}: duplicate slug '${item.slug}'`);
    seen.add(item.slug);
  }
  return parsed.data;
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
export function loadUseCaseCatalog(db: AppDatabase, catalog: UseCaseCatalog): LoadResult {
  const result: LoadResult = { catalogVersion: catalog.catalogVersion, inserted: 0, updated: 0, unchanged: 0 };
  db.transaction((tx) => {
    const existing = new Map(tx.select({ slug: useCases.slug, hash: useCases.contentHash }).from(useCases).all().map((r) => [r.slug, r.hash]));
    for (const item of catalog.items) {
      const contentHash = createHash("sha256").update(JSON.stringify(item)).digest("hex");
      const before = existing.get(item.slug);
      if (before === contentHash) {
        result.unchanged++;
        continue;
      }
      const row = { slug: item.slug, title: item.title, domain: item.domain, task: item.task, description: item.description, entry: item, contentHash, catalogVersion: catalog.catalogVersion };
      tx.insert(useCases)
        .values(row)
        .onConflictDoUpdate({ target: useCases.slug, set: { ...row, slug: sql`excluded.slug` } })
        .run();
      if (before === undefined) result.inserted++;
      else result.updated++;
    }
  });
  return result;
}
