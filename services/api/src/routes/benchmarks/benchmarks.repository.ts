import { createHash, randomUUID } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { CALIBRATION_TIME_BASIS, toCalibrationRun, type BenchRun, type CalibrationRun, type DeviceInfo, type ProfileBackend, type SuiteResult, type WebGpuProbes } from "@modelplan/bench";
import type { BenchmarkJobRow, BenchmarkRunRow, Database, HardwareProfileRow, Tables } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
import { lockWorkspace } from "../../lib/workspace-lock";
import { storedPrice, toPriceDto } from "../hardware-prices/hardware-prices.repository";
import type { z } from "@hono/zod-openapi";
import type { BenchmarkJobSchema, BenchmarkRequestSchema, BenchmarkRunSchema, HardwareProfileSchema, RunsQuerySchema } from "./benchmarks.schemas";
import { keepBestMeasurements, type StoredBandwidths, type StoredCeiling, type StoredCeilings, type StoredSgemm } from "./profile-measurements";

export type { StoredCeilings } from "./profile-measurements";

export type BenchmarkJobDto = z.infer<typeof BenchmarkJobSchema>;
export type BenchmarkRunDto = z.infer<typeof BenchmarkRunSchema>;
export type HardwareProfileDto = z.infer<typeof HardwareProfileSchema>;
export type BenchmarkRequest = z.infer<typeof BenchmarkRequestSchema>;
export type RunsQuery = z.infer<typeof RunsQuerySchema>;

const hex = (n: number) => randomUUID().replace(/-/g, "").slice(0, n);
export const newJobId = () => `bjob_${hex(24)}`;
export const newRunId = () => `brun_${hex(24)}`;
export const newProfileId = () => `hwp_${hex(20)}`;

// ---------------------------------------------------------------- jobs

export async function insertJob(d: Database, workspaceId: string, id: string, suite: string, request: BenchmarkRequest, createdAt: string): Promise<void> {
  await d.db.insert(d.tables.benchmarkJobs).values({ id, workspaceId, status: "queued", suite, request, createdAt });
}

export async function updateJob(d: Database, id: string, values: Partial<Tables["benchmarkJobs"]["$inferInsert"]>): Promise<void> {
  const { benchmarkJobs } = d.tables;
  await d.db.update(benchmarkJobs).set(values).where(eq(benchmarkJobs.id, id));
}

export async function findJob(d: Database, workspaceId: string, id: string): Promise<BenchmarkJobRow | undefined> {
  const { benchmarkJobs } = d.tables;
  const [row] = await d.db.select().from(benchmarkJobs).where(and(eq(benchmarkJobs.workspaceId, workspaceId), eq(benchmarkJobs.id, id))).limit(1);
  return row;
}

export function toJobDto(row: BenchmarkJobRow, runs: BenchmarkRunDto[]): BenchmarkJobDto {
  return {
    id: row.id,
    status: row.status as BenchmarkJobDto["status"],
    suite: row.suite,
    request: row.request as BenchmarkRequest,
    progress: { fraction: row.progressFraction, current: row.currentItem },
    hardwareProfileId: row.hardwareProfileId,
    error: row.error,
    runs,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

// ---------------------------------------------------------------- hardware profiles

/** "GPU · CPU ×cores · backend": the GPU part only for a profile that computes on a GPU. */
function profileName(device: DeviceInfo, backend: ProfileBackend): string {
  const adapter = device.gpuAdapter;
  const gpu =
    device.kind === "gpu"
      ? adapter
        ? `${adapter.description || adapter.device || adapter.vendor} · `
        : device.gpus.length > 0
          ? `${device.gpus.length > 1 ? `${device.gpus.length}× ` : ""}${device.gpus[0].name} · `
          : ""
      : "";
  const emulated = device.emulation ? ` (${adapter?.description ? `${adapter.description.split(":")[0]}: ` : ""}${device.emulation})` : "";
  return `${gpu}${device.cpuModel} ×${device.logicalCores} · ${backend.choice}${emulated}`;
}

/**
 * The workspace's profile of this fingerprint, created on first sight: one INSERT … ON CONFLICT DO
 * UPDATE on (workspace, fingerprint), which also locks the row until the caller's transaction ends (so
 * two uploads to one profile check its run count one after the other, on every replica).
 */
export async function upsertProfile(
  d: Database,
  workspaceId: string,
  fingerprint: string,
  device: DeviceInfo,
  backend: ProfileBackend,
  source: "local" | "upload",
  now: string,
): Promise<HardwareProfileRow> {
  const { hardwareProfiles } = d.tables;
  const row: Tables["hardwareProfiles"]["$inferInsert"] = {
    id: newProfileId(),
    workspaceId,
    fingerprint,
    name: profileName(device, backend),
    kind: device.kind,
    source,
    backend: backend.choice,
    device,
    backendInfo: backend,
    runCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  const [stored] = await d.db
    .insert(hardwareProfiles)
    .values(row)
    .onConflictDoUpdate({
      target: [hardwareProfiles.workspaceId, hardwareProfiles.fingerprint],
      set: { updatedAt: now, device, backendInfo: backend, ...(source === "local" ? { source } : {}) },
    })
    .returning();
  return stored;
}

/**
 * What storing a suite keeps: the profile's fingerprint, machine and backend, and the suite's probes.
 * A SuiteResult of the bench CLI is one; so is an upload (POST /v1/benchmarks/results), which need not
 * carry what only the measuring machine uses (backend attempts, load average…).
 */
export type StoredSuite = Pick<SuiteResult, "fingerprint" | "device" | "sgemm"> & {
  backend: ProfileBackend;
  ceilings: { perCore?: StoredCeiling; wholeMachine?: StoredCeiling };
  bandwidth?: SuiteResult["bandwidth"];
  webgpuProbes?: WebGpuProbes;
};

/**
 * Merge a suite's ceilings, bandwidth, sgemm limit and WebGPU probes into the profile's: per scope the
 * highest any suite measured, each with the suite that measured it, and the peak (matmulFlopsPerS) the
 * whole-machine ceiling — a suite that measured less, or only per core, lowers nothing
 * (profile-measurements.ts, keepBestMeasurements). Reads and writes the row in one transaction (the
 * caller's, when called in one), the row locked on PostgreSQL.
 */
export function recordProfileMeasurements(d: Database, profileId: string, result: StoredSuite, measuredBy: string, now: string): Promise<void> {
  return d.transaction(async (tx) => {
    const { hardwareProfiles } = tx.tables;
    const select = tx.db
      .select({ ceilings: hardwareProfiles.ceilings, bandwidth: hardwareProfiles.bandwidth, sgemm: hardwareProfiles.sgemm, matmulFlopsPerS: hardwareProfiles.matmulFlopsPerS, measuredBy: hardwareProfiles.measuredBy })
      .from(hardwareProfiles)
      .where(eq(hardwareProfiles.id, profileId));
    const [row] = tx.dialect === "postgres" ? await select.for("update") : await select;
    if (!row) return;
    const kept = keepBestMeasurements(
      {
        ceilings: row.ceilings as StoredCeilings | null,
        bandwidth: row.bandwidth as StoredBandwidths | null,
        sgemm: row.sgemm as StoredSgemm | null,
        matmulFlopsPerS: row.matmulFlopsPerS,
        measuredBy: row.measuredBy,
      },
      { ceilings: result.ceilings, bandwidth: result.bandwidth, sgemm: result.sgemm, webgpuProbes: result.webgpuProbes },
      measuredBy,
      now,
    );
    await tx.db
      .update(hardwareProfiles)
      .set({ ceilings: kept.ceilings, bandwidth: kept.bandwidth ?? {}, sgemm: kept.sgemm, measuredBy: kept.measuredBy, matmulFlopsPerS: kept.matmulFlopsPerS, updatedAt: now })
      .where(eq(hardwareProfiles.id, profileId));
  });
}

/** A profile row as the "local" choice reads it: emulated or not, and its whole-machine matmul ceiling. */
export function isEmulatedProfile(row: Pick<HardwareProfileRow, "device" | "backendInfo">): boolean {
  return Boolean((row.device as Partial<DeviceInfo>).emulation || (row.backendInfo as Partial<ProfileBackend>).emulation);
}

/** At most this many of a workspace's local profiles are compared for `local` (newest first). */
const LOCAL_CANDIDATES = 200;

export interface LocalChoice {
  row: HardwareProfileRow | undefined;
  /** Why this profile is `local` (or, without one, why none is). */
  reason: string;
}

/**
 * What `local` means: the fastest profile measured on this service's own machine (source "local": the
 * service's jobs, or `npm run bench` storing into its database) that is not software emulation — the
 * highest whole-machine float32 matmul ceiling, the newest on a tie. A lavapipe/SwiftShader profile is
 * never `local`; name it by id to use it.
 */
export async function chooseLocalProfile(d: Database, workspaceId: string): Promise<LocalChoice> {
  const { hardwareProfiles } = d.tables;
  const rows = await d.db
    .select()
    .from(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.source, "local")))
    .orderBy(desc(hardwareProfiles.updatedAt), desc(hardwareProfiles.id))
    .limit(LOCAL_CANDIDATES);
  if (rows.length === 0) return { row: undefined, reason: "no hardware profile has been measured on this service's machine yet (POST /v1/benchmarks, or `npm run bench`)" };
  const emulated = rows.filter(isEmulatedProfile);
  const real = rows.filter((r) => !isEmulatedProfile(r));
  const gflops = (r: HardwareProfileRow) => (r.matmulFlopsPerS ? `${(r.matmulFlopsPerS / 1e9).toPrecision(3)} GFLOP/s` : "no ceiling measured");
  const skipped = emulated.length ? `; not considered, software GPU emulation: ${emulated.map((r) => `${r.id} (${r.name})`).join(", ")}` : "";
  if (real.length === 0) {
    return { row: undefined, reason: `the only profiles measured on this machine are software GPU emulation, which is never "local": ${emulated.map((r) => `${r.id} (${r.name})`).join(", ")}; name one by its id to use it anyway` };
  }
  // Rows are newest first, so the first of the fastest is the newest on a tie.
  const chosen = real.reduce((best, r) => ((r.matmulFlopsPerS ?? 0) > (best.matmulFlopsPerS ?? 0) ? r : best));
  const others = real.filter((r) => r !== chosen);
  const reason =
    `"local" is ${chosen.id} (${chosen.name}): ` +
    (others.length === 0
      ? `the only profile measured on this service's machine that is not software emulation (matmul ceiling ${gflops(chosen)} float32)`
      : `the fastest of the ${real.length} profiles measured on this service's machine that are not software emulation, by whole-machine float32 matmul ceiling: ${gflops(chosen)} against ${others.map((r) => `${r.id} ${gflops(r)}`).join(", ")}`) +
    skipped;
  return { row: chosen, reason };
}

export async function findProfile(d: Database, workspaceId: string, idOrLocal: string): Promise<HardwareProfileRow | undefined> {
  if (idOrLocal === "local") return (await chooseLocalProfile(d, workspaceId)).row;
  const { hardwareProfiles } = d.tables;
  const [row] = await d.db.select().from(hardwareProfiles).where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.id, idOrLocal))).limit(1);
  return row;
}

/** A profile by id, whatever its workspace (for the job queue, which knows its jobs' workspaces). */
export async function findProfileById(d: Database, id: string): Promise<HardwareProfileRow | undefined> {
  const { hardwareProfiles } = d.tables;
  const [row] = await d.db.select().from(hardwareProfiles).where(eq(hardwareProfiles.id, id)).limit(1);
  return row;
}

/** The workspace's profile of this fingerprint, if any (uploads check its room before storing). */
export async function findProfileByFingerprint(d: Database, workspaceId: string, fingerprint: string): Promise<HardwareProfileRow | undefined> {
  const { hardwareProfiles } = d.tables;
  const [row] = await d.db
    .select()
    .from(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.fingerprint, fingerprint)))
    .limit(1);
  return row;
}

/**
 * Deletes a profile of the workspace and its runs (the foreign key cascades; jobs keep their row with
 * the profile unset). Returns false when the workspace has no such profile.
 */
export async function deleteProfile(d: Database, workspaceId: string, id: string): Promise<boolean> {
  const { hardwareProfiles } = d.tables;
  const deleted = await d.db
    .delete(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.id, id)))
    .returning({ id: hardwareProfiles.id });
  return deleted.length > 0;
}

/** A running job of the workspace storing runs on this profile, if any. */
export async function runningJobOnProfile(d: Database, workspaceId: string, profileId: string): Promise<BenchmarkJobRow | undefined> {
  const { benchmarkJobs } = d.tables;
  const [row] = await d.db
    .select()
    .from(benchmarkJobs)
    .where(and(eq(benchmarkJobs.workspaceId, workspaceId), eq(benchmarkJobs.hardwareProfileId, profileId), eq(benchmarkJobs.status, "running")))
    .limit(1);
  return row;
}

export async function listProfiles(d: Database, workspaceId: string, page: { limit: number; cursor?: string }): Promise<{ items: HardwareProfileDto[]; nextCursor: string | null }> {
  const { hardwareProfiles } = d.tables;
  const keyset = { sort: hardwareProfiles.updatedAt, id: hardwareProfiles.id, descending: true, keyOf: (r: HardwareProfileRow) => [r.updatedAt, r.id] as const };
  const { rows, nextCursor } = await keysetPage(page, keyset, ({ after, orderBy, limit }) =>
    d.db
      .select()
      .from(hardwareProfiles)
      .where(and(eq(hardwareProfiles.workspaceId, workspaceId), after))
      .orderBy(...orderBy)
      .limit(limit),
  );
  return { items: rows.map((r) => toProfileDto(r)), nextCursor };
}

/**
 * A stored ceiling as the API shows it. `basis`: "probe" (the matmul probe's rate) or "best-observed" (a
 * run beat the probe, and its rate is the ceiling); ceilings stored before the basis was recorded are the
 * probe's, and say so. `measuredBy`: the suite that measured it (ceilings stored before that was kept
 * came from the suite the profile names).
 */
function ceilingDto(c: StoredCeiling | undefined, profileMeasuredBy: string | null) {
  if (!c) return undefined;
  const basis = c.basis ?? "probe";
  return {
    scope: c.scope,
    workers: c.workers,
    precision: c.precision,
    flopsPerS: c.flopsPerS,
    cpuFlopsPerS: c.cpuFlopsPerS ?? c.flopsPerS,
    bestN: c.bestN,
    basis,
    probedFlopsPerS: c.probedFlopsPerS ?? c.flopsPerS,
    bestObserved: basis === "best-observed" && c.bestObserved ? c.bestObserved : null,
    measuredBy: c.measuredBy ?? profileMeasuredBy,
  };
}

function priceOf(row: HardwareProfileRow): HardwareProfileDto["price"] {
  const stored = storedPrice(row);
  return stored ? toPriceDto(row.id, stored) : null;
}

export function toProfileDto(row: HardwareProfileRow, chosenAsLocal?: string): HardwareProfileDto {
  const device = row.device as DeviceInfo;
  const backend = row.backendInfo as ProfileBackend;
  const ceilings = row.ceilings as StoredCeilings | null;
  const bandwidth = row.bandwidth as { perCore?: { bytesPerS: number }; wholeMachine?: { bytesPerS: number } } | null;
  const sgemm = row.sgemm as { perCoreFlopsPerS: number; wholeMachineFlopsPerS: number; tool: string; method: string } | null;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as "cpu" | "gpu",
    source: row.source as "local" | "upload",
    fingerprint: row.fingerprint,
    backend: row.backend,
    device: {
      cpuModel: device.cpuModel,
      logicalCores: device.logicalCores,
      memoryBytes: device.memoryBytes,
      gpus: device.gpus ?? [],
      ...(device.gpuAdapter ? { gpuAdapter: device.gpuAdapter } : {}),
      ...(device.gpuMemory ? { gpuMemory: device.gpuMemory } : {}),
      ...(device.emulation ? { emulation: device.emulation } : {}),
    },
    versions: backend.versions ?? {},
    ceilings: ceilings ? { perCore: ceilingDto(ceilings.perCore, row.measuredBy), wholeMachine: ceilingDto(ceilings.wholeMachine, row.measuredBy) } : null,
    webgpuProbes: ceilings?.webgpuProbes ? (({ measuredBy: _by, storedAt: _at, ...probes }) => probes)(ceilings.webgpuProbes) : null,
    bandwidthBytesPerS: (bandwidth?.wholeMachine ?? bandwidth?.perCore)?.bytesPerS ?? null,
    sgemm: sgemm ? { perCoreFlopsPerS: sgemm.perCoreFlopsPerS, wholeMachineFlopsPerS: sgemm.wholeMachineFlopsPerS, tool: sgemm.tool, method: sgemm.method } : null,
    measuredBy: row.measuredBy,
    price: priceOf(row),
    runCount: row.runCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(chosenAsLocal ? { chosenAsLocal } : {}),
  };
}

// ---------------------------------------------------------------- runs

/**
 * Store a measured suite in one transaction: the workspace's profile of its fingerprint (created on
 * first sight), every run, and the suite's ceilings on the profile. For uploads (POST
 * /v1/benchmarks/results, runs checked first) and for the bench CLI writing to the service's database
 * (`npm run bench`). The runs of one call share a timestamp, hence one calibration session.
 */
export function storeSuiteResult(
  d: Database,
  workspaceId: string,
  result: StoredSuite,
  runs: readonly BenchRun[],
  source: "local" | "upload",
  measuredBy: string,
  now: string,
  /** checked in the transaction (`tx`) with the profile's stored run count: an error to refuse the store */
  refuse?: (storedRuns: number, tx: Database) => Promise<Error | undefined>,
): Promise<{ profileId: string; runIds: string[] }> {
  return d.transaction(async (tx) => {
    // The upsert locks the profile's row (created or not) until the commit: the run count checked
    // below is the one this transaction adds to.
    // The workspace's quota counts runs over all its profiles: uploads to other profiles of the
    // workspace wait here (PostgreSQL; SQLite's write lock already orders every writer).
    if (refuse) await lockWorkspace(tx, workspaceId);
    const profile = await upsertProfile(tx, workspaceId, result.fingerprint, result.device, result.backend, source, now);
    const refusal = await refuse?.(profile.runCount, tx);
    if (refusal) throw refusal;
    const runIds = await insertRuns(tx, workspaceId, profile.id, null, runs, now);
    await recordProfileMeasurements(tx, profile.id, result, measuredBy, now);
    return { profileId: profile.id, runIds };
  });
}

function runRow(workspaceId: string, profileId: string, jobId: string | null, run: BenchRun, now: string): Tables["benchmarkRuns"]["$inferInsert"] {
  return {
    id: newRunId(),
    workspaceId,
    jobId,
    hardwareProfileId: profileId,
    family: run.family,
    phase: run.phase,
    mode: run.mode,
    scope: run.scope,
    batchSize: run.batchSize,
    workers: run.workers,
    status: run.status,
    modelKey: run.modelKey,
    flopsPerStep: run.flopsPerStep,
    stepTimeMedianMs: run.stepTime?.medianMs ?? null,
    cpuTimeMedianMs: run.cpuTime?.medianMs ?? null,
    samplesPerS: run.samplesPerS ?? null,
    achievedFlopsPerS: run.achievedFlopsPerS ?? null,
    fractionOfCeiling: run.fractionOfCeiling ?? null,
    run,
    createdAt: now,
  };
}

export async function insertRun(d: Database, workspaceId: string, profileId: string, jobId: string | null, run: BenchRun, now: string): Promise<string> {
  return (await insertRuns(d, workspaceId, profileId, jobId, [run], now))[0];
}

/** Rows per multi-row INSERT on PostgreSQL. */
const ROWS_PER_INSERT = 500;

/** One run row's columns as named placeholders: the statement insertRuns prepares once per call and binds per row. */
const RUN_ROW_PLACEHOLDERS = {
  id: sql.placeholder("id"),
  workspaceId: sql.placeholder("workspaceId"),
  jobId: sql.placeholder("jobId"),
  hardwareProfileId: sql.placeholder("hardwareProfileId"),
  family: sql.placeholder("family"),
  phase: sql.placeholder("phase"),
  mode: sql.placeholder("mode"),
  scope: sql.placeholder("scope"),
  batchSize: sql.placeholder("batchSize"),
  workers: sql.placeholder("workers"),
  status: sql.placeholder("status"),
  modelKey: sql.placeholder("modelKey"),
  flopsPerStep: sql.placeholder("flopsPerStep"),
  stepTimeMedianMs: sql.placeholder("stepTimeMedianMs"),
  cpuTimeMedianMs: sql.placeholder("cpuTimeMedianMs"),
  samplesPerS: sql.placeholder("samplesPerS"),
  achievedFlopsPerS: sql.placeholder("achievedFlopsPerS"),
  fractionOfCeiling: sql.placeholder("fractionOfCeiling"),
  run: sql.placeholder("run"),
  createdAt: sql.placeholder("createdAt"),
};

/**
 * Stores runs of a profile and raises its run count (in the caller's transaction). Returns their ids.
 * One prepared single-row statement bound per row: drizzle builds a multi-row INSERT's SQL text over every
 * row's parameters on each call, which held the event loop 20–120 ms for an upload's 250 runs on the
 * development VM, against 3–10 ms for the prepared statement (the abuse run's upload attack timed /health).
 */
export async function insertRuns(d: Database, workspaceId: string, profileId: string, jobId: string | null, runs: readonly BenchRun[], now: string): Promise<string[]> {
  const { benchmarkRuns, hardwareProfiles } = d.tables;
  const rows = runs.map((run) => runRow(workspaceId, profileId, jobId, run, now));
  if (d.dialect === "sqlite") {
    // One prepared single-row statement bound per row (see above).
    const insert = d.db.insert(benchmarkRuns).values(RUN_ROW_PLACEHOLDERS).prepare("insert_benchmark_run");
    for (const row of rows) await insert.execute(row);
  } else {
    // PostgreSQL: multi-row INSERTs (65,535 parameters per statement; a run row binds 20), one round trip each.
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await d.db.insert(benchmarkRuns).values(rows.slice(i, i + ROWS_PER_INSERT));
  }
  await d.db
    .update(hardwareProfiles)
    .set({ runCount: sql`${hardwareProfiles.runCount} + ${rows.length}` })
    .where(eq(hardwareProfiles.id, profileId));
  return rows.map((r) => r.id);
}

/**
 * A job's runs are stored as each is measured, against the ceiling of that moment; a run measured later
 * may raise the ceiling (basis "best-observed"), and the suite then restates every run's share of the
 * final ceiling. This writes the restated shares onto the job's stored runs (column and record), matched
 * by configuration, phase, mode, batch and scope (unique within a suite). Returns the rows changed.
 */
export async function restateRunFractions(d: Database, jobId: string, runs: readonly BenchRun[]): Promise<number> {
  const final = new Map(runs.filter((r) => r.status === "ok").map((r) => [`${r.modelKey}|${r.phase}|${r.mode}|${r.batchSize}|${r.scope}`, r.fractionOfCeiling]));
  return d.transaction(async (tx) => {
    const { benchmarkRuns } = tx.tables;
    const rows = await tx.db.select().from(benchmarkRuns).where(eq(benchmarkRuns.jobId, jobId));
    let changed = 0;
    for (const row of rows) {
      if (row.status !== "ok") continue;
      const fraction = final.get(`${row.modelKey}|${row.phase}|${row.mode}|${row.batchSize}|${row.scope}`);
      if (fraction === undefined || fraction === row.fractionOfCeiling) continue;
      const run = { ...(row.run as BenchRun), fractionOfCeiling: fraction };
      await tx.db.update(benchmarkRuns).set({ fractionOfCeiling: fraction, run }).where(eq(benchmarkRuns.id, row.id));
      changed++;
    }
    return changed;
  });
}

/** A run of the workspace, or undefined. */
export async function findRun(d: Database, workspaceId: string, id: string): Promise<BenchmarkRunRow | undefined> {
  const { benchmarkRuns } = d.tables;
  const [row] = await d.db.select().from(benchmarkRuns).where(and(eq(benchmarkRuns.workspaceId, workspaceId), eq(benchmarkRuns.id, id))).limit(1);
  return row;
}

/** Runs (ok and failed) the workspace holds over all its hardware profiles: their run counts summed. */
export async function workspaceRunCount(d: Database, workspaceId: string): Promise<number> {
  const { hardwareProfiles } = d.tables;
  const [row] = await d.db
    .select({ n: sql<number>`coalesce(sum(${hardwareProfiles.runCount}), 0)`.mapWith(Number) })
    .from(hardwareProfiles)
    .where(eq(hardwareProfiles.workspaceId, workspaceId));
  return row?.n ?? 0;
}

/** Deletes a run of the workspace and lowers its profile's run count; false when there is no such run. */
export function deleteRun(d: Database, workspaceId: string, id: string): Promise<boolean> {
  return d.transaction(async (tx) => {
    const { benchmarkRuns, hardwareProfiles } = tx.tables;
    const [row] = await tx.db
      .delete(benchmarkRuns)
      .where(and(eq(benchmarkRuns.workspaceId, workspaceId), eq(benchmarkRuns.id, id)))
      .returning({ profileId: benchmarkRuns.hardwareProfileId });
    if (!row) return false;
    await tx.db
      .update(hardwareProfiles)
      .set({ runCount: sql`CASE WHEN ${hardwareProfiles.runCount} > 0 THEN ${hardwareProfiles.runCount} - 1 ELSE 0 END` })
      .where(eq(hardwareProfiles.id, row.profileId));
    return true;
  });
}

export function toRunDto(row: BenchmarkRunRow): BenchmarkRunDto {
  const run = row.run as BenchRun;
  return {
    ...run,
    id: row.id,
    jobId: row.jobId,
    hardwareProfileId: row.hardwareProfileId,
    createdAt: row.createdAt,
  };
}

export async function runsOfJob(d: Database, jobId: string): Promise<BenchmarkRunDto[]> {
  const { benchmarkRuns } = d.tables;
  return (await d.db.select().from(benchmarkRuns).where(eq(benchmarkRuns.jobId, jobId)).orderBy(benchmarkRuns.createdAt, benchmarkRuns.id)).map(toRunDto);
}

export async function listRuns(
  d: Database,
  workspaceId: string,
  filters: RunsQuery,
  page: { limit: number; cursor?: string },
): Promise<{ items: BenchmarkRunDto[]; nextCursor: string | null }> {
  const { benchmarkRuns } = d.tables;
  const conditions = [eq(benchmarkRuns.workspaceId, workspaceId)];
  if (filters.hardwareProfileId) conditions.push(eq(benchmarkRuns.hardwareProfileId, filters.hardwareProfileId));
  if (filters.family) conditions.push(eq(benchmarkRuns.family, filters.family));
  if (filters.phase) conditions.push(eq(benchmarkRuns.phase, filters.phase));
  if (filters.scope) conditions.push(eq(benchmarkRuns.scope, filters.scope));
  if (filters.status) conditions.push(eq(benchmarkRuns.status, filters.status));
  if (filters.jobId) conditions.push(eq(benchmarkRuns.jobId, filters.jobId));
  const keyset = { sort: benchmarkRuns.createdAt, id: benchmarkRuns.id, descending: true, keyOf: (r: BenchmarkRunRow) => [r.createdAt, r.id] as const };
  const { rows, nextCursor } = await keysetPage(page, keyset, ({ after, orderBy, limit }) =>
    d.db
      .select()
      .from(benchmarkRuns)
      .where(and(...conditions, after))
      .orderBy(...orderBy)
      .limit(limit),
  );
  return { items: rows.map(toRunDto), nextCursor };
}

/**
 * The profile's ok runs as calibration input (time basis: calibration-input.ts, CALIBRATION_TIME_BASIS).
 * Each run's session (the runs measured together, which share the machine's speed of the moment;
 * CalibrationRun.session) is its job's id, or for uploaded runs (no job) `upload <createdAt>`: the runs of
 * one upload are stored in one transaction with one timestamp.
 */
export async function calibrationRuns(d: Database, profile: HardwareProfileRow): Promise<{ runs: CalibrationRun[]; timeBasis: typeof CALIBRATION_TIME_BASIS }> {
  const { benchmarkRuns } = d.tables;
  const rows = await d.db
    .select({ id: benchmarkRuns.id, run: benchmarkRuns.run, jobId: benchmarkRuns.jobId, createdAt: benchmarkRuns.createdAt })
    .from(benchmarkRuns)
    .where(and(eq(benchmarkRuns.hardwareProfileId, profile.id), eq(benchmarkRuns.status, "ok")))
    .orderBy(benchmarkRuns.createdAt, benchmarkRuns.id);
  return {
    runs: rows.flatMap((r) => toCalibrationRun(r.id, r.run as BenchRun, r.jobId ?? `upload ${r.createdAt}`) ?? []),
    timeBasis: CALIBRATION_TIME_BASIS,
  };
}

/**
 * The profile's version as calibration sees it: the ids of its ok runs in calibration order, hashed. A
 * stored run never changes, so the same ids mean the same calibration input; any run stored or deleted
 * gives a new version. Reads only the ids (an index walk), so a cached report is found without parsing
 * any run.
 */
export async function calibrationVersion(d: Database, profileId: string): Promise<string> {
  const { benchmarkRuns } = d.tables;
  const rows = await d.db
    .select({ id: benchmarkRuns.id })
    .from(benchmarkRuns)
    .where(and(eq(benchmarkRuns.hardwareProfileId, profileId), eq(benchmarkRuns.status, "ok")))
    .orderBy(benchmarkRuns.createdAt, benchmarkRuns.id);
  const h = createHash("sha256").update(profileId);
  for (const r of rows) h.update(`\n${r.id}`);
  return h.digest("hex");
}

/** The profile's ok runs with their measured figures (for its accelerator description). */
export async function okRunsWithFigures(d: Database, profileId: string): Promise<(BenchRun & { id: string })[]> {
  const { benchmarkRuns } = d.tables;
  const rows = await d.db
    .select()
    .from(benchmarkRuns)
    .where(and(eq(benchmarkRuns.hardwareProfileId, profileId), eq(benchmarkRuns.status, "ok")));
  return rows.map((r) => ({ ...(r.run as BenchRun), id: r.id }));
}
