import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A tenant: every scenario, plan, estimate snapshot and benchmark job belongs to one. */
export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: text("created_at").notNull(),
});

export type WorkspaceRow = typeof workspaces.$inferSelect;
