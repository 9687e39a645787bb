import { createRoute, z } from "@hono/zod-openapi";
import { PUBLIC_ROUTE } from "../../auth/scopes";
import { problemResponses } from "../../lib/problem";

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({ description: "ok when every dependency answers.", example: "ok" }),
    version: z.string().openapi({ description: "Service version.", example: "0.1.0" }),
    db: z.enum(["ok", "error"]).openapi({ description: "Whether the database answers a query.", example: "ok" }),
  })
  .openapi("Health");

export const getHealth = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Meta"],
  security: PUBLIC_ROUTE,
  summary: "Liveness and database check",
  description: "Answers 200 when the service and its database work, 503 otherwise (same body).",
  responses: {
    200: { description: "Healthy.", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "The database does not answer.", content: { "application/json": { schema: HealthSchema } } },
    ...problemResponses(400, 408, 429, 431, 500),
  },
});

export type GetHealthRoute = typeof getHealth;
