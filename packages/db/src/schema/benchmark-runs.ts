import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { benchmarkJobs } from "./benchmark-jobs";
import { hardwareProfiles } from "./hardware-profiles";
import { workspaces } from "./workspaces";

/**
 * One measured (or failed) run: a model configuration, phase and batch size on a hardware profile,
 * per core or on the whole machine. The filterable figures have columns; `run` holds the whole
 * @modelplan/bench BenchRun. Runs of a job reference it; uploaded runs have no job.
 */
export const benchmarkRuns = sqliteTable(
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
    flopsPerStep: real("flops_per_step").notNull(),
    stepTimeMedianMs: real("step_time_median_ms"),
    cpuTimeMedianMs: real("cpu_time_median_ms"),
    samplesPerS: real("samples_per_s"),
    achievedFlopsPerS: real("achieved_flops_per_s"),
    fractionOfCeiling: real("fraction_of_ceiling"),
    run: text("run", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("benchmark_runs_ws_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("benchmark_runs_profile_idx").on(t.hardwareProfileId, t.family, t.phase),
    index("benchmark_runs_job_idx").on(t.jobId),
  ],
);

export type BenchmarkRunRow = typeof benchmarkRuns.$inferSelect;
