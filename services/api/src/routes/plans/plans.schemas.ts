import { z } from "@hono/zod-openapi";
import {
  BUSINESS_MODELS,
  CHART_NAMES,
  MODALITIES,
  OPTION_KINDS,
  OPTION_PRICINGS,
  PRICING_MODELS,
  QUANTIZATIONS,
  RECOMMENDATION_CATEGORIES,
  RISK_DIMENSIONS,
  RISK_LEVELS,
  SENSITIVITY_VARIABLES,
} from "@modelplan/planner";

// Schemas of the plan endpoints. The Plan schema mirrors @modelplan/planner's Plan type field by field
// (every property documented for the OpenAPI document and the SDK).

const num = (description: string, example: number | null = null) => z.number().openapi({ description, example: example ?? 0 });
const numOrNull = (description: string, example: number | null = null) => z.number().nullable().openapi({ description, example });
const str = (description: string, example: string) => z.string().openapi({ description, example });
const range3 = (description: string) =>
  z
    .object({
      low: num("Low end of the band.", 8.1),
      expected: num("Expected value.", 10.2),
      high: num("High end of the band.", 12.4),
    })
    .openapi({ description });

export const PlanRequestSchema = z
  .object({
    targetGrossMarginPct: z.number().min(0).lt(100).optional().openapi({ description: "Gross margin the required price is solved for, percent (default 60).", example: 70 }),
    sensitivityPct: z.number().gt(0).max(90).optional().openapi({ description: "Relative change applied to each assumption in the sensitivity analysis, percent (default 25).", example: 25 }),
    targetPeakUtilisation: z.number().min(0.05).max(1).optional().openapi({ description: "Share of a replica's capacity the fleet may use at the modelled peak, 0.05–1 (default 0.8).", example: 0.8 }),
    minReplicas: z.number().int().min(0).max(1000).optional().openapi({ description: "Serving replicas kept running even without traffic (default 1).", example: 1 }),
    cacheHitRate: z.number().min(0).lt(1).optional().openapi({ description: "Share of requests a response cache answers, used by the caching recommendation (default 0.2).", example: 0.2 }),
    reservedDiscountPct: z.number().min(0).lt(100).optional().openapi({ description: "Your provider's committed-use (reserved) discount on on-demand GPU prices, percent. The price catalog publishes no reserved prices; without it reserved capacity is not costed.", example: 35 }),
    defaultFineTuneTokens: z.number().min(1).max(1e14).optional().openapi({ description: "Tokens for the fine-tuning options when the scenario does not give trainingTokens (default 10M).", example: 10_000_000 }),
  })
  .strict()
  .openapi("PlanRequest", { description: "Options of a plan run; every field is optional." });

export const AssumptionSchema = z
  .object({
    name: str("Assumption name.", "peakToAverage"),
    value: z.union([z.number(), z.string(), z.boolean(), z.null()]).openapi({ description: "Value (null when not given).", example: 3 }),
    unit: str("Unit of the value.", "peak requests/s over the monthly average"),
    source: str("Where the value comes from (scenario, use-case catalog, estimator catalog with date, or planner default with its reason).", "planner default 3 (the scenario contract's default)"),
  })
  .openapi("PlanAssumption");

const demandFields = {
  month: z.number().int().openapi({ description: "Month of the horizon, 1 = launch.", example: 1 }),
  users: num("Active users: usersAtLaunch × (1 + growth)^(month − 1).", 5000),
  requests: num("Requests in the month: users × requests/user/day × 30.42 days (× the use case's share).", 760_417),
  averageRequestsPerSec: num("Average requests per second over the month's 730 hours.", 0.289),
  peakRequestsPerSec: num("Peak requests per second: average × peak-to-average factor.", 0.868),
  inputTokens: num("Input (prompt) tokens in the month (text use cases).", 9.1e8),
  outputTokens: num("Output (generated) tokens in the month (text use cases).", 1.1e8),
  units: num("Modality units in the month: images, audio seconds, candidates scored or feature rows (0 for text).", 0),
};

export const PlanMonthSchema = z
  .object({
    ...demandFields,
    computeCostUsd: num("Compute cost of the chosen deployment, USD.", 1460),
    oneOffCostUsd: num("One-off costs charged this month (training), USD.", 0),
    costPerRequestUsd: numOrNull("Compute cost per request, USD (null without requests).", 0.0019),
    revenueUsd: num("Revenue, USD.", 60_000),
    grossMarginUsd: num("Revenue − compute, USD.", 58_540),
    grossMarginPct: numOrNull("Gross margin, percent of revenue (null without revenue).", 97.6),
    nonComputeBurnUsd: num("Non-compute spend (salaries, rent...), USD.", 80_000),
    netCashFlowUsd: num("Revenue − compute − one-off − burn, USD.", -21_460),
    cumulativeCashUsd: num("Cash at the end of the month, USD.", 1_478_540),
    cheapestComputeCostUsd: num("Compute cost had each use case used its cheapest option this month, USD.", 612),
    requiredPriceUsd: numOrNull("Price per seat-month or per request giving the target gross margin this month.", 0.73),
  })
  .openapi("PlanMonth");

export const WorkloadMonthSchema = z.object(demandFields).openapi("PlanWorkloadMonth");

export const RequestProfileValuesSchema = z
  .object({
    inputTokens: z.number().optional().openapi({ description: "Prompt tokens per request.", example: 1200 }),
    outputTokens: z.number().optional().openapi({ description: "Generated tokens per request.", example: 150 }),
    imageWidth: z.number().optional().openapi({ description: "Image width, pixels.", example: 224 }),
    imageHeight: z.number().optional().openapi({ description: "Image height, pixels.", example: 224 }),
    imagesPerRequest: z.number().optional().openapi({ description: "Images per request.", example: 1 }),
    audioSeconds: z.number().optional().openapi({ description: "Audio seconds per request.", example: 4 }),
    candidatesScored: z.number().optional().openapi({ description: "Candidates scored per request.", example: 500 }),
    featuresPerRequest: z.number().optional().openapi({ description: "Features per request.", example: 200 }),
  })
  .openapi("PlanRequestProfile");

export const CrossoverSchema = z
  .object({
    month: z.number().int().openapi({ description: "First month of the new cheapest option.", example: 14 }),
    from: str("Option id cheapest until then.", "smart-customer-service/hosted:gpt-4o-mini"),
    to: str("Option id cheapest from this month.", "smart-customer-service/self-host:llama-3-8b:bf16:l4:gcp:on-demand"),
    reason: str("The two costs that month.", "at 8.85M requests/month ... costs $608 vs $637 for ..."),
  })
  .openapi("PlanCrossover");

export const WorkloadSchema = z
  .object({
    useCase: str("Use-case slug.", "smart-customer-service"),
    title: str("Use-case title.", "Smart customer-service chatbot"),
    modality: z.enum(MODALITIES).openapi({ description: "Unit of work of a request.", example: "text" }),
    share: num("Share of the scenario's requests this use case receives.", 1),
    profile: RequestProfileValuesSchema,
    latencyTargetMs: num("p95 latency target from the catalog, ms.", 3000),
    months: z.array(WorkloadMonthSchema).openapi({ description: "Demand of this use case by month." }),
    optionIds: z.array(z.string()).openapi({ description: "Ids of its options in `options`, cheapest total first.", example: ["smart-customer-service/hosted:gpt-4o-mini"] }),
    chosenOptionId: str("Option the financials use (the scenario's strategy).", "smart-customer-service/hosted:gpt-4o-mini"),
    chosenReason: str("Why that option was chosen.", "the scenario's hosted model gpt-4o-mini"),
    cheapestByMonth: z.array(z.string()).openapi({ description: "Cheapest non-spot option id per month (running cost).", example: ["smart-customer-service/hosted:gpt-4o-mini"] }),
    crossovers: z.array(CrossoverSchema).openapi({ description: "Months where the cheapest option changes." }),
    buildVsBuyCrossoverMonth: numOrNull("First month where self-hosting beats the cheapest hosted model (null: never within the horizon or no hosted option).", 14),
  })
  .openapi("PlanWorkload");

export const OptionSeriesSchema = z
  .object({
    computeCostUsd: z.array(z.number()).openapi({ description: "Compute cost per month, USD (index 0 = month 1).", example: [1460, 1460] }),
    costPerRequestUsd: z.array(z.number().nullable()).openapi({ description: "Cost per request per month, USD.", example: [0.0019, 0.0017] }),
    replicas: z.array(z.number()).nullable().openapi({ description: "Replicas provisioned for the peak per month (self-hosting).", example: [1, 1] }),
    gpus: z.array(z.number()).nullable().openapi({ description: "GPUs per month (self-hosting).", example: [1, 1] }),
    utilisation: z.array(z.number()).nullable().openapi({ description: "Average load over provisioned capacity per month, 0–1 (self-hosting).", example: [0.12, 0.14] }),
    idleCostUsd: z.array(z.number()).nullable().openapi({ description: "Part of the month's bill paid for idle capacity, USD (self-hosting).", example: [1285, 1256] }),
  })
  .openapi("PlanOptionSeries");

export const DeploymentOptionSchema = z
  .object({
    id: str("Option id (use case / kind : model : precision : accelerator : provider : pricing).", "smart-customer-service/self-host:llama-3-8b:bf16:l4:gcp:on-demand"),
    label: str("Human-readable option.", "Self-host Llama 3 8B bf16 on 1× NVIDIA L4 (gcp, on-demand)"),
    kind: z.enum(OPTION_KINDS).openapi({ description: "How the model is obtained.", example: "self-host" }),
    workload: str("Use case it serves.", "smart-customer-service"),
    model: z
      .object({
        id: str("Hosted model or preset id.", "llama-3-8b"),
        label: str("Model name.", "Llama 3 8B"),
        parameters: numOrNull("Parameter count (null for hosted APIs).", 8.03e9),
        quantization: z.enum(QUANTIZATIONS).nullable().openapi({ description: "Weight precision served (null for hosted APIs).", example: "bf16" }),
      })
      .openapi({ description: "The model." }),
    accelerator: z
      .object({
        id: str("Accelerator id.", "l4"),
        label: str("Accelerator name.", "NVIDIA L4"),
        provider: str("Cloud provider priced.", "gcp"),
        gpusPerReplica: z.number().int().openapi({ description: "GPUs per replica (tensor parallel).", example: 1 }),
      })
      .nullable()
      .openapi({ description: "Where it runs (null for hosted APIs)." }),
    pricing: z.enum(OPTION_PRICINGS).openapi({ description: "How capacity is paid.", example: "on-demand" }),
    priceSource: str("Source and date of the price used.", "gcp g2-standard-4 ... [2026-11-09]"),
    interruptible: z.boolean().openapi({ description: "Spot capacity: listed but never counted as the cheapest.", example: false }),
    capacityRequestsPerSecPerReplica: range3("Requests per second one replica sustains at the latency target (estimator band); null for hosted APIs.").nullable(),
    oneOffCostUsd: num("One-off cost (training), USD.", 0),
    oneOffDetail: z.string().nullable().openapi({ description: "What the one-off cost is.", example: null }),
    series: OptionSeriesSchema,
    totalCostUsd: num("Running cost over the horizon plus the one-off cost, USD.", 35_040),
    notes: z.array(z.string()).openapi({ description: "Caveats of this option.", example: [] }),
  })
  .openapi("PlanDeploymentOption");

export const RevenueStreamSchema = z
  .object({
    name: str("Stream name.", "API/SDK sales"),
    businessModel: z.enum(BUSINESS_MODELS).openapi({ description: "Business model it belongs to.", example: "api-sdk" }),
    basis: str("How it is computed.", "requests × $0.002 per request"),
    months: z.array(z.number()).openapi({ description: "Revenue per month, USD.", example: [60_000] }),
    totalUsd: num("Revenue over the horizon, USD.", 2_400_000),
  })
  .openapi("PlanRevenueStream");

const HeadlineOptionSchema = z
  .object({
    optionId: str("Option id (ids joined with ' + ' when the scenario has several use cases).", "smart-customer-service/hosted:gpt-4o-mini"),
    label: str("Option label.", "Hosted API: GPT-4o mini (openai)"),
    monthlyCostUsd: num("Its compute cost that month, USD.", 420),
    costPerRequestUsd: numOrNull("Its cost per request that month, USD.", 0.00055),
  })
  .openapi("PlanHeadlineOption");

export const PlanResultsSchema = z
  .object({
    cheapestNow: HeadlineOptionSchema,
    cheapestAtHorizon: HeadlineOptionSchema,
    chosen: z
      .object({
        optionIds: z.array(z.string()).openapi({ description: "Chosen option per use case.", example: ["smart-customer-service/hosted:gpt-4o-mini"] }),
        label: str("Chosen deployment.", "Hosted API: GPT-4o mini (openai)"),
      })
      .openapi({ description: "The deployment the financials use (the scenario's strategy)." }),
    crossovers: z.array(CrossoverSchema).openapi({ description: "Months where the cheapest option changes (build-vs-buy crossovers among them)." }),
    buildVsBuyCrossoverMonth: numOrNull("First month where self-hosting beats the cheapest hosted API.", 14),
    breakEvenMonth: numOrNull("First month with net cash flow ≥ 0 (null: not within the horizon).", 9),
    runOutMonth: numOrNull("Month at whose end cash first falls below zero (null: lasts the horizon).", null),
    runwayMonths: z.number().int().openapi({ description: "Months funded: runOutMonth − 1, or the horizon.", example: 24 }),
    runwayBeyondHorizon: z.boolean().openapi({ description: "True when cash lasts the whole horizon.", example: true }),
    metricMonth: z.number().int().openapi({ description: "Month the margin headline and sensitivity use: 12, or the horizon if shorter.", example: 12 }),
    grossMarginPctAtMetricMonth: numOrNull("Gross margin in the metric month, percent.", 96.4),
    cumulativeCashAtHorizonUsd: num("Cash at the end of the horizon, USD.", 2_100_000),
    totalComputeCostUsd: num("Compute plus one-off costs over the horizon, USD.", 52_000),
    totalRevenueUsd: num("Revenue over the horizon, USD.", 3_000_000),
    requiredPrice: z
      .object({
        targetGrossMarginPct: num("Target gross margin, percent.", 60),
        unit: str("Unit of the prices.", "USD per seat-month"),
        month1: numOrNull("Price for the target margin in month 1.", 0.21),
        metricMonth: numOrNull("Price for the target margin in the metric month.", 0.2),
        horizon: numOrNull("Price for the target margin in the last month.", 0.18),
        everyMonth: numOrNull("Price reaching the target margin in every month.", 0.21),
        current: num("The scenario's price.", 12),
        breakEvenAtHorizon: numOrNull("Price at which the last month's net cash flow is zero (covers compute and burn).", 1.9),
      })
      .openapi({ description: "Price needed for the target gross margin." }),
  })
  .openapi("PlanResults");

export const SensitivitySchema = z
  .object({
    pct: num("Relative change applied, percent.", 25),
    metricMonth: z.number().int().openapi({ description: "Month whose gross margin is compared.", example: 12 }),
    baseGrossMarginPct: numOrNull("Gross margin of the unchanged plan in that month.", 96.4),
    baseRunwayMonths: z.number().int().openapi({ description: "Runway of the unchanged plan, months.", example: 24 }),
    rows: z
      .array(
        z
          .object({
            variable: z.enum(SENSITIVITY_VARIABLES).openapi({ description: "Assumption varied.", example: "price" }),
            label: str("Its name.", "Price"),
            baseValue: numOrNull("Base value.", 12),
            unit: str("Unit of the values.", "USD"),
            lowValue: numOrNull("Value at −pct.", 9),
            highValue: numOrNull("Value at +pct.", 15),
            grossMarginPctLow: numOrNull("Gross margin at the low value.", 95.2),
            grossMarginPctHigh: numOrNull("Gross margin at the high value.", 97.1),
            grossMarginSwingPct: num("|high − low| gross margin, percentage points.", 1.9),
            runwayMonthsLow: z.number().int().openapi({ description: "Runway at the low value.", example: 20 }),
            runwayMonthsHigh: z.number().int().openapi({ description: "Runway at the high value.", example: 24 }),
            runwaySwingMonths: z.number().int().openapi({ description: "|high − low| runway, months.", example: 4 }),
            note: z.string().nullable().openapi({ description: "Caveat (e.g. a capped value).", example: null }),
          })
          .openapi("PlanSensitivityRow"),
      )
      .openapi({ description: "Ranked by gross-margin swing, then runway swing (a tornado table)." }),
    rankByRunway: z.array(z.enum(SENSITIVITY_VARIABLES)).openapi({ description: "Variables ranked by runway swing.", example: ["price", "growth"] }),
  })
  .nullable()
  .openapi("PlanSensitivity", { description: "One-at-a-time sensitivity (null when computed without it)." });

export const RecommendationEffectSchema = z
  .object({
    month12GrossMarginPctBefore: numOrNull("Gross margin in the metric month before.", 88.1),
    month12GrossMarginPctAfter: numOrNull("After the change.", 93.4),
    totalComputeCostUsdBefore: num("Compute over the horizon before, USD.", 52_000),
    totalComputeCostUsdAfter: num("After, USD.", 31_000),
    computeSavingsUsd: num("Before − after, USD.", 21_000),
    runwayMonthsBefore: z.number().int().openapi({ description: "Runway before, months.", example: 18 }),
    runwayMonthsAfter: z.number().int().openapi({ description: "Runway after, months.", example: 20 }),
    cumulativeCashAtHorizonUsdBefore: num("Cash at the horizon before, USD.", 100_000),
    cumulativeCashAtHorizonUsdAfter: num("After, USD.", 121_000),
  })
  .openapi("PlanRecommendationEffect", { description: "Effect computed by re-running the plan with the change." });

export const RecommendationSchema = z
  .object({
    id: str("Recommendation id.", "quantise-int8"),
    category: z
      .enum(RECOMMENDATION_CATEGORIES)
      .openapi({ description: "Kind of change.", example: "quantisation" }),
    title: str("What to do.", "Serve int8 weights instead of bf16"),
    change: str("The change applied to the plan.", "model.quantization: bf16 → int8"),
    rationale: str("Why, with the computed effect.", "int8 weights take 2× less memory... Re-running the plan: saves $21k..."),
    effect: RecommendationEffectSchema,
    caveats: z.array(z.string()).openapi({ description: "What to check before applying it.", example: ["measure accuracy on your evaluation set"] }),
  })
  .openapi("PlanRecommendation");

export const RiskItemSchema = z
  .object({
    useCase: str("Use-case slug.", "chest-xray-triage"),
    dimension: z.enum(RISK_DIMENSIONS).openapi({ description: "Risk dimension.", example: "privacy" }),
    level: z.enum(RISK_LEVELS).openapi({ description: "Level from the use-case catalog.", example: "high" }),
    notes: str("The catalog's notes on the risks.", "Health data (HIPAA/GDPR)..."),
    mitigations: z
      .array(
        z
          .object({
            name: str("Mitigation.", "on-premise serving"),
            how: str("What it means in practice.", "Serve an open model inside your own cloud account..."),
            effect: z.union([RecommendationEffectSchema, z.null()]).openapi({ description: "Cost effect when it changes the deployment (re-run), else null." }),
          })
          .openapi("PlanMitigation"),
      )
      .openapi({ description: "Mitigations the field uses." }),
  })
  .openapi("PlanRisk");

export const PlanSchema = z
  .object({
    kind: z.literal("modelplan.plan").openapi({ description: "Document kind.", example: "modelplan.plan" }),
    schemaVersion: z.literal(1).openapi({ description: "Version of the plan format.", example: 1 }),
    scenario: z
      .object({
        id: str("Scenario id.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
        version: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
        name: str("Scenario name.", "Support bot — 50k users"),
        updatedAt: str("Scenario updatedAt of that version.", "2026-11-22T09:00:00.000Z"),
      })
      .openapi({ description: "The scenario version this plan was computed from." }),
    catalogVersions: z.record(z.string(), z.string()).openapi({ description: "Versions of the catalogs used (use cases, estimator catalogs).", example: { useCases: "2026-11-22.1", estimator: "2026-11-22.1" } }),
    horizonMonths: z.number().int().openapi({ description: "Months planned.", example: 24 }),
    pricingModel: z.enum(PRICING_MODELS).openapi({ description: "Pricing model.", example: "perSeatMonthly" }),
    priceUsd: num("Price per seat-month or per request, USD.", 12),
    businessModel: z.enum(BUSINESS_MODELS).nullable().openapi({ description: "The scenario's business model.", example: "subscription" }),
    months: z.array(PlanMonthSchema).openapi({ description: "Month-by-month projection of the chosen deployment." }),
    workloads: z.array(WorkloadSchema).openapi({ description: "Per use case: demand, options, cheapest option per month, crossovers." }),
    options: z.array(DeploymentOptionSchema).openapi({ description: "Deployment options costed month by month." }),
    revenueStreams: z.array(RevenueStreamSchema).openapi({ description: "Revenue model." }),
    results: PlanResultsSchema,
    sensitivity: SensitivitySchema.nullable(),
    recommendations: z.array(RecommendationSchema).openapi({ description: "Changes with their effects, largest saving first (a pricing change first when the margin misses the target)." }),
    risks: z.array(RiskItemSchema).openapi({ description: "Risks of the use cases (medium and high) with mitigations." }),
    assumptions: z.array(AssumptionSchema).openapi({ description: "Every assumption with its source." }),
    warnings: z.array(z.string()).openapi({ description: "What the plan could not cost or should be checked.", example: [] }),
  })
  .openapi("Plan");

export const StoredPlanSchema = z
  .object({
    id: str("Plan id.", "pln_2c4e6a8b0d1f3e5a7c9b1d3f"),
    scenarioId: str("Scenario planned.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
    scenarioVersion: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
    catalogVersion: str("Use-case catalog version used.", "2026-11-22.1"),
    estimatorCatalogVersion: str("Estimator catalog version used (hardware, prices, presets).", "2026-11-22.1"),
    options: PlanRequestSchema,
    createdAt: str("When it was computed, ISO 8601.", "2026-11-22T09:00:00.000Z"),
    reportUrl: str("The HTML report (Markdown with Accept: text/markdown).", "/v1/plans/pln_2c4e6a8b0d1f3e5a7c9b1d3f/report"),
    plan: PlanSchema,
  })
  .openapi("StoredPlan");

export const PlanSummarySchema = z
  .object({
    id: str("Plan id.", "pln_2c4e6a8b0d1f3e5a7c9b1d3f"),
    scenarioId: str("Scenario planned.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
    scenarioVersion: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
    catalogVersion: str("Use-case catalog version used.", "2026-11-22.1"),
    estimatorCatalogVersion: str("Estimator catalog version used.", "2026-11-22.1"),
    createdAt: str("When it was computed, ISO 8601.", "2026-11-22T09:00:00.000Z"),
    horizonMonths: z.number().int().openapi({ description: "Months planned.", example: 24 }),
    cheapestNow: str("Cheapest option in month 1.", "Hosted API: GPT-4o mini (openai)"),
    cheapestAtHorizon: str("Cheapest option in the last month.", "Self-host Llama 3 8B bf16 on 1× NVIDIA L4 (gcp, on-demand)"),
    breakEvenMonth: numOrNull("First month with net cash flow ≥ 0.", 9),
    runOutMonth: numOrNull("Month cash runs out (null: lasts the horizon).", null),
    runwayMonths: z.number().int().openapi({ description: "Months funded.", example: 24 }),
    grossMarginPctAtMetricMonth: numOrNull("Gross margin in month 12 (or the horizon).", 96.4),
    totalComputeCostUsd: num("Compute over the horizon, USD.", 52_000),
    url: str("The full plan.", "/v1/plans/pln_2c4e6a8b0d1f3e5a7c9b1d3f"),
  })
  .openapi("PlanSummary");

export const CompareRequestSchema = z
  .object({
    scenarioIds: z
      .array(z.string().min(1).max(64).openapi({ description: "Scenario id.", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" }))
      .min(2)
      .max(5)
      .refine((ids) => new Set(ids).size === ids.length, "List each scenario once.")
      .openapi({ description: "Two to five scenarios to compare.", example: ["scn_5f1c9b0e7a2d4c8e9b1f3a6d", "scn_7a2d4c8e9b1f3a6d5f1c9b0e"] }),
    options: PlanRequestSchema.optional(),
  })
  .strict()
  .openapi("PlanCompareRequest");

export const ComparedPlanSchema = z
  .object({
    scenarioId: str("Scenario id.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
    scenarioVersion: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
    name: str("Scenario name.", "Support bot — hosted"),
    horizonMonths: z.number().int().openapi({ description: "Months planned.", example: 24 }),
    chosen: str("Deployment the financials use.", "Hosted API: GPT-4o mini (openai)"),
    cheapestNow: str("Cheapest option in month 1.", "Hosted API: GPT-4o mini (openai)"),
    cheapestAtHorizon: str("Cheapest option in the last month.", "Self-host Llama 3 8B bf16 on 1× NVIDIA L4 (gcp, on-demand)"),
    totalComputeCostUsd: num("Compute (and training) over the horizon, USD.", 52_000),
    totalRevenueUsd: num("Revenue over the horizon, USD.", 3_000_000),
    grossMarginPctAtMetricMonth: numOrNull("Gross margin in month 12 (or the horizon).", 96.4),
    metricMonth: z.number().int().openapi({ description: "Month of that margin.", example: 12 }),
    breakEvenMonth: numOrNull("First month with net cash flow ≥ 0.", 9),
    runOutMonth: numOrNull("Month cash runs out (null: lasts the horizon).", null),
    runwayMonths: z.number().int().openapi({ description: "Months funded.", example: 24 }),
    cumulativeCashAtHorizonUsd: num("Cash at the end of the horizon, USD.", 2_100_000),
    requiredPriceUsd: numOrNull("Price reaching the target gross margin every month.", 0.21),
    priceUnit: str("Unit of the price.", "USD per seat-month"),
    monthlyComputeCostUsd: z.array(z.number()).openapi({ description: "Compute cost per month, USD.", example: [420, 460] }),
    cumulativeCashUsd: z.array(z.number()).openapi({ description: "Cash at the end of each month, USD.", example: [1_420_000, 1_350_000] }),
  })
  .openapi("ComparedPlan");

export const CompareResponseSchema = z
  .object({
    items: z.array(ComparedPlanSchema).openapi({ description: "One entry per scenario, in the order asked." }),
    best: z
      .object({
        lowestComputeCost: str("Scenario with the lowest compute cost over its horizon.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
        highestGrossMargin: z.string().nullable().openapi({ description: "Scenario with the highest gross margin in its metric month (null: none has revenue).", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" }),
        longestRunway: str("Scenario with the longest runway (ties: the most cash at the horizon).", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
        earliestBreakEven: z.string().nullable().openapi({ description: "Scenario breaking even first (null: none within its horizon).", example: null }),
      })
      .openapi({ description: "Which scenario wins on each measure." }),
    targetGrossMarginPct: num("Target margin used for the required prices, percent.", 60),
  })
  .openapi("PlanComparison");

export const ChartNameSchema = z.enum(CHART_NAMES).openapi({ description: "Chart name.", example: "monthly-cost" });

export type StoredPlan = z.infer<typeof StoredPlanSchema>;
export type PlanSummary = z.infer<typeof PlanSummarySchema>;
export type ComparedPlan = z.infer<typeof ComparedPlanSchema>;
