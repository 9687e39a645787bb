import { z } from "@hono/zod-openapi";
import {
  BUSINESS_MODELS, MEASUREMENT_BASES, MODALITIES, OPTION_KINDS, OPTION_PRICINGS, PRICING_MODELS, QUALITY_BENCHMARKS, QUANTIZATIONS, RECOMMENDATION_CATEGORIES,
  REVENUE_STREAM_KINDS, RISK_DIMENSIONS, RISK_LEVELS, SENSITIVITY_VARIABLES,
} from "@modelplan/planner";

// The plan document (@modelplan/planner's Plan), built from the planner's tuples so its z.infer is the
// Plan type itself (checked in test/plan-schema-types.test.ts); every property documented for the OpenAPI
// document and the SDK.

const num = (description: string, example: number) => z.number().openapi({ description, example });
const numOrNull = (description: string, example: number | null) => z.number().nullable().openapi({ description, example });
const int = (description: string, example: number) => z.number().int().openapi({ description, example });
const str = (description: string, example: string) => z.string().openapi({ description, example });
const nums = (description: string, example: number[]) => z.array(z.number()).openapi({ description, example });
const range3 = (description: string) =>
  z
    .object({
      low: num("Low end of the band.", 8.1),
      expected: num("Expected value.", 10.2),
      high: num("High end of the band.", 12.4),
    })
    .openapi({ description });

export const AssumptionSchema = z
  .object({
    name: str("Assumption name.", "funnel.freeToPaidPct"),
    value: z.union([z.number(), z.string(), z.boolean(), z.null()]).openapi({ description: "Value (null when not given).", example: 3 }),
    unit: str("Unit of the value.", "% of sign-ups who become paying customers"),
    source: str("Where the value comes from: the scenario, a catalog with its date, a published benchmark with source and date, or a modelplan choice with its reason.", "default — Published freemium SaaS benchmarks: OpenView Partners' 2022 SaaS Benchmarks ..."),
  })
  .openapi("PlanAssumption");

const demandFields = {
  month: int("Month of the horizon, 1 = launch.", 1),
  users: num("Active users (free and paying).", 50_000),
  requests: num("Requests in the month (the use case's share for a workload).", 9_125_000),
  averageRequestsPerSec: num("Average requests per second over the month's 730 hours.", 3.47),
  peakRequestsPerSec: num("Peak requests per second: average × peak-to-average factor.", 10.4),
  inputTokens: num("Input (prompt) tokens in the month (text use cases).", 1.1e10),
  outputTokens: num("Output (generated) tokens in the month (text use cases).", 1.4e9),
  units: num("Modality units in the month: images, audio seconds, candidates scored or feature rows (0 for text).", 0),
};

export const PlanMonthSchema = z
  .object({
    ...demandFields,
    payingUsers: num("Paying users at the end of the month.", 1500),
    freeUsers: num("Free users at the end of the month.", 48_500),
    signups: num("New sign-ups this month.", 8910),
    newPayingUsers: num("Sign-ups who pay (sign-ups × conversion).", 267),
    churnedPayingUsers: num("Paying users lost this month.", 60),
    churnedFreeUsers: num("Free users lost this month.", 4850),
    productRevenueUsd: num("Revenue of the product's own pricing, USD.", 18_000),
    otherRevenueUsd: num("Revenue of the other lines (API/SDK, services, data products), USD.", 0),
    revenueUsd: num("Total revenue, USD.", 18_000),
    recurringRevenueUsd: num("Revenue that recurs month to month (services excluded), USD.", 18_000),
    computeCostUsd: num("Compute of the chosen deployment (free users' and API/SDK requests included), USD.", 2464),
    peopleCostUsd: num("Engineering and on-call of self-hosted deployments, USD.", 0),
    deliveryCostUsd: num("Cost of delivering the other revenue lines, USD.", 0),
    costOfRevenueUsd: num("Compute + people + delivery, USD.", 2464),
    oneOffCostUsd: num("One-off costs charged this month (training GPU time as billed, data preparation, evaluation), USD.", 0),
    costPerRequestUsd: numOrNull("Compute cost per request, USD (null without requests).", 0.00027),
    grossMarginUsd: num("Revenue − cost of revenue, USD.", 15_536),
    grossMarginPct: numOrNull("Gross margin, percent of revenue (null without revenue).", 86.3),
    acquisitionCostUsd: num("Sales and marketing spent acquiring customers, USD.", 40_095),
    contributionMarginUsd: num("Gross margin − acquisition spend, USD.", -24_559),
    contributionMarginPct: numOrNull("Contribution margin, percent of revenue.", -136.4),
    nonComputeBurnUsd: num("Other spend (salaries, rent...), USD.", 80_000),
    netCashFlowUsd: num("Revenue − cost of revenue − acquisition − one-off − other burn, USD.", -104_559),
    cumulativeCashUsd: num("Cash at the end of the month, USD.", 1_395_441),
    cheapestRunningCostUsd: num("Running cost (compute + people) had each use case used its cheapest eligible option, USD.", 657),
    requiredPriceUsd: numOrNull("Price (seat-month, request or million tokens) giving the target gross margin this month.", 4.1),
    arpuUsd: numOrNull("Product revenue per paying user, USD.", 12),
    grossProfitPerPayingUserUsd: numOrNull("Product gross profit per paying user, free users' compute included, USD.", 10.36),
    cacUsd: numOrNull("Acquisition spend per new paying user, USD (null: none acquired or no acquisition cost given).", 150),
    cacPaybackMonths: numOrNull("Months of gross profit per paying user to recover the CAC (null: never, or no CAC).", 14.5),
    ltvUsd: numOrNull("Gross profit per paying user / monthly paid churn, USD (null: not meaningful — gross profit per paying user ≤ 0 or no paying users — or no paid churn).", 259),
    ltvToCac: numOrNull("LTV / CAC (null: no LTV, or no CAC).", 1.73),
    netBurnUsd: num("max(0, −net cash flow), USD.", 104_559),
    netNewArrUsd: numOrNull("12 × the month's change in recurring revenue, USD (null in month 1).", 29_856),
    burnMultiple: numOrNull("Net burn / net new ARR (null when not burning or ARR does not grow).", 3.5),
    runwayMonthsAtCurrentBurn: numOrNull("Cash at the end of the month / this month's net burn (null when not burning).", 13.3),
  })
  .openapi("PlanMonth");

export const WorkloadMonthSchema = z.object(demandFields).openapi("PlanWorkloadMonth");

export const RequestProfileValuesSchema = z
  .object({
    inputTokens: z.number().optional().openapi({ description: "Prompt tokens per request.", example: 1200 }),
    cachedInputTokens: z.number().optional().openapi({ description: "Of the prompt tokens, those a prefix cache serves (the scenario's usage.requestProfile).", example: 1000 }),
    outputTokens: z.number().optional().openapi({ description: "Generated tokens per request.", example: 150 }),
    imageWidth: z.number().optional().openapi({ description: "Image width, pixels.", example: 224 }),
    imageHeight: z.number().optional().openapi({ description: "Image height, pixels.", example: 224 }),
    imagesPerRequest: z.number().optional().openapi({ description: "Images per request.", example: 1 }),
    audioSeconds: z.number().optional().openapi({ description: "Audio seconds per request.", example: 4 }),
    candidatesScored: z.number().optional().openapi({ description: "Candidates scored per request.", example: 500 }),
    featuresPerRequest: z.number().optional().openapi({ description: "Features per request.", example: 200 }),
  })
  .openapi("PlanRequestProfile");

export const QualityFloorSchema = z
  .object({
    benchmark: z.enum(QUALITY_BENCHMARKS).nullable().openapi({ description: "Benchmark of the floor (null: the use case states no floor).", example: "lmarena-text-elo" }),
    minimum: numOrNull("Lowest score that meets the floor (highest for lower-is-better benchmarks).", 1150),
    reasoning: str("Why this floor, or why none.", "modelplan choice. Unsupervised customer-facing answers ..."),
  })
  .openapi("QualityFloor");

export const CrossoverSchema = z
  .object({
    month: int("First month of the new cheapest option.", 14),
    from: str("Option id cheapest until then.", "smart-customer-service/hosted:gpt-4o-mini"),
    to: str("Option id cheapest from this month.", "smart-customer-service/self-host:llama-3-8b:bf16:l4:gcp:on-demand"),
    reason: str("The two costs that month, and by how much the new one beats the hysteresis margin.", "at 8.85M requests/month ... 6.7% cheaper, beyond the 5% hysteresis margin"),
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
    qualityFloor: z.union([QualityFloorSchema, z.null()]).openapi({ description: "The use case's quality floor (null: the catalog row predates floors)." }),
    months: z.array(WorkloadMonthSchema).openapi({ description: "Demand of this use case by month." }),
    optionIds: z.array(z.string()).openapi({ description: "Ids of its options in `options`, cheapest total first.", example: ["smart-customer-service/hosted:gpt-4o-mini"] }),
    chosenOptionId: str("Option the financials use (the scenario's strategy).", "smart-customer-service/hosted:gpt-4o-mini"),
    chosenReason: str("Why that option was chosen.", "the scenario's hosted model gpt-4o-mini"),
    cheapestByMonth: z.array(z.string()).openapi({ description: "Cheapest eligible option id per month (not spot; meets the quality floor).", example: ["smart-customer-service/hosted:groq/llama-3.1-8b-instant"] }),
    crossovers: z.array(CrossoverSchema).openapi({ description: "Months where the cheapest option changes." }),
    buildVsBuyCrossoverMonth: numOrNull("First month where self-hosting, engineering and on-call included, beats the cheapest hosted model (null: never within the horizon).", 14),
    belowFloorOptionIds: z.array(z.string()).openapi({ description: "Options left out of the cheapest because they score below the floor.", example: ["smart-customer-service/self-host:llama-3.2-1b:bf16:a100-80gb-pcie:runpod:on-demand"] }),
    unscoredOptionIds: z.array(z.string()).openapi({ description: "Options left out because no published score shows they meet the floor.", example: ["smart-customer-service/hosted:gpt-5-nano"] }),
    selectionRule: str("How the cheapest option was chosen.", "cheapest non-spot option meeting the quality floor (lmarena-text-elo ≥ 1150), compared on capacity cost ..."),
  })
  .openapi("PlanWorkload");

export const OptionSeriesSchema = z
  .object({
    computeCostUsd: nums("Compute cost per month, USD (index 0 = month 1).", [1460, 1460]),
    peopleCostUsd: nums("Engineering and on-call per month, USD (0 for hosted APIs).", [8559, 8559]),
    runningCostUsd: nums("Compute + people per month, USD.", [10_019, 10_019]),
    capacityCostUsd: nums("Running cost with fractional replicas (what options are compared on), USD.", [10_019, 10_183]),
    costPerRequestUsd: z.array(z.number().nullable()).openapi({ description: "Compute cost per request per month, USD.", example: [0.0019, 0.0017] }),
    replicas: z.array(z.number()).nullable().openapi({ description: "Replicas provisioned for the peak per month (self-hosting).", example: [1, 1] }),
    gpus: z.array(z.number()).nullable().openapi({ description: "GPUs per month (self-hosting).", example: [1, 1] }),
    utilisation: z.array(z.number()).nullable().openapi({ description: "Average load over provisioned capacity per month, 0–1 (self-hosting).", example: [0.12, 0.14] }),
    idleCostUsd: z.array(z.number()).nullable().openapi({ description: "Part of the month's bill paid for idle capacity, USD (self-hosting).", example: [1285, 1256] }),
  })
  .openapi("PlanOptionSeries");

export const OptionQualitySchema = z
  .object({
    benchmark: z.enum(QUALITY_BENCHMARKS).nullable().openapi({ description: "Benchmark compared (the use case's floor's, else the model's first score).", example: "lmarena-text-elo" }),
    score: numOrNull("The model's published score (null: no verified published score).", 1188),
    meetsFloor: z.boolean().nullable().openapi({ description: "true: meets the floor; false: below it; null: no floor, or no score.", example: true }),
    source: z.string().nullable().openapi({ description: "Where the score comes from, with its date.", example: "LMArena text leaderboard ... row 'Meta-Llama-3.1-8B-Instruct'" }),
    note: z.string().nullable().openapi({ description: "Caveat, or why there is no score.", example: null }),
  })
  .openapi("PlanOptionQuality");

export const OneOffBreakdownSchema = z
  .object({
    gpuUsd: num("GPU bill of the training run after the provider's minimum billing, USD.", 0.17),
    gpuHours: num("GPU-hours the estimator expects.", 0.106),
    billedGpuHours: num("GPU-hours billed: whole instances, each for at least the minimum billed time.", 0.106),
    billingRule: str("How the provider bills.", "rented per GPU; runpod publishes no minimum billed time in the sources used here"),
    dataPreparationUsd: num("Engineering to prepare the training data, USD.", 17_117),
    evaluationUsd: num("Engineering to evaluate the model before release, USD.", 8559),
  })
  .openapi("PlanOneOffBreakdown");

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
        gpusPerReplica: int("GPUs per replica (tensor parallel).", 1),
      })
      .nullable()
      .openapi({ description: "Where it runs (null for hosted APIs)." }),
    pricing: z.enum(OPTION_PRICINGS).openapi({ description: "How capacity is paid.", example: "on-demand" }),
    priceSource: str("Source and date of the price used.", "gcp g2-standard-4 ... [2026-11-09]"),
    interruptible: z.boolean().openapi({ description: "Spot capacity: listed but never counted as the cheapest.", example: false }),
    capacityRequestsPerSecPerReplica: range3("Requests per second one replica sustains at the latency target (estimator band); null for hosted APIs.").nullable(),
    peopleCostUsdPerMonth: num("Engineering and on-call per month, USD (0 for hosted APIs).", 8559),
    oneOffCostUsd: num("One-off cost (training GPU time as billed + data preparation + evaluation), USD.", 0),
    oneOffDetail: z.string().nullable().openapi({ description: "What the one-off cost is.", example: null }),
    oneOffBreakdown: z.union([OneOffBreakdownSchema, z.null()]).openapi({ description: "The one-off cost's parts (null without training)." }),
    quality: OptionQualitySchema,
    series: OptionSeriesSchema,
    totalCostUsd: num("Running cost (compute + people) over the horizon plus the one-off cost, USD.", 240_000),
    notes: z.array(z.string()).openapi({ description: "Caveats of this option.", example: [] }),
    measured: z
      .object({
        profileId: str("The measured hardware profile the option runs on.", "hwp_5e40c6399133dc9c0a1b"),
        basis: z.enum(MEASUREMENT_BASES).openapi({
          description: "measured: a benchmark run of exactly this configuration on the box (the benchmark is the cost); predicted: the profile's calibrated prediction for this size, with its band (POST /v1/benchmarks/predict); estimated: the estimator's formulas at the efficiency the box's runs measured.",
          example: "measured",
        }),
        detail: str("What the capacity rests on.", "text classifier at batch 32: 14,200 samples/s measured on the whole machine (run brun_…), p90 step 2.6 ms"),
        runIds: z.array(z.string()).openapi({ description: "Benchmark runs the capacity rests on.", example: ["brun_1a2b3c4d5e6f7a8b9c0d1e2f"] }),
      })
      .optional()
      .openapi({ description: "Present on an option served on a measured hardware profile (\"our own box\"): where its capacity comes from." }),
  })
  .openapi("PlanDeploymentOption");

export const RevenueStreamSchema = z
  .object({
    name: str("Stream name.", "Subscriptions"),
    businessModel: z.enum(REVENUE_STREAM_KINDS).openapi({ description: "Business model or revenue line it belongs to.", example: "subscription" }),
    basis: str("How it is computed.", "paying users × $12 per seat-month; free users pay nothing"),
    months: nums("Revenue per month, USD.", [18_000, 20_488]),
    deliveryCostUsd: nums("Cost of delivering it per month (its share of compute and people, plus its own delivery), USD.", [2464, 2661]),
    totalUsd: num("Revenue over the horizon, USD.", 1_900_000),
    grossMarginPct: numOrNull("Gross margin of the stream over the horizon, percent.", 89.5),
  })
  .openapi("PlanRevenueStream");

const HeadlineOptionSchema = z
  .object({
    optionId: str("Option id (ids joined with ' + ' when the scenario has several use cases).", "smart-customer-service/hosted:groq/llama-3.1-8b-instant"),
    label: str("Option label.", "Hosted API: Llama 3.1 8B on Groq (groq)"),
    monthlyCostUsd: num("Its running cost that month, USD.", 657),
    costPerRequestUsd: numOrNull("Its cost per request that month, USD.", 0.000072),
    meetsQualityFloor: z.boolean().openapi({ description: "True when it meets every use case's quality floor (false: no option does, so the cheapest overall is shown).", example: true }),
  })
  .openapi("PlanHeadlineOption");

export const BelowFloorOptionSchema = z
  .object({
    optionId: str("Cheapest option of the model.", "smart-customer-service/self-host:llama-3.2-1b:bf16:a100-80gb-pcie:runpod:on-demand"),
    label: str("The model.", "Llama 3.2 1B (self-hosted)"),
    workload: str("Use case.", "smart-customer-service"),
    benchmark: z.enum(QUALITY_BENCHMARKS).nullable().openapi({ description: "Benchmark of the floor.", example: "lmarena-text-elo" }),
    score: numOrNull("The model's score (null: none published).", 1057),
    minimum: numOrNull("The floor.", 1150),
    reason: z.enum(["below-floor", "no-score"]).openapi({ description: "Scores below the floor, or has no published score.", example: "below-floor" }),
  })
  .openapi("PlanBelowFloorOption");

export const UnitEconomicsSummarySchema = z
  .object({
    month: int("Month summarised (12, or the horizon if shorter).", 12),
    payingUsers: num("Paying users.", 4721),
    freeUsers: num("Free users.", 111_861),
    arpuUsd: numOrNull("Product revenue per paying user, USD.", 12),
    grossMarginPct: numOrNull("Gross margin, percent.", 89.9),
    contributionMarginPct: numOrNull("Contribution margin after acquisition spend, percent.", -62.4),
    cacUsd: numOrNull("CAC, USD.", 150),
    cacPaybackMonths: numOrNull("CAC payback, months.", 13.9),
    ltvUsd: numOrNull("LTV, USD (null: not meaningful — gross profit per paying user ≤ 0 or no paying users — or no paid churn).", 270),
    ltvToCac: numOrNull("LTV / CAC (null: no LTV, or no CAC).", 1.8),
    burnMultiple: numOrNull("Burn multiple.", 1.99),
    runwayMonthsAtCurrentBurn: numOrNull("Months of cash at this month's burn.", 2.2),
  })
  .openapi("PlanUnitEconomics");

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
    buildVsBuyCrossoverMonth: numOrNull("First month where self-hosting, engineering included, beats the cheapest hosted API.", 14),
    belowQualityFloor: z.array(BelowFloorOptionSchema).openapi({ description: "Models kept out of the cheapest option and the recommendations by the quality floors." }),
    breakEvenMonth: numOrNull("First month with net cash flow ≥ 0 (null: not within the horizon).", null),
    runOutMonth: numOrNull("Month at whose end cash first falls below zero (null: lasts the horizon).", 15),
    runwayMonths: int("Months funded: runOutMonth − 1, or the horizon.", 14),
    runwayBeyondHorizon: z.boolean().openapi({ description: "True when cash lasts the whole horizon.", example: false }),
    metricMonth: int("Month the margin headline, unit economics and sensitivity use: 12, or the horizon if shorter.", 12),
    grossMarginPctAtMetricMonth: numOrNull("Gross margin in the metric month, percent.", 89.9),
    cumulativeCashAtHorizonUsd: num("Cash at the end of the horizon, USD.", -1_373_032),
    totalComputeCostUsd: num("Compute plus one-off costs over the horizon, USD.", 164_500),
    totalCostOfRevenueUsd: num("Compute + people + delivery + one-off over the horizon, USD.", 164_500),
    totalAcquisitionCostUsd: num("Acquisition spend over the horizon, USD.", 2_400_000),
    totalRevenueUsd: num("Revenue over the horizon, USD.", 1_700_000),
    unitEconomics: UnitEconomicsSummarySchema,
    requiredPrice: z
      .object({
        targetGrossMarginPct: num("Target gross margin, percent.", 60),
        unit: str("Unit of the prices.", "USD per seat-month"),
        month1: numOrNull("Price for the target margin in month 1.", 4.1),
        metricMonth: numOrNull("Price for the target margin in the metric month.", 3.04),
        horizon: numOrNull("Price for the target margin in the last month.", 2.84),
        everyMonth: numOrNull("Price reaching the target margin in every month.", 4.1),
        current: num("The scenario's price.", 12),
        breakEvenAtHorizon: numOrNull("Price at which the last month's net cash flow is zero (covers every cost that month).", 24.4),
      })
      .openapi({ description: "Price needed for the target gross margin." }),
  })
  .openapi("PlanResults");

export const SensitivitySchema = z
  .object({
    pct: num("Relative change applied, percent.", 25),
    metricMonth: int("Month whose gross margin is compared.", 12),
    baseGrossMarginPct: numOrNull("Gross margin of the unchanged plan in that month.", 89.9),
    baseRunwayMonths: int("Runway of the unchanged plan, months.", 14),
    baseCashAtHorizonUsd: num("Cash at the horizon of the unchanged plan, USD.", -1_373_032),
    rows: z
      .array(
        z
          .object({
            variable: z.enum(SENSITIVITY_VARIABLES).openapi({ description: "Assumption varied.", example: "cac" }),
            label: str("Its name.", "Customer-acquisition cost"),
            baseValue: numOrNull("Base value.", 150),
            unit: str("Unit of the values.", "USD per new paying user (or marketing per month)"),
            lowValue: numOrNull("Value at −pct.", 112.5),
            highValue: numOrNull("Value at +pct.", 187.5),
            grossMarginPctLow: numOrNull("Gross margin at the low value.", 89.9),
            grossMarginPctHigh: numOrNull("Gross margin at the high value.", 89.9),
            grossMarginSwingPct: num("|high − low| gross margin, percentage points.", 0),
            runwayMonthsLow: int("Runway at the low value.", 16),
            runwayMonthsHigh: int("Runway at the high value.", 13),
            runwaySwingMonths: int("|high − low| runway, months.", 3),
            cashAtHorizonUsdLow: num("Cash at the horizon at the low value, USD.", -765_000),
            cashAtHorizonUsdHigh: num("Cash at the horizon at the high value, USD.", -1_981_000),
            cashSwingUsd: num("|high − low| cash at the horizon, USD (the tornado's ranking).", 1_216_000),
            note: z.string().nullable().openapi({ description: "Caveat (e.g. a capped value, or no acquisition cost given).", example: null }),
          })
          .openapi("PlanSensitivityRow"),
      )
      .openapi({ description: "Ranked by the swing in cash at the horizon, then margin and runway (a tornado table)." }),
    rankByRunway: z.array(z.enum(SENSITIVITY_VARIABLES)).openapi({ description: "Variables ranked by runway swing.", example: ["cac", "growth"] }),
    rankByGrossMargin: z.array(z.enum(SENSITIVITY_VARIABLES)).openapi({ description: "Variables ranked by gross-margin swing.", example: ["price", "hostedPrice"] }),
  })
  .openapi("PlanSensitivity", { description: "One-at-a-time sensitivity: each assumption lowered and raised, the plan re-run." });

export const RecommendationEffectSchema = z
  .object({
    month12GrossMarginPctBefore: numOrNull("Gross margin in the metric month before.", 89.9),
    month12GrossMarginPctAfter: numOrNull("After the change.", 97.3),
    totalCostUsdBefore: num("Compute + people + delivery + one-off over the horizon before, USD.", 164_500),
    totalCostUsdAfter: num("After, USD.", 43_900),
    costSavingsUsd: num("Before − after, USD (positive: the change saves money).", 120_600),
    runwayMonthsBefore: int("Runway before, months.", 14),
    runwayMonthsAfter: int("Runway after, months.", 14),
    cumulativeCashAtHorizonUsdBefore: num("Cash at the horizon before, USD.", -1_373_032),
    cumulativeCashAtHorizonUsdAfter: num("After, USD.", -1_252_432),
  })
  .openapi("PlanRecommendationEffect", { description: "Effect computed by re-running the plan with the change." });

export const RecommendationSchema = z
  .object({
    id: str("Recommendation id.", "hosted-groq/llama-3.1-8b-instant"),
    category: z.enum(RECOMMENDATION_CATEGORIES).openapi({ description: "Kind of change.", example: "hosted-model" }),
    title: str("What to do.", "Switch hosted model to Llama 3.1 8B on Groq"),
    change: str("The change applied to the plan.", "model.hostedModel: gpt-4o-mini → groq/llama-3.1-8b-instant"),
    rationale: str("Why, then the effect written from `effect`'s numbers (\"saves\" only when the cost falls, \"raises\" only when the margin rises).", "... Re-running the plan with this change: saves $120.6k over the horizon ...; raises the month-12 gross margin from 89.9% to 97.3% ..."),
    effect: RecommendationEffectSchema,
    caveats: z.array(z.string()).openapi({ description: "What to check before applying it.", example: ["Benchmarks are a proxy: run your evaluation set on both models before switching."] }),
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
            effect: z.union([RecommendationEffectSchema, z.null()]).openapi({ description: "Cost effect when it changes the deployment (re-run, engineering included), else null." }),
          })
          .openapi("PlanMitigation"),
      )
      .openapi({ description: "Mitigations the field uses." }),
  })
  .openapi("PlanRisk");

const PlanMeasuredHardwareSchema = z
  .object({
    profileId: str("The measured hardware profile (GET /v1/hardware-profiles/{id}).", "hwp_5e40c6399133dc9c0a1b"),
    label: str("The box as the plan names it.", "our own box: AMD EPYC 7B13 ×16 · tfjs-node"),
    kind: z.enum(["cpu", "gpu"]).openapi({ description: "Where its arithmetic runs: a GPU, or the CPU (software GPU emulation is a CPU).", example: "cpu" }),
    emulation: z.string().nullable().openapi({ description: "\"software GPU emulation (not a GPU)\" for a software adapter (lavapipe, SwiftShader); null for real hardware.", example: null }),
    usdPerHour: num("One hour of the box, USD: owned hardware's TCO per hour, or the cloud instance's price.", 0.1117),
    pricing: z.enum(["owned", "on-demand"]).openapi({ description: "owned: TCO per hour, busy or idle; on-demand: a cloud instance's hourly price.", example: "owned" }),
    priceSource: str("The price's arithmetic and sources (PUT /v1/hardware-profiles/{id}/price).", "hardware profile hwp_… priced 2026-11-22T09:00:00.000Z: $2400 / (3 y × 8760 h) = $0.0913/h depreciation + … = $0.1117/h"),
    precision: z.enum(["fp32", "fp16"]).openapi({ description: "The precision its runs were measured in; options on it are served in it.", example: "fp32" }),
    optionIds: z.array(z.string()).openapi({ description: "The plan's options on this box.", example: ["review-sentiment-analysis/self-host:sentiment-classifier:fp32:hwp_5e40c6399133dc9c0a1b:owned:owned"] }),
    notes: z.array(z.string()).openapi({ description: "What could not be costed on it, and why.", example: [] }),
  })
  .openapi("PlanMeasuredHardware");

export const PlanSchema = z
  .object({
    kind: z.literal("modelplan.plan").openapi({ description: "Document kind.", example: "modelplan.plan" }),
    schemaVersion: z.literal(2).openapi({ description: "Version of the plan format (plans stored by an earlier version keep schemaVersion 1 and their original shape).", example: 2 }),
    scenario: z
      .object({
        id: str("Scenario id.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
        version: int("Scenario version planned.", 3),
        name: str("Scenario name.", "Support bot — 50k users"),
        updatedAt: str("Scenario updatedAt of that version.", "2026-11-22T09:00:00.000Z"),
      })
      .openapi({ description: "The scenario version this plan was computed from." }),
    catalogVersions: z.record(z.string(), z.string()).openapi({ description: "Versions of the catalogs used (use cases, estimator catalogs).", example: { useCases: "2026-11-23.1", estimator: "2026-11-22.1" } }),
    horizonMonths: int("Months planned.", 24),
    pricingModel: z.enum(PRICING_MODELS).openapi({ description: "Pricing model.", example: "perSeatMonthly" }),
    priceUsd: num("Price per seat-month, request or million tokens, USD.", 12),
    businessModel: z.enum(BUSINESS_MODELS).nullable().openapi({ description: "The scenario's business model.", example: "subscription" }),
    months: z.array(PlanMonthSchema).openapi({ description: "Month-by-month projection of the chosen deployment: funnel, revenue, costs, cash and unit economics." }),
    workloads: z.array(WorkloadSchema).openapi({ description: "Per use case: demand, quality floor, options, cheapest option per month, crossovers." }),
    options: z.array(DeploymentOptionSchema).openapi({ description: "Deployment options costed month by month, with their quality scores." }),
    revenueStreams: z.array(RevenueStreamSchema).openapi({ description: "Revenue lines with their cost of delivery." }),
    results: PlanResultsSchema,
    sensitivity: z.union([SensitivitySchema, z.null()]).openapi({ description: "One-at-a-time sensitivity (null when computed without it)." }),
    recommendations: z.array(RecommendationSchema).openapi({ description: "Changes with their effects: the price first when the margin misses the target, then the largest saving. Only changes that lower cost without lowering margin or cash." }),
    risks: z.array(RiskItemSchema).openapi({ description: "Risks of the use cases (medium and high) with mitigations." }),
    assumptions: z.array(AssumptionSchema).openapi({ description: "Every assumption with its source." }),
    warnings: z.array(z.string()).openapi({ description: "What the plan could not cost or should be checked.", example: [] }),
    measuredHardware: z
      .array(PlanMeasuredHardwareSchema)
      .optional()
      .openapi({ description: "The measured hardware profiles this plan costed as deployment options (\"our own box\"); absent when it costed none. Their options carry `measured`." }),
  })
  .openapi("Plan");
