import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The use-case catalog, loaded from packages/db/seed/use-cases.json at start-up. The searchable columns are
 * denormalised; `entry` holds the whole catalog entry as JSON.
 */
export const useCases = sqliteTable(
  "use_cases",
  {
    slug: text("slug").primaryKey(),
    title: text("title").notNull(),
    domain: text("domain").notNull(),
    task: text("task").notNull(),
    description: text("description").notNull(),
    entry: text("entry", { mode: "json" }).notNull(),
    contentHash: text("content_hash").notNull(),
    catalogVersion: text("catalog_version").notNull(),
  },
  (t) => [index("use_cases_domain_idx").on(t.domain, t.slug)],
);

export type UseCaseRow = typeof useCases.$inferSelect;
