import { index, pgTable, text } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/api-keys.ts. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    scope: text("scope", { enum: ["read", "write", "admin"] }).notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("api_keys_ws_idx").on(t.workspaceId, t.createdAt)],
);
