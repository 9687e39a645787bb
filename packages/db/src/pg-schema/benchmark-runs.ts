import { doublePrecision, index, integer, json, pgTable, text } from "drizzle-orm/pg-core";
import { benchmarkJobs } from "./benchmark-jobs";
import { hardwareProfiles } from "./hardware-profiles";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/benchmark-runs.ts. */
export const benchmarkRuns = pgTable(
  "benchmark_runs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    jobId: text("job_id").references(() => benchmarkJobs.id, { onDelete: "set null" }),
    hardwareProfileId: text("hardware_profile_id")
      .notNull()
      .references(() => hardwareProfiles.id, { onDelete: "cascade" }),
    family: text("family").notNull(),
    phase: text("phase").notNull(),
    mode: text("mode").notNull(),
    scope: text("scope").notNull(),
    batchSize: integer("batch_size").notNull(),
    workers: integer("workers").notNull(),
    status: text("status").notNull(),
    modelKey: text("model_key").notNull(),
    flopsPerStep: doublePrecision("flops_per_step").notNull(),
    stepTimeMedianMs: doublePrecision("step_time_median_ms"),
    cpuTimeMedianMs: doublePrecision("cpu_time_median_ms"),
    samplesPerS: doublePrecision("samples_per_s"),
    achievedFlopsPerS: doublePrecision("achieved_flops_per_s"),
    fractionOfCeiling: doublePrecision("fraction_of_ceiling"),
    run: json("run").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("benchmark_runs_ws_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("benchmark_runs_profile_idx").on(t.hardwareProfileId, t.family, t.phase),
    index("benchmark_runs_job_idx").on(t.jobId),
  ],
);
