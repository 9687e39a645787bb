import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { scenarios } from "./scenarios";
import { workspaces } from "./workspaces";

/**
 * Estimates computed for a scenario (POST /v1/scenarios/{id}/estimates): a snapshot of what the
 * estimation engine answered for the scenario's model strategy at its peak traffic, with the scenario
 * version and the catalog version it used, so an old estimate stays explainable after catalogs change.
 * `result` holds the whole response body as JSON (inputs sent to the engine and its outputs).
 */
export const estimates = sqliteTable(
  "estimates",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    scenarioId: text("scenario_id")
      .notNull()
      .references(() => scenarios.id, { onDelete: "cascade" }),
    scenarioVersion: integer("scenario_version").notNull(),
    strategy: text("strategy").notNull(),
    catalogVersion: text("catalog_version").notNull(),
    result: text("result", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("estimates_ws_scenario_created_idx").on(t.workspaceId, t.scenarioId, t.createdAt, t.id)],
);

export type EstimateRow = typeof estimates.$inferSelect;
