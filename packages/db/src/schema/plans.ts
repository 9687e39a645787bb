import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { scenarios } from "./scenarios";
import { workspaces } from "./workspaces";

/**
 * Startup plans computed for a scenario (POST /v1/scenarios/{id}/plan): the whole plan document
 * (@modelplan/planner's Plan) with the scenario version, the use-case catalog version and the
 * estimator catalog version it used, so a stored plan stays reproducible and explainable after the
 * scenario or the catalogs change. The headline columns let listings skip the document.
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
    plan: text("plan", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("plans_ws_scenario_created_idx").on(t.workspaceId, t.scenarioId, t.createdAt, t.id)],
);

export type PlanRow = typeof plans.$inferSelect;
