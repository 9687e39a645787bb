import { QueueFullError } from "@modelplan/bench";
import { and, asc, count, eq, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { BenchmarkJobRow, Database } from "@modelplan/db";
import type { BenchmarkRequest } from "./benchmarks.repository";

/**
 * The benchmark job queue in the database, shared by every replica: a job is inserted `queued`; a
 * replica with no job running claims the next one (FOR UPDATE SKIP LOCKED on PostgreSQL, so two
 * replicas claiming at once take different jobs; on SQLite one UPDATE, atomic under its write lock), runs it and sends
 * heartbeats; a running job whose heartbeat is older than the lease is marked `interrupted` by any
 * replica (the one running it died).
 */

const PENDING = ["queued", "running"] as const;

/**
 * Admits and inserts a job: QueueFullError when the workspace (`maxPerWorkspace`) or the whole fleet
 * (`maxPending`) already has that many jobs queued or running. Counted and inserted in one transaction,
 * holding a lock on the queue (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write lock),
 * so two replicas cannot both admit past a limit.
 */
export async function admitJob(
  d: Database,
  job: { id: string; workspaceId: string; suite: string; request: BenchmarkRequest; createdAt: string },
  limits: { maxPerWorkspace: number; maxPending: number },
): Promise<void> {
  await d.transaction(async (tx) => {
    const { benchmarkJobs: j } = tx.tables;
    if (tx.dialect === "postgres") await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended('modelplan benchmark queue', 0)) AS locked`);
    const [own] = await tx.db.select({ n: count() }).from(j).where(and(eq(j.workspaceId, job.workspaceId), inArray(j.status, PENDING)));
    if ((own?.n ?? 0) >= limits.maxPerWorkspace) throw new QueueFullError("owner", limits.maxPerWorkspace);
    const [all] = await tx.db.select({ n: count() }).from(j).where(inArray(j.status, PENDING));
    if ((all?.n ?? 0) >= limits.maxPending) throw new QueueFullError("queue", limits.maxPending);
    await tx.db.insert(j).values({ ...job, status: "queued" });
  });
}

/**
 * Claims the next queued job for `replicaId` (status running, its heartbeat now), or returns undefined
 * when none is queued or every queued one is being claimed by another replica. Workspaces take turns:
 * the one whose last job started longest ago (or never) first, oldest job first within it.
 */
export async function claimNextJob(d: Database, replicaId: string, now: string): Promise<BenchmarkJobRow | undefined> {
  const pick = (q: Database) => {
    const { benchmarkJobs: j } = q.tables;
    // The candidate's workspace's last start (the inner table is aliased; the outer column is the candidate's).
    const lastStart = sql`(SELECT max(w.started_at) FROM benchmark_jobs w WHERE w.workspace_id = ${j.workspaceId})`;
    return q.db
      .select({ id: j.id })
      .from(j)
      .where(eq(j.status, "queued"))
      .orderBy(sql`${lastStart} ASC NULLS FIRST`, asc(j.createdAt), asc(j.id))
      .limit(1);
  };
  const take = async (q: Database, id: SQL | string) => {
    const { benchmarkJobs: j } = q.tables;
    const [row] = await q.db
      .update(j)
      .set({ status: "running", replicaId, heartbeatAt: now, startedAt: now })
      .where(and(typeof id === "string" ? eq(j.id, id) : sql`${j.id} = ${id}`, eq(j.status, "queued")))
      .returning();
    return row;
  };
  if (d.dialect === "sqlite") {
    // One statement (atomic under SQLite's write lock); no transaction, so a replica's periodic claim
    // never holds the connection's transaction open while requests run their statements.
    return take(d, sql`(${pick(d)})`);
  }
  return d.transaction(async (tx) => {
    // The row is locked until this transaction ends, and a row another replica's claim has locked is
    // skipped, not waited for.
    const [candidate] = await pick(tx).for("update", { skipLocked: true });
    return candidate ? take(tx, candidate.id) : undefined;
  });
}

/** The replica's running jobs are alive: their heartbeat is now. Returns those a cancel was requested for. */
export async function heartbeatJobs(d: Database, replicaId: string, now: string): Promise<{ id: string; cancelRequested: boolean }[]> {
  const { benchmarkJobs: j } = d.tables;
  const rows = await d.db
    .update(j)
    .set({ heartbeatAt: now })
    .where(and(eq(j.replicaId, replicaId), eq(j.status, "running")))
    .returning({ id: j.id, cancelRequestedAt: j.cancelRequestedAt });
  return rows.map((r) => ({ id: r.id, cancelRequested: r.cancelRequestedAt !== null }));
}

/**
 * Marks `interrupted` the running jobs whose replica stopped sending heartbeats (none since `staleBefore`,
 * or none at all: a job left by a version without heartbeats), other than `exceptReplica`'s own.
 */
export async function interruptStaleJobs(d: Database, staleBefore: string, now: string, exceptReplica?: string): Promise<string[]> {
  const { benchmarkJobs: j } = d.tables;
  const rows = await d.db
    .update(j)
    .set({ status: "interrupted", finishedAt: now, currentItem: null, error: "the service stopped while this job was running (the replica running it sent no heartbeat within the lease); submit it again" })
    .where(
      and(
        eq(j.status, "running"),
        or(isNull(j.heartbeatAt), lt(j.heartbeatAt, staleBefore)),
        exceptReplica ? or(isNull(j.replicaId), ne(j.replicaId, exceptReplica)) : undefined,
      ),
    )
    .returning({ id: j.id });
  return rows.map((r) => r.id);
}

/** Cancels a job still queued (no replica has claimed it); false when it is not queued any more. */
export async function cancelQueuedJob(d: Database, id: string, now: string): Promise<boolean> {
  const { benchmarkJobs: j } = d.tables;
  const rows = await d.db
    .update(j)
    .set({ status: "cancelled", finishedAt: now, currentItem: null })
    .where(and(eq(j.id, id), eq(j.status, "queued")))
    .returning({ id: j.id });
  return rows.length === 1;
}

/** Asks the replica running the job to stop it (it sees the request with its next heartbeat). */
export async function requestJobCancel(d: Database, id: string, now: string): Promise<boolean> {
  const { benchmarkJobs: j } = d.tables;
  const rows = await d.db
    .update(j)
    .set({ cancelRequestedAt: now })
    .where(and(eq(j.id, id), eq(j.status, "running"), isNull(j.cancelRequestedAt)))
    .returning({ id: j.id });
  return rows.length === 1;
}

/** The job's status and who runs it. */
export async function jobState(d: Database, id: string): Promise<{ status: string; replicaId: string | null } | undefined> {
  const { benchmarkJobs: j } = d.tables;
  const [row] = await d.db.select({ status: j.status, replicaId: j.replicaId }).from(j).where(eq(j.id, id)).limit(1);
  return row;
}
