import { index, integer, json, pgTable, text } from "drizzle-orm/pg-core";
import { scenarios } from "./scenarios";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/plans.ts. */
export const plans = pgTable(
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
    options: json("options").notNull(),
    summary: json("summary").notNull(),
    plan: json("plan").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("plans_ws_scenario_created_idx").on(t.workspaceId, t.scenarioId, t.createdAt, t.id)],
);
