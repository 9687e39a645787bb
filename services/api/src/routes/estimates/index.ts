import { createRouter } from "../../lib/create-app";
import * as handlers from "./estimates.handlers";
import * as routes from "./estimates.routes";

export const estimatesRouter = createRouter()
  .openapi(routes.estimateTraining, handlers.estimateTraining)
  .openapi(routes.estimateInference, handlers.estimateInference)
  .openapi(routes.createScenarioEstimate, handlers.createScenarioEstimate)
  .openapi(routes.listScenarioEstimates, handlers.listScenarioEstimates)
  .openapi(routes.getScenarioEstimate, handlers.getScenarioEstimate);
