import { createRouter } from "../../lib/create-app";
import { validationHook } from "../../lib/validation-hook";
import { benchmarkRequestChecks, predictReferences } from "./benchmarks.references";
import * as handlers from "./benchmarks.handlers";
import * as routes from "./benchmarks.routes";

export const benchmarksRouter = createRouter()
  .openapi(routes.createBenchmark, handlers.createBenchmark, validationHook(benchmarkRequestChecks))
  .openapi(routes.getBenchmarkJob, handlers.getBenchmarkJob)
  .openapi(routes.cancelBenchmarkJob, handlers.cancelBenchmarkJob)
  .openapi(routes.listBenchmarkRuns, handlers.listBenchmarkRuns)
  .openapi(routes.uploadBenchmarkResults, handlers.uploadBenchmarkResults)
  .openapi(routes.predictBenchmark, handlers.predictBenchmark, validationHook(predictReferences))
  .openapi(routes.listHardwareProfiles, handlers.listHardwareProfiles)
  .openapi(routes.getHardwareProfile, handlers.getHardwareProfile)
  .openapi(routes.getHardwareProfileAccuracy, handlers.getHardwareProfileAccuracy)
  .openapi(routes.deleteBenchmarkRun, handlers.deleteBenchmarkRun)
  .openapi(routes.deleteHardwareProfile, handlers.deleteHardwareProfile);

export { benchmarkService, closeBenchmarkService } from "./benchmarks.service";
export { closeFittingPool } from "./fitting";
export { DEFAULT_BENCHMARK_LIMITS, benchmarkLimits, setBenchmarkLimits, type BenchmarkLimits } from "./limits";
export { isMeasuredHardwareRef, measuredAccelerator } from "./measured-hardware";
