import { doublePrecision, index, json, pgTable, text } from "drizzle-orm/pg-core";
import { hardwareProfiles } from "./hardware-profiles";
import { workspaces } from "./workspaces";

/** PostgreSQL twin of ../schema/benchmark-jobs.ts. */
export const benchmarkJobs = pgTable(
  "benchmark_jobs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    suite: text("suite").notNull(),
    request: json("request").notNull(),
    progressFraction: doublePrecision("progress_fraction").notNull().default(0),
    currentItem: text("current_item"),
    hardwareProfileId: text("hardware_profile_id").references(() => hardwareProfiles.id, { onDelete: "set null" }),
    error: text("error"),
    summary: json("summary"),
    createdAt: text("created_at").notNull(),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
    replicaId: text("replica_id"),
    heartbeatAt: text("heartbeat_at"),
    cancelRequestedAt: text("cancel_requested_at"),
  },
  (t) => [index("benchmark_jobs_ws_created_idx").on(t.workspaceId, t.createdAt, t.id), index("benchmark_jobs_status_idx").on(t.status)],
);
