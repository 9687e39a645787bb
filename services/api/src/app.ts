import { createBaseApp } from "./lib/create-app";
import { configureOpenApi } from "./lib/openapi";
import type { ResponseCache } from "./lib/response-cache";
import type { AppDeps, AppOpenAPI } from "./lib/types";
import { benchmarksRouter, setBenchmarkLimits } from "./routes/benchmarks/index";
import { catalogRouter } from "./routes/catalog/index";
import { estimateResponseCache } from "./routes/estimates/estimates.cache";
import { estimatesRouter } from "./routes/estimates/index";
import { hardwarePricesRouter } from "./routes/hardware-prices/index";
import { healthRouter } from "./routes/health/index";
import { keysRouter } from "./routes/keys/index";
import { plansRouter } from "./routes/plans/index";
import { scenariosRouter } from "./routes/scenarios/index";
import { useCasesRouter } from "./routes/use-cases/index";
import { validationRouter } from "./routes/validation/index";
import { routeScopes } from "./auth/route-scopes";

export interface ApiOptions {
  /** The cache of training and serving estimates; omitted = a new estimateResponseCache(), null = none. */
  estimateCache?: ResponseCache | null;
}

/** The one app factory of the API: the server and every test build it with this. */
export function createApp(deps: AppDeps, options: ApiOptions = {}): AppOpenAPI {
  if (deps.limits) setBenchmarkLimits(deps.db, deps.limits.benchmarks);
  const app = createBaseApp(deps);
  const estimateCache = options.estimateCache === undefined ? estimateResponseCache() : options.estimateCache;
  // In the order they appear in the document.
  const routers = [healthRouter, useCasesRouter, scenariosRouter, catalogRouter, estimatesRouter(estimateCache), validationRouter, plansRouter, benchmarksRouter, hardwarePricesRouter, keysRouter];
  for (const router of routers) app.route("/", router);
  configureOpenApi(app);
  routeScopes(app); // fails here, at start-up, when a route declares no scope
  return app;
}

export type { AppDeps } from "./lib/types";
