import { createRouter } from "../../lib/create-app";
import type { ResponseCache } from "../../lib/response-cache";
import { ESTIMATE_CACHE_PATHS, estimateCache } from "./estimates.cache";
import * as handlers from "./estimates.handlers";
import * as routes from "./estimates.routes";

/** The estimate routes; the training and serving estimates answer through `cache` (null: no cache). */
export function estimatesRouter(cache: ResponseCache | null) {
  const router = createRouter();
  if (cache) for (const path of ESTIMATE_CACHE_PATHS) router.use(path, estimateCache(cache));
  return router
    .openapi(routes.estimateTraining, handlers.estimateTraining)
    .openapi(routes.estimateInference, handlers.estimateInference)
    .openapi(routes.createScenarioEstimate, handlers.createScenarioEstimate)
    .openapi(routes.listScenarioEstimates, handlers.listScenarioEstimates)
    .openapi(routes.getScenarioEstimate, handlers.getScenarioEstimate);
}
