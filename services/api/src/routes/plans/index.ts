import { createRouter } from "../../lib/create-app";
import { validationHook } from "../../lib/validation-hook";
import { compareReferences, planReferences } from "./plans.references";
import * as handlers from "./plans.handlers";
import * as routes from "./plans.routes";

export const plansRouter = createRouter()
  .openapi(routes.createPlan, handlers.createPlan, validationHook(planReferences))
  .openapi(routes.listPlans, handlers.listPlans)
  .openapi(routes.comparePlans, handlers.comparePlans, validationHook(compareReferences))
  .openapi(routes.getPlan, handlers.getPlan)
  .openapi(routes.getPlanReport, handlers.getPlanReport)
  .openapi(routes.getPlanChart, handlers.getPlanChart)
  .openapi(routes.deletePlan, handlers.deletePlan);
