import { z } from "@hono/zod-openapi";
import { ProfilePriceSchema } from "../hardware-prices/hardware-prices.schemas";
import { InferenceEstimateSchema, TrainingEstimateSchema } from "./estimates.schemas";

const PRECISION_VALUES = ["fp32", "fp16"] as const;

/** What an estimate on a measured profile says about it (`"hardware": "local"` or `"hwp_…"`). */
export const MeasuredHardwareSchema = z
  .object({
    profileId: z.string().openapi({ description: "The measured profile the estimate ran on.", example: "hwp_5e40c6399133dc9c0a1b" }),
    name: z.string().openapi({ description: "The machine.", example: "Intel(R) Xeon(R) Processor ×2 · wasm" }),
    kind: z.enum(["cpu", "gpu"]).openapi({ description: "What the profile computes on.", example: "cpu" }),
    backend: z.string().openapi({ description: "The TensorFlow.js backend that measured it.", example: "wasm" }),
    chosenBy: z.enum(["local", "id"]).openapi({ description: "How the request named the profile.", example: "local" }),
    reason: z.string().openapi({
      description: "Why this profile: for `local`, the fastest profile measured on this service's machine that is not software emulation (by whole-machine float32 matmul ceiling).",
      example: '"local" is hwp_5e40c6399133dc9c0a1b (Intel(R) Xeon(R) Processor ×2 · wasm): the only profile measured on this service\'s machine that is not software emulation (matmul ceiling 41.0 GFLOP/s float32)',
    }),
    emulation: z.string().nullable().openapi({ description: "Set when the profile is software GPU emulation (never `local`; only by id): its figures are a CPU's.", example: null }),
    precisions: z.array(z.enum(PRECISION_VALUES)).openapi({ description: "Precisions with a measured peak: fp32 (TF.js runs), fp16 where the device's float16 matmul was measured (WebGPU with shader-f16).", example: ["fp32"] }),
    precision: z.enum(PRECISION_VALUES).openapi({ description: "The precision the estimate used (training: precision; serving: quantization).", example: "fp32" }),
    precisionChosenBy: z.enum(["request", "default"]).openapi({ description: "request: the body gave it; default: the profile's default precision.", example: "default" }),
    precisionSource: z.string().openapi({ description: "Why that default.", example: "the precision the profile was measured in: its TF.js runs and matmul ceiling are float32 (no float16 measurement on this profile)" }),
    accuracyScope: z.string().openapi({ description: "What the profile's leave-one-out accuracy describes (step-time prediction for the TF.js reference models on this profile, not an LLM estimate) and how measured efficiency enters this estimate." }),
    accuracyUrl: z.string().openapi({ description: "The profile's leave-one-out accuracy report.", example: "/v1/hardware-profiles/hwp_5e40c6399133dc9c0a1b/accuracy" }),
    price: ProfilePriceSchema.nullable().openapi({ description: "The profile's price (null: unpriced, so the estimate has no cost; PUT /v1/hardware-profiles/{id}/price)." }),
    energy: z
      .object({
        kwhPerHour: z.number().openapi({ description: "The box's facility energy per hour (its price's power × PUE), kWh.", example: 0.12 }),
        monthlyKwh: z.number().nullable().openapi({ description: "Serving: boxes × 730 h × kWh per hour (null for training: see the estimate's energyKwh).", example: 87.6 }),
      })
      .nullable()
      .openapi({ description: "Energy from the power given with the price (null without one)." }),
    rules: z.array(z.string()).openapi({
      description: "Rules modelplan applied because the hardware is a measured box (one box per replica; without a latency target, the batch at which a request takes at most twice as long as alone).",
      example: ["one box per replica (gpusPerReplica 1): a measured profile is one machine"],
    }),
  })
  .openapi("MeasuredHardware", { description: "The measured hardware profile an estimate ran on: which, why, in what precision, what its accuracy figure describes, and its price." });

export const TrainingEstimateResponseSchema = TrainingEstimateSchema.extend({
  measuredHardware: MeasuredHardwareSchema.optional().openapi({ description: "Present when `hardware` named a measured profile (`local` or `hwp_…`)." }),
}).openapi("TrainingEstimateResponse", { description: "A training estimate; on a measured profile, with what it says about that profile." });

export const InferenceEstimateResponseSchema = InferenceEstimateSchema.extend({
  measuredHardware: MeasuredHardwareSchema.optional().openapi({ description: "Present when `hardware` named a measured profile (`local` or `hwp_…`)." }),
}).openapi("InferenceEstimateResponse", { description: "A serving estimate; on a measured profile, with what it says about that profile." });

export type MeasuredHardwareBlock = z.infer<typeof MeasuredHardwareSchema>;
