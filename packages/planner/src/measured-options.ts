// Deployment options on measured, priced machines ("our own box"): the service passes each priced
// hardware profile in (PlannerCatalog.measuredHardware) and the planner costs it beside the catalog GPUs
// and hosted APIs, with the same people cost and quality floor as any self-hosted option. Pure.
import type { AcceleratorPrice, MeasuredHardware, MeasuredServing, ModelInfo, ModelRef, ServingCapacity } from "./catalog";
import { fmtNum } from "./format";
import { selfHostCapacity, selfHostOption, type CostingContext, type OptionBuild, type WorkloadSpec } from "./options";
import type { DeploymentOption, PlanMeasuredHardware } from "./plan-types";
import type { PlannerOptions, Range3 } from "./types";

/** The price row of a measured machine: one box per "GPU", billed every hour at its hourly cost. */
export function measuredPriceRow(mh: MeasuredHardware): AcceleratorPrice {
  return {
    acceleratorId: mh.profileId,
    acceleratorLabel: mh.label,
    provider: mh.provider,
    onDemandUsdPerGpuHour: mh.usdPerHour,
    spotUsdPerGpuHour: null,
    reservedUsdPerGpuHour: null,
    gpusPerInstance: 1,
    source: mh.priceSource,
  };
}

const scale = (r: Range3, f: number): Range3 => ({ low: r.low * f, expected: r.expected * f, high: r.high * f });

/**
 * A measured small model's capacity for this workload. Its figures were measured (or predicted) for the
 * base request profile; a sensitivity variant with more work per request serves proportionally fewer
 * requests (text: prompt tokens relative to those measured; other modalities: the units factor).
 */
function measuredCapacity(workload: WorkloadSpec, sv: MeasuredServing): ServingCapacity {
  const tokens = workload.profile.inputTokens;
  const f = sv.inputTokens && tokens ? sv.inputTokens / tokens : 1 / workload.unitsFactor;
  return {
    requestsPerSecPerReplica: scale(sv.requestsPerSecPerBox, f),
    gpusPerReplica: 1,
    batchSize: sv.batchSize,
    requestLatencyMs: sv.requestLatencyMs / f,
    fits: true,
    assumptions: [
      { name: "batchSize", value: sv.batchSize, unit: "samples per step", source: `largest batch meeting the ${workload.useCase.latencyTarget.p95Ms} ms target (${sv.basis})` },
      { name: "requestLatencyMs", value: sv.requestLatencyMs / f, unit: "ms", source: "a request waits for the batch in progress, then is computed in the next: 2 × the step time" },
    ],
    notes: [sv.detail, ...sv.notes],
  };
}

/** Utilisation band of a measured accelerator, for the estimated options' detail. */
function efficiencyOf(mh: MeasuredHardware): string {
  const acc = mh.servingAccelerator!;
  const u = acc.utilisation?.compute;
  const peak = acc.peakFlopsPerS[mh.precision] ?? acc.peakFlopsPerS.fp32 ?? 0;
  return `the estimator's serving model on the box's measured ${mh.precision} peak ${fmtNum(peak / 1e9)} GFLOP/s and bandwidth ${fmtNum(acc.memoryBandwidthBytesPerS / 1e9)} GB/s${u ? `, at the compute efficiency its TF.js runs reached (p10/p50/p90 ${u.low.toFixed(2)}/${u.expected.toFixed(2)}/${u.high.toFixed(2)})` : ""}: nothing here measured this model on the box`;
}

/**
 * Every option of the workload on the measured machines: each candidate model (the use case's presets,
 * the scenario's own model) served through the estimator on the box's measured accelerator, and each
 * small reference model the service measured (or predicted) on the box for this use case.
 */
export function measuredHardwareOptions(
  workload: WorkloadSpec,
  models: { info: ModelInfo; ref: ModelRef; own: boolean }[],
  ctx: CostingContext,
  warnings: string[] = [],
): OptionBuild[] {
  const out: OptionBuild[] = [];
  const modality = workload.useCase.requestProfile.modality;
  for (const mh of ctx.catalog.measuredHardware ?? []) {
    const price = measuredPriceRow(mh);
    const servings = mh.servings.filter((sv) => sv.useCase === workload.useCase.slug);
    const ownMeasured = servings.some((sv) => sv.ownModel);
    if (mh.servingAccelerator) {
      const cannot: string[] = [];
      for (const m of models) {
        // The scenario's own model measured (or predicted) on the box as a benchmark configuration: no estimate needed.
        if (m.own && ownMeasured) continue;
        const capacity = selfHostCapacity(workload, { ref: m.ref, quantization: mh.precision, acceleratorId: mh.profileId, accelerator: mh.servingAccelerator, gpusPerReplica: 1 }, ctx);
        if (!capacity) {
          cannot.push(m.info.label);
          continue;
        }
        const measurement = { profileId: mh.profileId, basis: "estimated" as const, detail: efficiencyOf(mh), runIds: [] };
        const b = selfHostOption(workload, { kind: "self-host", model: m.info, ref: m.ref, quantization: mh.precision, price, pricing: mh.pricing, training: null, measured: { hardware: mh, measurement } }, capacity, ctx);
        if (b) out.push(b);
      }
      if (cannot.length) {
        warnings.push(`${workload.useCase.slug}: ${cannot.join(", ")} cannot be served on hardware profile ${mh.profileId} within the ${workload.useCase.latencyTarget.p95Ms} ms target in ${mh.precision} (or do not fit its memory), estimated at the efficiency its runs measured; not costed on it.`);
      }
    }
    for (const sv of servings) {
      const own = sv.ownModel ? models.find((m) => m.own) : undefined;
      const info: ModelInfo = own ? own.info : { id: sv.modelId, label: sv.modelLabel, parameters: sv.parameters, families: [], modality, openWeights: true };
      const measurement = { profileId: mh.profileId, basis: sv.basis, detail: sv.detail, runIds: sv.runIds };
      const b = selfHostOption(
        workload,
        { kind: "self-host", model: info, ref: { parameters: sv.parameters }, quantization: "fp32", price, pricing: mh.pricing, training: null, measured: { hardware: mh, measurement } },
        measuredCapacity(workload, sv),
        ctx,
      );
      if (b) out.push(b);
    }
  }
  return out;
}

/** The measured machines of a plan, for its document: each with its price and the options costed on it. */
export function planMeasuredHardware(measured: MeasuredHardware[], options: DeploymentOption[]): PlanMeasuredHardware[] {
  return measured.map((mh) => ({
    profileId: mh.profileId,
    label: mh.label,
    kind: mh.kind,
    emulation: mh.emulation,
    usdPerHour: mh.usdPerHour,
    pricing: mh.pricing,
    priceSource: mh.priceSource,
    precision: mh.precision,
    optionIds: options.filter((o) => o.measured?.profileId === mh.profileId).map((o) => o.id),
    notes: mh.notes,
  }));
}

/**
 * What a plan must say about measured hardware: a profile without a price is not costed (never a silent
 * $0), a priced one on which nothing could be costed says why, and software emulation is not a GPU.
 */
export function measuredHardwareWarnings(options: Pick<PlannerOptions, "measuredHardware" | "unpricedHardware">, planOptions: DeploymentOption[]): string[] {
  const out: string[] = [];
  for (const u of options.unpricedHardware ?? []) {
    out.push(`hardware profile ${u.profileId} (${u.label}) is measured but has no price, so it is not costed in this plan (an unpriced box is not free): PUT /v1/hardware-profiles/${u.profileId}/price with a cloud instance type or owned hardware's purchase price, depreciation, power, PUE, electricity and hosting.`);
  }
  for (const mh of options.measuredHardware ?? []) {
    const n = planOptions.filter((o) => o.measured?.profileId === mh.profileId).length;
    if (mh.emulation) out.push(`hardware profile ${mh.profileId} is ${mh.emulation}: its figures are a CPU running GPU code in software, not a GPU's.`);
    if (n === 0) out.push(`hardware profile ${mh.profileId} (${mh.label}) is priced but no option could be costed on it${mh.notes.length ? `: ${mh.notes.join("; ")}` : ""}.`);
  }
  return out;
}
