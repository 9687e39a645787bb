import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

/**
 * Product scenarios. `spec` holds the validated plan body (audience, usage, model, pricing, ...) as JSON;
 * `name` is a column of its own for filtering and sorting. `version` increases on every change and backs
 * the ETag / If-Match optimistic concurrency.
 */
export const scenarios = sqliteTable(
  "scenarios",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    spec: text("spec", { mode: "json" }).notNull(),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("scenarios_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
    index("scenarios_ws_name_idx").on(t.workspaceId, t.name, t.id),
  ],
);

export type ScenarioRow = typeof scenarios.$inferSelect;
