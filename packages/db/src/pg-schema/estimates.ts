import { index, integer, json, pgTable, text } from "drizzle-orm/pg-core";
import { scenarios } from "./scenarios";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/estimates.ts. */
export const estimates = pgTable(
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
    result: json("result").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("estimates_ws_scenario_created_idx").on(t.workspaceId, t.scenarioId, t.createdAt, t.id)],
);
