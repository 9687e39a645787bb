import { index, integer, json, pgTable, text } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/scenarios.ts. */
export const scenarios = pgTable(
  "scenarios",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    spec: json("spec").notNull(),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("scenarios_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
    index("scenarios_ws_name_idx").on(t.workspaceId, t.name, t.id),
  ],
);
