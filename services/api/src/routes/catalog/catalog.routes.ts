import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";
import { AcceleratorListSchema, AcceleratorSchema, HostedModelListSchema, ModelPresetListSchema, ModelPresetSchema } from "./catalog.schemas";

const tags = ["Catalogs"];

export const listHardware = createRoute({
  method: "get",
  path: "/v1/hardware",
  security: requireScope("read"),
  operationId: "listHardware",
  tags,
  summary: "List accelerators",
  description: "The accelerator catalog: dense peak FLOP/s per precision, memory, bandwidth, TDP, interconnect, default utilisation bands and cloud prices, each figure with its source and date (or null with a note).",
  request: {
    query: z.object({
      kind: z.enum(["gpu", "cpu"]).optional().openapi({ param: { name: "kind", in: "query" }, description: "Only this device kind.", example: "gpu" }),
    }),
  },
  responses: {
    200: { description: "The accelerators.", content: { "application/json": { schema: AcceleratorListSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const getHardware = createRoute({
  method: "get",
  path: "/v1/hardware/{id}",
  security: requireScope("read"),
  operationId: "getHardware",
  tags,
  summary: "Get one accelerator",
  description: "One accelerator with its sourced figures, utilisation bands and prices.",
  request: {
    params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Accelerator id.", example: "a100-80gb" }) }),
  },
  responses: {
    200: { description: "The accelerator.", content: { "application/json": { schema: AcceleratorSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const listHostedModels = createRoute({
  method: "get",
  path: "/v1/hosted-models",
  security: requireScope("read"),
  operationId: "listHostedModels",
  tags,
  summary: "List hosted-model API prices",
  description: "Hosted model APIs with their USD prices per 1M input and output tokens, from the litellm price snapshot (source and date on each).",
  request: {
    query: z.object({
      provider: z.string().min(1).max(64).optional().openapi({ param: { name: "provider", in: "query" }, description: "Only this provider.", example: "anthropic" }),
    }),
  },
  responses: {
    200: { description: "The hosted models.", content: { "application/json": { schema: HostedModelListSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const listModelPresets = createRoute({
  method: "get",
  path: "/v1/model-presets",
  security: requireScope("read"),
  operationId: "listModelPresets",
  tags,
  summary: "List model presets",
  description: "Widely used models with their published architectures and parameter counts (with sources) and the count computed from the architecture.",
  request: {
    query: z.object({
      family: z
        .enum(["decoder", "encoder", "encoder-decoder", "cnn", "mlp", "lstm", "embedding-classifier"])
        .optional()
        .openapi({ param: { name: "family", in: "query" }, description: "Only this architecture family.", example: "decoder" }),
    }),
  },
  responses: {
    200: { description: "The presets.", content: { "application/json": { schema: ModelPresetListSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const getModelPreset = createRoute({
  method: "get",
  path: "/v1/model-presets/{id}",
  security: requireScope("read"),
  operationId: "getModelPreset",
  tags,
  summary: "Get one model preset",
  description: "One preset with its architecture and parameter counts.",
  request: {
    params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Preset id.", example: "llama-3-8b" }) }),
  },
  responses: {
    200: { description: "The preset.", content: { "application/json": { schema: ModelPresetSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export type ListHardwareRoute = typeof listHardware;
export type GetHardwareRoute = typeof getHardware;
export type ListHostedModelsRoute = typeof listHostedModels;
export type ListModelPresetsRoute = typeof listModelPresets;
export type GetModelPresetRoute = typeof getModelPreset;
