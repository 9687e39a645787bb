import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { scenarios } from "./scenarios";
import { workspaces } from "./workspaces";

/**
 * Startup plans computed for a scenario (POST /v1/scenarios/{id}/plan): the whole plan document
 * (@modelplan/planner's Plan) with the scenario version, the use-case catalog version and the
 * estimator catalog version it used, so a stored plan stays reproducible and explainable after the
 * scenario or the catalogs change. The headline columns let listings skip the document.
 *
 * `document_gzip` holds the plan as the API answers it (the StoredPlan JSON), gzip-compressed: a
 * 120-month plan over 20 use cases is 7.9 MB of JSON and 1.7 MB stored (docs/security.md), and it is
 * sent as stored to clients that accept gzip. `plan` (the document as JSON) is kept only by rows
 * written before (null in new rows). `stored_bytes` is what the row's document takes (the quota
 * counts it).
 */
export const plans = sqliteTable(
  "plans",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    scenarioId: text("scenario_id")
      .notNull()
      .references(() => scenarios.id, { onDelete: "cascade" }),
    scenarioVersion: integer("scenario_version").notNull(),
    catalogVersion: text("catalog_version").notNull(),
    estimatorCatalogVersion: text("estimator_catalog_version").notNull(),
    options: text("options", { mode: "json" }).notNull(),
    summary: text("summary", { mode: "json" }).notNull(),
    plan: text("plan", { mode: "json" }),
    documentGzip: blob("document_gzip", { mode: "buffer" }),
    storedBytes: integer("stored_bytes").notNull().default(0),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("plans_ws_scenario_created_idx").on(t.workspaceId, t.scenarioId, t.createdAt, t.id)],
);

export type PlanRow = typeof plans.$inferSelect;
