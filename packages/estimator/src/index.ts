// @modelplan/estimator — pure estimation engine: training and serving compute, memory, time,
// energy and money for a model on an accelerator, with uncertainty bands, the assumptions behind
// every figure, hosted-API comparisons and its own track record on published runs. No I/O: catalogs
// and published cases are static JSON imports.
import { computeInference } from "./inference/estimate";
import { parseInferenceInput } from "./inference/parse";
import { moeTrainingWarning, trackRecordLines } from "./track-record";
import { computeTraining } from "./training/estimate";
import { parseTrainingInput } from "./training/parse";
import type { InferenceEstimate, InferenceInput, TrainingEstimate, TrainingInput } from "./types";

/** Training estimate (parse once, compute), citing the estimator's training track record. */
export function estimateTraining(input: TrainingInput): TrainingEstimate {
  const r = parseTrainingInput(input);
  const e = computeTraining(r);
  e.trackRecord = trackRecordLines(r.acc.fromCatalog ? r.acc.id : null, r.method !== "pre-train").training; // a fresh estimate: set in place (a spread copy costs more than the field)
  // an MoE run on the published MFU model (not on a given or measured utilisation): how MoE runs compared with it
  if (!r.utilisationOverride && e.model.activeParameters < e.model.parameters) {
    const moe = moeTrainingWarning();
    if (moe) e.warnings = [...e.warnings, moe];
  }
  return e;
}

/** Serving estimate (parse once, compute), citing the estimator's serving track record. */
export function estimateInference(input: InferenceInput): InferenceEstimate {
  const r = parseInferenceInput(input);
  const e = computeInference(r);
  e.trackRecord = trackRecordLines(r.acc.fromCatalog ? r.acc.id : null).inference;
  return e;
}

export { parseTrainingInput, type ResolvedTrainingInput } from "./training/parse";
export { computeTraining } from "./training/estimate";
export { trainingMfu, trainingGoodput } from "./training/throughput";
export { fitAtScale, fitRealRuns } from "./training/calibration";
export { parseInferenceInput, type ResolvedInferenceInput } from "./inference/parse";
export { computeInference } from "./inference/estimate";
export { replicasForPeak, replicasBand, REPLICA_TARGET_UTILISATION, REPLICA_SIZING_SOURCE } from "./sizing";
export { trackRecord, trackRecordLines, publishedCaseDates } from "./track-record";
export type { TrackRecord, CaseResult, KindSummary, TensorParallelCheck, ValidationKind, Figures } from "../validation/run";
export { VALIDATION_KINDS, TARGETS as VALIDATION_TARGETS } from "../validation/run";
export { estimateHostedApi, hostedCostPerRequestUsd } from "./hosted";
export type { HostedApiEstimate, HostedApiInput } from "./hosted";
export { EstimatorInputError, isEstimatorInputError } from "./errors";
export {
  CATALOG_VERSION,
  CATALOG_VERSIONS,
  catalogInfo,
  getAccelerator,
  getDefaults,
  getHostedModel,
  getPreset,
  listAccelerators,
  listCloudPrices,
  listHostedModels,
  listPresets,
} from "./catalog";
export { INTERCONNECT_KINDS } from "./catalog/records";
export type {
  AcceleratorRecord,
  CloudPriceRecord,
  DefaultsRecord,
  HostedModelRecord,
  PresetRecord,
  PublishedFigure,
  SourcedFigure,
} from "./catalog/records";
export { resolveModel, isDecoderLike, modelSummary, forwardFlopsPerToken, forwardFlopsPerSample, prefillFlops, trainingForwardFlopsPerToken, kvBytesPerToken } from "./model/resolve";
export type { ResolvedModel } from "./model/resolve";
export { inferDecoderArchitecture } from "./model/infer-architecture";
export { countCnn } from "./model/cnn";
export * from "./types";
export { LIMITS as ESTIMATOR_LIMITS } from "./model/validate";
