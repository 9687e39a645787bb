import { INTERCONNECT_KINDS } from "@modelplan/estimator";
import { z } from "@hono/zod-openapi";
import { PRECISIONS, type Precision } from "@modelplan/estimator";
import { ArchitectureSchema } from "../estimates/estimates.schemas";

export const SourcedNumberSchema = z
  .object({
    value: z.number().nullable().openapi({ description: "The figure, or null when no published source was found.", example: 989.4e12 }),
    source: z.string().nullable().openapi({ description: "Where the figure comes from (null when missing).", example: "nvidia.com/en-us/data-center/h100 'FP16 Tensor Core* 1,979 teraFLOPS'" }),
    date: z.string().optional().openapi({ description: "Date the source was published or read.", example: "2026-11-22" }),
    note: z.string().optional().openapi({ description: "Caveat, or why the figure is missing.", example: "vendor figure is with 2:4 sparsity; dense = half" }),
  })
  .openapi("SourcedNumber", { description: "A catalog figure with its source and date, or null with a note." });

export const SourcedTextSchema = z
  .object({
    value: z.string().nullable().openapi({ description: "The value, or null when no source was found.", example: "NVLink 4, 900 GB/s" }),
    source: z.string().nullable().openapi({ description: "Where it comes from (null when missing).", example: "hawkvelt.id.au/post/2024-08-04-nvidia-h100" }),
    date: z.string().optional().openapi({ description: "Date the source was published or read.", example: "2026-11-22" }),
    note: z.string().optional().openapi({ description: "Caveat, or why it is missing.", example: "descriptive; the engine does not model communication time" }),
  })
  .openapi("SourcedText");

export const CloudPriceSchema = z
  .object({
    accelerator: z.string().openapi({ description: "Accelerator id.", example: "h100-sxm" }),
    provider: z.string().openapi({ description: "Cloud provider.", example: "aws" }),
    sku: z.string().openapi({ description: "Instance type or offer.", example: "p5.48xlarge" }),
    region: z.string().nullable().openapi({ description: "Region, if the source gives one.", example: "us-east-1" }),
    gpusPerInstance: z.number().int().openapi({ description: "GPUs in the instance.", example: 8 }),
    onDemandUsdPerGpuHour: z.number().openapi({ description: "On-demand price per GPU-hour, USD.", example: 6.88 }),
    spotUsdPerGpuHour: z.number().nullable().openapi({ description: "Spot price per GPU-hour where published, USD.", example: null }),
    source: z.string().openapi({ description: "Where the price comes from.", example: "datareceipts 109-gpu-pricing/hyperscalers.json" }),
    date: z.string().openapi({ description: "Date of the price.", example: "2026-11-09" }),
    note: z.string().nullable().openapi({ description: "Caveat (e.g. instance price includes host CPUs).", example: null }),
  })
  .openapi("CloudPrice");

const PrecisionBandSchema = z
  .object({
    precision: z.enum(PRECISIONS).openapi({ description: "Precision.", example: "bf16" }),
    low: z.number().openapi({ description: "Low model-FLOPs utilisation.", example: 0.26 }),
    expected: z.number().openapi({ description: "Expected model-FLOPs utilisation.", example: 0.4 }),
    high: z.number().openapi({ description: "High model-FLOPs utilisation.", example: 0.46 }),
    source: z.string().openapi({ description: "Source of the band (or a note that it is the fallback band).", example: "mosaicml/llm-foundry benchmarking README: MFU on H100 BF16 26–46%" }),
  })
  .openapi("PrecisionUtilisationBand");

const precisionFigures = Object.fromEntries(PRECISIONS.map((p) => [p, SourcedNumberSchema])) as Record<Precision, typeof SourcedNumberSchema>;

export const AcceleratorSchema = z
  .object({
    id: z.string().openapi({ description: "Accelerator id (use it as `hardware`).", example: "h100-sxm" }),
    name: z.string().openapi({ description: "Name.", example: "NVIDIA H100 SXM 80GB" }),
    vendor: z.string().openapi({ description: "Vendor.", example: "NVIDIA" }),
    kind: z.enum(["gpu", "cpu"]).openapi({ description: "Device kind.", example: "gpu" }),
    peakFlopsPerS: z.object(precisionFigures).openapi({ description: "Dense peak FLOP/s per precision: fp32, tf32, bf16, fp16, fp8, int8, fp4 (vendor sparsity figures halved)." }),
    memoryBytes: SourcedNumberSchema,
    memoryBandwidthBytesPerS: SourcedNumberSchema,
    tdpW: SourcedNumberSchema,
    interconnect: SourcedTextSchema.extend({
      kind: z.enum(INTERCONNECT_KINDS).nullable().optional().openapi({ description: "Link kind.", example: "nvlink" }),
      bandwidthBytesPerS: z.number().nullable().optional().openapi({ description: "GPU-to-GPU bandwidth per GPU, both directions, as the vendor states it (null where none is published); tensor-parallel all-reduces use it.", example: 9e11 }),
    }).openapi("Interconnect", { description: "The GPU-to-GPU link: its name, kind and bandwidth, with source." }),
    computeUtilisation: z.array(PrecisionBandSchema).openapi({ description: "Training MFU band per precision with a published peak, for a reference 7B model on 8 GPUs (estimates use the model size and GPU count)." }),
    prices: z.array(CloudPriceSchema).openapi({ description: "Cloud prices of this accelerator." }),
  })
  .openapi("Accelerator");

const catalogMeta = {
  catalogVersion: z.string().openapi({ description: "Catalog version.", example: "2026-11-22.1" }),
  retrieved: z.string().openapi({ description: "When the catalog's figures were collected.", example: "2026-11-22" }),
  description: z.string().openapi({ description: "What the catalog holds and how to read it.", example: "Accelerator catalog: dense peak FLOP/s per precision..." }),
};

export const AcceleratorListSchema = z
  .object({ ...catalogMeta, items: z.array(AcceleratorSchema).openapi({ description: "The accelerators." }) })
  .openapi("AcceleratorList");

export const HostedModelSchema = z
  .object({
    id: z.string().openapi({ description: "Hosted model id (litellm key).", example: "gpt-4o-mini" }),
    provider: z.string().openapi({ description: "Provider.", example: "openai" }),
    name: z.string().openapi({ description: "Model name.", example: "GPT-4o mini" }),
    inputUsdPerMillionTokens: z.number().openapi({ description: "USD per 1M input tokens.", example: 0.15 }),
    outputUsdPerMillionTokens: z.number().openapi({ description: "USD per 1M output tokens.", example: 0.6 }),
    cachedInputUsdPerMillionTokens: z.number().nullable().openapi({ description: "USD per 1M input tokens read from the provider's prompt cache (litellm cache_read_input_token_cost; null: none listed).", example: 0.075 }),
    note: z.string().nullable().openapi({ description: "Caveat (e.g. long-context surcharge).", example: null }),
    source: z.string().openapi({ description: "Price source.", example: "litellm model_prices_and_context_window.json, commit 8442b939" }),
    date: z.string().openapi({ description: "Price date.", example: "2026-07-24" }),
  })
  .openapi("HostedModel");

export const HostedModelListSchema = z
  .object({ ...catalogMeta, items: z.array(HostedModelSchema).openapi({ description: "The hosted models." }) })
  .openapi("HostedModelList");

const PublishedFigureSchema = z
  .object({
    value: z.number().openapi({ description: "The published figure.", example: 8e9 }),
    source: z.string().openapi({ description: "Where it is published.", example: "Meta Llama 3 model card: 8B" }),
    date: z.string().openapi({ description: "Publication date.", example: "2024-04-18" }),
  })
  .openapi("PublishedFigure");

export const ModelPresetSchema = z
  .object({
    id: z.string().openapi({ description: "Preset id (use it as model.preset).", example: "llama-3-8b" }),
    name: z.string().openapi({ description: "Model name.", example: "Llama 3 8B" }),
    task: z.string().openapi({ description: "What the model does.", example: "text-generation" }),
    family: z.string().openapi({ description: "Architecture family.", example: "decoder" }),
    publishedParameters: PublishedFigureSchema,
    publishedActiveParameters: z.union([PublishedFigureSchema, z.null()]).openapi({ description: "Published active parameters (MoE), else null." }),
    computedParameters: z.number().openapi({ description: "Parameter count computed from the architecture (within 2% of the published one).", example: 8_030_261_248 }),
    computedActiveParameters: z.number().openapi({ description: "Parameters used per token, computed.", example: 8_030_261_248 }),
    architectureSource: z.string().openapi({ description: "Where the architecture comes from.", example: "released config: 32 layers, hidden 4096..." }),
    architecture: ArchitectureSchema,
  })
  .openapi("ModelPreset");

export const ModelPresetListSchema = z
  .object({ ...catalogMeta, items: z.array(ModelPresetSchema).openapi({ description: "The presets." }) })
  .openapi("ModelPresetList");

export type Accelerator = z.infer<typeof AcceleratorSchema>;
export type ModelPreset = z.infer<typeof ModelPresetSchema>;
