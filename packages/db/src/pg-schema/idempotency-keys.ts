import { index, integer, json, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/idempotency-keys.ts. */
export const idempotencyKeys = pgTable(
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
    responseHeaders: json("response_headers").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.operation, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);
