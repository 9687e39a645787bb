import { z } from "@hono/zod-openapi";
import { CHART_NAMES, DEFAULT_SETTINGS, PEOPLE_DEFAULTS, PLAN_LIMITS } from "@modelplan/planner";
import { MAX_PRICED_PROFILES_IN_PLAN } from "../hardware-prices/hardware-prices.repository";
import { PlanSchema } from "./plan-document.schemas";

// Schemas of the plan endpoints: the request options, the stored plan, summaries and comparisons. The
// plan document itself is in plan-document.schemas.ts.

const num = (description: string, example: number) => z.number().openapi({ description, example });
const numOrNull = (description: string, example: number | null) => z.number().nullable().openapi({ description, example });
const str = (description: string, example: string) => z.string().openapi({ description, example });

export const PlanRequestSchema = z
  .object({
    targetGrossMarginPct: z.number().min(0).lt(100).optional().openapi({ description: "Gross margin the required price is solved for, percent (default 60).", example: 70 }),
    sensitivityPct: z.number().gt(0).max(90).optional().openapi({ description: "Relative change applied to each assumption in the sensitivity analysis, percent (default 25).", example: 25 }),
    targetPeakUtilisation: z.number().min(0.05).max(1).optional().openapi({ description: "Share of a replica's capacity the fleet may use at the modelled peak, 0.05–1 (default 0.8).", example: 0.8 }),
    minReplicas: z.number().int().min(0).max(1000).optional().openapi({ description: "Serving replicas kept running even without traffic (default 1).", example: 1 }),
    cacheHitRate: z.number().min(0).lt(1).optional().openapi({ description: "Share of requests a response cache answers, used by the caching recommendation (default 0.2).", example: 0.2 }),
    reservedDiscountPct: z.number().min(0).lt(100).optional().openapi({ description: "Your provider's committed-use (reserved) discount on on-demand GPU prices, percent. The price catalog publishes no reserved prices; without it reserved capacity is not costed.", example: 35 }),
    defaultFineTuneTokens: z.number().min(1).max(1e14).optional().openapi({ description: "Tokens for the fine-tuning options when the scenario does not give trainingTokens (default 10M).", example: 10_000_000 }),
    engineerAnnualSalaryUsd: z.number().min(0).max(1e7).optional().openapi({ description: `Annual salary of the engineers who run a self-hosted model and prepare fine-tunes, USD (default ${PEOPLE_DEFAULTS.engineerAnnualSalaryUsd.value}: BLS mean for software developers, May 2024).`, example: 180_000 }),
    employerCostMultiplier: z.number().min(1).max(5).optional().openapi({ description: `Employer cost over salary (benefits, payroll taxes), × (default ${PEOPLE_DEFAULTS.employerCostMultiplier.value.toFixed(3)}: BLS ECEC, September 2024).`, example: 1.3 }),
    selfHostEngineerMonthsPerMonth: z.number().min(0).max(PLAN_LIMITS.engineerMonthsMax).optional().openapi({ description: `Engineer-months per month a self-hosted deployment needs for operations and on-call (default ${PEOPLE_DEFAULTS.selfHostEngineerMonthsPerMonth.value}, a modelplan choice).`, example: 0.75 }),
    fineTuneDataPrepEngineerMonths: z.number().min(0).max(PLAN_LIMITS.engineerMonthsMax).optional().openapi({ description: `Engineer-months to prepare fine-tuning data (default ${PEOPLE_DEFAULTS.fineTuneDataPrepEngineerMonths.value}, a modelplan choice).`, example: 2 }),
    fineTuneEvaluationEngineerMonths: z.number().min(0).max(PLAN_LIMITS.engineerMonthsMax).optional().openapi({ description: `Engineer-months to evaluate a fine-tuned model (default ${PEOPLE_DEFAULTS.fineTuneEvaluationEngineerMonths.value}, a modelplan choice).`, example: 1 }),
    hardwareProfiles: z
      .array(z.string().min(1).max(64))
      .max(MAX_PRICED_PROFILES_IN_PLAN)
      .optional()
      .openapi({
        description: `Measured hardware profiles to cost as deployment options ("our own box"), each priced (PUT /v1/hardware-profiles/{id}/price): ids, or \`local\`. Default: every priced profile of the workspace (at most ${MAX_PRICED_PROFILES_IN_PLAN}); [] for none. A scenario whose hardware.accelerator names a profile always includes it. On each, the use case's models are served through the estimator at the box's measured efficiency, and the benchmark's small models that fit the use case (text classifier, LSTM, CNN, MLP scorer) from the box's measured throughput — or its calibrated prediction for another size, said so.`,
        example: ["local"],
      }),
    crossoverHysteresisPct: z.number().min(0).max(PLAN_LIMITS.crossoverHysteresisPctMax).optional().openapi({ description: `How much cheaper (percent) an option must be to take over as the cheapest (default ${DEFAULT_SETTINGS.crossoverHysteresisPct}).`, example: 5 }),
  })
  .strict()
  .openapi("PlanRequest", {
    description: "Options of a plan run; every field is optional.",
    example: { targetGrossMarginPct: 70, selfHostEngineerMonthsPerMonth: 0.75 },
  });

/** A plan stored by an earlier planner (schemaVersion 1): returned as stored; its report asks for a new plan. */
export const LegacyPlanSchema = z
  .object({
    kind: z.literal("modelplan.plan").openapi({ description: "Document kind.", example: "modelplan.plan" }),
    schemaVersion: z.literal(1).openapi({ description: "The first plan format (no funnel, unit economics or quality floors).", example: 1 }),
  })
  .catchall(z.unknown())
  .openapi("LegacyPlan", { description: "A plan computed before schemaVersion 2, in its original shape." });

const storedPlanFields = {
  id: str("Plan id.", "pln_2c4e6a8b0d1f3e5a7c9b1d3f"),
  scenarioId: str("Scenario planned.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
  scenarioVersion: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
  catalogVersion: str("Use-case catalog version used.", "2026-11-23.1"),
  estimatorCatalogVersion: str("Estimator catalog version used (hardware, prices, presets).", "2026-11-22.1"),
  options: PlanRequestSchema,
  createdAt: str("When it was computed, ISO 8601.", "2026-11-22T09:00:00.000Z"),
  reportUrl: str("The HTML report (Markdown with Accept: text/markdown).", "/v1/plans/pln_2c4e6a8b0d1f3e5a7c9b1d3f/report"),
};

/** A plan as computed now (POST /v1/scenarios/{id}/plan). */
export const StoredPlanSchema = z.object({ ...storedPlanFields, plan: PlanSchema }).openapi("StoredPlan");

/** A plan as stored, whatever planner computed it (GET /v1/plans/{id}). */
export const StoredPlanAnyVersionSchema = z
  .object({
    ...storedPlanFields,
    plan: z.union([PlanSchema, LegacyPlanSchema]).openapi({ description: "The plan document: schemaVersion 2, or an older plan as it was stored." }),
  })
  .openapi("StoredPlanAnyVersion", { description: "A stored plan; `plan.schemaVersion` tells the current document from one stored by an earlier planner." });

export const PlanSummarySchema = z
  .object({
    id: str("Plan id.", "pln_2c4e6a8b0d1f3e5a7c9b1d3f"),
    scenarioId: str("Scenario planned.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
    scenarioVersion: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
    catalogVersion: str("Use-case catalog version used.", "2026-11-23.1"),
    estimatorCatalogVersion: str("Estimator catalog version used.", "2026-11-22.1"),
    createdAt: str("When it was computed, ISO 8601.", "2026-11-22T09:00:00.000Z"),
    horizonMonths: z.number().int().openapi({ description: "Months planned.", example: 24 }),
    cheapestNow: str("Cheapest option in month 1 that meets the quality floor.", "Hosted API: Llama 3.1 8B on Groq (groq)"),
    cheapestAtHorizon: str("Cheapest option in the last month that meets the quality floor.", "Hosted API: Llama 3.1 8B on Groq (groq)"),
    breakEvenMonth: numOrNull("First month with net cash flow ≥ 0.", null),
    runOutMonth: numOrNull("Month cash runs out (null: lasts the horizon).", 15),
    runwayMonths: z.number().int().openapi({ description: "Months funded.", example: 14 }),
    grossMarginPctAtMetricMonth: numOrNull("Gross margin in month 12 (or the horizon).", 89.9),
    totalComputeCostUsd: num("Compute over the horizon, USD.", 164_500),
    url: str("The full plan.", "/v1/plans/pln_2c4e6a8b0d1f3e5a7c9b1d3f"),
  })
  .openapi("PlanSummary");

const planId = z.string().min(1).max(64).openapi({ description: "Plan id.", example: "pln_2c4e6a8b0d1f3e5a7c9b1d3f" });
const scenarioId = z.string().min(1).max(64).openapi({ description: "Scenario id.", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" });
const distinct = (ids: string[]) => new Set(ids).size === ids.length;
/** Most plans or scenarios one comparison takes. */
export const COMPARE_MAX = 5;

export const CompareRequestSchema = z
  .object({
    planIds: z.array(planId).min(2).max(COMPARE_MAX).refine(distinct, "List each plan once.").optional().openapi({
      description: "Two to five stored plans to compare exactly as they were computed (their own scenario version and options). Give planIds or scenarioIds.",
      example: ["pln_2c4e6a8b0d1f3e5a7c9b1d3f", "pln_7a2d4c8e9b1f3a6d5f1c9b0e"],
    }),
    scenarioIds: z.array(scenarioId).min(2).max(COMPARE_MAX).refine(distinct, "List each scenario once.").optional().openapi({
      description: "Two to five scenarios to plan at their current version, each with the options of its latest stored plan (defaults when it has none) unless `options` is given.",
      example: ["scn_5f1c9b0e7a2d4c8e9b1f3a6d", "scn_7a2d4c8e9b1f3a6d5f1c9b0e"],
    }),
    options: PlanRequestSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.planIds === undefined) === (b.scenarioIds === undefined)) ctx.addIssue({ code: "custom", path: ["planIds"], message: "Give planIds (stored plans) or scenarioIds (plan them now), not both or neither." });
    if (b.planIds !== undefined && b.options !== undefined) ctx.addIssue({ code: "custom", path: ["options"], message: "Stored plans are compared with the options they were computed with; options apply only with scenarioIds." });
  })
  .openapi("PlanCompareRequest", { description: "planIds (stored plans, as computed) or scenarioIds (planned now). With scenarioIds, `options` plans every scenario with these options instead of its latest stored plan's." });

export const ComparedPlanSchema = z
  .object({
    planId: z.string().nullable().openapi({ description: "The stored plan compared (null: planned for this comparison).", example: "pln_2c4e6a8b0d1f3e5a7c9b1d3f" }),
    scenarioId: str("Scenario id.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
    scenarioVersion: z.number().int().openapi({ description: "Scenario version planned.", example: 3 }),
    name: str("Scenario name.", "Support bot — hosted"),
    options: PlanRequestSchema,
    optionsSource: z.enum(["stored-plan", "latest-stored-plan", "request", "defaults"]).openapi({ description: "Where the options come from: the stored plan compared, the scenario's latest stored plan, the request, or the defaults (no stored plan).", example: "latest-stored-plan" }),
    horizonMonths: z.number().int().openapi({ description: "Months planned.", example: 24 }),
    chosen: str("Deployment the financials use.", "Hosted API: GPT-4o mini (openai)"),
    cheapestNow: str("Cheapest option in month 1 that meets the quality floor.", "Hosted API: Llama 3.1 8B on Groq (groq)"),
    cheapestAtHorizon: str("Cheapest option in the last month that meets the quality floor.", "Hosted API: Llama 3.1 8B on Groq (groq)"),
    totalComputeCostUsd: num("Compute (and training) over the horizon, USD.", 164_500),
    totalCostOfRevenueUsd: num("Compute + people + delivery + one-off over the horizon, USD.", 164_500),
    totalRevenueUsd: num("Revenue over the horizon, USD.", 1_700_000),
    grossMarginPctAtMetricMonth: numOrNull("Gross margin in month 12 (or the horizon).", 89.9),
    metricMonth: z.number().int().openapi({ description: "Month of that margin and of the unit economics.", example: 12 }),
    payingUsersAtMetricMonth: num("Paying users in the metric month.", 4721),
    ltvToCac: numOrNull("LTV / CAC in the metric month (null without a CAC, or when LTV is not meaningful: gross profit per paying user ≤ 0, or no paid churn).", 1.8),
    cacPaybackMonths: numOrNull("CAC payback in the metric month, months.", 13.9),
    breakEvenMonth: numOrNull("First month with net cash flow ≥ 0.", null),
    runOutMonth: numOrNull("Month cash runs out (null: lasts the horizon).", 15),
    runwayMonths: z.number().int().openapi({ description: "Months funded.", example: 14 }),
    cumulativeCashAtHorizonUsd: num("Cash at the end of the horizon, USD.", -1_373_032),
    requiredPriceUsd: numOrNull("Price reaching the target gross margin every month.", 4.1),
    priceUnit: str("Unit of the price.", "USD per seat-month"),
    targetGrossMarginPct: num("Target gross margin of that price, percent.", 60),
    monthlyComputeCostUsd: z.array(z.number()).openapi({ description: "Compute and one-off cost per month, USD.", example: [2464, 2661] }),
    cumulativeCashUsd: z.array(z.number()).openapi({ description: "Cash at the end of each month, USD.", example: [1_435_536, 1_333_268] }),
  })
  .openapi("ComparedPlan", { description: "One compared plan: the options it was computed with (`options`, from `optionsSource`) and its headline figures." });

export const CompareResponseSchema = z
  .object({
    items: z.array(ComparedPlanSchema).openapi({ description: "One entry per plan or scenario, in the order asked." }),
    best: z
      .object({
        lowestComputeCost: str("Scenario with the lowest compute cost over its horizon.", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
        highestGrossMargin: z.string().nullable().openapi({ description: "Scenario with the highest gross margin in its metric month (null: none has revenue).", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" }),
        longestRunway: str("Scenario with the longest runway (ties: the most cash at the horizon).", "scn_5f1c9b0e7a2d4c8e9b1f3a6d"),
        earliestBreakEven: z.string().nullable().openapi({ description: "Scenario breaking even first (null: none within its horizon).", example: null }),
      })
      .openapi({ description: "Which scenario wins on each measure." }),
  })
  .openapi("PlanComparison");

export const ChartNameSchema = z.enum(CHART_NAMES).openapi({ description: "Chart name.", example: "monthly-cost" });

export type StoredPlan = z.infer<typeof StoredPlanSchema>;
export type StoredPlanAnyVersion = z.infer<typeof StoredPlanAnyVersionSchema>;
export type PlanSummary = z.infer<typeof PlanSummarySchema>;
export type ComparedPlan = z.infer<typeof ComparedPlanSchema>;
export type PlanRequest = z.infer<typeof PlanRequestSchema>;
export { PlanSchema } from "./plan-document.schemas";
