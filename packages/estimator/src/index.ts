// @modelplan/estimator — pure estimation engine: training and serving compute, memory, time,
// energy and money for a model on an accelerator, with uncertainty bands, the assumptions behind
// every figure, and hosted-API comparisons. No I/O: catalogs are static JSON imports.
export { estimateTraining } from "./training";
export { estimateInference } from "./inference";
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
export type {
  AcceleratorRecord,
  CloudPriceRecord,
  DefaultsRecord,
  HostedModelRecord,
  PresetRecord,
  PublishedFigure,
  SourcedFigure,
} from "./catalog/records";
export { resolveModel, modelSummary, forwardFlopsPerToken, forwardFlopsPerSample, prefillFlops, trainingForwardFlopsPerToken, kvBytesPerToken } from "./model/resolve";
export type { ResolvedModel } from "./model/resolve";
export { countCnn } from "./model/cnn";
export * from "./types";
export { LIMITS as ESTIMATOR_LIMITS } from "./model/validate";
