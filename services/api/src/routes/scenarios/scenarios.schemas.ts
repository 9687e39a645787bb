import { z } from "@hono/zod-openapi";
import { PLAN_LIMITS, PRICING_MODELS, QUANTIZATIONS, TRAINING_METHODS } from "@modelplan/planner";
import { ArchitectureSchema } from "../estimates/estimates.schemas";

/** Bounds shared by the scenario schemas and documented in the OpenAPI document. */
export const SCENARIO_LIMITS = {
  nameMax: 200,
  descriptionMax: 5000,
  useCasesMax: 20,
  usersMax: 1e9,
  growthPctMin: -50,
  growthPctMax: 300,
  horizonMonthsMax: 120,
  requestsPerUserPerDayMax: 10_000,
} as const;

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Must be a kebab-case slug").max(64);
const catalogId = z.string().min(1).max(128);

export const RequestProfileSchema = z
  .object({
    inputTokens: z.number().int().min(0).max(2_000_000).optional().openapi({ description: "Text: prompt tokens per request.", example: 600 }),
    cachedInputTokens: z
      .number()
      .int()
      .min(0)
      .max(2_000_000)
      .optional()
      .openapi({
        description:
          "Text: of the prompt tokens, those a prefix cache serves — a prefix every request repeats (system prompt, shared context); at most the prompt tokens. Self-hosted serving skips their prefill (vLLM's default prefix caching); hosted APIs bill them at their cache-read price. Default 0.",
        example: 450,
      }),
    outputTokens: z.number().int().min(0).max(200_000).optional().openapi({ description: "Text: generated tokens per request.", example: 150 }),
    imageWidth: z.number().int().min(1).max(16_384).optional().openapi({ description: "Image: width, pixels.", example: 224 }),
    imageHeight: z.number().int().min(1).max(16_384).optional().openapi({ description: "Image: height, pixels.", example: 224 }),
    imagesPerRequest: z.number().int().min(1).max(1000).optional().openapi({ description: "Image: images per request.", example: 1 }),
    audioSeconds: z.number().gt(0).max(36_000).optional().openapi({ description: "Audio: seconds per request.", example: 8 }),
    candidatesScored: z.number().int().min(1).max(1_000_000).optional().openapi({ description: "Recommendation: candidates scored per request.", example: 500 }),
    featuresPerRequest: z.number().int().min(1).max(1_000_000).optional().openapi({ description: "Tabular: features per request.", example: 120 }),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.cachedInputTokens !== undefined && p.inputTokens !== undefined && p.cachedInputTokens > p.inputTokens)
      ctx.addIssue({ code: "custom", path: ["cachedInputTokens"], message: `cachedInputTokens (${p.cachedInputTokens}) cannot exceed inputTokens (${p.inputTokens}): they are part of the prompt.` });
  })
  .openapi("RequestProfile", { description: "Per-request profile overriding the use case's (only the fields given)." });

export const AudienceSchema = z
  .object({
    usersAtLaunch: z.number().int().min(0).max(SCENARIO_LIMITS.usersMax).openapi({ description: "Active users in month 1.", example: 50_000 }),
    monthlyGrowthPct: z
      .number()
      .min(SCENARIO_LIMITS.growthPctMin)
      .max(SCENARIO_LIMITS.growthPctMax)
      .openapi({ description: "Compound monthly growth of active users, percent (−50 to 300).", example: 8 }),
    horizonMonths: z.number().int().min(1).max(SCENARIO_LIMITS.horizonMonthsMax).openapi({ description: "Months to plan (1–120).", example: 24 }),
  })
  .strict()
  .openapi("Audience");

export const UsageSchema = z
  .object({
    requestsPerUserPerDay: z
      .number()
      .min(0)
      .max(SCENARIO_LIMITS.requestsPerUserPerDayMax)
      .openapi({ description: "Average requests per active user per day.", example: 6 }),
    freeRequestsPerUserPerDay: z
      .number()
      .min(0)
      .max(SCENARIO_LIMITS.requestsPerUserPerDayMax)
      .optional()
      .openapi({ description: "Requests per free user per day (default: requestsPerUserPerDay — free users consume compute too).", example: 2 }),
    peakToAverage: z.number().min(1).max(20).optional().openapi({ description: "Peak-hour traffic over the daily average (default 3).", example: 3 }),
    requestProfile: RequestProfileSchema.optional(),
  })
  .strict()
  .openapi("Usage");


export const HostedModelStrategySchema = z
  .object({
    strategy: z.literal("hosted-api").openapi({ description: "Call a hosted model API.", example: "hosted-api" }),
    hostedModel: catalogId.openapi({ description: "Hosted model id (GET /v1/hosted-models).", example: "gpt-4o-mini" }),
  })
  .strict()
  .openapi("HostedModelStrategy");

export const OwnModelStrategySchema = z
  .object({
    strategy: z
      .enum(["self-host", "fine-tune", "train-from-scratch"])
      .openapi({ description: "Serve an open model yourself, fine-tune one first, or train your own.", example: "self-host" }),
    preset: catalogId.optional().openapi({ description: "Model preset id (GET /v1/model-presets). Give exactly one of preset, parameters, architecture.", example: "llama-3-8b" }),
    parameters: z.number().min(1e3).max(1e13).optional().openapi({ description: "Parameter count, when no preset or architecture is given.", example: 7e9 }),
    architecture: ArchitectureSchema.optional(),
    quantization: z.enum(QUANTIZATIONS).optional().openapi({ description: "Weight precision when serving. Default bf16 (fp16 on an accelerator without BF16, fp32 on a CPU that publishes no 16-bit peak). nvfp4 needs an accelerator with FP4 tensor cores (B200).", example: "int8" }),
    trainingTokens: z.number().min(1).max(1e14).optional().openapi({ description: "Tokens to train on (fine-tune / train-from-scratch).", example: 2e9 }),
    trainingMethod: z.enum(TRAINING_METHODS).optional().openapi({ description: "How to train.", example: "lora" }),
  })
  .strict()
  .superRefine((m, ctx) => {
    const given = (["preset", "parameters", "architecture"] as const).filter((k) => m[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [given[1] ?? "preset"],
        message: given.length === 0 ? "Give one of preset, parameters or architecture." : `Give only one of preset, parameters or architecture (got ${given.join(", ")}).`,
      });
    }
  })
  .openapi("OwnModelStrategy");

export const ModelStrategySchema = z
  .discriminatedUnion("strategy", [HostedModelStrategySchema, OwnModelStrategySchema])
  .openapi("ModelStrategy", { description: "How the product gets its model." });

export const HardwarePreferenceSchema = z
  .object({
    accelerator: catalogId.openapi({
      description: "Accelerator id (GET /v1/hardware), or a measured hardware profile: `local` (the fastest profile measured on this service's machine that is not software emulation) or a profile id `hwp_…` (GET /v1/hardware-profiles). A measured profile serves in the precision it was measured in and needs a price (PUT /v1/hardware-profiles/{id}/price) for plans.",
      example: "a100-80gb",
    }),
    provider: z.string().min(1).max(64).optional().openapi({ description: "Preferred cloud provider.", example: "aws" }),
    gpusPerReplica: z.number().int().min(1).max(64).optional().openapi({ description: "GPUs per serving replica (tensor parallel).", example: 1 }),
  })
  .strict()
  .openapi("HardwarePreference");

export const FreeTierSchema = z
  .object({
    requestsPerUserPerMonth: z.number().min(0).max(1e9).openapi({ description: "Most requests a free user may make in a month; free users' usage is capped at it.", example: 100 }),
  })
  .strict()
  .openapi("FreeTier", { description: "The free plan. Users who do not convert stay on it (see funnel)." });

const priceUsd = () => z.number().min(0).max(1_000_000).openapi({ description: "USD per seat-month (perSeatMonthly, hybrid), per request (perRequest) or per million tokens (perMillionTokens).", example: 12 });

export const UsagePricingSchema = z
  .object({
    model: z.enum(PRICING_MODELS.filter((m): m is Exclude<(typeof PRICING_MODELS)[number], "hybrid"> => m !== "hybrid")).openapi({ description: "Charge per seat per month, per request, or per million tokens (prompt + reply) of paying users.", example: "perSeatMonthly" }),
    priceUsd: priceUsd(),
    freeTier: FreeTierSchema.optional(),
  })
  .strict()
  .openapi("SeatOrUsagePricing");

export const HybridPricingSchema = z
  .object({
    model: z.literal("hybrid").openapi({ description: "A seat with included requests, then a price per extra request.", example: "hybrid" }),
    priceUsd: priceUsd(),
    includedRequestsPerSeat: z.number().min(0).max(1e9).openapi({ description: "Requests a seat includes each month.", example: 300 }),
    overageUsdPerRequest: z.number().min(0).max(1000).openapi({ description: "USD per request beyond the included ones.", example: 0.02 }),
    freeTier: FreeTierSchema.optional(),
  })
  .strict()
  .openapi("HybridPricing");

export const PricingSchema = z
  .union([UsagePricingSchema, HybridPricingSchema], {
    error: "Give model perSeatMonthly, perRequest or perMillionTokens with priceUsd (and an optional freeTier), or model hybrid with priceUsd, includedRequestsPerSeat and overageUsdPerRequest.",
  })
  .openapi("Pricing", { description: "How paying users are charged; free users pay nothing (see funnel and freeTier)." });

const pct = (description: string, example: number) => z.number().min(0).max(100).openapi({ description, example });

export const SignupSourceSchema = z
  .union([
    z
      .object({ signupsPerMonth: z.number().min(0).max(PLAN_LIMITS.volumeMax).openapi({ description: "New sign-ups in month 1.", example: 5000 }) })
      .strict()
      .openapi("SignupsPerMonth"),
    z
      .object({
        visitorsPerMonth: z.number().min(0).max(PLAN_LIMITS.volumeMax).openapi({ description: "Visitors in month 1.", example: 100_000 }),
        visitorToSignupPct: pct("Percent of visitors who sign up.", 4),
      })
      .strict()
      .openapi("VisitorsPerMonth"),
  ], { error: "Give { signupsPerMonth } or { visitorsPerMonth, visitorToSignupPct }, each within its bounds." })
  .openapi("SignupSource", { description: "Sign-ups in month 1, or visitors and the share who sign up. With it, sign-ups drive the active users; without it, the audience's growth does and sign-ups are what it takes after churn." });

export const AcquisitionSpendSchema = z
  .union([
    z
      .object({ cacUsd: z.number().min(0).max(1e10).openapi({ description: "Acquisition cost per new paying customer, USD (sales and marketing spend / customers won).", example: 150 }) })
      .strict()
      .openapi("CacPerCustomer"),
    z
      .object({ marketingUsdPerMonth: z.number().min(0).max(1e10).openapi({ description: "Flat sales and marketing spend per month, USD; the CAC is derived.", example: 40_000 }) })
      .strict()
      .openapi("MarketingSpend"),
  ], { error: "Give { cacUsd } or { marketingUsdPerMonth } (one of them), 0 to 1e10 USD." })
  .openapi("AcquisitionSpend", { description: "What acquiring customers costs: a CAC per paying customer, or a monthly marketing spend." });

const funnelNumbers = {
  signupGrowthPct: () => z.number().min(PLAN_LIMITS.growthPctMin).max(PLAN_LIMITS.growthPctMax).openapi({ description: "Compound monthly growth of sign-ups or visitors, percent (default: the audience's growth).", example: 8 }),
  freeToPaidPct: () => pct("Percent of sign-ups who become paying customers (default 3: published freemium benchmarks, see the plan's assumptions).", 3),
  paidChurnPct: () => pct("Percent of paying customers lost each month (default 5.48: Recurly's 2019 all-industry median).", 4),
  freeChurnPct: () => pct("Percent of free users lost each month (default 10, a modelplan choice).", 10),
};

export const FunnelSchema = z
  .object({
    signups: SignupSourceSchema.optional(),
    signupGrowthPct: funnelNumbers.signupGrowthPct().optional(),
    freeToPaidPct: funnelNumbers.freeToPaidPct().optional(),
    paidChurnPct: funnelNumbers.paidChurnPct().optional(),
    freeChurnPct: funnelNumbers.freeChurnPct().optional(),
    acquisition: AcquisitionSpendSchema.optional(),
  })
  .strict()
  .openapi("Funnel", { description: "Who signs up, who pays, who leaves and what acquiring them costs. Every field is optional; the plan lists the defaults it used." });

const lineFields = {
  name: z.string().trim().min(1).max(120).optional().openapi({ description: "Name of the line in the report.", example: "Enterprise SDK" }),
  monthlyGrowthPct: z.number().min(PLAN_LIMITS.growthPctMin).max(100).optional().openapi({ description: "Compound monthly growth of the line's volume, percent (default 0).", example: 5 }),
  startMonth: z.number().int().min(1).max(SCENARIO_LIMITS.horizonMonthsMax).optional().openapi({ description: "First month of the line (default 1).", example: 3 }),
};

export const ApiSdkLineSchema = z
  .object({
    kind: z.literal("api-sdk").openapi({ description: "API/SDK sales: requests served by the plan's model.", example: "api-sdk" }),
    ...lineFields,
    requestsPerMonth: z.number().min(0).max(PLAN_LIMITS.volumeMax).openapi({ description: "Requests in the first month; served by the plan's deployment, so they add to its compute.", example: 200_000 }),
    priceUsdPerRequest: z.number().min(0).max(1000).openapi({ description: "USD per request.", example: 0.004 }),
  })
  .strict()
  .openapi("ApiSdkRevenueLine");

export const TechnicalServicesLineSchema = z
  .object({
    kind: z.literal("technical-services").openapi({ description: "Custom projects billed by time.", example: "technical-services" }),
    ...lineFields,
    billableHoursPerMonth: z.number().min(0).max(1e7).openapi({ description: "Billable hours in the first month.", example: 120 }),
    hourlyRateUsd: z.number().min(0).max(100_000).openapi({ description: "USD per billed hour.", example: 180 }),
    deliveryCostUsdPerHour: z.number().min(0).max(100_000).optional().openapi({ description: "Cost of delivering an hour, USD (default: the loaded engineer hour from the plan options).", example: 95 }),
  })
  .strict()
  .openapi("TechnicalServicesRevenueLine");

export const DataProductsLineSchema = z
  .object({
    kind: z.literal("data-products").openapi({ description: "Data products (anonymised, aggregated insight sold to other businesses).", example: "data-products" }),
    ...lineFields,
    customers: z.number().min(0).max(PLAN_LIMITS.volumeMax).openapi({ description: "Customers in the first month.", example: 4 }),
    priceUsdPerCustomerMonth: z.number().min(0).max(1e7).openapi({ description: "USD per customer per month.", example: 2500 }),
    deliveryCostUsdPerMonth: z.number().min(0).max(1e9).optional().openapi({ description: "Fixed cost of delivering the product per month (pipelines, anonymisation, licences), USD.", example: 3000 }),
    deliveryCostUsdPerCustomerMonth: z.number().min(0).max(1e7).optional().openapi({ description: "Delivery cost per customer per month, USD.", example: 100 }),
  })
  .strict()
  .openapi("DataProductsRevenueLine");

export const RevenueLineSchema = z
  .discriminatedUnion("kind", [ApiSdkLineSchema, TechnicalServicesLineSchema, DataProductsLineSchema])
  .openapi("RevenueLine", { description: "A revenue line beside the product, with its own cost of delivery." });

export const FundingSchema = z
  .object({
    cashUsd: z.number().min(0).max(1e12).openapi({ description: "Cash in the bank at launch, USD.", example: 1_500_000 }),
    monthlyNonComputeBurnUsd: z.number().min(0).max(1e10).openapi({ description: "Monthly spend other than compute (salaries, rent...), USD.", example: 80_000 }),
  })
  .strict()
  .openapi("Funding");

export const BusinessModelSchema = z
  .enum(["api-sdk", "technical-services", "data-monetisation", "subscription"])
  .openapi({ description: "How the product makes money.", example: "subscription" });

const scenarioFields = {
  name: z.string().trim().min(1).max(SCENARIO_LIMITS.nameMax).openapi({ description: "Scenario name.", example: "Support bot — 50k users" }),
  description: z.string().max(SCENARIO_LIMITS.descriptionMax).optional().openapi({ description: "Free-text notes.", example: "Smart customer service for a mid-size e-commerce shop." }),
  useCases: z
    .array(slug)
    .max(SCENARIO_LIMITS.useCasesMax)
    .default([])
    .openapi({ description: "Use-case slugs (GET /v1/use-cases); each must exist.", example: ["smart-customer-service"] }),
  audience: AudienceSchema,
  usage: UsageSchema,
  model: ModelStrategySchema,
  hardware: HardwarePreferenceSchema.optional(),
  pricing: PricingSchema.optional(),
  funnel: FunnelSchema.optional(),
  revenueLines: z.array(RevenueLineSchema).max(PLAN_LIMITS.revenueLinesMax).optional().openapi({ description: "Other revenue lines: API/SDK sales, technical services, data products.", example: [{ kind: "technical-services", billableHoursPerMonth: 120, hourlyRateUsd: 180 }] }),
  funding: FundingSchema,
  businessModel: BusinessModelSchema.optional(),
};

export const ScenarioInputSchema = z
  .object(scenarioFields)
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.useCases.forEach((u, i) => {
      if (seen.has(u)) ctx.addIssue({ code: "custom", path: ["useCases", i], message: `Duplicate use case '${u}'.` });
      seen.add(u);
    });
  })
  .openapi("ScenarioInput");

export type ScenarioInput = z.infer<typeof ScenarioInputSchema>;

// ---------------------------------------------------------------------------------------------
// The merge patch (RFC 7396) of a scenario, built from the create schemas above (one source of truth:
// a bound, a field or an enum changed there changes the patch too; nothing here is copied by hand).

/** What a create field may be: required, optional, or optional with a default (useCases). */
type Omittable = z.ZodOptional<z.ZodType> | z.ZodDefault<z.ZodType>;
type WithoutDefault<F> = F extends z.ZodDefault<infer I> ? I : F;
/** A create field in a patch: absent keeps it, a value replaces it, null removes it where it may be omitted. */
type PatchFieldOf<F> = F extends Omittable ? z.ZodOptional<z.ZodNullable<WithoutDefault<F>>> : F extends z.ZodType ? z.ZodOptional<F> : never;
type PatchShapeOf<S extends z.ZodRawShape> = { -readonly [K in keyof S]: PatchFieldOf<S[K]> };

/** Whether a create field may be left out (optional, or with a default): those, and only those, a patch may remove with null. */
export function isRemovableField(field: z.ZodType): boolean {
  return field instanceof z.ZodOptional || field instanceof z.ZodDefault;
}

/**
 * A create field as a merge-patch field: absent keeps the stored value, a value replaces it, and null
 * removes it — accepted only where the create schema lets the field be left out (then its default, if
 * it has one, applies when the merged scenario is validated); on a required field null is refused like
 * any other wrong value, naming the field. A default is dropped so that a patch that leaves the field
 * out does not reset it.
 */
export function patchField<F extends z.ZodType>(field: F): PatchFieldOf<F> {
  if (!isRemovableField(field)) return field.optional() as unknown as PatchFieldOf<F>;
  const base = field instanceof z.ZodDefault ? (field.removeDefault() as z.ZodType) : field;
  // `.openapi({})` gives the nullable wrapper metadata of its own: without it the generator renders a
  // registered schema (RequestProfile, SignupSource) as a bare $ref and the document would refuse null.
  return base.nullable().optional().openapi({}) as unknown as PatchFieldOf<F>;
}

function patchShape<S extends z.ZodRawShape>(shape: S): PatchShapeOf<S> {
  return Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, patchField(f as z.ZodType)])) as PatchShapeOf<S>;
}

/**
 * The patch of an object merged field by field: each of its fields as patchField makes it, strict like
 * the object. The object's own refinements are not repeated: the merged scenario is validated whole.
 */
export function mergePatchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  return z.object(patchShape(schema.shape)).strict();
}

export const FunnelPatchSchema = mergePatchOf(FunnelSchema).openapi({
  description: "Fields to change in the funnel; null on a field restores its default. signups and acquisition are replaced whole.",
  example: { freeToPaidPct: 4, acquisition: { cacUsd: 120 } },
});

/** The scenario fields a patch merges field by field (one level deep); it replaces the others whole. */
export const MERGED_PATCH_FIELDS = ["audience", "usage", "funding", "funnel"] as const;

/**
 * A merged object's patch as a patch field, with its create field's required-ness: null removes an
 * optional one (funnel) and is refused on a required one (audience, usage, funding).
 */
function mergedPatchField<F extends z.ZodType, P extends z.ZodType>(createField: F, patch: P): PatchFieldOf<F extends Omittable ? z.ZodOptional<P> : P> {
  return patchField(isRemovableField(createField) ? patch.optional() : patch) as PatchFieldOf<F extends Omittable ? z.ZodOptional<P> : P>;
}

/** Each merged field's patch: the object's fields as patchField makes them. */
const mergedPatchFields = {
  audience: mergedPatchField(scenarioFields.audience, mergePatchOf(AudienceSchema)),
  usage: mergedPatchField(scenarioFields.usage, mergePatchOf(UsageSchema)),
  funding: mergedPatchField(scenarioFields.funding, mergePatchOf(FundingSchema)),
  funnel: mergedPatchField(scenarioFields.funnel, FunnelPatchSchema),
} satisfies Record<(typeof MERGED_PATCH_FIELDS)[number], z.ZodType>;

/** "null removes a, b or c (its default then applies)", or that none can be: said from the create schema. */
function nullRemoves(schema: z.ZodObject<z.ZodRawShape>): string {
  const names = Object.entries(schema.shape).flatMap(([k, f]) => (isRemovableField(f as z.ZodType) ? [k] : []));
  if (!names.length) return "every field is required: null removes none";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  return `null removes ${list} (its default then applies)`;
}

/** What the OpenAPI document says of each patch field (the create schema's description when absent). */
const patchDescriptions: Partial<Record<keyof typeof scenarioFields, { description: string; example?: unknown }>> = {
  description: { description: "New notes; null removes them.", example: "Now with voice." },
  useCases: { description: "Replaces the use-case list; null empties it.", example: ["smart-customer-service"] },
  audience: { description: `Fields to change in the audience; ${nullRemoves(AudienceSchema)}.`, example: { monthlyGrowthPct: 12 } },
  usage: { description: `Fields to change in usage; ${nullRemoves(UsageSchema)}. requestProfile is replaced whole.`, example: { requestsPerUserPerDay: 8, peakToAverage: null } },
  hardware: { description: "Replaces the hardware preference; null removes it." },
  pricing: { description: "Replaces the pricing; null removes it." },
  funnel: { description: "Fields to change in the funnel (merged); null removes the whole funnel." },
  revenueLines: { description: "Replaces the revenue lines; null removes them." },
  funding: { description: `Fields to change in funding; ${nullRemoves(FundingSchema)}.`, example: { cashUsd: 2_000_000 } },
  businessModel: { description: "Replaces the business model; null removes it.", example: "subscription" },
};

function describePatch<S extends z.ZodRawShape>(shape: S): S {
  return Object.fromEntries(
    Object.entries(shape).map(([k, f]) => {
      const meta = patchDescriptions[k as keyof typeof scenarioFields];
      return [k, meta ? (f as z.ZodType).openapi(meta as { description: string }) : f];
    }),
  ) as S;
}

/**
 * JSON merge patch (RFC 7396) of a scenario: audience, usage, funding and funnel are merged field by
 * field; other fields are replaced whole; null removes a field the create schema lets you leave out
 * (and is refused, naming it, on a required one). The merged result is validated as a whole scenario.
 */
export const ScenarioPatchSchema = z
  .object(
    describePatch({ ...patchShape(scenarioFields), ...mergedPatchFields }),
  )
  .strict()
  .openapi("ScenarioPatch");

export type ScenarioPatch = z.infer<typeof ScenarioPatchSchema>;

export const ScenarioSchema = z
  .object({
    id: z.string().openapi({ description: "Scenario id.", example: "scn_5f1c9b0e7a2d4c8e9b1f3a6d" }),
    workspaceId: z.string().openapi({ description: "Workspace that owns it.", example: "ws_default" }),
    version: z.number().int().openapi({ description: "Increases on every change; the ETag is derived from it.", example: 1 }),
    createdAt: z.string().openapi({ description: "Creation time, ISO 8601.", example: "2026-11-22T09:00:00.000Z" }),
    updatedAt: z.string().openapi({ description: "Last change, ISO 8601.", example: "2026-11-22T09:00:00.000Z" }),
    ...scenarioFields,
    useCases: z.array(z.string()).openapi({ description: "Use-case slugs.", example: ["smart-customer-service"] }),
  })
  .openapi("Scenario");

export type Scenario = z.infer<typeof ScenarioSchema>;
