import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";
import { PaginationQuerySchema, pageSchema } from "../../lib/pagination";
import { ScenarioInputSchema, ScenarioPatchSchema, ScenarioSchema } from "./scenarios.schemas";

const tags = ["Scenarios"];

export const ScenarioIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, description: "Scenario id.", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" }),
});

const etagHeader = {
  ETag: { description: "Current version of the scenario; send it back as If-Match to update or delete safely.", schema: { type: "string" as const, example: '"1"' } },
};

export const IfMatchHeaderSchema = z.object({
  "if-match": z
    .string()
    .max(1024)
    .optional()
    .openapi({ param: { in: "header" }, description: "ETag the change is based on, quoted as the ETag header gives it (`\"1\"`), or `*`; a stale value answers 412, an unquoted one (`1`) 400.", example: '"1"' }),
});

export const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces")
    .optional()
    .openapi({ param: { in: "header" }, description: "Client-chosen key; a retry with the same key and body returns the original response instead of creating a second scenario.", example: "3f0c6f3e-6a5b-4a43-9d0e-2f5a1c7b9e11" }),
});

export const createScenario = createRoute({
  method: "post",
  path: "/v1/scenarios",
  security: requireScope("write"),
  operationId: "createScenario",
  tags,
  summary: "Create a scenario",
  description: "Stores a product plan: use cases, audience, usage, model strategy, hardware, pricing and funding.",
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { "application/json": { schema: ScenarioInputSchema } } },
  },
  responses: {
    201: {
      description: "Created.",
      headers: { ...etagHeader, Location: { description: "URL of the new scenario.", schema: { type: "string" } } },
      content: { "application/json": { schema: ScenarioSchema } },
    },
    ...problemResponses(409, ...commonErrors),
  },
});

export const ListScenariosQuerySchema = PaginationQuerySchema.extend({
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: "name", in: "query" }, description: "Only scenarios whose name contains this text (case-insensitive).", example: "support" }),
  sort: z
    .enum(["-updatedAt", "updatedAt", "name", "-name"])
    .default("-updatedAt")
    .openapi({ param: { name: "sort", in: "query" }, description: "Sort key; a leading '-' sorts descending.", example: "-updatedAt" }),
});

export const listScenarios = createRoute({
  method: "get",
  path: "/v1/scenarios",
  security: requireScope("read"),
  operationId: "listScenarios",
  tags,
  summary: "List scenarios",
  description: "Scenarios of the workspace, cursor-paginated.",
  request: { query: ListScenariosQuerySchema },
  responses: {
    200: { description: "A page of scenarios.", content: { "application/json": { schema: pageSchema(ScenarioSchema, "ScenarioPage") } } },
    ...problemResponses(...commonErrors),
  },
});

export const getScenario = createRoute({
  method: "get",
  path: "/v1/scenarios/{id}",
  security: requireScope("read"),
  operationId: "getScenario",
  tags,
  summary: "Get a scenario",
  description: "One scenario, with its ETag.",
  request: { params: ScenarioIdParamSchema },
  responses: {
    200: { description: "The scenario.", headers: etagHeader, content: { "application/json": { schema: ScenarioSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const updateScenario = createRoute({
  method: "patch",
  path: "/v1/scenarios/{id}",
  security: requireScope("write"),
  operationId: "updateScenario",
  tags,
  summary: "Update a scenario",
  description:
    "JSON merge patch (RFC 7396): audience, usage, funding and funnel are merged field by field, other fields replaced; null removes a field a create may leave out (its default then applies) and is a 422 naming the field on a required one. The merged scenario is validated as a whole. A patch that changes nothing answers the scenario as it is, with the same version and ETag. Send If-Match with the ETag you read: a stale one answers 412 and nothing changes.",
  request: {
    params: ScenarioIdParamSchema,
    headers: IfMatchHeaderSchema,
    body: {
      required: true,
      content: {
        "application/json": { schema: ScenarioPatchSchema },
        "application/merge-patch+json": { schema: ScenarioPatchSchema },
      },
    },
  },
  responses: {
    200: { description: "The updated scenario.", headers: etagHeader, content: { "application/json": { schema: ScenarioSchema } } },
    ...problemResponses(404, 412, ...commonErrors),
  },
});

export const deleteScenario = createRoute({
  method: "delete",
  path: "/v1/scenarios/{id}",
  security: requireScope("write"),
  operationId: "deleteScenario",
  tags,
  summary: "Delete a scenario",
  description: "Deletes the scenario and everything computed from it. Honours If-Match.",
  request: { params: ScenarioIdParamSchema, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: "Deleted." },
    ...problemResponses(404, 412, ...commonErrors),
  },
});

export type CreateScenarioRoute = typeof createScenario;
export type ListScenariosRoute = typeof listScenarios;
export type GetScenarioRoute = typeof getScenario;
export type UpdateScenarioRoute = typeof updateScenario;
export type DeleteScenarioRoute = typeof deleteScenario;
