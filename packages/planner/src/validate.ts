import type { PlannerCatalog } from "./catalog";
import { PlannerInputError } from "./errors";
import { PRICING_MODELS, type PlannerOptions, type Scenario, type UseCase } from "./types";

/** Limits of a plan (the scenario contract's bounds). */
export const PLAN_LIMITS = {
  horizonMonthsMax: 120,
  useCasesMax: 20,
  growthPctMin: -50,
  growthPctMax: 300,
  requestsPerUserPerDayMax: 10_000,
  peakToAverageMin: 1,
  peakToAverageMax: 20,
  /** Users the audience may reach within the horizon: 1e11, more than ten times the world's population. */
  usersMax: 1e11,
  /** Lowest target peak utilisation: a fleet planned to run 5% busy at its peak is no plan. */
  targetPeakUtilisationMin: 0.05,
  /** Revenue lines beside the product. */
  revenueLinesMax: 10,
  /** Sign-ups, visitors, customers, hours or requests per month a funnel or revenue line may start with. */
  volumeMax: 1e12,
  /** Engineer-months per month or per one-off task. */
  engineerMonthsMax: 1000,
  crossoverHysteresisPctMax: 50,
} as const;

type Issue = { path: (string | number)[]; message: string };

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/**
 * The scenario's hardware as a plan serves it: a priced accelerator of the catalog or a priced measured
 * profile, and the named provider's own price for it. The plan labels this deployment "scenario
 * hardware", so it never swaps in another provider's listing (as the scenario estimate, it refuses).
 */
function hardwareIssue(hardware: NonNullable<Scenario["hardware"]>, catalog: PlannerCatalog): Issue | null {
  const id = hardware.accelerator;
  if ((catalog.measuredHardware ?? []).some((m) => m.profileId === id)) return null;
  const rows = catalog.acceleratorPrices.filter((p) => p.acceleratorId === id);
  if (rows.length === 0) {
    return { path: ["hardware", "accelerator"], message: `No price for accelerator '${id}': the plan needs a priced accelerator (GET /v1/hardware) or a priced measured hardware profile (PUT /v1/hardware-profiles/{id}/price).` };
  }
  const provider = hardware.provider;
  if (provider === undefined || rows.some((r) => r.provider === provider)) return null;
  const priced = [...new Set(rows.map((r) => r.provider))].sort().join(", ");
  return {
    path: ["hardware", "provider"],
    message: `No ${id} price for provider '${provider}' in the price catalog (providers with one: ${priced}): name one of them as hardware.provider, or omit it for the cheapest listing.`,
  };
}

/**
 * Checks that a scenario holds what a plan needs, collecting every problem; throws one
 * PlannerInputError naming the first field (and listing all) when anything is missing or out of range.
 */
export function validatePlanInput(scenario: Scenario, useCases: UseCase[], catalog: PlannerCatalog, options: PlannerOptions): void {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  // Use cases
  if (!Array.isArray(scenario.useCases) || scenario.useCases.length === 0) {
    add(["useCases"], "The plan needs at least one use case: add a use-case slug (GET /v1/use-cases) to useCases so the planner knows the request profile, latency target and risks.");
  } else {
    if (scenario.useCases.length > PLAN_LIMITS.useCasesMax) add(["useCases"], `A plan covers at most ${PLAN_LIMITS.useCasesMax} use cases; the scenario lists ${scenario.useCases.length}.`);
    const known = new Set(useCases.map((u) => u.slug));
    scenario.useCases.forEach((slug, i) => {
      if (!known.has(slug)) add(["useCases", i], `Unknown use case '${slug}': the plan needs its catalog entry (GET /v1/use-cases lists the slugs).`);
    });
  }

  // A cached prompt prefix is part of every text use case's prompt
  const profile = scenario.usage?.requestProfile;
  const cached = profile?.cachedInputTokens;
  if (cached !== undefined && Array.isArray(scenario.useCases)) {
    const text = useCases.filter((u) => scenario.useCases.includes(u.slug) && u.requestProfile.modality === "text");
    const path = ["usage", "requestProfile", "cachedInputTokens"];
    if (!finite(cached) || cached < 0) add(path, "usage.requestProfile.cachedInputTokens must be 0 or more tokens.");
    else if (text.length === 0) add(path, "cachedInputTokens applies to text use cases: the scenario's use cases process no tokens.");
    else {
      const over = text.find((u) => cached > (profile?.inputTokens ?? u.requestProfile.inputTokens ?? 0));
      if (over) add(path, `cachedInputTokens (${cached}) exceeds the ${profile?.inputTokens ?? over.requestProfile.inputTokens ?? 0} prompt tokens per request of '${over.slug}': the cached prefix is part of the prompt (set usage.requestProfile.inputTokens, or fewer cached tokens).`);
    }
  }

  // Pricing
  const pr = scenario.pricing;
  if (!pr) {
    add(["pricing"], `The plan needs pricing to compute revenue, gross margin, break-even and runway: set pricing.model (${PRICING_MODELS.map((m) => `'${m}'`).join(", ")}) and pricing.priceUsd.`);
  } else {
    if (!(PRICING_MODELS as readonly string[]).includes(pr.model)) add(["pricing", "model"], `pricing.model must be one of ${PRICING_MODELS.join(", ")}.`);
    if (!finite(pr.priceUsd) || pr.priceUsd < 0) add(["pricing", "priceUsd"], "pricing.priceUsd must be a price of 0 USD or more.");
    if (pr.model === "hybrid") {
      if (!finite(pr.includedRequestsPerSeat) || pr.includedRequestsPerSeat < 0) add(["pricing", "includedRequestsPerSeat"], "Hybrid pricing needs includedRequestsPerSeat: the requests a seat includes each month (0 or more).");
      if (!finite(pr.overageUsdPerRequest) || pr.overageUsdPerRequest < 0) add(["pricing", "overageUsdPerRequest"], "Hybrid pricing needs overageUsdPerRequest: the price of each request beyond the included ones (0 USD or more).");
    }
    if (pr.freeTier !== undefined && (!finite(pr.freeTier.requestsPerUserPerMonth) || pr.freeTier.requestsPerUserPerMonth < 0))
      add(["pricing", "freeTier", "requestsPerUserPerMonth"], "pricing.freeTier.requestsPerUserPerMonth must be 0 or more requests.");
    if (pr.model === "perMillionTokens" && useCases.filter((u) => scenario.useCases?.includes(u.slug)).every((u) => u.requestProfile.modality !== "text"))
      add(["pricing", "model"], "Per-token pricing needs a text use case: the scenario's use cases process no tokens.");
  }

  // Funnel (the API's schema already makes the sign-up source and the acquisition spend one of two
  // shapes; a stored row is checked again here)
  const fu = scenario.funnel;
  if (fu) {
    const pct = (path: (string | number)[], v: number | undefined, what: string) => {
      if (v !== undefined && (!finite(v) || v < 0 || v > 100)) add(["funnel", ...path], `funnel.${path.join(".")} (${what}) must lie between 0 and 100 percent.`);
    };
    const volume = (path: (string | number)[], v: number | undefined) => {
      if (v !== undefined && (!finite(v) || v < 0 || v > PLAN_LIMITS.volumeMax)) add(["funnel", ...path], `funnel.${path.join(".")} must lie between 0 and ${PLAN_LIMITS.volumeMax.toExponential(0)}.`);
    };
    pct(["freeToPaidPct"], fu.freeToPaidPct, "sign-ups who become paying customers");
    pct(["paidChurnPct"], fu.paidChurnPct, "paying users lost per month");
    pct(["freeChurnPct"], fu.freeChurnPct, "free users lost per month");
    const src = fu.signups;
    let signupsMonth1 = 0;
    if (src && "signupsPerMonth" in src) {
      volume(["signups", "signupsPerMonth"], src.signupsPerMonth);
      signupsMonth1 = src.signupsPerMonth;
    } else if (src && "visitorsPerMonth" in src) {
      volume(["signups", "visitorsPerMonth"], src.visitorsPerMonth);
      pct(["signups", "visitorToSignupPct"], src.visitorToSignupPct, "visitors who sign up");
      signupsMonth1 = src.visitorsPerMonth * (src.visitorToSignupPct / 100);
    } else if (src !== undefined) {
      add(["funnel", "signups"], "funnel.signups needs signupsPerMonth, or visitorsPerMonth with visitorToSignupPct.");
    }
    if (fu.signupGrowthPct !== undefined && (!finite(fu.signupGrowthPct) || fu.signupGrowthPct < PLAN_LIMITS.growthPctMin || fu.signupGrowthPct > PLAN_LIMITS.growthPctMax))
      add(["funnel", "signupGrowthPct"], `funnel.signupGrowthPct must lie between ${PLAN_LIMITS.growthPctMin} and ${PLAN_LIMITS.growthPctMax} percent.`);
    else if (scenario.audience && Number.isInteger(scenario.audience.horizonMonths) && finite(signupsMonth1)) {
      const g = fu.signupGrowthPct ?? scenario.audience.monthlyGrowthPct;
      const horizon = Math.max(1, Math.min(scenario.audience.horizonMonths, PLAN_LIMITS.horizonMonthsMax));
      const peak = signupsMonth1 * Math.pow(1 + (finite(g) ? g : 0) / 100, horizon - 1);
      if (!(peak * horizon <= PLAN_LIMITS.usersMax)) add(["funnel", "signupGrowthPct"], `These sign-ups bring more than ${PLAN_LIMITS.usersMax.toExponential(0)} users within the horizon: lower the sign-ups, their growth or the horizon.`);
    }
    const acq = fu.acquisition;
    if (acq && "cacUsd" in acq) {
      if (!finite(acq.cacUsd) || acq.cacUsd < 0 || acq.cacUsd > 1e10) add(["funnel", "acquisition", "cacUsd"], "funnel.acquisition.cacUsd must lie between 0 and 1e10 USD.");
    } else if (acq && "marketingUsdPerMonth" in acq) {
      if (!finite(acq.marketingUsdPerMonth) || acq.marketingUsdPerMonth < 0 || acq.marketingUsdPerMonth > 1e10) add(["funnel", "acquisition", "marketingUsdPerMonth"], "funnel.acquisition.marketingUsdPerMonth must lie between 0 and 1e10 USD.");
    } else if (acq !== undefined) {
      add(["funnel", "acquisition"], "funnel.acquisition needs cacUsd or marketingUsdPerMonth.");
    }
  }
  if (scenario.usage?.freeRequestsPerUserPerDay !== undefined) {
    const v = scenario.usage.freeRequestsPerUserPerDay;
    if (!finite(v) || v < 0 || v > PLAN_LIMITS.requestsPerUserPerDayMax) add(["usage", "freeRequestsPerUserPerDay"], `usage.freeRequestsPerUserPerDay must lie between 0 and ${PLAN_LIMITS.requestsPerUserPerDayMax}.`);
  }

  // Other revenue lines
  const lines = scenario.revenueLines ?? [];
  if (lines.length > PLAN_LIMITS.revenueLinesMax) add(["revenueLines"], `A plan takes at most ${PLAN_LIMITS.revenueLinesMax} revenue lines; the scenario lists ${lines.length}.`);
  lines.forEach((l, i) => {
    const nonNeg = (k: string, v: unknown, max = PLAN_LIMITS.volumeMax) => {
      if (v !== undefined && (!finite(v) || v < 0 || v > max)) add(["revenueLines", i, k], `revenueLines[${i}].${k} must lie between 0 and ${max.toExponential(0)}.`);
    };
    const required = (k: string, v: unknown) => {
      if (v === undefined) add(["revenueLines", i, k], `A ${l.kind} revenue line needs ${k}.`);
      else nonNeg(k, v);
    };
    if (l.monthlyGrowthPct !== undefined && (!finite(l.monthlyGrowthPct) || l.monthlyGrowthPct < PLAN_LIMITS.growthPctMin || l.monthlyGrowthPct > 100))
      add(["revenueLines", i, "monthlyGrowthPct"], `revenueLines[${i}].monthlyGrowthPct must lie between ${PLAN_LIMITS.growthPctMin} and 100 percent.`);
    if (l.startMonth !== undefined && (!Number.isInteger(l.startMonth) || l.startMonth < 1 || l.startMonth > PLAN_LIMITS.horizonMonthsMax))
      add(["revenueLines", i, "startMonth"], `revenueLines[${i}].startMonth must be a whole month from 1 to ${PLAN_LIMITS.horizonMonthsMax}.`);
    if (l.kind === "api-sdk") {
      required("requestsPerMonth", l.requestsPerMonth);
      required("priceUsdPerRequest", l.priceUsdPerRequest);
      if (finite(l.requestsPerMonth) && finite(l.monthlyGrowthPct ?? 0) && scenario.audience && Number.isInteger(scenario.audience.horizonMonths) && l.requestsPerMonth * Math.pow(1 + (l.monthlyGrowthPct ?? 0) / 100, Math.max(0, scenario.audience.horizonMonths - 1)) > PLAN_LIMITS.volumeMax)
        add(["revenueLines", i, "monthlyGrowthPct"], `API/SDK requests would pass ${PLAN_LIMITS.volumeMax.toExponential(0)} a month within the horizon: lower the growth.`);
    } else if (l.kind === "technical-services") {
      required("billableHoursPerMonth", l.billableHoursPerMonth);
      required("hourlyRateUsd", l.hourlyRateUsd);
      nonNeg("deliveryCostUsdPerHour", l.deliveryCostUsdPerHour);
    } else if (l.kind === "data-products") {
      required("customers", l.customers);
      required("priceUsdPerCustomerMonth", l.priceUsdPerCustomerMonth);
      nonNeg("deliveryCostUsdPerMonth", l.deliveryCostUsdPerMonth);
      nonNeg("deliveryCostUsdPerCustomerMonth", l.deliveryCostUsdPerCustomerMonth);
    } else {
      add(["revenueLines", i, "kind"], "kind must be 'api-sdk', 'technical-services' or 'data-products'.");
    }
  });

  // Audience
  const a = scenario.audience;
  if (!a) add(["audience"], "The plan needs an audience: usersAtLaunch, monthlyGrowthPct and horizonMonths.");
  else {
    if (!Number.isInteger(a.horizonMonths) || a.horizonMonths < 1 || a.horizonMonths > PLAN_LIMITS.horizonMonthsMax)
      add(["audience", "horizonMonths"], `The plan covers 1 to ${PLAN_LIMITS.horizonMonthsMax} whole months; horizonMonths was ${String(a.horizonMonths)}.`);
    if (!finite(a.usersAtLaunch) || a.usersAtLaunch < 0) add(["audience", "usersAtLaunch"], "usersAtLaunch must be 0 or more users.");
    if (!finite(a.monthlyGrowthPct) || a.monthlyGrowthPct < PLAN_LIMITS.growthPctMin || a.monthlyGrowthPct > PLAN_LIMITS.growthPctMax)
      add(["audience", "monthlyGrowthPct"], `monthlyGrowthPct must lie between ${PLAN_LIMITS.growthPctMin} and ${PLAN_LIMITS.growthPctMax} percent.`);
    else if (finite(a.usersAtLaunch) && Number.isInteger(a.horizonMonths) && a.horizonMonths >= 1) {
      // users(m) = usersAtLaunch × (1 + g)^(m − 1); the largest month is the last one when g > 0
      const peakUsers = a.usersAtLaunch * Math.pow(1 + a.monthlyGrowthPct / 100, Math.max(0, Math.min(a.horizonMonths, PLAN_LIMITS.horizonMonthsMax) - 1));
      if (!(peakUsers <= PLAN_LIMITS.usersMax))
        add(["audience", "monthlyGrowthPct"], `${a.monthlyGrowthPct}% monthly growth from ${a.usersAtLaunch} users reaches ${Number.isFinite(peakUsers) ? peakUsers.toExponential(2) : "an unbounded number of"} users by month ${a.horizonMonths}; the plan handles up to ${PLAN_LIMITS.usersMax.toExponential(0)} users (more than ten times the world's population): lower the growth or the horizon.`);
    }
  }

  // Usage
  const u = scenario.usage;
  if (!u) add(["usage"], "The plan needs usage: requestsPerUserPerDay.");
  else {
    if (!finite(u.requestsPerUserPerDay) || u.requestsPerUserPerDay < 0 || u.requestsPerUserPerDay > PLAN_LIMITS.requestsPerUserPerDayMax)
      add(["usage", "requestsPerUserPerDay"], `requestsPerUserPerDay must lie between 0 and ${PLAN_LIMITS.requestsPerUserPerDayMax}.`);
    if (u.peakToAverage !== undefined && (!finite(u.peakToAverage) || u.peakToAverage < PLAN_LIMITS.peakToAverageMin || u.peakToAverage > PLAN_LIMITS.peakToAverageMax))
      add(["usage", "peakToAverage"], `peakToAverage must lie between ${PLAN_LIMITS.peakToAverageMin} and ${PLAN_LIMITS.peakToAverageMax}.`);
  }

  // Funding
  const f = scenario.funding;
  if (!f) add(["funding"], "The plan needs funding: cashUsd and monthlyNonComputeBurnUsd, to compute cash flow and runway.");
  else {
    if (!finite(f.cashUsd) || f.cashUsd < 0) add(["funding", "cashUsd"], "funding.cashUsd must be 0 USD or more.");
    if (!finite(f.monthlyNonComputeBurnUsd) || f.monthlyNonComputeBurnUsd < 0) add(["funding", "monthlyNonComputeBurnUsd"], "funding.monthlyNonComputeBurnUsd must be 0 USD or more.");
  }

  // Model strategy
  const m = scenario.model;
  if (!m) add(["model"], "The plan needs a model strategy: hosted-api with a hostedModel, or self-host / fine-tune / train-from-scratch with a preset, parameters or architecture.");
  else if (m.strategy === "hosted-api") {
    if (!catalog.hostedModels.some((h) => h.id === m.hostedModel))
      add(["model", "hostedModel"], `Unknown hosted model '${m.hostedModel}': the plan needs a model from the hosted-model catalog (GET /v1/hosted-models) to price its tokens.`);
  } else {
    const given = (["preset", "parameters", "architecture"] as const).filter((k) => m[k] !== undefined);
    if (given.length !== 1) add(["model", given[1] ?? "preset"], "Give exactly one of model.preset, model.parameters or model.architecture.");
    else if (m.preset !== undefined && !catalog.models.some((p) => p.id === m.preset))
      add(["model", "preset"], `Unknown model preset '${m.preset}' (GET /v1/model-presets lists them).`);
    else if (catalog.describeModel(m.preset !== undefined ? { preset: m.preset } : m.parameters !== undefined ? { parameters: m.parameters } : { architecture: m.architecture as Record<string, unknown> }) === null)
      add(["model", given[0]], "The estimator cannot interpret this model; give a preset, a parameter count, or an architecture accepted by POST /v1/estimates/inference.");
  }

  // Hardware
  if (scenario.hardware) {
    const issue = hardwareIssue(scenario.hardware, catalog);
    if (issue) add(issue.path, issue.message);
  }

  // Options
  const o = options;
  if (o.targetGrossMarginPct !== undefined && (!finite(o.targetGrossMarginPct) || o.targetGrossMarginPct < 0 || o.targetGrossMarginPct >= 100))
    add(["options", "targetGrossMarginPct"], "targetGrossMarginPct must be at least 0 and below 100 percent.");
  if (o.sensitivityPct !== undefined && (!finite(o.sensitivityPct) || o.sensitivityPct <= 0 || o.sensitivityPct > 90))
    add(["options", "sensitivityPct"], "sensitivityPct must be above 0 and at most 90 percent.");
  if (o.targetPeakUtilisation !== undefined && (!finite(o.targetPeakUtilisation) || o.targetPeakUtilisation < PLAN_LIMITS.targetPeakUtilisationMin || o.targetPeakUtilisation > 1))
    add(["options", "targetPeakUtilisation"], `targetPeakUtilisation must lie between ${PLAN_LIMITS.targetPeakUtilisationMin} and 1 (the share of a replica's capacity used at peak).`);
  if (o.cacheHitRate !== undefined && (!finite(o.cacheHitRate) || o.cacheHitRate < 0 || o.cacheHitRate >= 1))
    add(["options", "cacheHitRate"], "cacheHitRate must lie in [0, 1).");
  if (o.reservedDiscountPct !== undefined && (!finite(o.reservedDiscountPct) || o.reservedDiscountPct < 0 || o.reservedDiscountPct >= 100))
    add(["options", "reservedDiscountPct"], "reservedDiscountPct must be at least 0 and below 100 percent.");
  if (o.minReplicas !== undefined && (!Number.isInteger(o.minReplicas) || o.minReplicas < 0 || o.minReplicas > 1000))
    add(["options", "minReplicas"], "minReplicas must be a whole number from 0 to 1000.");
  if (o.defaultFineTuneTokens !== undefined && (!finite(o.defaultFineTuneTokens) || o.defaultFineTuneTokens < 1))
    add(["options", "defaultFineTuneTokens"], "defaultFineTuneTokens must be at least 1.");
  if (o.engineerAnnualSalaryUsd !== undefined && (!finite(o.engineerAnnualSalaryUsd) || o.engineerAnnualSalaryUsd < 0 || o.engineerAnnualSalaryUsd > 1e7))
    add(["options", "engineerAnnualSalaryUsd"], "engineerAnnualSalaryUsd must lie between 0 and 10,000,000 USD.");
  if (o.employerCostMultiplier !== undefined && (!finite(o.employerCostMultiplier) || o.employerCostMultiplier < 1 || o.employerCostMultiplier > 5))
    add(["options", "employerCostMultiplier"], "employerCostMultiplier must lie between 1 and 5 (employer cost over salary).");
  for (const k of ["selfHostEngineerMonthsPerMonth", "fineTuneDataPrepEngineerMonths", "fineTuneEvaluationEngineerMonths"] as const) {
    const v = o[k];
    if (v !== undefined && (!finite(v) || v < 0 || v > PLAN_LIMITS.engineerMonthsMax)) add(["options", k], `${k} must lie between 0 and ${PLAN_LIMITS.engineerMonthsMax} engineer-months.`);
  }
  if (o.crossoverHysteresisPct !== undefined && (!finite(o.crossoverHysteresisPct) || o.crossoverHysteresisPct < 0 || o.crossoverHysteresisPct > PLAN_LIMITS.crossoverHysteresisPctMax))
    add(["options", "crossoverHysteresisPct"], `crossoverHysteresisPct must lie between 0 and ${PLAN_LIMITS.crossoverHysteresisPctMax} percent.`);

  if (issues.length > 0) throw PlannerInputError.fromIssues(issues);
}
