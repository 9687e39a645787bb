import { z } from "@hono/zod-openapi";
import { AssumptionSchema } from "./estimates.schemas";
import { InferenceEstimateResponseSchema, TrainingEstimateResponseSchema } from "./measured-estimates.schemas";

export const ScenarioEstimateRequestSchema = z
  .object({
    hardware: z.string().min(1).max(128).optional().openapi({ description: "Accelerator id to use instead of the scenario's hardware.accelerator (GET /v1/hardware), or a measured hardware profile: `local` or `hwp_…` (its measured efficiency, precision and price).", example: "l4" }),
    provider: z.string().min(1).max(64).optional().openapi({ description: "Price from this provider instead of the scenario's hardware.provider.", example: "aws" }),
    gpusPerReplica: z.number().int().min(1).max(1024).optional().openapi({ description: "GPUs per serving replica instead of the scenario's.", example: 1 }),
  })
  .strict()
  .openapi("ScenarioEstimateRequest", { description: "Optional overrides of the scenario's hardware for this estimate." });

export const HostedApiEstimateSchema = z
  .object({
    kind: z.literal("hosted-api").openapi({ description: "Estimate kind.", example: "hosted-api" }),
    catalogVersion: z.string().openapi({ description: "Catalog version used.", example: "2026-11-22.1" }),
    hostedModel: z
      .object({
        id: z.string().openapi({ description: "Hosted model id.", example: "gpt-4o-mini" }),
        provider: z.string().openapi({ description: "Provider.", example: "openai" }),
        name: z.string().openapi({ description: "Model name.", example: "GPT-4o mini" }),
        inputUsdPerMillionTokens: z.number().openapi({ description: "USD per 1M input tokens.", example: 0.15 }),
        outputUsdPerMillionTokens: z.number().openapi({ description: "USD per 1M output tokens.", example: 0.6 }),
        cachedInputUsdPerMillionTokens: z.number().nullable().openapi({ description: "USD per 1M input tokens read from the provider's prompt cache (null: none listed).", example: 0.075 }),
        note: z.string().nullable().openapi({ description: "Caveat of the price entry.", example: null }),
        source: z.string().openapi({ description: "Price source.", example: "litellm model_prices_and_context_window.json, commit 8442b939" }),
        date: z.string().openapi({ description: "Price date.", example: "2026-07-24" }),
      })
      .openapi({ description: "The hosted model and its prices." }),
    inputTokens: z.number().openapi({ description: "Input tokens per request.", example: 600 }),
    cachedInputTokens: z.number().openapi({ description: "Of the input tokens, those billed at the cache-read price.", example: 0 }),
    outputTokens: z.number().openapi({ description: "Output tokens per request.", example: 150 }),
    traffic: z
      .object({
        peakRequestsPerSec: z.number().openapi({ description: "Peak requests per second.", example: 3.47 }),
        averageRequestsPerSec: z.number().openapi({ description: "Average requests per second.", example: 1.16 }),
        requestsPerDay: z.number().openapi({ description: "Requests per day.", example: 100_000 }),
        requestsPerMonth: z.number().openapi({ description: "Requests per month.", example: 3_041_667 }),
        peakToAverage: z.number().openapi({ description: "Peak over average.", example: 3 }),
        tokensPerMonth: z.number().openapi({ description: "Input + output tokens per month.", example: 2.28e9 }),
      })
      .openapi({ description: "Traffic priced." }),
    costPerRequestUsd: z.number().openapi({ description: "API cost per request, USD.", example: 0.00018 }),
    monthlyCostUsd: z.number().openapi({ description: "API cost per month, USD.", example: 547.5 }),
    costPerMillionTokensUsd: z.number().openapi({ description: "Blended price of this token mix per 1M tokens, USD.", example: 0.24 }),
    assumptions: z.array(AssumptionSchema).openapi({ description: "Every default and catalog figure used." }),
  })
  .openapi("HostedApiEstimate");

const Range = (description: string, example: [number, number, number]) =>
  z
    .object({
      low: z.number().openapi({ description: "Low end.", example: example[0] }),
      expected: z.number().openapi({ description: "Expected.", example: example[1] }),
      high: z.number().openapi({ description: "High end.", example: example[2] }),
    })
    .openapi({ description });

const MeasuredOwnServingSchema = z
  .object({
    profileId: z.string().openapi({ description: "The measured hardware profile.", example: "hwp_4165f6c75c7c45b5819c" }),
    useCase: z.string().openapi({ description: "The use case whose request and latency target the serving is for.", example: "review-sentiment-analysis" }),
    model: z.string().openapi({ description: "The benchmark configuration that is the scenario's own model.", example: "text classifier (embedding + average pooling) (vocabSize=20000,seqLen=120,embedDim=64,hiddenUnits=64,classes=3)" }),
    parameters: z.number().openapi({ description: "Its parameters.", example: 1_284_355 }),
    basis: z.enum(["measured", "predicted"]).openapi({ description: "measured: a whole-machine run of exactly this configuration on the box (the benchmark is the cost); predicted: the profile's calibrated prediction (POST /v1/benchmarks/predict), with its band.", example: "measured" }),
    requestsPerSecPerBox: Range("Requests per second one box serves at the use case's latency target (low/high: at the run's p90/p10 step).", [3770, 25975, 45921]),
    requestLatencyMs: z.number().openapi({ description: "A request's latency at that batch: it waits for the batch in progress, then is computed in the next (2 × the step).", example: 4.85 }),
    batchSize: z.number().int().openapi({ description: "Batch served.", example: 32 }),
    usdPerHour: z.number().nullable().openapi({ description: "The profile's price per hour (null: no price).", example: 0.1117 }),
    usdPerMillionRequests: Range("USD per million requests at the box's hourly price (null without a price).", [0.00068, 0.0012, 0.0082]).nullable(),
    kwhPerMillionRequests: Range("Facility kWh per million requests (null without a price with power).", [0.0007, 0.0013, 0.0088]).nullable(),
    runIds: z.array(z.string()).openapi({ description: "The runs it rests on.", example: ["brun_98e7d3eb689e4a2e812c090e"] }),
    detail: z.string().openapi({ description: "What it rests on.", example: "measured: 25,975 samples/s on the whole machine (2 workers) at batch 32, …; the benchmark is the cost, no extrapolation" }),
    notes: z.array(z.string()).openapi({ description: "Caveats.", example: [] }),
  })
  .openapi("MeasuredOwnServing", { description: "The scenario's own model (a benchmark configuration) served on the measured profile, from its measured throughput." });

export const ScenarioEstimateSchema = z
  .object({
    id: z.string().openapi({ description: "Estimate id.", example: "est_3b9f1c0d2e4a5b6c7d8e9f0a" }),
    scenarioId: z.string().openapi({ description: "Scenario it was computed for.", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" }),
    scenarioVersion: z.number().int().openapi({ description: "Scenario version it was computed from.", example: 3 }),
    strategy: z.enum(["hosted-api", "self-host", "fine-tune", "train-from-scratch"]).openapi({ description: "The scenario's model strategy.", example: "self-host" }),
    catalogVersion: z.string().openapi({ description: "Catalog version the engine used.", example: "2026-11-22.1" }),
    createdAt: z.string().openapi({ description: "When it was computed, ISO 8601.", example: "2026-11-22T09:00:00.000Z" }),
    traffic: z
      .object({
        peakMonth: z.number().int().openapi({ description: "Month (1-based) of the horizon with the most requests (the earliest of equal ones), as the plan projects them.", example: 24 }),
        usersAtPeak: z.number().openapi({ description: "Active users (paying and free) in that month, as the plan's funnel projects them (without a funnel's sign-ups: usersAtLaunch × (1 + growth)^(month − 1)).", example: 292_000 }),
        payingUsersAtPeak: z.number().openapi({ description: "Of them, paying users (the funnel's conversion and churn).", example: 8_760 }),
        freeUsersAtPeak: z.number().openapi({ description: "Of them, free users.", example: 283_240 }),
        requestsPerDay: z.number().openapi({ description: "Requests per day in that month, as plans count them: paying users × usage.requestsPerUserPerDay + free users × usage.freeRequestsPerUserPerDay (its default: the same rate), capped by pricing.freeTier, + the API/SDK revenue lines' requests; the month's requests ÷ 30.42 days.", example: 1_752_000 }),
        peakToAverage: z.number().nullable().openapi({ description: "The scenario's peak-to-average ratio (null: the engine default).", example: 3 }),
      })
      .openapi({ description: "Traffic the estimate is sized for: the busiest month of the horizon, with the plan's traffic rule (the same funnel, free-user rate, free-tier cap and revenue lines)." }),
    requestProfile: z
      .object({
        inputTokens: z.number().nullable().openapi({ description: "Prompt tokens per request (null: engine default).", example: 600 }),
        cachedInputTokens: z.number().openapi({ description: "Of the prompt tokens, those a prefix cache serves (the scenario's usage.requestProfile.cachedInputTokens; 0 when not given).", example: 0 }),
        outputTokens: z.number().nullable().openapi({ description: "Generated tokens per request (null: engine default).", example: 150 }),
        audioSeconds: z.number().nullable().openapi({ description: "Audio seconds per request.", example: null }),
        samplesPerRequest: z.number().nullable().openapi({ description: "Samples per request (images or scored candidates).", example: null }),
        latencyTargetMs: z.number().nullable().openapi({ description: "The use case's p95 request latency target the serving estimate must meet, as plans apply it (null: no use case target).", example: 3000 }),
        source: z.string().openapi({ description: "Where the profile comes from: the scenario, a use case, or the engine defaults.", example: "use case smart-customer-service" }),
      })
      .openapi({ description: "Request shape used." }),
    inputs: z
      .object({
        hostedApi: z.record(z.string(), z.unknown()).nullable().openapi({ description: "Request sent to the hosted-API pricing.", example: null }),
        training: z.record(z.string(), z.unknown()).nullable().openapi({ description: "Request sent to the training estimator (same shape as POST /v1/estimates/training).", example: null }),
        inference: z.record(z.string(), z.unknown()).nullable().openapi({ description: "Request sent to the serving estimator (same shape as POST /v1/estimates/inference).", example: { model: { preset: "llama-3-8b" }, hardware: "l4", workload: { requestsPerDay: 1_752_000 } } }),
      })
      .openapi({ description: "The engine requests derived from the scenario, so the estimate can be reproduced." }),
    hostedApi: z.union([HostedApiEstimateSchema, z.null()]).openapi({ description: "Hosted-API cost (strategy hosted-api)." }),
    training: z.union([TrainingEstimateResponseSchema, z.null()]).openapi({ description: "Training estimate (fine-tune / train-from-scratch with trainingTokens)." }),
    inference: z.union([InferenceEstimateResponseSchema, z.null()]).openapi({ description: "Serving estimate (self-host, fine-tune, train-from-scratch)." }),
    measuredServing: MeasuredOwnServingSchema.optional().openapi({
      description: "Present when the hardware is a measured profile and the scenario's own model is one of the benchmark's small models (embedding classifier, MLP, LSTM over tokens) the profile measured or can predict: its serving from the measured throughput, beside the estimator's `inference` answer.",
    }),
    warnings: z.array(z.string()).openapi({ description: "Things to know about this estimate.", example: [] }),
  })
  .openapi("ScenarioEstimate");

export type ScenarioEstimate = z.infer<typeof ScenarioEstimateSchema>;
export type MeasuredOwnServing = z.infer<typeof MeasuredOwnServingSchema>;
export type ScenarioEstimateRequest = z.infer<typeof ScenarioEstimateRequestSchema>;
