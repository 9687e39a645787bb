import { REPLICA_SIZING_SOURCE, REPLICA_TARGET_UTILISATION } from "@modelplan/estimator";
import type { AcceleratorPrice, ModelInfo, ModelRef, PlannerCatalog } from "./catalog";
import { DAYS_PER_MONTH, HOURS_PER_MONTH, projectDemand, unitsPerRequest } from "./demand";
import { PlannerInputError } from "./errors";
import { genericScorer } from "./generic-model";
import {
  acceleratorIds, cachedTrainingCost, fmtTokens, hostedCanServe, hostedOption, pricesFor, selfHostCapacity,
  selfHostOption, suitableModels, type CostingContext, type OptionBuild, type WorkloadSpec,
} from "./options";
import type {
  Assumption, BusinessModel, CapacityPricing, Crossover, DeploymentOption, HeadlineOption, Modality, MonthDemand,
  OptionMonth, PlanAdjustments, PlanMonth, PlanResults, Quantization, RequestProfileFields, RevenueStream, Scenario,
  TrainingMethod, UseCase, Workload,
} from "./types";

/** Resolved planner settings (options with defaults applied). */
export interface Settings {
  targetGrossMarginPct: number;
  sensitivityPct: number;
  targetPeakUtilisation: number;
  minReplicas: number;
  defaultFineTuneTokens: number;
  cacheHitRate: number;
  reservedDiscountPct: number | null;
}

export const DEFAULT_SETTINGS: Settings = {
  targetGrossMarginPct: 60,
  sensitivityPct: 25,
  targetPeakUtilisation: REPLICA_TARGET_UTILISATION,
  minReplicas: 1,
  defaultFineTuneTokens: 10_000_000,
  cacheHitRate: 0.2,
  reservedDiscountPct: null,
};

/** Default peak-to-average factor of the scenario contract (also the estimator's default). */
export const DEFAULT_PEAK_TO_AVERAGE = 3;

/** Compute-optimal pre-training tokens per parameter (Hoffmann et al. 2022, "Chinchilla": ~20 tokens per parameter). */
export const CHINCHILLA_TOKENS_PER_PARAMETER = 20;

const PROFILE_FIELDS: Record<Modality, (keyof RequestProfileFields)[]> = {
  text: ["inputTokens", "outputTokens"],
  image: ["imageWidth", "imageHeight", "imagesPerRequest"],
  audio: ["audioSeconds"],
  recommendation: ["candidatesScored"],
  tabular: ["featuresPerRequest"],
};

/** Fields of the modality that scale with the work per request (sensitivity on "tokens per request"). */
const SCALED_FIELDS: Record<Modality, (keyof RequestProfileFields)[]> = {
  text: ["inputTokens", "outputTokens"],
  image: ["imagesPerRequest"],
  audio: ["audioSeconds"],
  recommendation: ["candidatesScored"],
  tabular: ["featuresPerRequest"],
};

interface WorkloadState {
  spec: WorkloadSpec;
  builds: Map<string, OptionBuild>;
  chosen: OptionBuild;
  chosenReason: string;
  chosenMonths: OptionMonth[];
  chosenOneOff: { month: number; usd: number; detail: string }[];
  workload: Workload;
  profileSources: Record<string, string>;
}

export interface Projection {
  scenario: Scenario;
  settings: Settings;
  adjustments: PlanAdjustments;
  peakToAverage: number;
  states: WorkloadState[];
  months: PlanMonth[];
  options: DeploymentOption[];
  revenueStreams: RevenueStream[];
  results: PlanResults;
  assumptions: Assumption[];
  warnings: string[];
  priceRows: AcceleratorPrice[];
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

/**
 * The month-by-month projection of a scenario: demand, every deployment option's cost, the chosen
 * deployment, revenue, margins, cash and the headline results. Pure; sensitivity and recommendations
 * re-run it with changed inputs.
 */
export function runProjection(
  scenario: Scenario,
  useCases: UseCase[],
  catalog: PlannerCatalog,
  settings: Settings,
  adjustments: PlanAdjustments = {},
): Projection {
  const warnings: string[] = [];
  const horizon = scenario.audience.horizonMonths;
  const peakToAverage = scenario.usage.peakToAverage ?? DEFAULT_PEAK_TO_AVERAGE;
  const slugs = [...new Set(scenario.useCases)];
  const share = 1 / slugs.length;
  const unitsFactor = adjustments.unitsPerRequestFactor ?? 1;
  const priceRows = effectivePriceRows(catalog, settings);
  const ctx: CostingContext = {
    catalog,
    targetPeakUtilisation: settings.targetPeakUtilisation,
    minReplicas: settings.minReplicas,
    gpuPriceFactor: adjustments.gpuPriceFactor ?? 1,
    hostedPriceFactor: adjustments.hostedPriceFactor ?? 1,
    cacheHitRate: adjustments.cacheHitRate ?? 0,
    batchFactor: adjustments.servingBatchFactor ?? 1,
    preferredProvider: scenario.hardware?.provider ?? null,
    reservedFromMonth: adjustments.reservedFromMonth ?? null,
  };
  const ownRef = modelRefOf(scenario);
  const ownInfo = ownRef ? catalog.describeModel(ownRef) : null;
  const quantization: Quantization = scenario.model.strategy !== "hosted-api" && scenario.model.quantization ? scenario.model.quantization : "bf16";

  const states: WorkloadState[] = slugs.map((slug) => {
    const useCase = useCases.find((u) => u.slug === slug) as UseCase;
    const modality = useCase.requestProfile.modality;
    const merged = mergeProfile(useCase, scenario);
    // Text: tokens scale directly (the estimator sees the scaled prompt); other modalities: the demand
    // counts scaled units and serving capacity is divided by the factor (same work per unit).
    const costProfile = modality === "text" ? scaleProfile(merged.profile, modality, unitsFactor) : merged.profile;
    const demandProfile = scaleProfile(merged.profile, modality, unitsFactor);
    const months = projectDemand({
      usersAtLaunch: scenario.audience.usersAtLaunch,
      monthlyGrowthPct: scenario.audience.monthlyGrowthPct,
      horizonMonths: horizon,
      requestsPerUserPerDay: scenario.usage.requestsPerUserPerDay,
      peakToAverage,
      share,
      modality,
      profile: demandProfile,
    });
    const spec: WorkloadSpec = { useCase, profile: costProfile, unitsFactor: modality === "text" ? 1 : unitsFactor, months };
    return buildWorkload(scenario, spec, merged.sources, catalog, ctx, settings, priceRows, { ownRef, ownInfo, quantization }, adjustments, warnings);
  });

  // ── aggregate months ──
  const pricing = scenario.pricing!;
  const burn = scenario.funding.monthlyNonComputeBurnUsd;
  const t = settings.targetGrossMarginPct / 100;
  let cash = scenario.funding.cashUsd;
  const months: PlanMonth[] = [];
  for (let i = 0; i < horizon; i++) {
    const d = states.map((s) => s.spec.months[i]);
    const sum = (f: (x: MonthDemand) => number) => d.reduce((acc, x) => acc + f(x), 0);
    const users = d[0].users;
    const requests = sum((x) => x.requests);
    const computeCostUsd = states.reduce((acc, s) => acc + s.chosenMonths[i].computeCostUsd, 0);
    const oneOffCostUsd = states.reduce((acc, s) => acc + s.chosenOneOff.filter((o) => o.month === i + 1).reduce((a, o) => a + o.usd, 0), 0);
    const cheapestComputeCostUsd = states.reduce((acc, s) => {
      const best = s.builds.get(s.workload.cheapestByMonth[i]);
      return acc + (best ? best.option.series.computeCostUsd[i] : 0);
    }, 0);
    const volume = pricing.model === "perSeatMonthly" ? users : requests;
    const revenueUsd = volume * pricing.priceUsd;
    const grossMarginUsd = revenueUsd - computeCostUsd;
    const netCashFlowUsd = revenueUsd - computeCostUsd - oneOffCostUsd - burn;
    cash += netCashFlowUsd;
    months.push({
      month: i + 1,
      users,
      requests,
      averageRequestsPerSec: sum((x) => x.averageRequestsPerSec),
      peakRequestsPerSec: sum((x) => x.peakRequestsPerSec),
      inputTokens: sum((x) => x.inputTokens),
      outputTokens: sum((x) => x.outputTokens),
      units: sum((x) => x.units),
      computeCostUsd,
      oneOffCostUsd,
      costPerRequestUsd: requests > 0 ? computeCostUsd / requests : null,
      revenueUsd,
      grossMarginUsd,
      grossMarginPct: revenueUsd > 0 ? (grossMarginUsd / revenueUsd) * 100 : null,
      nonComputeBurnUsd: burn,
      netCashFlowUsd,
      cumulativeCashUsd: cash,
      cheapestComputeCostUsd,
      // price p with (p·volume − compute) / (p·volume) = target  ⇒  p = compute / ((1 − target) · volume)
      requiredPriceUsd: volume > 0 ? computeCostUsd / ((1 - t) * volume) : null,
    });
  }

  const revenueStreams = revenueModel(scenario, months);
  const results = computeResults(scenario, settings, states, months);
  const options = publishedOptions(states);
  const assumptions = collectAssumptions(scenario, settings, states, peakToAverage, adjustments, quantization);
  return { scenario, settings, adjustments, peakToAverage, states, months, options, revenueStreams, results, assumptions, warnings, priceRows };
}

// ───────────────────────────── one workload ─────────────────────────────

function buildWorkload(
  scenario: Scenario,
  spec: WorkloadSpec,
  profileSources: Record<string, string>,
  catalog: PlannerCatalog,
  ctx: CostingContext,
  settings: Settings,
  priceRows: AcceleratorPrice[],
  own: { ownRef: ModelRef | null; ownInfo: ModelInfo | null; quantization: Quantization },
  adjustments: PlanAdjustments,
  warnings: string[],
): WorkloadState {
  const useCase = spec.useCase;
  const modality = useCase.requestProfile.modality;
  const builds = new Map<string, OptionBuild>();
  const add = (b: OptionBuild | null) => {
    if (b) builds.set(b.option.id, b);
    return b;
  };

  // Hosted APIs (text workloads).
  for (const h of catalog.hostedModels) if (hostedCanServe(h, spec)) add(hostedOption(spec, h, ctx));

  // Open models to self-host.
  let models = suitableModels(catalog, useCase).map((m) => ({ info: m, ref: { preset: m.id } as ModelRef, own: false }));
  if (models.length === 0) {
    const generic = genericScorer(useCase);
    const info = generic ? catalog.describeModel(generic.ref) : null;
    if (generic && info) {
      models.push({ info: { ...info, id: `generic-${useCase.slug}`, modality, label: generic.label }, ref: generic.ref, own: false });
      warnings.push(`${useCase.slug}: no preset in the estimator's catalog fits this ${modality} use case; self-hosting is costed with a generic ${generic.explanation}.`);
    }
  }
  if (models.length === 0) warnings.push(`${useCase.slug}: the estimator's preset catalog has no open ${modality} model for this use case, so self-hosting is costed only for the scenario's own model (give model.preset, parameters or architecture).`);
  const ownMatches = own.ownRef !== null && own.ownInfo !== null && own.ownInfo.modality === modality;
  if (ownMatches) {
    const ownId = own.ownInfo!.id;
    models = models.filter((m) => m.info.id !== ownId);
    models.unshift({ info: own.ownInfo!, ref: own.ownRef!, own: true });
  }

  const bestOnDemand = new Map<string, OptionBuild>(); // model id → cheapest on-demand build
  for (const m of models) {
    for (const acc of acceleratorIds(priceRows)) {
      const rows = pricesFor(priceRows, acc, ctx.preferredProvider);
      const gpusPerReplica = m.own ? scenario.hardware?.gpusPerReplica : undefined;
      const capacity = selfHostCapacity(spec, { ref: m.ref, quantization: own.quantization, acceleratorId: acc, gpusPerReplica }, ctx);
      if (!capacity) continue;
      const mk = (price: AcceleratorPrice, pricing: CapacityPricing) =>
        add(selfHostOption(spec, { kind: "self-host", model: m.info, ref: m.ref, quantization: own.quantization, price, pricing, training: null }, capacity, ctx));
      const od = mk(rows[0], "on-demand");
      const spot = rows.filter((r) => r.spotUsdPerGpuHour !== null).sort((a, b) => (a.spotUsdPerGpuHour as number) - (b.spotUsdPerGpuHour as number))[0];
      if (spot) mk(spot, "spot");
      const reserved = rows.filter((r) => r.reservedUsdPerGpuHour !== null).sort((a, b) => (a.reservedUsdPerGpuHour as number) - (b.reservedUsdPerGpuHour as number))[0];
      if (reserved) mk(reserved, "reserved");
      if (od) {
        const prev = bestOnDemand.get(m.info.id);
        if (!prev || od.option.totalCostUsd < prev.option.totalCostUsd) bestOnDemand.set(m.info.id, od);
      }
    }
  }

  // Fine-tuning: a one-off training cost, then the model's cheapest on-demand serving.
  const strategy = scenario.model.strategy;
  const ftMethod: TrainingMethod = strategy === "fine-tune" && scenario.model.trainingMethod ? scenario.model.trainingMethod : "lora";
  const ftTokens = strategy === "fine-tune" && scenario.model.trainingTokens ? scenario.model.trainingTokens : settings.defaultFineTuneTokens;
  if (modality === "text") {
    for (const m of models) {
      if (!("preset" in m.ref)) continue;
      const serve = bestOnDemand.get(m.info.id);
      if (!serve) continue;
      add(fineTuneBuild(spec, m, serve, "fine-tune", ftMethod, ftTokens, ctx));
    }
  }

  // The scenario's chosen deployment for this workload.
  let chosen: OptionBuild | undefined;
  let chosenReason = "";
  if (strategy === "hosted-api" && modality === "text") {
    chosen = builds.get(`${useCase.slug}/hosted:${scenario.model.hostedModel}`);
    chosenReason = `the scenario's hosted model ${scenario.model.hostedModel}`;
    if (!chosen) {
      throw new PlannerInputError(["model", "hostedModel"], `Hosted model '${scenario.model.hostedModel}' cannot serve '${useCase.slug}': its context window is smaller than the request (${(spec.profile.inputTokens ?? 0) + (spec.profile.outputTokens ?? 0)} tokens).`);
    }
  } else if (strategy !== "hosted-api" && ownMatches) {
    const ownModel = models.find((m) => m.own)!;
    const wanted = scenario.hardware?.accelerator ?? null;
    let serve: OptionBuild | undefined;
    if (wanted) {
      serve = [...builds.values()].find((b) => b.option.kind === "self-host" && b.option.model.id === ownModel.info.id && b.option.accelerator?.id === wanted && b.option.pricing === "on-demand");
      if (!serve) {
        throw new PlannerInputError(
          scenario.hardware?.gpusPerReplica ? ["hardware", "gpusPerReplica"] : ["hardware", "accelerator"],
          `${ownModel.info.label} cannot be served on ${wanted}${scenario.hardware?.gpusPerReplica ? ` with ${scenario.hardware.gpusPerReplica} GPU(s) per replica` : ""} at the '${useCase.slug}' latency target (it does not fit or no batch meets the target): choose a larger accelerator or more GPUs per replica.`,
        );
      }
    } else {
      serve = bestOnDemand.get(ownModel.info.id);
      if (!serve) throw new PlannerInputError(["model"], `No accelerator in the price catalog can serve ${ownModel.info.label} for '${useCase.slug}' (the model does not fit or no batch meets the latency target).`);
    }
    if (strategy === "self-host") {
      chosen = serve;
      chosenReason = `the scenario's own model ${ownModel.info.label} on ${serve.option.accelerator!.label}${wanted ? " (scenario hardware)" : " (cheapest accelerator for it over the horizon)"}`;
    } else {
      const method: TrainingMethod = strategy === "train-from-scratch" ? "pre-train" : ftMethod;
      const tokens = strategy === "train-from-scratch"
        ? scenario.model.trainingTokens ?? CHINCHILLA_TOKENS_PER_PARAMETER * ownModel.info.parameters
        : ftTokens;
      const b = fineTuneBuild(spec, ownModel, serve, strategy, method, tokens, ctx);
      if (!b) throw new PlannerInputError(["model", "trainingTokens"], `The estimator cannot estimate ${method} of ${ownModel.info.label} on ${serve.option.accelerator!.label}; the plan needs a training cost for a ${strategy} strategy.`);
      add(b);
      chosen = b;
      chosenReason = `the scenario's ${strategy} of ${ownModel.info.label} (${method}, ${fmtTokens(tokens)} tokens), served on ${serve.option.accelerator!.label}`;
    }
  }
  const eligible = [...builds.values()].filter((b) => !b.option.interruptible);
  if (eligible.length === 0) {
    throw new PlannerInputError(["model"], `No deployment option can serve '${useCase.slug}': no hosted model in the catalog serves ${modality} requests and the preset catalog has no model for it. The plan needs a model to cost: give model.strategy "self-host" with model.architecture (or a preset) that serves this use case.`);
  }
  if (!chosen) {
    chosen = eligible.reduce((a, b) => (b.option.totalCostUsd < a.option.totalCostUsd ? b : a));
    chosenReason = `the cheapest option over the horizon, because the scenario's ${strategy === "hosted-api" ? `hosted model (text only)` : "model"} does not serve this ${modality} use case`;
  }

  // Chosen months (with a reserved-from month or a switch to another option).
  const sw = adjustments.switchToOptionFromMonth;
  const switchTarget = sw && builds.has(sw.optionId) ? builds.get(sw.optionId)! : null;
  const chosenMonths = spec.months.map((d) =>
    switchTarget && d.month >= sw!.month ? switchTarget.monthCost(d, ctx.reservedFromMonth) : chosen!.monthCost(d, ctx.reservedFromMonth),
  );
  const chosenOneOff: WorkloadState["chosenOneOff"] = [];
  if (!(switchTarget && sw!.month <= 1) && chosen.option.oneOffCostUsd > 0) chosenOneOff.push({ month: 1, usd: chosen.option.oneOffCostUsd, detail: chosen.option.oneOffDetail ?? "" });
  if (switchTarget && switchTarget.option.oneOffCostUsd > 0) chosenOneOff.push({ month: sw!.month, usd: switchTarget.option.oneOffCostUsd, detail: switchTarget.option.oneOffDetail ?? "" });

  // Cheapest option per month (running cost; spot excluded) and the months where it changes.
  // Ties (equal running cost, e.g. a fine-tuned model served like its base) go to the lower total cost.
  const ids = eligible
    .map((b) => b.option)
    .sort((a, b) => a.totalCostUsd - b.totalCostUsd || a.id.localeCompare(b.id))
    .map((o) => o.id);
  const cheapestByMonth = spec.months.map((_, i) =>
    ids.reduce((best, id) => (builds.get(id)!.option.series.computeCostUsd[i] < builds.get(best)!.option.series.computeCostUsd[i] ? id : best)),
  );
  const crossovers: Crossover[] = [];
  for (let i = 1; i < cheapestByMonth.length; i++) {
    if (cheapestByMonth[i] !== cheapestByMonth[i - 1]) {
      const from = builds.get(cheapestByMonth[i - 1])!.option;
      const to = builds.get(cheapestByMonth[i])!.option;
      crossovers.push({
        month: i + 1,
        from: from.id,
        to: to.id,
        reason: `at ${fmtNum(spec.months[i].requests)} requests/month ${to.label} costs $${fmtNum(to.series.computeCostUsd[i])} vs $${fmtNum(from.series.computeCostUsd[i])} for ${from.label}`,
      });
    }
  }
  const hostedIds = ids.filter((id) => builds.get(id)!.option.kind === "hosted");
  const selfIds = ids.filter((id) => builds.get(id)!.option.kind === "self-host");
  let buildVsBuyCrossoverMonth: number | null = null;
  if (hostedIds.length > 0 && selfIds.length > 0) {
    for (let i = 0; i < spec.months.length; i++) {
      const h = Math.min(...hostedIds.map((id) => builds.get(id)!.option.series.computeCostUsd[i]));
      const s = Math.min(...selfIds.map((id) => builds.get(id)!.option.series.computeCostUsd[i]));
      if (s < h) {
        buildVsBuyCrossoverMonth = i + 1;
        break;
      }
    }
  }

  const workload: Workload = {
    useCase: useCase.slug,
    title: useCase.title,
    modality,
    share: 1 / scenario.useCases.filter((v, i, a) => a.indexOf(v) === i).length,
    profile: spec.profile,
    latencyTargetMs: useCase.latencyTarget.p95Ms,
    months: spec.months,
    optionIds: [],
    chosenOptionId: switchTarget && sw!.month <= 1 ? switchTarget.option.id : chosen.option.id,
    chosenReason: switchTarget ? `${chosenReason}; from month ${sw!.month}: ${switchTarget.option.label}` : chosenReason,
    cheapestByMonth,
    crossovers,
    buildVsBuyCrossoverMonth,
  };
  return { spec, builds, chosen, chosenReason, chosenMonths, chosenOneOff, workload, profileSources };
}

function fineTuneBuild(
  spec: WorkloadSpec,
  m: { info: ModelInfo; ref: ModelRef },
  serve: OptionBuild,
  kind: "fine-tune" | "train-from-scratch",
  method: TrainingMethod,
  tokens: number,
  ctx: CostingContext,
): OptionBuild | null {
  const acc = serve.option.accelerator!;
  const cost = cachedTrainingCost(ctx.catalog, { model: m.ref, tokens, method, acceleratorId: acc.id });
  if (!cost) return null;
  const price = ctx.catalog.acceleratorPrices.find((p) => p.acceleratorId === acc.id && p.provider === acc.provider)!;
  const capacity = serve.capacity!;
  return selfHostOption(spec, { kind, model: m.info, ref: m.ref, quantization: serve.option.model.quantization ?? "bf16", price, pricing: "on-demand", training: { cost, method, tokens } }, capacity, ctx);
}

export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

// ───────────────────────────── revenue and results ─────────────────────────────

const STREAM_NAMES: Record<BusinessModel, string> = {
  "api-sdk": "API/SDK sales",
  "technical-services": "Technical services (customisation and integration contracts)",
  "data-monetisation": "Data monetisation (insight and data products)",
  subscription: "Subscriptions",
};

function revenueModel(scenario: Scenario, months: PlanMonth[]): RevenueStream[] {
  const pricing = scenario.pricing!;
  const bm: BusinessModel = scenario.businessModel ?? (pricing.model === "perSeatMonthly" ? "subscription" : "api-sdk");
  const basis = pricing.model === "perSeatMonthly"
    ? `active users × $${pricing.priceUsd} per seat-month`
    : `requests × $${pricing.priceUsd} per request`;
  return [{
    name: STREAM_NAMES[bm],
    businessModel: bm,
    basis: scenario.businessModel ? basis : `${basis} (no business model chosen: ${bm} assumed from the pricing model)`,
    months: months.map((m) => m.revenueUsd),
    totalUsd: months.reduce((s, m) => s + m.revenueUsd, 0),
  }];
}

function headline(states: WorkloadState[], monthIndex: number, requests: number): HeadlineOption {
  const picks = states.map((s) => s.builds.get(s.workload.cheapestByMonth[monthIndex])!.option);
  const cost = picks.reduce((a, o) => a + o.series.computeCostUsd[monthIndex], 0);
  return {
    optionId: picks.map((o) => o.id).join(" + "),
    label: picks.map((o) => (states.length > 1 ? `${o.workload}: ${o.label}` : o.label)).join(" + "),
    monthlyCostUsd: cost,
    costPerRequestUsd: requests > 0 ? cost / requests : null,
  };
}

function computeResults(scenario: Scenario, settings: Settings, states: WorkloadState[], months: PlanMonth[]): PlanResults {
  const horizon = months.length;
  const metricMonth = Math.min(12, horizon);
  const breakEven = months.find((m) => m.netCashFlowUsd >= 0);
  const runOut = months.find((m) => m.cumulativeCashUsd < 0);
  const pricing = scenario.pricing!;
  const unit = pricing.model === "perSeatMonthly" ? "USD per seat-month" : "USD per request";
  const req = (i: number) => months[i].requiredPriceUsd;
  const allReq = months.map((m) => m.requiredPriceUsd).filter((v): v is number => v !== null);
  const last = months[horizon - 1];
  const volumeH = pricing.model === "perSeatMonthly" ? last.users : last.requests;
  const crossovers = states.flatMap((s) => s.workload.crossovers);
  const bvb = states.map((s) => s.workload.buildVsBuyCrossoverMonth).filter((m): m is number => m !== null);
  const chosenIds = states.map((s) => s.workload.chosenOptionId);
  return {
    cheapestNow: headline(states, 0, months[0].requests),
    cheapestAtHorizon: headline(states, horizon - 1, last.requests),
    chosen: {
      optionIds: chosenIds,
      label: states.map((s) => (states.length > 1 ? `${s.spec.useCase.slug}: ` : "") + s.builds.get(s.workload.chosenOptionId)!.option.label).join(" + "),
    },
    crossovers,
    buildVsBuyCrossoverMonth: bvb.length > 0 ? Math.min(...bvb) : null,
    breakEvenMonth: breakEven ? breakEven.month : null,
    runOutMonth: runOut ? runOut.month : null,
    runwayMonths: runOut ? runOut.month - 1 : horizon,
    runwayBeyondHorizon: !runOut,
    metricMonth,
    grossMarginPctAtMetricMonth: months[metricMonth - 1].grossMarginPct,
    cumulativeCashAtHorizonUsd: last.cumulativeCashUsd,
    totalComputeCostUsd: months.reduce((s, m) => s + m.computeCostUsd + m.oneOffCostUsd, 0),
    totalRevenueUsd: months.reduce((s, m) => s + m.revenueUsd, 0),
    requiredPrice: {
      targetGrossMarginPct: settings.targetGrossMarginPct,
      unit,
      month1: req(0),
      metricMonth: req(metricMonth - 1),
      horizon: req(horizon - 1),
      everyMonth: allReq.length > 0 ? Math.max(...allReq) : null,
      current: pricing.priceUsd,
      // price at which the last month's net cash flow is zero: (compute + burn) / volume
      breakEvenAtHorizon: volumeH > 0 ? (last.computeCostUsd + last.nonComputeBurnUsd) / volumeH : null,
    },
  };
}

/**
 * Options stored in the plan: every hosted model, and for each self-hosted model and pricing mode its
 * cheapest accelerator, plus the chosen deployment and any option a month of the plan names.
 */
function publishedOptions(states: WorkloadState[]): DeploymentOption[] {
  const out: DeploymentOption[] = [];
  for (const s of states) {
    const keep = new Set<string>([s.workload.chosenOptionId, s.chosen.option.id, ...s.workload.cheapestByMonth]);
    const best = new Map<string, DeploymentOption>();
    for (const b of s.builds.values()) {
      const o = b.option;
      if (o.kind === "hosted") {
        keep.add(o.id);
        continue;
      }
      const key = `${o.kind}|${o.model.id}|${o.pricing}`;
      const prev = best.get(key);
      if (!prev || o.totalCostUsd < prev.totalCostUsd) best.set(key, o);
    }
    for (const o of best.values()) keep.add(o.id);
    const opts = [...keep].map((id) => s.builds.get(id)!.option).sort((a, b) => a.totalCostUsd - b.totalCostUsd);
    s.workload.optionIds = opts.map((o) => o.id);
    out.push(...opts);
  }
  return out;
}

// ───────────────────────────── assumptions ─────────────────────────────

function collectAssumptions(
  scenario: Scenario,
  settings: Settings,
  states: WorkloadState[],
  peakToAverage: number,
  adjustments: PlanAdjustments,
  quantization: Quantization,
): Assumption[] {
  const sc = `scenario '${scenario.name}' v${scenario.version}`;
  const a: Assumption[] = [
    { name: "usersAtLaunch", value: scenario.audience.usersAtLaunch, unit: "users", source: sc },
    { name: "monthlyGrowthPct", value: scenario.audience.monthlyGrowthPct, unit: "% per month, compound", source: sc },
    { name: "horizonMonths", value: scenario.audience.horizonMonths, unit: "months", source: sc },
    { name: "requestsPerUserPerDay", value: scenario.usage.requestsPerUserPerDay, unit: "requests per active user per day", source: sc },
    {
      name: "peakToAverage",
      value: peakToAverage,
      unit: "peak requests/s over the monthly average",
      source: scenario.usage.peakToAverage !== undefined ? sc : "planner default 3 (the scenario contract's default; the estimator's defaults.json uses the same): no published figure fits every product",
    },
    { name: "pricing", value: `${scenario.pricing!.model}: $${scenario.pricing!.priceUsd}`, unit: scenario.pricing!.model === "perSeatMonthly" ? "USD per seat-month" : "USD per request", source: sc },
    { name: "cashUsd", value: scenario.funding.cashUsd, unit: "USD at launch", source: sc },
    { name: "monthlyNonComputeBurnUsd", value: scenario.funding.monthlyNonComputeBurnUsd, unit: "USD per month (flat)", source: sc },
    { name: "modelStrategy", value: scenario.model.strategy === "hosted-api" ? `hosted-api: ${scenario.model.hostedModel}` : scenario.model.strategy, unit: "", source: sc },
    { name: "servingQuantization", value: quantization, unit: "weights", source: scenario.model.strategy !== "hosted-api" && scenario.model.quantization ? sc : "estimator default bf16: 16-bit weights, the release format of the open models in the preset catalog" },
    { name: "hoursPerMonth", value: HOURS_PER_MONTH, unit: "h", source: "8,760 hours per year / 12 (the convention of cloud monthly price pages; the estimator uses the same)" },
    { name: "daysPerMonth", value: DAYS_PER_MONTH, unit: "days", source: "730 h / 24, consistent with hoursPerMonth" },
    { name: "userGrowthFormula", value: "users(m) = usersAtLaunch × (1 + growth)^(m − 1)", unit: "", source: "compound monthly growth, month 1 = launch" },
    { name: "requestSplit", value: states.length === 1 ? "all requests" : `even split over ${states.length} use cases`, unit: "", source: "planner default: each request serves one use case; the scenario has no per-use-case traffic field" },
    { name: "targetGrossMarginPct", value: settings.targetGrossMarginPct, unit: "%", source: "plan options (planner default 60%: a target to solve the required price for, not a benchmark)" },
    { name: "targetPeakUtilisation", value: settings.targetPeakUtilisation, unit: "fraction of a replica's capacity used at the modelled peak", source: settings.targetPeakUtilisation === REPLICA_TARGET_UTILISATION ? `the estimator's replica-sizing rule (${REPLICA_SIZING_SOURCE}); the same rule sizes inference and scenario estimates` : "options.targetPeakUtilisation of this plan" },
    { name: "minReplicas", value: settings.minReplicas, unit: "replicas", source: "planner default 1: a self-hosted service keeps at least one replica running, billed every hour" },
    { name: "fleetSizing", value: "provisioned for the month's peak, billed all hours", unit: "", source: "planner: no autoscaling below the peak is assumed, so idle capacity is paid (reported per option)" },
    { name: "spotCapacity", value: "listed, never counted as cheapest", unit: "", source: "planner: spot capacity can be reclaimed; production serving needs on-demand fallback" },
    { name: "grossMarginDefinition", value: "(revenue − compute) / revenue; one-off training costs excluded", unit: "", source: "planner: training is a one-off investment, charged to cash flow in the month it happens" },
    { name: "breakEvenDefinition", value: "first month with net cash flow ≥ 0", unit: "", source: "planner" },
    { name: "runwayDefinition", value: "months before cumulative cash first falls below zero", unit: "", source: "planner" },
    { name: "reservedDiscountPct", value: settings.reservedDiscountPct, unit: "%", source: settings.reservedDiscountPct === null ? "not given: the price catalog publishes no reserved GPU prices, so reserved capacity is not costed" : "plan options (your provider's committed-use quote)" },
  ];
  if (adjustments.cacheHitRate) a.push({ name: "cacheHitRate", value: adjustments.cacheHitRate, unit: "share of requests", source: "recommendation variant" });
  for (const s of states) {
    const u = s.spec.useCase;
    for (const [field, value] of Object.entries(s.spec.profile)) {
      a.push({ name: `${u.slug}.${field}`, value: value as number, unit: field.includes("Tokens") ? "tokens per request" : field === "audioSeconds" ? "s per request" : field.startsWith("image") && field !== "imagesPerRequest" ? "px" : "per request", source: s.profileSources[field] ?? "use-case catalog" });
    }
    a.push({ name: `${u.slug}.latencyTargetP95Ms`, value: u.latencyTarget.p95Ms, unit: "ms", source: `use-case catalog '${u.slug}': ${u.latencyTarget.rationale}` });
    a.push({ name: `${u.slug}.unitsPerRequest`, value: unitsPerRequest(u.requestProfile.modality, s.spec.profile), unit: u.requestProfile.modality === "text" ? "(tokens counted separately)" : "modality units", source: "derived from the request profile" });
    const chosen = s.builds.get(s.workload.chosenOptionId)!.option;
    a.push({ name: `${u.slug}.chosenDeployment`, value: chosen.label, unit: "", source: s.workload.chosenReason });
    a.push({ name: `${u.slug}.chosenPrice`, value: chosen.kind === "hosted" ? (chosen.notes[0] ?? "") : `${chosen.accelerator!.label} ${chosen.pricing}`, unit: "", source: chosen.priceSource });
    if (chosen.capacityRequestsPerSecPerReplica) {
      a.push({ name: `${u.slug}.capacityRequestsPerSecPerReplica`, value: chosen.capacityRequestsPerSecPerReplica.expected, unit: "requests/s per replica at the latency target", source: `estimator serving estimate (band ${fmtNum(chosen.capacityRequestsPerSecPerReplica.low)}–${fmtNum(chosen.capacityRequestsPerSecPerReplica.high)})` });
      for (const x of s.builds.get(chosen.id)!.capacity?.assumptions ?? []) a.push({ ...x, name: `${u.slug}.serving.${x.name}` });
    }
    if (chosen.oneOffCostUsd > 0) {
      a.push({ name: `${u.slug}.oneOffTrainingCostUsd`, value: chosen.oneOffCostUsd, unit: "USD, month 1", source: `estimator training estimate: ${chosen.oneOffDetail}` });
      for (const x of s.builds.get(chosen.id)!.training?.assumptions ?? []) a.push({ ...x, name: `${u.slug}.training.${x.name}` });
    }
  }
  return a;
}
