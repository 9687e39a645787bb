import { index, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { hardwareProfiles } from "./hardware-profiles";
import { workspaces } from "./workspaces";

/**
 * Benchmark jobs (POST /v1/benchmarks): the suite requested, its status — queued, running, then
 * completed, failed, cancelled, or interrupted (the replica running it stopped sending heartbeats) —
 * progress, and the hardware profile the runs were stored against once the backend started.
 */
export const benchmarkJobs = sqliteTable(
  "benchmark_jobs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    suite: text("suite").notNull(),
    request: text("request", { mode: "json" }).notNull(),
    progressFraction: real("progress_fraction").notNull().default(0),
    currentItem: text("current_item"),
    hardwareProfileId: text("hardware_profile_id").references(() => hardwareProfiles.id, { onDelete: "set null" }),
    error: text("error"),
    /** Header of the suite result (device, backend, ceilings, load average) once it ended. */
    summary: text("summary", { mode: "json" }),
    createdAt: text("created_at").notNull(),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
    /**
     * The replica (service process: host, pid and a random part) that claimed the job and runs it;
     * null while queued. Every replica claims queued jobs when it has none running.
     */
    replicaId: text("replica_id"),
    /** When the running replica last said it is alive; a job whose heartbeat is older than the lease is marked interrupted. */
    heartbeatAt: text("heartbeat_at"),
    /** DELETE /v1/benchmarks/jobs/{id} reached a replica that does not run the job: the one that does stops it. */
    cancelRequestedAt: text("cancel_requested_at"),
  },
  (t) => [index("benchmark_jobs_ws_created_idx").on(t.workspaceId, t.createdAt, t.id), index("benchmark_jobs_status_idx").on(t.status)],
);

export type BenchmarkJobRow = typeof benchmarkJobs.$inferSelect;
