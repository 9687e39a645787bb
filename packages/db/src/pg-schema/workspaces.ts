import { pgTable, text } from "drizzle-orm/pg-core";

/** PostgreSQL twin of ../schema/workspaces.ts (the meaning of each column is documented there). */
export const workspaces = pgTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: text("created_at").notNull(),
});
