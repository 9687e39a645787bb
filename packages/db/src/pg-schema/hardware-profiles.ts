import { doublePrecision, index, integer, json, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/hardware-profiles.ts (SQLite `real` is an 8-byte float: double precision). */
export const hardwareProfiles = pgTable(
  "hardware_profiles",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    source: text("source").notNull(),
    backend: text("backend").notNull(),
    device: json("device").notNull(),
    backendInfo: json("backend_info").notNull(),
    ceilings: json("ceilings"),
    bandwidth: json("bandwidth"),
    sgemm: json("sgemm"),
    measuredBy: text("measured_by"),
    matmulFlopsPerS: doublePrecision("matmul_flops_per_s"),
    price: json("price"),
    runCount: integer("run_count").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("hardware_profiles_ws_fingerprint_idx").on(t.workspaceId, t.fingerprint),
    index("hardware_profiles_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
  ],
);
