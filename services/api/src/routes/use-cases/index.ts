import { createRouter } from "../../lib/create-app";
import * as handlers from "./use-cases.handlers";
import * as routes from "./use-cases.routes";

export const useCasesRouter = createRouter()
  .openapi(routes.listUseCases, handlers.listUseCases)
  .openapi(routes.getUseCase, handlers.getUseCase);
