// Every assumption of a projection with its source: scenario values, catalog values, sourced defaults and
// the planner's own choices and definitions. Pure.
import { REPLICA_SIZING_SOURCE, REPLICA_TARGET_UTILISATION } from "@modelplan/estimator";
import { PEOPLE_DEFAULTS } from "./defaults";
import { DAYS_PER_MONTH, HOURS_PER_MONTH, unitsPerRequest } from "./demand";
import { fmtNum } from "./format";
import type { ResolvedFunnel } from "./funnel";
import { pricingBasis } from "./revenue";
import { engineerMonthUsd, type Settings } from "./settings";
import type { Assumption, PlanAdjustments, PlannerOptions, Quantization, Scenario } from "./types";
import type { WorkloadState } from "./workload";

export interface AssumptionInputs {
  scenario: Scenario;
  settings: Settings;
  states: WorkloadState[];
  peakToAverage: number;
  adjustments: PlanAdjustments;
  quantization: Quantization;
  funnel: ResolvedFunnel;
  extra: Assumption[];
}

/** The people-cost settings with their sources (plan option, or the sourced default). */
function peopleAssumptions(settings: Settings): Assumption[] {
  const keys = ["engineerAnnualSalaryUsd", "employerCostMultiplier", "selfHostEngineerMonthsPerMonth", "fineTuneDataPrepEngineerMonths", "fineTuneEvaluationEngineerMonths"] as const satisfies readonly (keyof PlannerOptions & keyof Settings)[];
  const out: Assumption[] = keys.map((k) => {
    const d = PEOPLE_DEFAULTS[k];
    const given = settings[k] !== d.value;
    return { name: k, value: settings[k], unit: d.unit, source: given ? "plan options" : `default — ${d.source}` };
  });
  out.push({ name: "engineerMonthUsd", value: engineerMonthUsd(settings), unit: "USD per engineer-month (loaded)", source: "engineerAnnualSalaryUsd × employerCostMultiplier / 12" });
  return out;
}

export function collectAssumptions(x: AssumptionInputs): Assumption[] {
  const { scenario, settings, states, peakToAverage, adjustments, quantization, funnel } = x;
  const sc = `scenario '${scenario.name}' v${scenario.version}`;
  const pricing = scenario.pricing!;
  const a: Assumption[] = [
    { name: "usersAtLaunch", value: scenario.audience.usersAtLaunch, unit: "active users in month 1", source: sc },
    { name: "monthlyGrowthPct", value: scenario.audience.monthlyGrowthPct, unit: "% per month, compound", source: sc },
    { name: "horizonMonths", value: scenario.audience.horizonMonths, unit: "months", source: sc },
    { name: "requestsPerUserPerDay", value: scenario.usage.requestsPerUserPerDay, unit: "requests per active user per day", source: sc },
    ...funnel.assumptions,
    {
      name: "peakToAverage",
      value: peakToAverage,
      unit: "peak requests/s over the monthly average",
      source: scenario.usage.peakToAverage !== undefined ? sc : "planner default 3 (the scenario contract's default; the estimator's defaults.json uses the same): no published figure fits every product",
    },
    { name: "pricing", value: `${pricing.model}: $${pricing.priceUsd}`, unit: pricingBasis(pricing), source: sc },
    { name: "cashUsd", value: scenario.funding.cashUsd, unit: "USD at launch", source: sc },
    { name: "monthlyNonComputeBurnUsd", value: scenario.funding.monthlyNonComputeBurnUsd, unit: "USD per month (flat)", source: sc },
    { name: "modelStrategy", value: scenario.model.strategy === "hosted-api" ? `hosted-api: ${scenario.model.hostedModel}` : scenario.model.strategy, unit: "", source: sc },
    { name: "servingQuantization", value: quantization, unit: "weights", source: scenario.model.strategy !== "hosted-api" && scenario.model.quantization ? sc : "estimator default bf16: 16-bit weights, the release format of the open models in the preset catalog" },
    ...peopleAssumptions(settings),
    ...x.extra,
    { name: "hoursPerMonth", value: HOURS_PER_MONTH, unit: "h", source: "8,760 hours per year / 12 (the convention of cloud monthly price pages; the estimator uses the same)" },
    { name: "daysPerMonth", value: DAYS_PER_MONTH, unit: "days", source: "730 h / 24, consistent with hoursPerMonth" },
    { name: "requestSplit", value: states.length === 1 ? "all requests" : `even split over ${states.length} use cases`, unit: "", source: "planner default: each request serves one use case; the scenario has no per-use-case traffic field" },
    { name: "targetGrossMarginPct", value: settings.targetGrossMarginPct, unit: "%", source: "plan options (planner default 60%: a target to solve the required price for, not a benchmark)" },
    { name: "targetPeakUtilisation", value: settings.targetPeakUtilisation, unit: "fraction of a replica's capacity used at the modelled peak", source: settings.targetPeakUtilisation === REPLICA_TARGET_UTILISATION ? `the estimator's replica-sizing rule (${REPLICA_SIZING_SOURCE}); the same rule sizes inference and scenario estimates` : "options.targetPeakUtilisation of this plan" },
    { name: "minReplicas", value: settings.minReplicas, unit: "replicas", source: "planner default 1: a self-hosted service keeps at least one replica running, billed every hour" },
    { name: "fleetSizing", value: "provisioned for the month's peak, billed all hours", unit: "", source: "planner: no autoscaling below the peak is assumed, so idle capacity is paid (reported per option)" },
    { name: "crossoverHysteresisPct", value: settings.crossoverHysteresisPct, unit: "% cheaper a challenger must be to become the cheapest", source: "modelplan choice (plan option crossoverHysteresisPct): with comparison on capacity cost (fractional replicas), it keeps replica rounding and near-ties from flipping the cheapest option" },
    { name: "spotCapacity", value: "listed, never counted as cheapest", unit: "", source: "planner: spot capacity can be reclaimed; production serving needs on-demand fallback" },
    { name: "selfHostingPeopleCost", value: "engineer-months per month × loaded engineer-month, for every self-hosted option", unit: "", source: "planner: what self-hosting adds over a hosted API (deployment, upgrades, monitoring, on-call); part of the cost of revenue and of the build-vs-buy comparison" },
    { name: "grossMarginDefinition", value: "(revenue − compute − self-hosting people − delivery of other lines) / revenue; one-off training costs excluded", unit: "", source: "planner: hosting operations belong in SaaS cost of revenue; training is a one-off investment, charged to cash flow in its month" },
    { name: "contributionMarginDefinition", value: "(gross margin − acquisition spend) / revenue", unit: "", source: "planner: what each month's customers leave after serving and acquiring them" },
    { name: "cacPaybackDefinition", value: "CAC / (product gross profit per paying user per month)", unit: "months", source: "David Skok, 'SaaS Metrics 2.0' (forEntrepreneurs.com): months of gross-margin-adjusted revenue to recover CAC" },
    { name: "ltvDefinition", value: "product gross profit per paying user per month / monthly paid churn", unit: "USD", source: "David Skok, 'SaaS Metrics 2.0': LTV = ARPA × gross margin / churn; free users' compute is charged to the paying users' gross profit" },
    { name: "burnMultipleDefinition", value: "net burn / net new ARR, ARR = 12 × recurring revenue (services excluded)", unit: "×", source: "David Sacks, 'The Burn Multiple' (Craft Ventures, 2020)" },
    { name: "breakEvenDefinition", value: "first month with net cash flow ≥ 0 (revenue − cost of revenue − acquisition − one-off − other burn)", unit: "", source: "planner" },
    { name: "runwayDefinition", value: "months before cumulative cash first falls below zero", unit: "", source: "planner" },
    { name: "reservedDiscountPct", value: settings.reservedDiscountPct, unit: "%", source: settings.reservedDiscountPct === null ? "not given: the price catalog publishes no reserved GPU prices, so reserved capacity is not costed" : "plan options (your provider's committed-use quote)" },
  ];
  if (adjustments.cacheHitRate) a.push({ name: "cacheHitRate", value: adjustments.cacheHitRate, unit: "share of requests", source: "recommendation variant" });
  for (const s of states) a.push(...workloadAssumptions(s));
  return a;
}

function workloadAssumptions(s: WorkloadState): Assumption[] {
  const u = s.spec.useCase;
  const a: Assumption[] = [];
  for (const [field, value] of Object.entries(s.spec.profile)) {
    a.push({ name: `${u.slug}.${field}`, value: value as number, unit: field.includes("Tokens") ? "tokens per request" : field === "audioSeconds" ? "s per request" : field.startsWith("image") && field !== "imagesPerRequest" ? "px" : "per request", source: s.profileSources[field] ?? "use-case catalog" });
  }
  a.push({ name: `${u.slug}.latencyTargetP95Ms`, value: u.latencyTarget.p95Ms, unit: "ms", source: `use-case catalog '${u.slug}': ${u.latencyTarget.rationale}` });
  a.push({ name: `${u.slug}.unitsPerRequest`, value: unitsPerRequest(u.requestProfile.modality, s.spec.profile), unit: u.requestProfile.modality === "text" ? "(tokens counted separately)" : "modality units", source: "derived from the request profile" });
  const floor = u.qualityFloor;
  a.push({
    name: `${u.slug}.qualityFloor`,
    value: floor && floor.benchmark && floor.minimum !== null ? `${floor.benchmark} ≥ ${floor.minimum}` : null,
    unit: floor?.benchmark ?? "",
    source: floor ? `use-case catalog '${u.slug}': ${floor.reasoning}` : `use-case catalog '${u.slug}' states no quality floor`,
  });
  const chosen = s.builds.get(s.workload.chosenOptionId)!.option;
  a.push({ name: `${u.slug}.chosenDeployment`, value: chosen.label, unit: "", source: s.workload.chosenReason });
  a.push({ name: `${u.slug}.chosenPrice`, value: chosen.kind === "hosted" ? (chosen.notes[0] ?? "") : `${chosen.accelerator!.label} ${chosen.pricing}`, unit: "", source: chosen.priceSource });
  if (chosen.quality.score !== null) a.push({ name: `${u.slug}.chosenQuality`, value: chosen.quality.score, unit: chosen.quality.benchmark ?? "", source: chosen.quality.source ?? "" });
  if (chosen.capacityRequestsPerSecPerReplica) {
    a.push({ name: `${u.slug}.capacityRequestsPerSecPerReplica`, value: chosen.capacityRequestsPerSecPerReplica.expected, unit: "requests/s per replica at the latency target", source: `estimator serving estimate (band ${fmtNum(chosen.capacityRequestsPerSecPerReplica.low)}–${fmtNum(chosen.capacityRequestsPerSecPerReplica.high)})` });
    for (const x of s.builds.get(chosen.id)!.capacity?.assumptions ?? []) a.push({ ...x, name: `${u.slug}.serving.${x.name}` });
  }
  if (chosen.oneOffCostUsd > 0) {
    a.push({ name: `${u.slug}.oneOffCostUsd`, value: chosen.oneOffCostUsd, unit: "USD, month 1", source: `estimator training estimate with billing and people: ${chosen.oneOffDetail}` });
    if (chosen.oneOffBreakdown) a.push({ name: `${u.slug}.trainingBilling`, value: chosen.oneOffBreakdown.billedGpuHours, unit: "GPU-hours billed", source: chosen.oneOffBreakdown.billingRule });
    for (const x of s.builds.get(chosen.id)!.training?.assumptions ?? []) a.push({ ...x, name: `${u.slug}.training.${x.name}` });
  }
  return a;
}
