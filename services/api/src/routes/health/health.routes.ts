import { createRoute, z } from "@hono/zod-openapi";
import { PUBLIC_ROUTE } from "../../auth/scopes";
import { problemResponses } from "../../lib/problem";

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({ description: "ok when every dependency answers; degraded when the database does not (the process still runs).", example: "ok" }),
    version: z.string().openapi({ description: "Service version.", example: "0.1.0" }),
    db: z.enum(["ok", "error"]).openapi({ description: "Whether the database answers a query.", example: "ok" }),
  })
  .openapi("Health");

export const ReadinessSchema = z
  .object({
    ready: z.boolean().openapi({ description: "Whether this replica should receive traffic.", example: true }),
    db: z.enum(["ok", "error"]).openapi({ description: "Whether the database answered `SELECT 1` within 2 s.", example: "ok" }),
    dialect: z.enum(["sqlite", "postgres"]).openapi({ description: "The database engine this replica runs on.", example: "postgres" }),
    draining: z.boolean().openapi({ description: "True once the replica is shutting down (it finishes in-flight requests).", example: false }),
  })
  .openapi("Readiness");

export const getHealth = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Meta"],
  security: PUBLIC_ROUTE,
  summary: "Liveness, with the database's state",
  description:
    "Liveness: 200 while the process answers requests, whatever the database does (a load balancer or orchestrator must not restart every replica because the database is briefly away); `status` and `db` say whether the database answers. 503 only when the database is gone for good from this process (closed). Use GET /ready to decide whether to send traffic.",
  responses: {
    200: { description: "The process serves requests.", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "The process has closed its database.", content: { "application/json": { schema: HealthSchema } } },
    ...problemResponses(400, 408, 429, 431, 500),
  },
});

export const getReadiness = createRoute({
  method: "get",
  path: "/ready",
  operationId: "getReadiness",
  tags: ["Meta"],
  security: PUBLIC_ROUTE,
  summary: "Readiness: the database answers and the replica is not draining",
  description: "200 when this replica can serve: its database answered `SELECT 1` within 2 s and it is not shutting down; 503 otherwise (same body). Point the load balancer's health check here.",
  responses: {
    200: { description: "Ready for traffic.", content: { "application/json": { schema: ReadinessSchema } } },
    503: { description: "Not ready: the database does not answer, or the replica is shutting down.", content: { "application/json": { schema: ReadinessSchema } } },
    ...problemResponses(400, 408, 429, 431, 500),
  },
});

export type GetHealthRoute = typeof getHealth;
export type GetReadinessRoute = typeof getReadiness;
