import { createRouter } from "../../lib/create-app";
import { validationHook } from "../../lib/validation-hook";
import { scenarioReferences } from "./scenarios.references";
import * as handlers from "./scenarios.handlers";
import * as routes from "./scenarios.routes";

export const scenariosRouter = createRouter()
  .openapi(routes.createScenario, handlers.createScenario, validationHook(scenarioReferences))
  .openapi(routes.listScenarios, handlers.listScenarios)
  .openapi(routes.getScenario, handlers.getScenario)
  .openapi(routes.updateScenario, handlers.updateScenario, validationHook(scenarioReferences))
  .openapi(routes.deleteScenario, handlers.deleteScenario);
