import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";
import { PaginationQuerySchema, pageSchema } from "../../lib/pagination";
import { ScenarioIdParamSchema } from "../scenarios/scenarios.routes";
import { InferenceRequestSchema, TrainingRequestSchema } from "./estimates.schemas";
import { InferenceEstimateResponseSchema, TrainingEstimateResponseSchema } from "./measured-estimates.schemas";
import { ScenarioEstimateRequestSchema, ScenarioEstimateSchema } from "./scenario-estimates.schemas";

const tags = ["Estimates"];

/** The headers of the cached estimate routes' answers (see estimates.cache.ts). */
const cacheHeaders = {
  "X-Cache": {
    description:
      "Whether the answer came from the service's cache of estimates: `hit` (a byte-identical answer computed earlier for the same body, catalog version and workspace), `miss` (computed now; kept when the same request was made before, so a body is usually answered from the cache from its third request: a sweep of one-off bodies does not push out answers asked again), `bypass` (computed now and not kept: it uses a measured hardware profile, whose figures change with new runs, or the body is too large to key).",
    schema: { type: "string" as const, enum: ["hit", "miss", "bypass"] },
  },
  "Content-Encoding": {
    description:
      "`gzip` when the answer comes from the cache, is at least 1 KiB, and the request's Accept-Encoding accepts gzip (Node's fetch, and so the SDK, sends `gzip, deflate`; HTTP clients decode it transparently). Absent otherwise: computed answers are sent as they are.",
    schema: { type: "string" as const, enum: ["gzip"] },
  },
  Vary: {
    description: "`Accept-Encoding`: the same request may be answered gzip-encoded or not.",
    schema: { type: "string" as const, enum: ["Accept-Encoding"] },
  },
  "Cache-Control": {
    description: "`no-store` on an estimate on a measured hardware profile (`local` or a profile id): its figures change as the workspace measures more runs. Absent otherwise.",
    schema: { type: "string" as const, enum: ["no-store"] },
  },
};

export const estimateTraining = createRoute({
  method: "post",
  path: "/v1/estimates/training",
  security: requireScope("read"),
  operationId: "estimateTraining",
  tags,
  summary: "Estimate a training or fine-tuning run",
  description:
    "Compute (FLOPs), memory per GPU (weights, gradients, optimizer state, activations) with a fits flag, the GPU count (given, the fewest that fit, or enough for a deadline), GPU-hours and wall clock as {low, expected, high} bands from published utilisation figures, cost on-demand and spot, energy and CO2. Pure computation: nothing is stored (answers are cached, see X-Cache). A model that does not fit is an answer (fits=false), not an error.",
  request: { body: { required: true, content: { "application/json": { schema: TrainingRequestSchema } } } },
  responses: {
    200: { description: "The estimate, with every assumption it used.", headers: cacheHeaders, content: { "application/json": { schema: TrainingEstimateResponseSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const estimateInference = createRoute({
  method: "post",
  path: "/v1/estimates/inference",
  security: requireScope("read"),
  operationId: "estimateInference",
  tags,
  summary: "Estimate serving a model",
  description:
    "Memory (weights, KV cache, largest batch), prefill and per-token decode time by the roofline model, the batch meeting latency targets, throughput per GPU, replicas and GPUs for the peak, cost per 1M tokens, per request and per month, and every hosted model's cost for the same traffic with the break-even traffic. Per-sample models (vision, encoders, MLPs) are served per request. Pure computation: nothing is stored (answers are cached, see X-Cache).",
  request: { body: { required: true, content: { "application/json": { schema: InferenceRequestSchema } } } },
  responses: {
    200: { description: "The estimate, with every assumption it used.", headers: cacheHeaders, content: { "application/json": { schema: InferenceEstimateResponseSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const createScenarioEstimate = createRoute({
  method: "post",
  path: "/v1/scenarios/{id}/estimates",
  security: requireScope("write"),
  operationId: "createScenarioEstimate",
  tags,
  summary: "Estimate a scenario and store the result",
  description:
    "Computes the estimate of the scenario's model strategy at its peak traffic (the month of the horizon with the most users): hosted-API cost, or serving (self-host), or training plus serving (fine-tune / train-from-scratch). Stores it with the scenario version and the catalog version it used.",
  request: {
    params: ScenarioIdParamSchema,
    body: { required: false, content: { "application/json": { schema: ScenarioEstimateRequestSchema } } },
  },
  responses: {
    201: {
      description: "The stored estimate.",
      headers: { Location: { description: "URL of the stored estimate.", schema: { type: "string" } } },
      content: { "application/json": { schema: ScenarioEstimateSchema } },
    },
    ...problemResponses(404, ...commonErrors),
  },
});

export const listScenarioEstimates = createRoute({
  method: "get",
  path: "/v1/scenarios/{id}/estimates",
  security: requireScope("read"),
  operationId: "listScenarioEstimates",
  tags,
  summary: "List a scenario's estimates",
  description: "Stored estimates of the scenario, newest first, cursor-paginated.",
  request: { params: ScenarioIdParamSchema, query: PaginationQuerySchema },
  responses: {
    200: { description: "A page of estimates.", content: { "application/json": { schema: pageSchema(ScenarioEstimateSchema, "ScenarioEstimatePage") } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const ScenarioEstimateParamSchema = z.object({
  id: ScenarioIdParamSchema.shape.id,
  estimateId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "estimateId", in: "path" }, description: "Estimate id.", example: "est_9d2b6f0a4c8e1b3d5f7a9c0e" }),
});

export const getScenarioEstimate = createRoute({
  method: "get",
  path: "/v1/scenarios/{id}/estimates/{estimateId}",
  security: requireScope("read"),
  operationId: "getScenarioEstimate",
  tags,
  summary: "Get one stored estimate of a scenario",
  description: "The estimate as it was stored, with the scenario version and catalog version it was computed from.",
  request: { params: ScenarioEstimateParamSchema },
  responses: {
    200: { description: "The stored estimate.", content: { "application/json": { schema: ScenarioEstimateSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export type EstimateTrainingRoute = typeof estimateTraining;
export type EstimateInferenceRoute = typeof estimateInference;
export type CreateScenarioEstimateRoute = typeof createScenarioEstimate;
export type ListScenarioEstimatesRoute = typeof listScenarioEstimates;
export type GetScenarioEstimateRoute = typeof getScenarioEstimate;
