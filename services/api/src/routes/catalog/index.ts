import { createRouter } from "../../lib/create-app";
import * as handlers from "./catalog.handlers";
import * as routes from "./catalog.routes";

export const catalogRouter = createRouter()
  .openapi(routes.listHardware, handlers.listHardware)
  .openapi(routes.getHardware, handlers.getHardware)
  .openapi(routes.listHostedModels, handlers.listHostedModels)
  .openapi(routes.listModelPresets, handlers.listModelPresets)
  .openapi(routes.getModelPreset, handlers.getModelPreset);
