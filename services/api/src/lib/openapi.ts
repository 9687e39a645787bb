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
  tags: [
    { name: "Meta", description: "Health and the API contract." },
    { name: "Use cases", description: "The catalog of AI product use cases." },
    { name: "Scenarios", description: "Stored product plans." },
  ],
};

/** The OpenAPI 3.1 document of an app with every route mounted. */
export function openApiDocument(app: AppOpenAPI) {
  return app.getOpenAPI31Document(OPENAPI_CONFIG);
}

/** Serves GET /openapi.json and the interactive reference at GET /docs. */
export function configureOpenApi(app: AppOpenAPI): void {
  app.doc31("/openapi.json", OPENAPI_CONFIG);
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "modelplan API reference" }));
}
