import { createBaseApp } from "./lib/create-app";
import { configureOpenApi } from "./lib/openapi";
import type { AppDeps, AppOpenAPI } from "./lib/types";
import { benchmarksRouter } from "./routes/benchmarks/index";
import { catalogRouter } from "./routes/catalog/index";
import { estimateResponseCache } from "./routes/estimates/estimates.cache";
import { estimatesRouter } from "./routes/estimates/index";
import { healthRouter } from "./routes/health/index";
import { keysRouter } from "./routes/keys/index";
import { plansRouter } from "./routes/plans/index";
import { scenariosRouter } from "./routes/scenarios/index";
import { useCasesRouter } from "./routes/use-cases/index";
import { validationRouter } from "./routes/validation/index";

/** Every router of the API, in the order they appear in the document. */
const routers = [healthRouter, useCasesRouter, scenariosRouter, catalogRouter, estimatesRouter, validationRouter, plansRouter, benchmarksRouter, keysRouter];

/** The one app factory: the server and every test build the API with it. */
export function createApp(deps: AppDeps): AppOpenAPI {
  const app = createBaseApp({ ...deps, responseCache: deps.responseCache === undefined ? estimateResponseCache() : deps.responseCache });
  for (const router of routers) app.route("/", router);
  configureOpenApi(app);
  return app;
}

export type { AppDeps } from "./lib/types";
