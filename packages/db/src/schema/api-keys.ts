import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

/**
 * API keys. Only the SHA-256 of a key is stored (keys are 192-bit random, so a fast hash is enough —
 * the same choice as unkey); `prefix` (the first characters) lets a user recognise a key in listings.
 */
export const apiKeys = sqliteTable(
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

export type ApiKeyRow = typeof apiKeys.$inferSelect;
