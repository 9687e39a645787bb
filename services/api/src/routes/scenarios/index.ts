import { createRouter } from "../../lib/create-app";
import * as handlers from "./scenarios.handlers";
import * as routes from "./scenarios.routes";

export const scenariosRouter = createRouter()
  .openapi(routes.createScenario, handlers.createScenario)
  .openapi(routes.listScenarios, handlers.listScenarios)
  .openapi(routes.getScenario, handlers.getScenario)
  .openapi(routes.updateScenario, handlers.updateScenario)
  .openapi(routes.deleteScenario, handlers.deleteScenario);
