// One use case's share of the scenario: every deployment option costed month by month, the scenario's
// chosen deployment, and the cheapest option that meets the use case's quality floor. Pure.
import type { AcceleratorPrice, ModelInfo, ModelRef, PlannerCatalog, ServingRefusalField } from "./catalog";
import { PlannerInputError } from "./errors";
import { fmtTokens } from "./format";
import { genericScorer } from "./generic-model";
import {
  acceleratorIds, cachedTrainingCost, hostedCanServe, hostedOption, pricesFor, selfHostCapacity, selfHostOption, selfHostServingQuery, suitableModels,
  type CostingContext, type OptionBuild, type WorkloadSpec,
} from "./options";
import { measuredHardwareOptions } from "./measured-options";
import { eligibleForQuality } from "./quality";
import { buildVsBuyMonth, selectCheapest } from "./selection";
import type { Settings } from "./settings";
import type { CapacityPricing, OptionMonth, PlanAdjustments, Quantization, Scenario, TrainingMethod, Workload } from "./types";

/** Compute-optimal pre-training tokens per parameter (Hoffmann et al. 2022, "Chinchilla": ~20 tokens per parameter). */
export const CHINCHILLA_TOKENS_PER_PARAMETER = 20;

/** Everything a workload is built from besides its own demand. */
export interface WorkloadContext {
  scenario: Scenario;
  catalog: PlannerCatalog;
  costing: CostingContext;
  settings: Settings;
  priceRows: AcceleratorPrice[];
  /** The scenario's own model (self-host / fine-tune / train strategies), when it names one. */
  own: { ref: ModelRef | null; info: ModelInfo | null; quantization: Quantization };
  adjustments: PlanAdjustments;
  /** Warnings are appended here. */
  warnings: string[];
}

export interface WorkloadState {
  spec: WorkloadSpec;
  builds: Map<string, OptionBuild>;
  chosen: OptionBuild;
  chosenReason: string;
  chosenMonths: OptionMonth[];
  chosenOneOff: { month: number; usd: number; detail: string }[];
  workload: Workload;
  profileSources: Record<string, string>;
  /** Options that may count as the cheapest (not spot; meet the floor, or every non-spot option when none does). */
  eligible: OptionBuild[];
  /** False when the use case has a floor and no option meets it. */
  floorMet: boolean;
}

interface CandidateModel {
  info: ModelInfo;
  ref: ModelRef;
  own: boolean;
}

/** Open models to self-host for the use case: its suggested presets, a generic scorer, and the scenario's own model. */
function candidateModels(spec: WorkloadSpec, ctx: WorkloadContext): CandidateModel[] {
  const useCase = spec.useCase;
  const modality = useCase.requestProfile.modality;
  let models: CandidateModel[] = suitableModels(ctx.catalog, useCase).map((m) => ({ info: m, ref: { preset: m.id }, own: false }));
  if (models.length === 0) {
    const generic = genericScorer(useCase);
    const info = generic ? ctx.catalog.describeModel(generic.ref) : null;
    if (generic && info) {
      models.push({ info: { ...info, id: `generic-${useCase.slug}`, modality, label: generic.label }, ref: generic.ref, own: false });
      ctx.warnings.push(`${useCase.slug}: no preset in the estimator's catalog fits this ${modality} use case; self-hosting is costed with a generic ${generic.explanation}.`);
    }
  }
  if (models.length === 0) ctx.warnings.push(`${useCase.slug}: the estimator's preset catalog has no open ${modality} model for this use case, so self-hosting is costed only for the scenario's own model (give model.preset, parameters or architecture).`);
  const { ref, info } = ctx.own;
  if (ref && info && info.modality === modality) {
    models = models.filter((m) => m.info.id !== info.id);
    models.unshift({ info, ref, own: true });
  }
  return models;
}

/** Costs every option of the workload; returns them and each model's cheapest on-demand serving. */
function costOptions(spec: WorkloadSpec, models: CandidateModel[], ctx: WorkloadContext) {
  const builds = new Map<string, OptionBuild>();
  const add = (b: OptionBuild | null) => {
    if (b) builds.set(b.option.id, b);
    return b;
  };
  for (const h of ctx.catalog.hostedModels) if (hostedCanServe(h, spec)) add(hostedOption(spec, h, ctx.costing));

  const bestOnDemand = new Map<string, OptionBuild>();
  for (const m of models) {
    for (const acc of acceleratorIds(ctx.priceRows)) {
      const rows = pricesFor(ctx.priceRows, acc, ctx.costing.preferredProvider);
      const gpusPerReplica = m.own ? ctx.scenario.hardware?.gpusPerReplica : undefined;
      const capacity = selfHostCapacity(spec, { ref: m.ref, quantization: ctx.own.quantization, acceleratorId: acc, gpusPerReplica }, ctx.costing);
      if (!capacity) continue;
      const mk = (price: AcceleratorPrice, pricing: CapacityPricing) =>
        add(selfHostOption(spec, { kind: "self-host", model: m.info, ref: m.ref, quantization: ctx.own.quantization, price, pricing, training: null }, capacity, ctx.costing));
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
  // The priced measured machines ("our own box"), beside the catalog's accelerators. They are not used
  // for the fine-tuning options' serving (those stay on the catalog's GPUs) unless the scenario names one.
  for (const b of measuredHardwareOptions(spec, models, ctx.costing, ctx.warnings)) add(b);
  return { builds, add, bestOnDemand };
}

/** Fine-tuning (or training) a model, then serving it like its cheapest on-demand self-hosted option. */
export function trainedBuild(
  spec: WorkloadSpec,
  m: { info: ModelInfo; ref: ModelRef },
  serve: OptionBuild,
  kind: "fine-tune" | "train-from-scratch",
  method: TrainingMethod,
  tokens: number,
  ctx: CostingContext,
): OptionBuild | null {
  const acc = serve.option.accelerator!;
  const mh = serve.hardware;
  // On a measured machine: trained on the box itself (its training efficiency and precision, at its hourly price).
  const measured = mh?.trainingAccelerator ? { accelerator: mh.trainingAccelerator, precision: mh.precision, usdPerHour: mh.usdPerHour } : undefined;
  if (mh && !measured) return null;
  const cost = cachedTrainingCost(ctx.catalog, { model: m.ref, tokens, method, acceleratorId: acc.id, ...(measured ? { measured } : {}) });
  if (!cost) return null;
  const price = serve.price ?? ctx.catalog.acceleratorPrices.find((p) => p.acceleratorId === acc.id && p.provider === acc.provider)!;
  const pricing = serve.option.pricing === "owned" ? "owned" : "on-demand";
  const measurement = mh && serve.option.measured ? { hardware: mh, measurement: { ...serve.option.measured, detail: `${serve.option.measured.detail}; training estimated on the box the same way` } } : undefined;
  return selfHostOption(spec, { kind, model: m.info, ref: m.ref, quantization: serve.option.model.quantization ?? "bf16", price, pricing, training: { cost, method, tokens }, ...(measurement ? { measured: measurement } : {}) }, serve.capacity!, ctx);
}

/** The scenario field of each kind of serving refusal. */
const REFUSAL_PATHS: Record<ServingRefusalField, string[]> = {
  quantization: ["model", "quantization"],
  accelerator: ["hardware", "accelerator"],
  gpusPerReplica: ["hardware", "gpusPerReplica"],
  requestProfile: ["usage", "requestProfile"],
  model: ["model"],
};

/**
 * Why the scenario's own model has no option on the scenario's hardware, naming the field at fault: the
 * estimator's refusal when it refuses the query outright (a weight format the accelerator cannot run),
 * otherwise the model does not fit or no batch meets the latency target.
 */
function unservableOnScenarioHardware(spec: WorkloadSpec, ownModel: CandidateModel, wanted: string, ctx: WorkloadContext): PlannerInputError {
  const gpusPerReplica = ctx.scenario.hardware?.gpusPerReplica;
  const catalogAccelerator = ctx.priceRows.some((r) => r.acceleratorId === wanted);
  const query = selfHostServingQuery(spec, { ref: ownModel.ref, quantization: ctx.own.quantization, acceleratorId: wanted, gpusPerReplica }, ctx.costing);
  const refusal = catalogAccelerator ? (ctx.catalog.servingRefusal?.(query) ?? null) : null;
  const on = `${ownModel.info.label} ${ctx.own.quantization} cannot be served on ${wanted}${gpusPerReplica ? ` with ${gpusPerReplica} GPU(s) per replica` : ""}`;
  if (refusal) return new PlannerInputError(REFUSAL_PATHS[refusal.field], `${on}: ${refusal.message}.`);
  return new PlannerInputError(
    gpusPerReplica ? ["hardware", "gpusPerReplica"] : ["hardware", "accelerator"],
    `${on} at the '${spec.useCase.slug}' latency target (it does not fit or no batch meets the target): choose a larger accelerator or more GPUs per replica.`,
  );
}

/** The scenario's deployment for this workload (null when its strategy does not serve this modality). */
function chooseDeployment(spec: WorkloadSpec, models: CandidateModel[], options: ReturnType<typeof costOptions>, ctx: WorkloadContext): { chosen: OptionBuild; reason: string } | null {
  const { scenario } = ctx;
  const useCase = spec.useCase;
  const modality = useCase.requestProfile.modality;
  const m = scenario.model;
  if (m.strategy === "hosted-api") {
    if (modality !== "text") return null;
    const chosen = options.builds.get(`${useCase.slug}/hosted:${m.hostedModel}`);
    if (!chosen) {
      throw new PlannerInputError(["model", "hostedModel"], `Hosted model '${m.hostedModel}' cannot serve '${useCase.slug}': its context window is smaller than the request (${(spec.profile.inputTokens ?? 0) + (spec.profile.outputTokens ?? 0)} tokens).`);
    }
    return { chosen, reason: `the scenario's hosted model ${m.hostedModel}` };
  }
  const ownModel = models.find((m) => m.own);
  if (!ownModel) return null;
  const wanted = scenario.hardware?.accelerator ?? null;
  let serve: OptionBuild | undefined;
  if (wanted) {
    serve = [...options.builds.values()].find(
      (b) => b.option.kind === "self-host" && b.option.model.id === ownModel.info.id && b.option.accelerator?.id === wanted && (b.option.pricing === "on-demand" || b.option.pricing === "owned"),
    );
    if (!serve) throw unservableOnScenarioHardware(spec, ownModel, wanted, ctx);
  } else {
    serve = options.bestOnDemand.get(ownModel.info.id);
    // Self-hosting without named hardware: the scenario's own model on the cheapest accelerator, the
    // priced measured machines ("our own box") included. Fine-tuning and training stay on the catalog's
    // GPUs unless the scenario names a box (the box's training is an estimate, not a measurement).
    if (m.strategy === "self-host") {
      for (const b of options.builds.values()) {
        if (b.option.measured && b.option.kind === "self-host" && b.option.model.id === ownModel.info.id && (!serve || b.option.totalCostUsd < serve.option.totalCostUsd)) serve = b;
      }
    }
    if (!serve) throw new PlannerInputError(["model"], `No accelerator in the price catalog can serve ${ownModel.info.label} for '${useCase.slug}' (the model does not fit or no batch meets the latency target).`);
  }
  const strategy = m.strategy;
  if (strategy === "self-host") {
    const onBox = serve.option.measured ? `, ${serve.option.pricing === "owned" ? "owned, at its TCO per hour" : "at its instance price"}, capacity ${serve.option.measured.basis} on hardware profile ${serve.option.measured.profileId}` : "";
    return {
      chosen: serve,
      reason: `the scenario's own model ${ownModel.info.label} on ${serve.option.accelerator!.label}${onBox}${wanted ? " (scenario hardware)" : ` (cheapest accelerator for it over the horizon${(ctx.catalog.measuredHardware ?? []).length ? ", measured machines included" : ""})`}`,
    };
  }
  const method: TrainingMethod = strategy === "train-from-scratch" ? "pre-train" : (m.trainingMethod ?? "lora");
  const tokens = strategy === "train-from-scratch"
    ? (m.trainingTokens ?? CHINCHILLA_TOKENS_PER_PARAMETER * ownModel.info.parameters)
    : (m.trainingTokens ?? ctx.settings.defaultFineTuneTokens);
  const b = trainedBuild(spec, ownModel, serve, strategy, method, tokens, ctx.costing);
  if (!b) throw new PlannerInputError(["model", "trainingTokens"], `The estimator cannot estimate ${method} of ${ownModel.info.label} on ${serve.option.accelerator!.label}; the plan needs a training cost for a ${strategy} strategy.`);
  options.add(b);
  return { chosen: b, reason: `the scenario's ${strategy} of ${ownModel.info.label} (${method}, ${fmtTokens(tokens)} tokens), served on ${serve.option.accelerator!.label}` };
}

/** Costs one workload: its options, the scenario's deployment and the cheapest option per month. */
export function buildWorkload(spec: WorkloadSpec, profileSources: Record<string, string>, ctx: WorkloadContext): WorkloadState {
  const { scenario, settings, adjustments } = ctx;
  const useCase = spec.useCase;
  const modality = useCase.requestProfile.modality;
  const models = candidateModels(spec, ctx);
  const options = costOptions(spec, models, ctx);

  // Fine-tuning: a one-off cost (GPU time as billed, data preparation, evaluation), then the model's cheapest on-demand serving.
  if (modality === "text") {
    const ft = scenario.model.strategy === "fine-tune" ? scenario.model : null;
    const method: TrainingMethod = ft?.trainingMethod ?? "lora";
    const tokens = ft?.trainingTokens ?? settings.defaultFineTuneTokens;
    for (const m of models) {
      const serve = options.bestOnDemand.get(m.info.id);
      if ("preset" in m.ref && serve) options.add(trainedBuild(spec, m, serve, "fine-tune", method, tokens, ctx.costing));
    }
  }

  let decided = chooseDeployment(spec, models, options, ctx);
  const nonSpot = [...options.builds.values()].filter((b) => !b.option.interruptible);
  if (nonSpot.length === 0) {
    throw new PlannerInputError(["model"], `No deployment option can serve '${useCase.slug}': no hosted model in the catalog serves ${modality} requests and the preset catalog has no model for it. The plan needs a model to cost: give model.strategy "self-host" with model.architecture (or a preset) that serves this use case.`);
  }

  // Quality floor: only options that meet it may count as the cheapest.
  const floor = spec.floor;
  const meeting = nonSpot.filter((b) => eligibleForQuality(b.option.quality, floor));
  const floorMet = floor === null || meeting.length > 0;
  const eligible = floorMet ? meeting : nonSpot;
  if (!floorMet) {
    ctx.warnings.push(`${useCase.slug}: no option has a published score meeting the quality floor (${floor!.benchmark} ≥ ${floor!.minimum}); the cheapest option overall is shown instead — check quality on your own evaluation set.`);
  }
  if (!decided) {
    const chosen = eligible.reduce((a, b) => (b.option.totalCostUsd < a.option.totalCostUsd ? b : a));
    decided = { chosen, reason: `the cheapest option over the horizon${floor && floorMet ? " that meets the quality floor" : ""}, because the scenario's ${scenario.model.strategy === "hosted-api" ? "hosted model (text only)" : "model"} does not serve this ${modality} use case` };
  }
  const { chosen, reason } = decided;
  if (floor && chosen.option.quality.meetsFloor !== true) {
    ctx.warnings.push(`${useCase.slug}: the scenario's deployment (${chosen.option.model.label}) ${chosen.option.quality.meetsFloor === false ? `scores ${chosen.option.quality.score} on ${floor.benchmark}, below the use case's floor of ${floor.minimum}` : `has no published ${floor.benchmark} score to show it meets the floor of ${floor.minimum}`}.`);
  }

  // Chosen months (with a reserved-from month or a switch to another option).
  const sw = adjustments.switchToOptionFromMonth;
  const switchTarget = sw && options.builds.has(sw.optionId) ? options.builds.get(sw.optionId)! : null;
  const chosenMonths = spec.months.map((d) =>
    switchTarget && d.month >= sw!.month ? switchTarget.monthCost(d, ctx.costing.reservedFromMonth) : chosen.monthCost(d, ctx.costing.reservedFromMonth),
  );
  const chosenOneOff: WorkloadState["chosenOneOff"] = [];
  if (!(switchTarget && sw!.month <= 1) && chosen.option.oneOffCostUsd > 0) chosenOneOff.push({ month: 1, usd: chosen.option.oneOffCostUsd, detail: chosen.option.oneOffDetail ?? "" });
  if (switchTarget && switchTarget.option.oneOffCostUsd > 0) chosenOneOff.push({ month: sw!.month, usd: switchTarget.option.oneOffCostUsd, detail: switchTarget.option.oneOffDetail ?? "" });

  const selection = selectCheapest(eligible, spec.months, settings.crossoverHysteresisPct);
  const workload: Workload = {
    useCase: useCase.slug,
    title: useCase.title,
    modality,
    share: 1 / new Set(scenario.useCases).size,
    profile: spec.profile,
    latencyTargetMs: useCase.latencyTarget.p95Ms,
    qualityFloor: useCase.qualityFloor ?? null,
    months: spec.months,
    optionIds: [],
    chosenOptionId: switchTarget && sw!.month <= 1 ? switchTarget.option.id : chosen.option.id,
    chosenReason: switchTarget ? `${reason}; from month ${sw!.month}: ${switchTarget.option.label}` : reason,
    cheapestByMonth: selection.cheapestByMonth,
    crossovers: selection.crossovers,
    buildVsBuyCrossoverMonth: buildVsBuyMonth(eligible, spec.months.length),
    belowFloorOptionIds: floor ? nonSpot.filter((b) => b.option.quality.meetsFloor === false).map((b) => b.option.id) : [],
    unscoredOptionIds: floor ? nonSpot.filter((b) => b.option.quality.meetsFloor === null).map((b) => b.option.id) : [],
    selectionRule: `cheapest non-spot option${floor ? (floorMet ? ` meeting the quality floor (${floor.benchmark} ≥ ${floor.minimum})` : " (no option meets the quality floor)") : ""}, compared on capacity cost (fractional replicas plus engineering and on-call); a challenger takes over only when ${settings.crossoverHysteresisPct}% cheaper`,
  };
  return { spec, builds: options.builds, chosen, chosenReason: reason, chosenMonths, chosenOneOff, workload, profileSources, eligible, floorMet };
}
