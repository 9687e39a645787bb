/**
 * @modelplan/bench — measured TensorFlow.js benchmarks: reference models with exact FLOPs, a
 * statistically stopped timing loop, per-core and whole-machine runs in worker processes, suites,
 * jobs, and the calibration that predicts step times on a measured hardware profile.
 *
 * Pure modules (no I/O, no TensorFlow.js): families, flops, stats, suite, results, calibration/,
 * adapter, backend-choice, report, errors. The rest starts processes or TensorFlow.js.
 */
export { BenchInputError, BenchRunError } from "./errors";
export {
  CONFIG_LIMITS,
  DEFAULT_CONFIGS,
  FAMILY_DOCS,
  FIELD_DOCS,
  MODEL_FAMILIES,
  isModelFamily,
  modelKey,
  resolveModelSpec,
  tokensPerSample,
  type CnnConfig,
  type FamilyConfigMap,
  type GanConfig,
  type GptConfig,
  type LstmLmConfig,
  type MlpConfig,
  type ModelFamily,
  type ModelSpec,
  type TextClassifierConfig,
} from "./families";
export {
  activationElementsPerSample,
  contractions,
  estimatedPeakBytes,
  flopsPerSample,
  flopsPerStep,
  inferenceFlopsPerSample,
  kernelsPerStep,
  paramCount,
  trainingFlopsPerSample,
  type Contraction,
  type Phase,
} from "./flops";
export { isStable, median, medianCi95Sorted, quantileSorted, summarize, type SampleStats } from "./stats";
export { DEFAULT_MEASURE, measure, type MeasureOptions, type Measurement, type StopReason } from "./measure";
export {
  DEFAULT_BATCH,
  DEFAULT_ROUNDS,
  SUITE_LIMITS,
  SUITE_NAMES,
  resolveSuite,
  suiteInputErrors,
  type BenchItemInput,
  type PlannedRun,
  type RunMode,
  type SuiteInput,
  type SuiteName,
  type SuitePlan,
} from "./suite";
export type { BandwidthProbe, BenchRun, MatmulCeiling, MatmulProbe, RunScope, StepTimeStats, SuiteResult, WebGpuProbes } from "./results";
export { capToCeiling, runHeader } from "./results";
export {
  ACCURACY_SCOPE,
  CALIBRATION_TIME_BASIS,
  LOO_METHOD,
  MIN_SESSION_RUNS,
  NO_SESSION,
  calibratedStepTimeMs,
  calibrationRunsFromSuite,
  checkPredictQuery,
  extrapolations,
  fitCalibration,
  leaveOneOut,
  leaveOneOutSteps,
  nnls,
  predict,
  toCalibrationRun,
  typicalSlowdown,
  workFeatures,
  type Band,
  type CalibrationFit,
  type CalibrationRun,
  type ErrorSummary,
  type Extrapolation,
  type LeaveOneOutReport,
  type LooEntry,
  type PredictQuery,
  type Prediction,
  type WorkFeatures,
} from "./calibration";
export { CONTENDED_SHARE, formatMarkdown, formatTable, headerLines, tableRows } from "./report";
export {
  BACKEND_CHOICES,
  BACKEND_PACKAGES,
  COMPUTE_DEVICES,
  backendLabel,
  parseBackendChoice,
  type BackendChoice,
  type BackendInfo,
  type ComputeDevice,
  type ProfileBackend,
  type WasmPatchReport,
} from "./backend-choice";
export { ADAPTER_LIMIT_NAMES, SOFTWARE_GPU_LABEL, adapterRecord, softwareAdapterReason, type GpuAdapterRecord } from "./adapter";
export type { GpuMemory } from "./gpu";
export { describeDevice, measureSgemmLimit, profileFingerprint, type DeviceInfo, type SgemmLimit } from "./device";
export { runSuite, type RunSuiteOptions, type SuiteEvent } from "./runner";
export { DEFAULT_JOB_LIMITS, JobQueue, QueueFullError, usableCores, type JobEvent, type JobQueueOptions, type JobSnapshot, type JobStatus } from "./jobs";
export { WorkerPool, tsxExecArgv } from "./pool";
export { postSuiteResult, type PostedResult, type PostOptions } from "./post";
export { runBenchCli, runBenchCliMain, USAGE as BENCH_CLI_USAGE, type CliContext, type SuiteStore } from "./cli-main";
