import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { PaginationQuerySchema, pageSchema } from "../../lib/pagination";
import { commonErrors, problemResponses } from "../../lib/problem";
import { DEFAULT_BENCHMARK_LIMITS as L } from "./limits";
import {
  AccuracySchema,
  BenchmarkJobSchema,
  BenchmarkRequestSchema,
  BenchmarkRunSchema,
  HardwareProfileSchema,
  JobIdParamSchema,
  PredictRequestSchema,
  PredictionSchema,
  ProfileDeleteParamSchema,
  ProfileIdParamSchema,
  RunIdParamSchema,
  RunsQuerySchema,
  UploadRequestSchema,
  UploadResponseSchema,
} from "./benchmarks.schemas";

const tags = ["Benchmarks"];

export const createBenchmark = createRoute({
  method: "post",
  path: "/v1/benchmarks",
  security: requireScope("write"),
  operationId: "createBenchmark",
  tags,
  summary: "Measure reference models on this machine (starts a job)",
  description:
    `Queues a benchmark job and answers 202 at once: a named suite (\`quick\`, \`standard\`) or an explicit list of model configurations and phases, run with TensorFlow.js off the request path in worker processes — one job at a time on this machine, queued beyond that, the workspaces served in turn. Poll GET /v1/benchmarks/jobs/{id} for progress and runs. Sizes beyond the memory (estimated 2 GiB per step) or time caps (5e11 FLOPs per step, 30 minutes planned per suite), or \`workers\` beyond the cores the backend can use, answer 422 naming each bad field and its limit, all of them in one answer with the schema's findings. A workspace may have ${L.maxJobsPerWorkspace} jobs queued or running and the service ${L.maxJobsQueued}; beyond, 429 with Retry-After. A job running longer than ${L.jobTimeCapMs / 60_000} minutes is stopped and marked failed. A job whose hardware profile would pass ${L.maxRunsPerProfile} runs fails before measuring.`,
  request: { body: { required: true, content: { "application/json": { schema: BenchmarkRequestSchema } } } },
  responses: {
    202: {
      description: "The queued job.",
      headers: { Location: { description: "URL of the job.", schema: { type: "string" } } },
      content: { "application/json": { schema: BenchmarkJobSchema } },
    },
    ...problemResponses(...commonErrors),
  },
});

export const getBenchmarkJob = createRoute({
  method: "get",
  path: "/v1/benchmarks/jobs/{id}",
  security: requireScope("read"),
  operationId: "getBenchmarkJob",
  tags,
  summary: "A benchmark job: status, progress and the runs so far",
  description: "Status (queued, running, completed, failed, cancelled, interrupted), progress (fraction and the model being measured) and every run stored so far, failed runs with their reason.",
  request: { params: JobIdParamSchema },
  responses: {
    200: { description: "The job.", content: { "application/json": { schema: BenchmarkJobSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const cancelBenchmarkJob = createRoute({
  method: "delete",
  path: "/v1/benchmarks/jobs/{id}",
  security: requireScope("write"),
  operationId: "cancelBenchmarkJob",
  tags,
  summary: "Cancel a queued or running benchmark job",
  description: "A queued job is dropped; a running job's worker processes are stopped and the runs finished so far stay stored. Answers with the job once it has stopped; 409 when it had already ended.",
  request: { params: JobIdParamSchema },
  responses: {
    200: { description: "The cancelled job.", content: { "application/json": { schema: BenchmarkJobSchema } } },
    ...problemResponses(404, 409, ...commonErrors),
  },
});

export const listBenchmarkRuns = createRoute({
  method: "get",
  path: "/v1/benchmarks/runs",
  security: requireScope("read"),
  operationId: "listBenchmarkRuns",
  tags,
  summary: "Stored benchmark runs, filtered",
  description: "Runs of this workspace, newest first, cursor-paginated; filter by hardware profile, model family, phase, scope, status or job.",
  request: { query: PaginationQuerySchema.merge(RunsQuerySchema) },
  responses: {
    200: { description: "A page of runs.", content: { "application/json": { schema: pageSchema(BenchmarkRunSchema, "BenchmarkRunPage") } } },
    ...problemResponses(...commonErrors),
  },
});

export const uploadBenchmarkResults = createRoute({
  method: "post",
  path: "/v1/benchmarks/results",
  security: requireScope("write"),
  operationId: "uploadBenchmarkResults",
  tags,
  summary: "Store a suite measured on another machine (bench --server)",
  description:
    `Stores the runs of a suite result produced by \`npm run bench -- --server URL --api-key KEY\` on another machine — or the file the bench CLI saves (\`--out FILE\`, or \`--no-store\`), which is this body: \`curl … --data-binary @FILE\` — under the hardware profile of its fingerprint (created on first sight), so a team can measure many machines into one service. The profile keeps, per scope, the highest matmul ceiling and bandwidth of its suites; its peak is the whole-machine ceiling. Each run's configuration is validated and its exact FLOPs and parameter count are recomputed here; a mismatch answers 422. At most ${L.maxRunsPerUpload} runs per upload and ${L.maxRunsPerProfile} per profile: beyond, 422 naming \`runs\` and the limit (delete runs or the profile first).`,
  request: { body: { required: true, content: { "application/json": { schema: UploadRequestSchema } } } },
  responses: {
    201: { description: "What was stored.", content: { "application/json": { schema: UploadResponseSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const predictBenchmark = createRoute({
  method: "post",
  path: "/v1/benchmarks/predict",
  security: requireScope("read"),
  operationId: "predictBenchmark",
  tags,
  summary: "Predict a configuration's step time on a measured profile",
  description:
    "Fits the calibration model to the profile's stored runs — step time = τ(phase)·kernel launches + FLOPs / R(family, phase) + ρ·activation elements + ω·weight elements read (inference) or π·parameters (training), non-negative least squares on relative error — and predicts the configuration's step time and throughput with an empirical 80% band, before anything runs. Nothing is stored. The fit runs in a worker thread and is cached per profile version (its set of runs); " +
    `one taking longer than ${L.fitTimeBudgetMs / 1000} s is stopped (503, type /problems/time-budget-exceeded), a workspace may have ${L.maxFitsInFlightPerWorkspace} fits in progress (429 beyond), and a fit is stopped when its caller goes away.`,
  request: { body: { required: true, content: { "application/json": { schema: PredictRequestSchema } } } },
  responses: {
    200: { description: "The prediction.", content: { "application/json": { schema: PredictionSchema } } },
    ...problemResponses(404, ...commonErrors, 503),
  },
});

export const listHardwareProfiles = createRoute({
  method: "get",
  path: "/v1/hardware-profiles",
  security: requireScope("read"),
  operationId: "listHardwareProfiles",
  tags,
  summary: "The machines measured",
  description: "Hardware profiles of this workspace (device, backend, versions and, per scope, the highest ceilings their suites measured), most recently measured first, cursor-paginated.",
  request: { query: PaginationQuerySchema },
  responses: {
    200: { description: "A page of profiles.", content: { "application/json": { schema: pageSchema(HardwareProfileSchema, "HardwareProfilePage") } } },
    ...problemResponses(...commonErrors),
  },
});

export const getHardwareProfile = createRoute({
  method: "get",
  path: "/v1/hardware-profiles/{id}",
  security: requireScope("read"),
  operationId: "getHardwareProfile",
  tags,
  summary: "One measured machine",
  description: "A hardware profile; `local` is the fastest profile this service measured on a real device of its own machine (software emulation never).",
  request: { params: ProfileIdParamSchema },
  responses: {
    200: { description: "The profile.", content: { "application/json": { schema: HardwareProfileSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const getHardwareProfileAccuracy = createRoute({
  method: "get",
  path: "/v1/hardware-profiles/{id}/accuracy",
  security: requireScope("read"),
  operationId: "getHardwareProfileAccuracy",
  tags,
  summary: "How accurately the calibration predicts this machine",
  description:
    "Leave-one-out over the profile's stored runs: each run is predicted by the model fitted on the others (same scope); median and worst absolute % error overall, per family and per scope, with every run's prediction. Target: median ≤ 10%. " +
    `Computed in a worker thread and cached per profile version (its set of runs); one taking longer than ${L.fitTimeBudgetMs / 1000} s is stopped (503, type /problems/time-budget-exceeded), a workspace may have ${L.maxFitsInFlightPerWorkspace} fits in progress (429 beyond), and a fit is stopped when its caller goes away.`,
  request: { params: ProfileIdParamSchema },
  responses: {
    200: { description: "The accuracy report.", content: { "application/json": { schema: AccuracySchema } } },
    ...problemResponses(404, ...commonErrors, 503),
  },
});

export const deleteBenchmarkRun = createRoute({
  method: "delete",
  path: "/v1/benchmarks/runs/{id}",
  security: requireScope("write"),
  operationId: "deleteBenchmarkRun",
  tags,
  summary: "Delete a stored benchmark run",
  description: `Deletes one run of this workspace (its profile's run count drops by one, and the profile's calibration is refitted on the next request). A profile holds at most ${L.maxRunsPerProfile} runs: delete old ones to make room. Another workspace's run answers 404.`,
  request: { params: RunIdParamSchema },
  responses: {
    204: { description: "Deleted." },
    ...problemResponses(404, ...commonErrors),
  },
});

export const deleteHardwareProfile = createRoute({
  method: "delete",
  path: "/v1/hardware-profiles/{id}",
  security: requireScope("write"),
  operationId: "deleteHardwareProfile",
  tags,
  summary: "Delete a hardware profile and its runs",
  description:
    "Deletes a profile of this workspace and every run stored on it; the jobs that measured it stay, with `hardwareProfileId` unset. 409 while a job is storing runs on it; another workspace's profile answers 404. Name the profile by its id (`local` is not accepted here).",
  request: { params: ProfileDeleteParamSchema },
  responses: {
    204: { description: "Deleted." },
    ...problemResponses(404, 409, ...commonErrors),
  },
});

export type CreateBenchmarkRoute = typeof createBenchmark;
export type GetBenchmarkJobRoute = typeof getBenchmarkJob;
export type CancelBenchmarkJobRoute = typeof cancelBenchmarkJob;
export type ListBenchmarkRunsRoute = typeof listBenchmarkRuns;
export type UploadBenchmarkResultsRoute = typeof uploadBenchmarkResults;
export type PredictBenchmarkRoute = typeof predictBenchmark;
export type ListHardwareProfilesRoute = typeof listHardwareProfiles;
export type GetHardwareProfileRoute = typeof getHardwareProfile;
export type GetHardwareProfileAccuracyRoute = typeof getHardwareProfileAccuracy;
export type DeleteBenchmarkRunRoute = typeof deleteBenchmarkRun;
export type DeleteHardwareProfileRoute = typeof deleteHardwareProfile;
