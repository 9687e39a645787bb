import { Scalar } from "@scalar/hono-api-reference";
import type { AppOpenAPI } from "./types";
import { SERVICE_VERSION } from "./version";

export const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "modelplan API",
    version: SERVICE_VERSION,
    description:
      "Plan what AI models cost to train and serve, measure what your hardware delivers, and see when a product's economics work. Every error is RFC 9457 problem+json.",
  },
  servers: [{ url: "http://127.0.0.1:8787", description: "Local default" }],
  security: [{ bearerAuth: [] }],
  tags: [
    { name: "Meta", description: "Health and the API contract." },
    { name: "Use cases", description: "The catalog of AI product use cases." },
    { name: "Scenarios", description: "Stored product plans." },
    { name: "Catalogs", description: "Accelerators, cloud prices, hosted-model prices and model presets, each figure with its source and date." },
    { name: "Estimates", description: "Training and serving estimates: compute, memory, time, energy and money, with bands and assumptions." },
    { name: "Plans", description: "Startup plans: month-by-month cost of every deployment option, revenue, margin, cash, break-even, runway, sensitivity, recommendations and risks, with HTML/Markdown reports and SVG charts." },
    { name: "Benchmarks", description: "Measured TensorFlow.js benchmarks of reference models on this machine (or uploaded from others), hardware profiles, calibrated predictions and their accuracy." },
    { name: "API keys", description: "Keys and their scopes (admin)." },
  ],
};

/** The OpenAPI 3.1 document of an app with every route mounted. */
export function registerSecurity(app: AppOpenAPI): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`mp_...`) from `npm run keys -- create` or POST /v1/keys. Not needed while the service runs open on loopback with no key.",
  });
}

export function openApiDocument(app: AppOpenAPI) {
  return app.getOpenAPI31Document(OPENAPI_CONFIG);
}

/** Serves GET /openapi.json and the interactive reference at GET /docs. */
export function configureOpenApi(app: AppOpenAPI): void {
  registerSecurity(app);
  app.doc31("/openapi.json", OPENAPI_CONFIG);
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "modelplan API reference" }));
}
