import { index, json, pgTable, text } from "drizzle-orm/pg-core";

/** PostgreSQL twin of ../schema/use-cases.ts. `json` (not jsonb) keeps the entry's text as loaded. */
export const useCases = pgTable(
  "use_cases",
  {
    slug: text("slug").primaryKey(),
    title: text("title").notNull(),
    domain: text("domain").notNull(),
    task: text("task").notNull(),
    description: text("description").notNull(),
    entry: json("entry").notNull(),
    contentHash: text("content_hash").notNull(),
    catalogVersion: text("catalog_version").notNull(),
  },
  (t) => [index("use_cases_domain_idx").on(t.domain, t.slug)],
);
