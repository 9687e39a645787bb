import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

/**
 * A measured machine: the fingerprint of its device, TensorFlow.js backend and versions
 * (@modelplan/bench profileFingerprint). Benchmark runs are stored against a profile; the latest
 * suite's matmul ceilings, memory bandwidth and sgemm limit are kept here with the job (or upload)
 * that measured them, so the profile can stand in for an accelerator in estimates.
 * `source` is "local" when this service's own jobs measured it, "upload" when a remote
 * `bench --server` posted it.
 */
export const hardwareProfiles = sqliteTable(
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
    device: text("device", { mode: "json" }).notNull(),
    backendInfo: text("backend_info", { mode: "json" }).notNull(),
    ceilings: text("ceilings", { mode: "json" }),
    bandwidth: text("bandwidth", { mode: "json" }),
    sgemm: text("sgemm", { mode: "json" }),
    /** Job (or upload) whose suite measured the ceilings above. */
    measuredBy: text("measured_by"),
    matmulFlopsPerS: real("matmul_flops_per_s"),
    /**
     * What an hour of the machine costs, set by PUT /v1/hardware-profiles/{id}/price: a cloud instance
     * type with its price per hour, or owned hardware with its TCO parts (@modelplan/planner
     * HardwarePrice), with `setAt`. Null until priced; kept when new runs are stored.
     */
    price: text("price", { mode: "json" }),
    runCount: integer("run_count").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("hardware_profiles_ws_fingerprint_idx").on(t.workspaceId, t.fingerprint),
    index("hardware_profiles_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
  ],
);

export type HardwareProfileRow = typeof hardwareProfiles.$inferSelect;
