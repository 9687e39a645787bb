import type { Context } from "hono";
import type { Database } from "@modelplan/db";
import {
  BenchInputError,
  ACCURACY_SCOPE,
  CALIBRATION_TIME_BASIS,
  LOO_METHOD,
  QueueFullError,
  modelKey,
  checkPredictQuery,
  profileFingerprint,
  resolveModelSpec,
  resolveSuite,
  runHeader,
  type BenchRun,
  type RunScope,
} from "@modelplan/bench";
import { ApiError, invalidFieldsDetail, type ProblemFieldError } from "../../lib/problem";
import { quotaExceeded } from "../../lib/quota-exceeded";
import type { AppBindings, AppRouteHandler } from "../../lib/types";
import {
  calibrationRuns,
  calibrationVersion,
  chooseLocalProfile,
  deleteProfile,
  deleteRun,
  findJob,
  findProfile,
  findProfileByFingerprint,
  listProfiles,
  listRuns,
  newJobId,
  runningJobOnProfile,
  runsOfJob,
  storeSuiteResult,
  toJobDto,
  toProfileDto,
  workspaceRunCount,
} from "./benchmarks.repository";
import type {
  CancelBenchmarkJobRoute,
  CreateBenchmarkRoute,
  DeleteBenchmarkRunRoute,
  DeleteHardwareProfileRoute,
  GetBenchmarkJobRoute,
  GetHardwareProfileAccuracyRoute,
  GetHardwareProfileRoute,
  ListBenchmarkRunsRoute,
  ListHardwareProfilesRoute,
  PredictBenchmarkRoute,
  UploadBenchmarkResultsRoute,
} from "./benchmarks.routes";
import type { UploadedRun } from "./benchmarks.schemas";
import { benchFieldError } from "./benchmarks.references";
import { benchmarkService } from "./benchmarks.service";
import { callerGoneSignal } from "../../lib/caller-signal";
import { calibrationInput, leaveOneOutReport, prediction } from "./fitting";
import { JOB_QUEUE_RETRY_AFTER_S, benchmarkLimits } from "./limits";

/** The engine's typed input error → 422 naming the field (and the limit, in the message). */
function invalid(error: BenchInputError, rename?: (path: (string | number)[]) => (string | number)[]): ApiError {
  const field = benchFieldError(error, rename);
  return ApiError.invalidField(field.path, field.message);
}

function domain<T>(f: () => T, rename?: (path: (string | number)[]) => (string | number)[]): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof BenchInputError) throw invalid(error, rename);
    throw error;
  }
}

/** What the helpers read from a request's context: its variables (any route's context has them). */
type RequestVars = Pick<Context<AppBindings>, "get">;

const service = (c: RequestVars) => benchmarkService(c.get("db"), c.get("logger"), c.get("now"));

export const createBenchmark: AppRouteHandler<CreateBenchmarkRoute> = async (c) => {
  const request = c.req.valid("json");
  const plan = domain(() => resolveSuite(request));
  const id = newJobId();
  const workspaceId = c.get("workspaceId");
  const svc = service(c);
  try {
    await svc.submit(workspaceId, id, plan, request);
  } catch (error) {
    if (error instanceof BenchInputError) throw invalid(error);
    if (!(error instanceof QueueFullError)) throw error;
    const which = error.scope === "owner" ? "maxJobsPerWorkspace" : "maxJobsQueued";
    throw new ApiError(429, `Benchmark queue full: ${error.message} (${which} ${error.limit}).`, { headers: { "Retry-After": String(JOB_QUEUE_RETRY_AFTER_S) } });
  }
  const row = (await findJob(c.get("db"), workspaceId, id))!;
  return c.json(toJobDto(row, []), 202, { Location: `/v1/benchmarks/jobs/${id}` });
};

export const getBenchmarkJob: AppRouteHandler<GetBenchmarkJobRoute> = async (c) => {
  const { id } = c.req.valid("param");
  await service(c).ready; // start-up recovery has run before anything is read
  const row = await findJob(c.get("db"), c.get("workspaceId"), id);
  if (!row) throw ApiError.notFound("Benchmark job", id);
  return c.json(toJobDto(row, await runsOfJob(c.get("db"), id)), 200);
};

export const cancelBenchmarkJob: AppRouteHandler<CancelBenchmarkJobRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const svc = service(c);
  await svc.ready;
  const row = await findJob(db, workspaceId, id);
  if (!row) throw ApiError.notFound("Benchmark job", id);
  if (row.status !== "queued" && row.status !== "running") {
    throw new ApiError(409, `Benchmark job '${id}' has already ended (${row.status}); there is nothing to cancel.`);
  }
  await svc.cancel(id);
  const after = (await findJob(db, workspaceId, id))!;
  return c.json(toJobDto(after, await runsOfJob(db, id)), 200);
};

export const listBenchmarkRuns: AppRouteHandler<ListBenchmarkRunsRoute> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  return c.json(await listRuns(c.get("db"), c.get("workspaceId"), filters, { limit, cursor }), 200);
};

export const listHardwareProfiles: AppRouteHandler<ListHardwareProfilesRoute> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  return c.json(await listProfiles(c.get("db"), c.get("workspaceId"), { limit, cursor }), 200);
};

async function loadProfile(c: RequestVars, id: string) {
  if (id === "local") {
    const local = await chooseLocalProfile(c.get("db"), c.get("workspaceId"));
    if (!local.row) throw new ApiError(404, `No "local" hardware profile: ${local.reason}.`);
    return local.row;
  }
  const row = await findProfile(c.get("db"), c.get("workspaceId"), id);
  if (!row) throw ApiError.notFound("Hardware profile", id);
  return row;
}

export const getHardwareProfile: AppRouteHandler<GetHardwareProfileRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await loadProfile(c, id);
  return c.json(toProfileDto(row, id === "local" ? (await chooseLocalProfile(c.get("db"), c.get("workspaceId"))).reason : undefined), 200);
};

const TARGET_PCT = 10;
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** What the fitting needs of a request: its profile's version, its runs on demand, its limits and caller. */
async function fitRequest(c: Context<AppBindings>, profile: Awaited<ReturnType<typeof loadProfile>>) {
  const db = c.get("db");
  const version = await calibrationVersion(db, profile.id);
  return {
    version,
    workspaceId: c.get("workspaceId"),
    runs: () => calibrationInput(version, async () => (await calibrationRuns(db, profile)).runs),
    limits: benchmarkLimits(db),
    signal: callerGoneSignal(c),
  };
}

export const getHardwareProfileAccuracy: AppRouteHandler<GetHardwareProfileAccuracyRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const profile = await loadProfile(c, id);
  const timeBasis = CALIBRATION_TIME_BASIS;
  const loo = await leaveOneOutReport(await fitRequest(c, profile));
  const summary = (s: { n: number; medianAbsError: number | null; worstAbsError: number | null }) => ({
    n: s.n,
    medianAbsErrorPct: pct(s.medianAbsError),
    worstAbsErrorPct: pct(s.worstAbsError),
  });
  return c.json(
    {
      hardwareProfileId: profile.id,
      method: LOO_METHOD,
      describes: ACCURACY_SCOPE,
      timeBasis,
      targetMedianAbsErrorPct: TARGET_PCT,
      meetsTarget: loo.overall.medianAbsError === null ? null : loo.overall.medianAbsError * 100 <= TARGET_PCT,
      overall: summary(loo.overall),
      byFamily: Object.entries(loo.byFamily).map(([family, s]) => ({ family: family as BenchRun["family"], ...summary(s!) })),
      byScope: Object.entries(loo.byScope).map(([scope, s]) => ({ scope: scope as RunScope, ...summary(s!) })),
      entries: loo.entries.map((e) => ({
        runId: e.id,
        family: e.family,
        phase: e.phase,
        scope: e.scope,
        measuredMs: e.measuredMs,
        predictedMs: e.predictedMs,
        errorPct: Math.round(e.relativeError * 1000) / 10,
      })),
    },
    200,
  );
};

export const predictBenchmark: AppRouteHandler<PredictBenchmarkRoute> = async (c) => {
  const body = c.req.valid("json");
  const profile = await loadProfile(c, body.hardwareProfileId);
  const timeBasis = CALIBRATION_TIME_BASIS;
  const query = { family: body.family, config: body.config, phase: body.phase, batchSize: body.batchSize, scope: body.scope };
  const fieldOf = (path: (string | number)[]) => (path[0] === "profile" ? ["hardwareProfileId"] : path);
  const fit = await fitRequest(c, profile);
  // Bad input is refused here, before any fitting; valid input is fitted in a worker thread.
  const calibration = await fit.runs();
  domain(() => checkPredictQuery(query, calibration), fieldOf);
  const p = await prediction({ ...fit, query });
  const rate = p.basis.fit.contractionFlopsPerS[`${p.family}/${p.phase}`];
  return c.json(
    {
      hardwareProfileId: profile.id,
      family: p.family,
      config: p.config,
      phase: p.phase,
      batchSize: p.batchSize,
      scope: p.scope,
      workers: p.workers,
      timeBasis,
      stepTimeMs: p.stepTimeMs,
      typicalStepTimeMs: p.typicalStepTimeMs,
      samplesPerS: p.samplesPerS,
      ...(p.tokensPerS ? { tokensPerS: p.tokensPerS } : {}),
      flopsPerStep: p.features.flopsPerStep,
      kernelsPerStep: p.features.kernelsPerStep,
      achievedFlopsPerS: p.achievedFlopsPerS,
      warnings: p.warnings,
      extrapolation: p.extrapolation,
      basis: {
        runIds: p.basis.runIds,
        familyHadRuns: p.basis.familyHadRuns,
        bandFrom: p.basis.bandFrom,
        secondsPerKernel: p.basis.fit.secondsPerKernel,
        contractionFlopsPerS: rate !== undefined && Number.isFinite(rate) ? rate : p.achievedFlopsPerS,
        speed: p.basis.speed,
        sessionSpeedFactors: p.basis.sessionSpeedFactors,
      },
    },
    200,
  );
};

/**
 * One posted run, as the upload schema validated it (names, enums, ranges) → a BenchRun whose analytic
 * figures are recomputed here. What the schema cannot say is checked here, naming `runs.<i>.<field>`:
 * that the configuration resolves, that its FLOPs match the client's, and that an ok run has ordered
 * step-time statistics and a rate.
 */
function checkUploadedRun(run: UploadedRun, i: number, headers: Map<string, ReturnType<typeof runHeader>>): BenchRun {
  const at = (field: string, message: string) => ApiError.invalidField(`runs.${i}.${field}`, message);
  const { phase, mode, scope, batchSize, workers } = run;
  // An upload repeats configurations (phases, batches, scopes): each header is computed once.
  const headerKey = JSON.stringify([run.family, run.config, phase, mode, batchSize, scope, workers]);
  let header = headers.get(headerKey);
  if (!header) {
    const spec = domain(() => resolveModelSpec(run.family, run.config), (p) => ["runs", i, ...p]);
    header = runHeader(spec, modelKey(spec), phase, mode, batchSize, scope, workers);
    headers.set(headerKey, header);
  }
  if (run.flopsPerStep !== undefined && run.flopsPerStep !== header.flopsPerStep) {
    throw at("flopsPerStep", `${run.flopsPerStep} differs from the exact ${header.flopsPerStep} of this configuration (different model code?)`);
  }
  if (run.status === "failed") return { ...header, status: "failed", error: run.error ?? "failed" };
  const st = run.stepTime;
  if (!st) throw at("stepTime", "an ok run needs its step-time statistics");
  // The calibration divides by the median and the 10th percentile: both must be above zero, and ordered.
  if (!(st.medianMs > 0)) throw at("stepTime.medianMs", "must be above 0");
  if (!(st.p10Ms > 0)) throw at("stepTime.p10Ms", "must be above 0");
  if (st.p10Ms > st.medianMs) throw at("stepTime.p10Ms", `${st.p10Ms} exceeds stepTime.medianMs ${st.medianMs}`);
  if (st.p90Ms < st.medianMs) throw at("stepTime.p90Ms", `${st.p90Ms} is below stepTime.medianMs ${st.medianMs}`);
  if (run.samplesPerS === undefined) throw at("samplesPerS", "an ok run needs its rate");
  const samplesPerS = run.samplesPerS;
  return {
    ...header,
    status: "ok",
    stepTime: st,
    ...(run.cpuTime ? { cpuTime: run.cpuTime } : {}),
    cpuShare: run.cpuShare,
    stable: run.stable,
    stopReason: run.stopReason,
    samplesPerS,
    ...(header.tokensPerSample !== undefined ? { tokensPerS: samplesPerS * header.tokensPerSample } : {}),
    achievedFlopsPerS: (samplesPerS / batchSize) * header.flopsPerStep,
    fractionOfCeiling: run.fractionOfCeiling,
    fractionOfSgemm: run.fractionOfSgemm,
    tracedFlopsPerStep: run.tracedFlopsPerStep,
    kernelsPerStep: run.kernelsPerStep,
    peakBytes: run.peakBytes,
    ...(run.warmup ? { warmup: run.warmup } : {}),
  };
}

export const uploadBenchmarkResults: AppRouteHandler<UploadBenchmarkResultsRoute> = async (c) => {
  const body = c.req.valid("json");
  const limits = benchmarkLimits(c.get("db"));
  if (body.runs.length > limits.maxRunsPerUpload) {
    throw ApiError.invalidField("runs", `${body.runs.length} runs exceed the limit of ${limits.maxRunsPerUpload} runs per upload (maxRunsPerUpload): post them in several uploads`);
  }
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  // A full profile is refused before any run is checked (and again in the transaction that stores them).
  const profileFull = (stored: number) =>
    stored + body.runs.length > limits.maxRunsPerProfile
      ? ApiError.invalidField(
          "runs",
          `the hardware profile of this fingerprint holds ${stored} runs; ${body.runs.length} more would exceed the limit of ${limits.maxRunsPerProfile} runs per profile (maxRunsPerProfile): ` +
            `delete runs (DELETE /v1/benchmarks/runs/{id}) or the profile (DELETE /v1/hardware-profiles/{id}) first`,
        )
      : undefined;
  // The workspace's storage quota too (checked with the profile's cap, before and in the transaction).
  const workspaceFull = async (d: Database) => {
    const held = await workspaceRunCount(d, workspaceId);
    return held + body.runs.length > limits.maxRunsPerWorkspace
      ? quotaExceeded("maxRunsPerWorkspace", limits.maxRunsPerWorkspace, held, `benchmark runs (${body.runs.length} more were sent)`, "Delete runs (DELETE /v1/benchmarks/runs/{id}) or hardware profiles (DELETE /v1/hardware-profiles/{id}) first.")
      : undefined;
  };
  const refuse = async (stored: number, d: Database) => profileFull(stored) ?? (await workspaceFull(d));
  const full = await refuse((await findProfileByFingerprint(db, workspaceId, body.fingerprint))?.runCount ?? 0, db);
  if (full) throw full;
  const headers = new Map<string, ReturnType<typeof runHeader>>();
  const runs = body.runs.map((r, i) => checkUploadedRun(r, i, headers));
  const now = c.get("now")().toISOString();
  const errors: ProblemFieldError[] = [];
  if (profileFingerprint(body.device, body.backend) !== body.fingerprint) {
    errors.push({ path: "fingerprint", location: "body", message: "does not match the device and backend sent (it is recomputed from them)" });
  }
  if (errors.length) throw new ApiError(422, invalidFieldsDetail(errors), { errors });
  // The full-profile check runs again in the transaction that stores the runs: two uploads cannot both pass it.
  const stored = await storeSuiteResult(db, workspaceId, body, runs, "upload", `upload ${now}`, now, refuse);
  return c.json({ hardwareProfileId: stored.profileId, runIds: stored.runIds, stored: stored.runIds.length }, 201);
};

export const deleteBenchmarkRun: AppRouteHandler<DeleteBenchmarkRunRoute> = async (c) => {
  const { id } = c.req.valid("param");
  if (!(await deleteRun(c.get("db"), c.get("workspaceId"), id))) throw ApiError.notFound("Benchmark run", id);
  return c.body(null, 204);
};

export const deleteHardwareProfile: AppRouteHandler<DeleteHardwareProfileRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  // By id only: `local` names whichever profile is the machine's fastest now, too loose a handle for a delete.
  const profile = id === "local" ? undefined : await findProfile(db, workspaceId, id);
  if (!profile) throw ApiError.notFound("Hardware profile", id);
  const job = await runningJobOnProfile(db, workspaceId, profile.id);
  if (job) throw new ApiError(409, `Benchmark job '${job.id}' is storing runs on hardware profile '${profile.id}'; cancel it (DELETE /v1/benchmarks/jobs/${job.id}) or wait for it to end.`);
  await deleteProfile(db, workspaceId, profile.id);
  return c.body(null, 204);
};
