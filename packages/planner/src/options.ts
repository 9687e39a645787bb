import { hostedCostPerRequestUsd, replicasForPeak } from "@modelplan/estimator";
import type { AcceleratorPrice, HostedModelPrice, MeasuredHardware, ModelInfo, ModelRef, PlannerCatalog, ServingCapacity, ServingQuery, TrainingCost } from "./catalog";
import { BILLING_RULES } from "./defaults";
import { HOURS_PER_MONTH } from "./demand";
import { fmtNum, fmtPrice, fmtTokens, fmtUsd } from "./format";
import { assessQuality } from "./quality";
import type {
  CapacityPricing, DeploymentOption, MonthDemand, OneOffBreakdown, OptionKind, OptionMeasurement, OptionMonth, OptionQuality, OptionSeries, QualityFloor,
  Quantization, RequestProfileFields, TrainingMethod, UseCase,
} from "./types";

/** Settings shared by the costing of every option in one plan run. */
export interface CostingContext {
  catalog: PlannerCatalog;
  targetPeakUtilisation: number;
  minReplicas: number;
  gpuPriceFactor: number;
  hostedPriceFactor: number;
  cacheHitRate: number;
  batchFactor: number;
  preferredProvider: string | null;
  reservedFromMonth: number | null;
  /** Loaded cost of one engineer-month, USD (salary × employer-cost multiplier / 12). */
  engineerMonthUsd: number;
  /** Engineer-months per month a self-hosted deployment needs. */
  selfHostEngineerMonthsPerMonth: number;
  /** Engineer-months to prepare fine-tuning data and to evaluate the result (once each). */
  fineTuneDataPrepEngineerMonths: number;
  fineTuneEvaluationEngineerMonths: number;
}

/** A workload as the option builder sees it: one use case's share of traffic and its request profile. */
export interface WorkloadSpec {
  useCase: UseCase;
  profile: RequestProfileFields;
  /** Multiplier on the work per request (sensitivity); tokens are already scaled in `profile`. */
  unitsFactor: number;
  months: MonthDemand[];
  /** The use case's quality floor (null: none). */
  floor: QualityFloor | null;
}

const capacityCache = new WeakMap<PlannerCatalog, Map<string, ServingCapacity | null>>();

/** Serving capacity with a per-catalog memo (the same query recurs across sensitivity re-runs). */
export function cachedServingCapacity(catalog: PlannerCatalog, query: ServingQuery): ServingCapacity | null {
  let memo = capacityCache.get(catalog);
  if (!memo) {
    memo = new Map();
    capacityCache.set(catalog, memo);
  }
  const key = JSON.stringify(query);
  if (!memo.has(key)) memo.set(key, catalog.servingCapacity(query));
  return memo.get(key) ?? null;
}

/** Provider rows of one accelerator, the preferred provider first, then by on-demand price. */
export function pricesFor(rows: AcceleratorPrice[], acceleratorId: string, preferredProvider: string | null): AcceleratorPrice[] {
  return rows
    .filter((p) => p.acceleratorId === acceleratorId)
    .sort((a, b) => {
      const pa = preferredProvider && a.provider === preferredProvider ? 0 : 1;
      const pb = preferredProvider && b.provider === preferredProvider ? 0 : 1;
      return pa - pb || a.onDemandUsdPerGpuHour - b.onDemandUsdPerGpuHour;
    });
}

export function acceleratorIds(rows: AcceleratorPrice[]): string[] {
  return [...new Set(rows.map((p) => p.acceleratorId))];
}

/** Hosted models can serve text workloads whose prompt plus reply fit their context window. */
export function hostedCanServe(model: HostedModelPrice, workload: WorkloadSpec): boolean {
  if (workload.useCase.requestProfile.modality !== "text") return false;
  const tokens = (workload.profile.inputTokens ?? 0) + (workload.profile.outputTokens ?? 0);
  return model.contextTokens === null || tokens <= model.contextTokens;
}

/**
 * Open models suited to a use case: the catalog entry's suggested presets (curated per use case: the
 * presets that can do its task) that have open weights and serve its modality. A family-and-size match
 * alone is not enough (a ResNet classifier does not restore photos), so nothing else is added.
 */
export function suitableModels(catalog: PlannerCatalog, useCase: UseCase): ModelInfo[] {
  const modality = useCase.requestProfile.modality;
  return catalog.models
    .filter((m) => m.openWeights && m.modality === modality && useCase.suggestedPresets.includes(m.id))
    .sort((a, b) => a.parameters - b.parameters || a.id.localeCompare(b.id));
}

// ───────────────────────────── costing one month ─────────────────────────────

/**
 * Hosted API bill: input tokens × input price + output tokens × output price (per million tokens); the
 * share of input tokens a prompt cache serves at the cache-read price where the model lists one.
 */
export function hostedMonthCostUsd(d: MonthDemand, model: HostedModelPrice, ctx: Pick<CostingContext, "hostedPriceFactor" | "cacheHitRate">, cachedInputShare = 0): number {
  const served = 1 - ctx.cacheHitRate;
  // the month's tokens priced by the estimator's per-request rule, as one request
  const input = d.inputTokens * served;
  return hostedCostPerRequestUsd(model, input, d.outputTokens * served, input * cachedInputShare) * ctx.hostedPriceFactor;
}

/** Share of a text workload's input tokens a prompt cache serves (scenario usage.requestProfile.cachedInputTokens). */
export function cachedInputShare(profile: RequestProfileFields): number {
  const input = profile.inputTokens ?? 0;
  return input > 0 ? Math.min(1, (profile.cachedInputTokens ?? 0) / input) : 0;
}

/**
 * Self-hosted fleet for one month, provisioned for the peak with the estimator's one replica-sizing rule:
 * replicas = max(minReplicas, ⌈peak rps / (capacity per replica × target peak utilisation)⌉), billed for
 * every hour of the month. Utilisation = average rps / (replicas × capacity); the rest pays for idle capacity.
 */
export function selfHostMonth(
  d: MonthDemand,
  capacityRps: number,
  gpusPerReplica: number,
  usdPerGpuHour: number,
  ctx: Pick<CostingContext, "targetPeakUtilisation" | "minReplicas" | "cacheHitRate">,
): { replicas: number; gpus: number; computeCostUsd: number; capacityCostUsd: number; utilisation: number; idleCostUsd: number } {
  const served = 1 - ctx.cacheHitRate;
  const peakRps = d.peakRequestsPerSec * served;
  const replicas = replicasForPeak(peakRps, capacityRps, ctx.targetPeakUtilisation, ctx.minReplicas);
  const gpus = replicas * gpusPerReplica;
  const computeCostUsd = gpus * HOURS_PER_MONTH * usdPerGpuHour;
  const utilisation = replicas > 0 ? Math.min(1, (d.averageRequestsPerSec * served) / (replicas * capacityRps)) : 0;
  // Capacity cost: the same fleet with fractional replicas (the sizing rule before rounding up, at least
  // minReplicas), a smooth function of demand that options are compared on, so rounding to whole
  // replicas does not flip the cheapest.
  const fractional = capacityRps > 0 ? peakRps / (capacityRps * ctx.targetPeakUtilisation) : replicas;
  const capacityCostUsd = Math.max(ctx.minReplicas, fractional) * gpusPerReplica * HOURS_PER_MONTH * usdPerGpuHour;
  return { replicas, gpus, computeCostUsd, capacityCostUsd, utilisation, idleCostUsd: computeCostUsd * (1 - utilisation) };
}

/** Column arrays of an option's months (compact in the stored plan). */
export function toSeries(months: OptionMonth[], selfHosted: boolean): OptionSeries {
  return {
    computeCostUsd: months.map((m) => m.computeCostUsd),
    peopleCostUsd: months.map((m) => m.peopleCostUsd),
    runningCostUsd: months.map((m) => m.computeCostUsd + m.peopleCostUsd),
    capacityCostUsd: months.map((m) => m.capacityCostUsd),
    costPerRequestUsd: months.map((m) => m.costPerRequestUsd),
    replicas: selfHosted ? months.map((m) => m.replicas ?? 0) : null,
    gpus: selfHosted ? months.map((m) => m.gpus ?? 0) : null,
    utilisation: selfHosted ? months.map((m) => m.utilisation ?? 0) : null,
    idleCostUsd: selfHosted ? months.map((m) => m.idleCostUsd ?? 0) : null,
  };
}

function perRequest(cost: number, requests: number): number | null {
  return requests > 0 ? cost / requests : null;
}

// ───────────────────────────── building options ─────────────────────────────

export interface OptionBuild {
  option: DeploymentOption;
  /** The accelerator price row a self-hosted option is billed at (null for hosted APIs). */
  price: AcceleratorPrice | null;
  /** The measured machine a self-hosted option runs on (absent for catalog accelerators). */
  hardware?: MeasuredHardware;
  /** The estimator's serving capacity behind a self-hosted option (null for hosted APIs). */
  capacity: ServingCapacity | null;
  /** The estimator's training estimate behind a fine-tune / train-from-scratch option. */
  training: TrainingCost | null;
  /** Re-costs this option's months (used when a plan switches to it mid-horizon). */
  monthCost(d: MonthDemand, reservedFromMonth: number | null): OptionMonth;
}

export function hostedOption(workload: WorkloadSpec, model: HostedModelPrice, ctx: CostingContext): OptionBuild {
  const cachedShare = cachedInputShare(workload.profile);
  const monthCost = (d: MonthDemand): OptionMonth => {
    const computeCostUsd = hostedMonthCostUsd(d, model, ctx, cachedShare);
    return { month: d.month, computeCostUsd, peopleCostUsd: 0, capacityCostUsd: computeCostUsd, costPerRequestUsd: perRequest(computeCostUsd, d.requests), replicas: null, gpus: null, utilisation: null, idleCostUsd: null, pricing: "per-token" };
  };
  const months = workload.months.map(monthCost);
  const option: DeploymentOption = {
    id: `${workload.useCase.slug}/hosted:${model.id}`,
    label: `Hosted API: ${model.label} (${model.provider})`,
    kind: "hosted",
    workload: workload.useCase.slug,
    model: { id: model.id, label: model.label, parameters: null, quantization: null },
    accelerator: null,
    pricing: "per-token",
    priceSource: model.source,
    interruptible: false,
    capacityRequestsPerSecPerReplica: null,
    peopleCostUsdPerMonth: 0,
    oneOffCostUsd: 0,
    oneOffDetail: null,
    oneOffBreakdown: null,
    quality: assessQuality(ctx.catalog.quality, { kind: "hosted", id: model.id }, workload.floor),
    series: toSeries(months, false),
    totalCostUsd: months.reduce((s, m) => s + m.computeCostUsd, 0),
    notes: [
      `$${fmtPrice(model.inputUsdPerMillionTokens)} per 1M input tokens, $${fmtPrice(model.outputUsdPerMillionTokens)} per 1M output tokens`,
      ...(cachedShare > 0
        ? [
            model.cachedInputUsdPerMillionTokens === null
              ? `${Math.round(cachedShare * 100)}% of input tokens from the prompt cache, billed at the input price: no cache-read price listed`
              : `${Math.round(cachedShare * 100)}% of input tokens from the prompt cache at $${fmtPrice(model.cachedInputUsdPerMillionTokens)} per 1M (cache writes not counted)`,
          ]
        : []),
    ],
  };
  return { option, price: null, capacity: null, training: null, monthCost: (d) => monthCost(d) };
}

export interface SelfHostSpec {
  kind: OptionKind;
  model: ModelInfo;
  ref: ModelRef;
  quantization: Quantization;
  price: AcceleratorPrice;
  pricing: CapacityPricing;
  training: { cost: TrainingCost; method: TrainingMethod; tokens: number } | null;
  /** A measured machine: the option says where its capacity comes from. */
  measured?: { hardware: MeasuredHardware; measurement: OptionMeasurement };
}

/** Price per GPU-hour of a provider row in a pricing mode (null when not published). */
export function gpuHourPrice(price: AcceleratorPrice, pricing: CapacityPricing): number | null {
  // An owned machine's row carries its TCO per hour as its on-demand price.
  if (pricing === "on-demand" || pricing === "owned") return price.onDemandUsdPerGpuHour;
  if (pricing === "spot") return price.spotUsdPerGpuHour;
  return price.reservedUsdPerGpuHour;
}

/** What a self-hosted model is asked to serve on one accelerator: the query behind selfHostCapacity. */
export interface SelfHostServing {
  ref: ModelRef;
  quantization: Quantization;
  acceleratorId: string;
  gpusPerReplica?: number;
  accelerator?: MeasuredHardware["servingAccelerator"];
}

/** The serving query of a self-hosted model for the workload's profile, latency target and highest peak. */
export function selfHostServingQuery(workload: WorkloadSpec, spec: SelfHostServing, ctx: CostingContext): ServingQuery {
  return {
    ...(spec.accelerator ? { accelerator: spec.accelerator } : {}),
    model: spec.ref,
    modality: workload.useCase.requestProfile.modality,
    acceleratorId: spec.acceleratorId,
    gpusPerReplica: spec.gpusPerReplica,
    quantization: spec.quantization,
    profile: workload.profile,
    latencyTargetMs: workload.useCase.latencyTarget.p95Ms,
    batchFactor: ctx.batchFactor,
    peakRequestsPerSec: Math.max(0, ...workload.months.map((m) => m.peakRequestsPerSec * (1 - ctx.cacheHitRate))),
  };
}

export function selfHostCapacity(workload: WorkloadSpec, spec: SelfHostServing, ctx: CostingContext): ServingCapacity | null {
  const cap = cachedServingCapacity(ctx.catalog, selfHostServingQuery(workload, spec, ctx));
  if (!cap || !cap.fits || !(cap.requestsPerSecPerReplica.expected > 0)) return null;
  if (workload.unitsFactor === 1) return cap;
  // Non-text work per request scaled by the sensitivity factor: capacity in requests scales inversely.
  const f = 1 / workload.unitsFactor;
  const r = cap.requestsPerSecPerReplica;
  return { ...cap, requestsPerSecPerReplica: { low: r.low * f, expected: r.expected * f, high: r.high * f } };
}

export function selfHostOption(workload: WorkloadSpec, spec: SelfHostSpec, capacity: ServingCapacity, ctx: CostingContext): OptionBuild | null {
  const base = gpuHourPrice(spec.price, spec.pricing);
  if (base === null) return null;
  const reserved = spec.price.reservedUsdPerGpuHour;
  const peopleCostUsdPerMonth = ctx.selfHostEngineerMonthsPerMonth * ctx.engineerMonthUsd;
  const monthCost = (d: MonthDemand, reservedFromMonth: number | null): OptionMonth => {
    const useReserved = reservedFromMonth !== null && d.month >= reservedFromMonth && reserved !== null && spec.pricing === "on-demand";
    const usd = (useReserved ? (reserved as number) : base) * ctx.gpuPriceFactor;
    const f = selfHostMonth(d, capacity.requestsPerSecPerReplica.expected, capacity.gpusPerReplica, usd, ctx);
    return {
      month: d.month,
      computeCostUsd: f.computeCostUsd,
      peopleCostUsd: peopleCostUsdPerMonth,
      capacityCostUsd: f.capacityCostUsd + peopleCostUsdPerMonth,
      costPerRequestUsd: perRequest(f.computeCostUsd, d.requests),
      replicas: f.replicas,
      gpus: f.gpus,
      utilisation: f.utilisation,
      idleCostUsd: f.idleCostUsd,
      pricing: useReserved ? "reserved" : spec.pricing,
    };
  };
  const months = workload.months.map((d) => monthCost(d, null));
  const breakdown = spec.training ? trainingOneOff(spec.training, spec.price, ctx) : null;
  const oneOff = breakdown ? breakdown.gpuUsd + breakdown.dataPreparationUsd + breakdown.evaluationUsd : 0;
  const q = spec.quantization;
  const acc = spec.measured
    ? `${capacity.gpusPerReplica > 1 ? `${capacity.gpusPerReplica}× ` : ""}${spec.price.acceleratorLabel} (${spec.pricing === "owned" ? "owned: TCO" : `${spec.price.provider}, ${spec.pricing}`}; ${spec.measured.measurement.basis})`
    : `${capacity.gpusPerReplica}× ${spec.price.acceleratorLabel} (${spec.price.provider}, ${spec.pricing})`;
  const verb = spec.kind === "fine-tune" ? "Fine-tune" : spec.kind === "train-from-scratch" ? "Train" : "Self-host";
  const trainingLabel = spec.training ? ` (${spec.training.method}, ${fmtTokens(spec.training.tokens)} tokens) then serve` : "";
  const notes: string[] = [...capacity.notes];
  if (spec.pricing === "spot") notes.push("Spot capacity can be reclaimed at short notice: production traffic needs on-demand fallback, so spot is never counted as the cheapest option.");
  if (spec.pricing === "reserved") notes.push("Reserved price requires a term commitment; it is paid whether or not the capacity is used.");
  if (spec.pricing === "owned") notes.push("Owned hardware: each replica is one box paid at its TCO per hour, busy or idle; a fleet of more replicas than the boxes you own means buying more of them.");
  const option: DeploymentOption = {
    id: `${workload.useCase.slug}/${spec.kind}:${spec.model.id}:${q}:${spec.price.acceleratorId}:${spec.price.provider}:${spec.pricing}${spec.training ? `:${spec.training.method}` : ""}`,
    label: `${verb} ${spec.model.label} ${q}${trainingLabel} on ${acc}`,
    kind: spec.kind,
    workload: workload.useCase.slug,
    model: { id: spec.model.id, label: spec.model.label, parameters: spec.model.parameters, quantization: q },
    accelerator: { id: spec.price.acceleratorId, label: spec.price.acceleratorLabel, provider: spec.price.provider, gpusPerReplica: capacity.gpusPerReplica },
    pricing: spec.pricing,
    priceSource: spec.price.source,
    interruptible: spec.pricing === "spot",
    capacityRequestsPerSecPerReplica: capacity.requestsPerSecPerReplica,
    peopleCostUsdPerMonth,
    oneOffCostUsd: oneOff,
    oneOffDetail: spec.training && breakdown
      ? `${spec.training.method} on ${fmtTokens(spec.training.tokens)} tokens: ${fmtNum(breakdown.gpuHours)} GPU-hours on ${spec.training.cost.gpus} GPU(s) (estimator), billed ${fmtNum(breakdown.billedGpuHours)} GPU-hours = ${fmtUsd(breakdown.gpuUsd)}; data preparation ${fmtUsd(breakdown.dataPreparationUsd)}; evaluation ${fmtUsd(breakdown.evaluationUsd)}`
      : null,
    oneOffBreakdown: breakdown,
    quality: qualityOfOwn(spec.model, workload, ctx),
    series: toSeries(months, true),
    totalCostUsd: months.reduce((s, m) => s + m.computeCostUsd + m.peopleCostUsd, 0) + oneOff,
    notes,
    ...(spec.measured ? { measured: spec.measured.measurement } : {}),
  };
  return { option, price: spec.price, ...(spec.measured ? { hardware: spec.measured.hardware } : {}), capacity, training: spec.training?.cost ?? null, monthCost };
}

/** Quality of a self-hosted model: presets are in the quality catalog; other models have no score. */
function qualityOfOwn(model: ModelInfo, workload: WorkloadSpec, ctx: CostingContext): OptionQuality {
  const isPreset = ctx.catalog.models.some((m) => m.id === model.id);
  return assessQuality(ctx.catalog.quality, { kind: isPreset ? "preset" : "other", id: model.id }, workload.floor);
}

/**
 * One-off cost of a training run: the estimator's GPU cost scaled to the GPU-hours the provider bills
 * (whole instances, each for at least its minimum billed time), plus data preparation and evaluation effort.
 */
export function trainingOneOff(
  training: { cost: TrainingCost; method: TrainingMethod; tokens: number },
  price: AcceleratorPrice,
  ctx: Pick<CostingContext, "gpuPriceFactor" | "engineerMonthUsd" | "fineTuneDataPrepEngineerMonths" | "fineTuneEvaluationEngineerMonths">,
): OneOffBreakdown {
  const gpuHours = training.cost.gpuHours.expected;
  const gpus = Math.max(1, training.cost.gpus);
  const perInstance = price.gpusPerInstance ?? 1;
  const billedGpus = Math.ceil(gpus / perInstance) * perInstance;
  const rule = BILLING_RULES[price.provider];
  const wallSeconds = (gpuHours / gpus) * 3600;
  const billedSeconds = rule ? Math.max(rule.minimumSeconds, Math.ceil(wallSeconds / rule.incrementSeconds) * rule.incrementSeconds) : wallSeconds;
  const billedGpuHours = billedGpus * (billedSeconds / 3600);
  const gpuUsd = gpuHours > 0 ? training.cost.costUsd.expected * ctx.gpuPriceFactor * (billedGpuHours / gpuHours) : 0;
  const parts = [
    perInstance > 1 ? `rented as whole ${perInstance}-GPU instances (${price.provider} price catalog)` : "rented per GPU",
    rule ? `each billed at least ${rule.minimumSeconds} s (${rule.source})` : `${price.provider} publishes no minimum billed time in the sources used here; billed for the exact time`,
  ];
  return {
    gpuUsd,
    gpuHours,
    billedGpuHours,
    billingRule: parts.join("; "),
    dataPreparationUsd: ctx.fineTuneDataPrepEngineerMonths * ctx.engineerMonthUsd,
    evaluationUsd: ctx.fineTuneEvaluationEngineerMonths * ctx.engineerMonthUsd,
  };
}

const trainingCache = new WeakMap<PlannerCatalog, Map<string, TrainingCost | null>>();

/** Training cost with a per-catalog memo. */
export function cachedTrainingCost(catalog: PlannerCatalog, query: Parameters<PlannerCatalog["trainingCost"]>[0]): TrainingCost | null {
  let memo = trainingCache.get(catalog);
  if (!memo) {
    memo = new Map();
    trainingCache.set(catalog, memo);
  }
  const key = JSON.stringify(query);
  if (!memo.has(key)) memo.set(key, catalog.trainingCost(query));
  return memo.get(key) ?? null;
}
