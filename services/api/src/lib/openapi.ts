import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
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

const require = createRequire(import.meta.url);
/** Swagger UI's static bundle (swagger-ui-dist), served by the service itself so /docs works offline. */
const SWAGGER_UI_DIR: string = (require("swagger-ui-dist") as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
const DOCS_ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>modelplan API reference</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true });
  </script>
</body>
</html>
`;

/**
 * Serves GET /openapi.json and the interactive reference (Swagger UI) at GET /docs, its assets
 * from the installed swagger-ui-dist package — no CDN, so it works on machines without internet.
 */
export function configureOpenApi(app: AppOpenAPI): void {
  registerSecurity(app);
  app.doc31("/openapi.json", OPENAPI_CONFIG);
  app.get("/docs", (c) => c.html(DOCS_HTML));
  app.get("/docs/assets/:file", (c) => {
    const file = c.req.param("file");
    const type = DOCS_ASSETS[file];
    if (!type) return c.notFound();
    return c.body(fs.readFileSync(path.join(SWAGGER_UI_DIR, file)), 200, { "Content-Type": type, "Cache-Control": "public, max-age=86400" });
  });
}
