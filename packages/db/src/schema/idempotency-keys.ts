import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

/**
 * Responses remembered for `Idempotency-Key` retries (draft-ietf-httpapi-idempotency-key-header):
 * the same key with the same body replays the stored response; with another body it is rejected.
 * Rows expire 24 h after `created_at` (IDEMPOTENCY_TTL_HOURS): an expired row is ignored and a sweep
 * deletes them in small batches (the index on `created_at`).
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    operation: text("operation").notNull(),
    requestHash: text("request_hash").notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: text("response_body").notNull(),
    responseHeaders: text("response_headers", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.operation, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);
