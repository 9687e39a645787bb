import { collectAssumptions } from "./assumptions";
import type { AcceleratorPrice, ModelRef, PlannerCatalog } from "./catalog";
import { projectDemand } from "./demand";
import { buildMonths, type MonthInputs } from "./economics";
import type { ResolvedFunnel } from "./funnel";
import type { CostingContext, WorkloadSpec } from "./options";
import { floorOf } from "./quality";
import { computeResults, publishedOptions } from "./results";
import { LINE_NAMES, STREAM_NAMES, pricingBasis, productRevenue, projectRevenueLines, type LineProjection } from "./revenue";
import { engineerMonthUsd, type Settings } from "./settings";
import { projectTraffic } from "./traffic";
import type {
  Assumption, BusinessModel, DeploymentOption, Modality, PlanAdjustments, PlanMonth, PlanResults, Quantization, RequestProfileFields,
  RevenueStream, Scenario, UseCase,
} from "./types";
import { buildWorkload, type WorkloadContext, type WorkloadState } from "./workload";

export { CHINCHILLA_TOKENS_PER_PARAMETER } from "./workload";
export { DEFAULT_SETTINGS, type Settings } from "./settings";

/** Default peak-to-average factor of the scenario contract (also the estimator's default). */
export const DEFAULT_PEAK_TO_AVERAGE = 3;

const PROFILE_FIELDS: Record<Modality, (keyof RequestProfileFields)[]> = {
  text: ["inputTokens", "cachedInputTokens", "outputTokens"],
  image: ["imageWidth", "imageHeight", "imagesPerRequest"],
  audio: ["audioSeconds"],
  recommendation: ["candidatesScored"],
  tabular: ["featuresPerRequest"],
};

/** Fields of the modality that scale with the work per request (sensitivity on "tokens per request"). */
const SCALED_FIELDS: Record<Modality, (keyof RequestProfileFields)[]> = {
  text: ["inputTokens", "cachedInputTokens", "outputTokens"],
  image: ["imagesPerRequest"],
  audio: ["audioSeconds"],
  recommendation: ["candidatesScored"],
  tabular: ["featuresPerRequest"],
};

export interface Projection {
  scenario: Scenario;
  settings: Settings;
  adjustments: PlanAdjustments;
  peakToAverage: number;
  funnel: ResolvedFunnel;
  states: WorkloadState[];
  months: PlanMonth[];
  options: DeploymentOption[];
  revenueStreams: RevenueStream[];
  results: PlanResults;
  assumptions: Assumption[];
  warnings: string[];
  priceRows: AcceleratorPrice[];
  /** Everything the workloads (options, selection) depend on; a variant with the same key reuses them. */
  workloadKey: string;
  workloadWarnings: string[];
  /** The catalog the workloads were costed with (reuse needs the same one). */
  catalog: PlannerCatalog;
}

function modelRefOf(scenario: Scenario): ModelRef | null {
  const m = scenario.model;
  if (m.strategy === "hosted-api") return null;
  if (m.preset !== undefined) return { preset: m.preset };
  if (m.parameters !== undefined) return { parameters: m.parameters };
  if (m.architecture !== undefined) return { architecture: m.architecture };
  return null;
}

/** Accelerator price rows with reserved prices filled from the caller's committed-use discount when the catalog has none. */
export function effectivePriceRows(catalog: PlannerCatalog, settings: Settings): AcceleratorPrice[] {
  return catalog.acceleratorPrices.map((r) => {
    if (r.reservedUsdPerGpuHour !== null || settings.reservedDiscountPct === null) return r;
    return {
      ...r,
      reservedUsdPerGpuHour: r.onDemandUsdPerGpuHour * (1 - settings.reservedDiscountPct / 100),
      source: `${r.source}; reserved = on-demand × (1 − ${settings.reservedDiscountPct}%), the committed-use discount given with the plan request`,
    };
  });
}

function mergeProfile(useCase: UseCase, scenario: Scenario): { profile: RequestProfileFields; sources: Record<string, string> } {
  const modality = useCase.requestProfile.modality;
  const profile: RequestProfileFields = {};
  const sources: Record<string, string> = {};
  const override = scenario.usage.requestProfile ?? {};
  for (const f of PROFILE_FIELDS[modality]) {
    if (override[f] !== undefined) {
      profile[f] = override[f];
      sources[f] = "scenario usage.requestProfile";
    } else if (useCase.requestProfile[f] !== undefined) {
      profile[f] = useCase.requestProfile[f];
      sources[f] = `use-case catalog '${useCase.slug}': ${useCase.requestProfile.rationale}`;
    }
  }
  return { profile, sources };
}

function scaleProfile(profile: RequestProfileFields, modality: Modality, factor: number): RequestProfileFields {
  if (factor === 1) return profile;
  const out: RequestProfileFields = { ...profile };
  for (const f of SCALED_FIELDS[modality]) if (out[f] !== undefined) out[f] = (out[f] as number) * factor;
  return out;
}

/** Costing settings shared by every option of one run. */
function costingContext(scenario: Scenario, catalog: PlannerCatalog, settings: Settings, adjustments: PlanAdjustments): CostingContext {
  return {
    catalog,
    targetPeakUtilisation: settings.targetPeakUtilisation,
    minReplicas: settings.minReplicas,
    gpuPriceFactor: adjustments.gpuPriceFactor ?? 1,
    hostedPriceFactor: adjustments.hostedPriceFactor ?? 1,
    cacheHitRate: adjustments.cacheHitRate ?? 0,
    batchFactor: adjustments.servingBatchFactor ?? 1,
    preferredProvider: scenario.hardware?.provider ?? null,
    reservedFromMonth: adjustments.reservedFromMonth ?? null,
    engineerMonthUsd: engineerMonthUsd(settings),
    selfHostEngineerMonthsPerMonth: settings.selfHostEngineerMonthsPerMonth,
    fineTuneDataPrepEngineerMonths: settings.fineTuneDataPrepEngineerMonths,
    fineTuneEvaluationEngineerMonths: settings.fineTuneEvaluationEngineerMonths,
  };
}

/** Revenue streams: the product's own pricing and each other line, with its cost of delivery. */
function revenueStreams(scenario: Scenario, months: PlanMonth[], lines: LineProjection[], productRequestsByMonth: number[], lineRequestsByLine: number[][]): RevenueStream[] {
  const pricing = scenario.pricing!;
  const bm: BusinessModel = scenario.businessModel ?? (pricing.model === "perSeatMonthly" || pricing.model === "hybrid" ? "subscription" : "api-sdk");
  const basis = pricingBasis(pricing);
  const share = (req: number, i: number) => {
    const total = months[i].requests;
    return total > 0 ? (months[i].computeCostUsd + months[i].peopleCostUsd) * (req / total) : 0;
  };
  const stream = (name: string, businessModel: RevenueStream["businessModel"], b: string, rev: number[], cost: number[]): RevenueStream => {
    const totalUsd = rev.reduce((s, v) => s + v, 0);
    const totalCost = cost.reduce((s, v) => s + v, 0);
    return { name, businessModel, basis: b, months: rev, deliveryCostUsd: cost, totalUsd, grossMarginPct: totalUsd > 0 ? ((totalUsd - totalCost) / totalUsd) * 100 : null };
  };
  const out = [
    stream(
      STREAM_NAMES[bm],
      bm,
      scenario.businessModel ? basis : `${basis} (no business model chosen: ${bm} assumed from the pricing model)`,
      months.map((m) => m.productRevenueUsd),
      productRequestsByMonth.map(share),
    ),
  ];
  lines.forEach((l, k) => {
    out.push(stream(l.name === LINE_NAMES[l.kind] ? l.name : `${l.name} (${LINE_NAMES[l.kind]})`, l.kind, l.basis, l.revenueUsd, l.deliveryCostUsd.map((c, i) => c + share(lineRequestsByLine[k][i], i))));
  });
  return out;
}

/**
 * The month-by-month projection of a scenario: the customer funnel, demand, every deployment option's
 * cost, the chosen deployment, revenue lines, margins, cash, unit economics and the headline results.
 * Pure; sensitivity and recommendations re-run it with changed inputs, passing the base projection as
 * `reuse`: when a change leaves the workloads' inputs as they were (a price, a CAC, a churn that keeps
 * the traffic), its options and selection are reused instead of costed again.
 */
export function runProjection(scenario: Scenario, useCases: UseCase[], catalog: PlannerCatalog, settings: Settings, adjustments: PlanAdjustments = {}, reuse?: Projection): Projection {
  const warnings: string[] = [];
  const horizon = scenario.audience.horizonMonths;
  const peakToAverage = scenario.usage.peakToAverage ?? DEFAULT_PEAK_TO_AVERAGE;
  const slugs = [...new Set(scenario.useCases)];
  const share = 1 / slugs.length;
  const unitsFactor = adjustments.unitsPerRequestFactor ?? 1;
  const priceRows = effectivePriceRows(catalog, settings);
  const costing = costingContext(scenario, catalog, settings, adjustments);

  // Customers, their requests and the other revenue lines' requests.
  const scenarioTraffic = projectTraffic(scenario);
  const { funnel, funnelMonths } = scenarioTraffic;
  warnings.push(...funnel.warnings);
  const lines = projectRevenueLines(scenario, costing.engineerMonthUsd);
  const traffic = scenarioTraffic.months.map((t) => ({ users: t.users, requests: t.requests }));

  const workloadKey = JSON.stringify([
    traffic.map((t) => [t.users, t.requests]),
    settings.targetPeakUtilisation, settings.minReplicas, settings.defaultFineTuneTokens, settings.reservedDiscountPct, settings.engineerAnnualSalaryUsd,
    settings.employerCostMultiplier, settings.selfHostEngineerMonthsPerMonth, settings.fineTuneDataPrepEngineerMonths, settings.fineTuneEvaluationEngineerMonths,
    settings.crossoverHysteresisPct, adjustments, scenario.model, scenario.hardware ?? null, scenario.useCases, scenario.usage.requestProfile ?? null, peakToAverage,
  ]);
  const reused = reuse && reuse.catalog === catalog && reuse.workloadKey === workloadKey ? reuse : null;
  const ownRef = modelRefOf(scenario);
  const workloadWarnings: string[] = reused ? [...reused.workloadWarnings] : [];
  const ctx: WorkloadContext = {
    scenario,
    catalog,
    costing,
    settings,
    priceRows,
    own: {
      ref: ownRef,
      info: ownRef ? catalog.describeModel(ownRef) : null,
      quantization: scenario.model.strategy !== "hosted-api" && scenario.model.quantization ? scenario.model.quantization : "bf16",
    },
    adjustments,
    warnings: workloadWarnings,
  };
  const states = reused ? reused.states : slugs.map((slug) => {
    const useCase = useCases.find((u) => u.slug === slug) as UseCase;
    const modality = useCase.requestProfile.modality;
    const merged = mergeProfile(useCase, scenario);
    // Text: tokens scale directly (the estimator sees the scaled prompt); other modalities: the demand
    // counts scaled units and serving capacity is divided by the factor (same work per unit).
    const costProfile = modality === "text" ? scaleProfile(merged.profile, modality, unitsFactor) : merged.profile;
    const demandProfile = scaleProfile(merged.profile, modality, unitsFactor);
    const months = projectDemand({ traffic, peakToAverage, share, modality, profile: demandProfile });
    const spec: WorkloadSpec = { useCase, profile: costProfile, unitsFactor: modality === "text" ? 1 : unitsFactor, months, floor: floorOf(useCase) };
    return buildWorkload(spec, merged.sources, ctx);
  });

  // Tokens per request of the product's requests (text use cases), for per-token pricing.
  const tokensPerRequest = states.reduce((s, st) => s + (st.spec.useCase.requestProfile.modality === "text" ? share * ((st.spec.profile.inputTokens ?? 0) + (st.spec.profile.outputTokens ?? 0)) : 0), 0);
  const inputs: MonthInputs[] = funnelMonths.map((f, i) => {
    const d = states.map((s) => s.spec.months[i]);
    const sum = (pick: (x: (typeof d)[number]) => number) => d.reduce((a, x) => a + pick(x), 0);
    return {
      demand: {
        users: f.users,
        requests: sum((x) => x.requests),
        averageRequestsPerSec: sum((x) => x.averageRequestsPerSec),
        peakRequestsPerSec: sum((x) => x.peakRequestsPerSec),
        inputTokens: sum((x) => x.inputTokens),
        outputTokens: sum((x) => x.outputTokens),
        units: sum((x) => x.units),
      },
      funnel: f,
      paidRequests: scenarioTraffic.months[i].paidRequests,
      paidTokens: scenarioTraffic.months[i].paidRequests * tokensPerRequest,
      productRequests: scenarioTraffic.months[i].paidRequests + scenarioTraffic.months[i].freeRequests,
      lineRequests: scenarioTraffic.months[i].lineRequests,
      otherRevenueUsd: lines.lines.reduce((s, l) => s + l.revenueUsd[i], 0),
      otherRecurringRevenueUsd: lines.lines.reduce((s, l) => s + (l.recurring ? l.revenueUsd[i] : 0), 0),
      deliveryCostUsd: lines.lines.reduce((s, l) => s + l.deliveryCostUsd[i], 0),
      computeCostUsd: states.reduce((a, s) => a + s.chosenMonths[i].computeCostUsd, 0),
      peopleCostUsd: states.reduce((a, s) => a + s.chosenMonths[i].peopleCostUsd, 0),
      oneOffCostUsd: states.reduce((a, s) => a + s.chosenOneOff.filter((o) => o.month === i + 1).reduce((x, o) => x + o.usd, 0), 0),
      cheapestRunningCostUsd: states.reduce((a, s) => a + (s.builds.get(s.workload.cheapestByMonth[i])?.option.series.runningCostUsd[i] ?? 0), 0),
    };
  });
  warnings.push(...workloadWarnings);
  const pricing = scenario.pricing!;
  const built = buildMonths(inputs, pricing, funnel, scenario.funding.cashUsd, scenario.funding.monthlyNonComputeBurnUsd, settings.targetGrossMarginPct);
  const months = built.months;
  const options = publishedOptions(states);
  const priceUnit = productRevenue(pricing, funnelMonths[0], 0, 0).unit;
  const results = computeResults(scenario, settings, states, months, { unit: priceUnit, horizon: built.priceVolumes[horizon - 1] });
  const streams = revenueStreams(scenario, months, lines.lines, scenarioTraffic.months.map((t) => t.paidRequests + t.freeRequests), lines.lines.map((l) => l.requests));
  const assumptions = collectAssumptions({ scenario, settings, states, peakToAverage, adjustments, quantization: ctx.own.quantization as Quantization, funnel, extra: lines.assumptions });
  return { scenario, settings, adjustments, peakToAverage, funnel, states, months, options, revenueStreams: streams, results, assumptions, warnings, priceRows, workloadKey, workloadWarnings, catalog };
}
