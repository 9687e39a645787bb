// Serving estimate: the tensor-parallel degree (given, or the cheapest that meets the latency
// targets), memory and concurrency, latency, throughput, replicas for the peak, cost, and the hosted
// alternatives. Works on a ResolvedInferenceInput (parse.ts): no input checks here.
import { scaleBand } from "../band";
import { CATALOG_VERSION, getDefaults } from "../catalog";
import { assertFiniteFigures } from "../finite";
import { hardwareSummary } from "../hardware";
import { isDecoderLike, modelSummary } from "../model/resolve";
import { splitsAttentionHeads } from "../model/tensor-parallel";
import { REPLICA_SIZING_SOURCE, REPLICA_TARGET_UTILISATION } from "../sizing";
import type { Band, InferenceEstimate, InferenceInput, TensorParallelAlternative } from "../types";
import { bytesToGb, MS_PER_SECOND, TOKENS_PER_MILLION } from "../units";
import { hostedComparison } from "./hosted-comparison";
import { allReduceLatencySeconds } from "./fixed-costs";
import { candidateDegrees, chooseOption, evaluateOption, fitsAtMemoryShare, minConcurrencyForWarning, operatingPoint, tokensPerSecPerGpu, type ServingOption, type TensorParallelChoice } from "./options";
import { MAX_TENSOR_PARALLEL, parseInferenceInput, type ResolvedInferenceInput } from "./parse";
import { fewestPerRequestTensorParallel } from "./per-request";

const ms = (b: Band) => scaleBand(b, MS_PER_SECOND);

function alternative(r: ResolvedInferenceInput, o: ServingOption, chosen: ServingOption): TensorParallelAlternative {
  const a = o.continuous?.at;
  const note = !o.fits
    ? `the weights and one sequence do not fit in ${o.tp} × ${r.acc.id}`
    : o === chosen
      ? "chosen"
      : !o.meetsTargets
        ? "misses the latency targets"
        : o.gpus > chosen.gpus
          ? `needs ${o.gpus - chosen.gpus} more GPUs for this traffic`
          : o.gpus === chosen.gpus
            ? "same GPUs, slower requests"
            : "fewer GPUs";
  return {
    gpusPerReplica: o.tp,
    fits: o.fits,
    concurrency: o.fits ? o.batch : 0,
    gpus: o.fits ? o.gpus : null,
    monthlyCostUsd: o.fits ? o.monthlyCostUsd : null,
    throughputTokensPerSecPerGpu: o.fits ? (tokensPerSecPerGpu(r, o)?.expected ?? null) : null,
    requestLatencyMs: o.fits ? o.requestLatencySeconds.expected * MS_PER_SECOND : null,
    ttftMs: o.fits && a ? a.ttftSeconds.expected * MS_PER_SECOND : null,
    tpotMs: o.fits && a ? a.step.time.expected * MS_PER_SECOND : null,
    meetsTargets: o.fits && o.meetsTargets,
    chosen: o === chosen,
    note,
  };
}

interface Chosen {
  option: ServingOption;
  by: TensorParallelChoice;
  compared: ServingOption[];
  fewestToFit: number | null;
}

function chooseDegree(r: ResolvedInferenceInput): Chosen {
  const decoder = r.tokens !== null && isDecoderLike(r.model);
  if (!decoder) {
    const fewest = fewestPerRequestTensorParallel(r, MAX_TENSOR_PARALLEL);
    const tp = r.gpusPerReplica ?? fewest ?? 1;
    if (r.gpusPerReplica === undefined) {
      r.log.add("GPUs per replica", "fewest power of two holding the weights and one request (of those that split the attention heads)", "rule", "modelplan choice for models other than decoder LLMs: they are served per request, where tensor parallelism only adds communication");
    }
    return { option: evaluateOption(r, tp), by: r.gpusPerReplica !== undefined ? "requested" : fewest === null ? "none-fits" : "fewest-that-fit", compared: [], fewestToFit: fewest };
  }
  const memo = new Map<number, ServingOption>();
  const ev = (tp: number) => {
    let o = memo.get(tp);
    if (!o) memo.set(tp, (o = evaluateOption(r, tp)));
    return o;
  };
  const degrees = candidateDegrees((tp) => ev(tp).fits, (tp) => splitsAttentionHeads(r.model, tp));
  if (r.gpusPerReplica !== undefined && !degrees.includes(r.gpusPerReplica)) degrees.push(r.gpusPerReplica);
  const options = degrees.sort((a, b) => a - b).map(ev);
  const fewestToFit = options.find((o) => o.fits)?.tp ?? null;
  r.log.add(
    "GPUs per replica",
    r.gpusPerReplica !== undefined ? `${r.gpusPerReplica} (requested)` : `the cheapest of ${degrees.join(", ")} that meets the latency targets`,
    "rule",
    "tensor-parallel degrees compared by the GPUs (and so the monthly cost) the traffic needs, each with its own KV-cache concurrency and per-layer all-reduce time (tensorParallel.alternatives lists them)",
  );
  if (r.gpusPerReplica !== undefined) return { option: ev(r.gpusPerReplica), by: "requested", compared: options, fewestToFit };
  const c = chooseOption(options);
  return { option: c.chosen ?? options[options.length - 1], by: c.by, compared: options, fewestToFit };
}

/** The most GPUs per replica the estimate compared (the degrees that split the model's heads). */
function largestCompared(c: Chosen): number {
  return Math.max(c.option.tp, ...c.compared.map((x) => x.tp));
}

function warn(r: ResolvedInferenceInput, c: Chosen, warnings: string[]): void {
  const o = c.option;
  const s = getDefaults().inference.serving;
  if (!o.fits) {
    const share = `${Math.round(r.usableMemoryFraction * 100)}% of each GPU's memory`;
    warnings.push(
      c.fewestToFit === null
        ? `the weights do not fit on ${largestCompared(c)} × ${r.acc.id}${largestCompared(c) < MAX_TENSOR_PARALLEL ? ", the most GPUs per replica compared whose count splits the model's attention heads" : ""}`
        : `does not fit on ${o.tp} × ${r.acc.id} at ${share}; the fewest GPUs per replica that fit are ${c.fewestToFit}${r.usableMemoryFraction < 1 && fitsAtMemoryShare(r, o.tp, 1) ? ` (it would fit on ${o.tp} if the engine took more of each GPU: gpuMemoryUtilization, vLLM's --gpu-memory-utilization)` : ""}`,
    );
    return;
  }
  if (r.batchSize !== undefined && r.batchSize > o.maxConcurrency) {
    warnings.push(`batch ${r.batchSize} does not fit: the KV cache and engine limits allow ${o.maxConcurrency} concurrent ${r.tokens ? "sequences" : "requests"} per replica`);
  }
  if (!o.meetsTargets) {
    const lat = r.latency;
    const wanted = [lat.ttftMs !== undefined ? `TTFT ${lat.ttftMs} ms` : null, lat.tpotMs !== undefined ? `TPOT ${lat.tpotMs} ms` : null, lat.requestMs !== undefined ? `request ${lat.requestMs} ms` : null].filter(Boolean).join(", ");
    warnings.push(
      o.largestBatchMeetingTargets === 0
        ? `the latency targets (${wanted}) are not met even at 1 concurrent request on ${o.tp} × ${r.acc.id}: a request takes ${Math.round(o.requestLatencySeconds.expected * MS_PER_SECOND).toLocaleString("en-US")} ms`
        : `${o.batch} concurrent requests miss the latency targets (${wanted}); the largest concurrency meeting them is ${o.largestBatchMeetingTargets}`,
    );
  }
  if (o.tp > s.gpusPerNode.value) {
    warnings.push(`${o.tp} GPUs per replica is more than one ${s.gpusPerNode.value}-GPU node: tensor parallelism crosses the node network (${s.interNodeBandwidthBytesPerSPerGpu.value / 1e9} GB/s per GPU modelled); consider a larger accelerator or quantization`);
  }
  if (c.by === "requested" && r.tokens && o.batch < minConcurrencyForWarning() && r.batchSize === undefined) {
    const better = c.compared.filter((x) => x.fits && x.meetsTargets && x.gpus < o.gpus).sort((a, b) => a.gpus - b.gpus)[0];
    warnings.push(
      `gpusPerReplica ${o.tp} leaves room for ${o.batch} concurrent sequence${o.batch === 1 ? "" : "s"} beside ${bytesToGb(r.weightsBytes).toFixed(0)} GB of weights` +
        (better ? `: gpusPerReplica ${better.tp} serves this traffic with ${better.gpus} GPUs instead of ${o.gpus}` : ""),
    );
  }
  if (c.by === "fastest-none-meets-targets") warnings.push("no tensor-parallel degree meets the latency targets: the fastest one is shown");
  const m = r.model;
  if (m.family === "parameters-only" && m.activeParameters < m.parameters) {
    const b = (n: number) => `${Number((n / 1e9).toPrecision(3))}B`;
    warnings.push(
      `activeParameters (${b(m.activeParameters)}) is below parameters (${b(m.parameters)}), but a parameter count does not say how the weights are routed: every engine step is estimated to read all ${b(m.parameters)} parameters' weights, as a dense model does — an upper bound for a mixture of experts, whose steps read only the experts their tokens are routed to (at batch 1 about the active ${b(m.activeParameters)}). Give model.architecture with moe (experts, activeExperts) for a routed estimate`,
    );
  }
}

function monthlyEnergy(r: ResolvedInferenceInput, gpuHours: Band, warnings: string[]): Band | null {
  const d = getDefaults();
  if (!r.acc.tdpW) {
    warnings.push(`no TDP for ${r.acc.id}: energy is not estimated`);
    return null;
  }
  r.log.add("PUE", d.pue.value, d.pue.unit ?? "", `${d.pue.source} [${d.pue.date}]`);
  r.log.add("average power draw", d.powerDrawFraction.value, d.powerDrawFraction.unit ?? "", `${d.powerDrawFraction.source} [${d.powerDrawFraction.date}]`);
  return scaleBand(gpuHours, (r.acc.tdpW.value * d.powerDrawFraction.value * d.pue.value) / 1000);
}

export function computeInference(r: ResolvedInferenceInput): InferenceEstimate {
  const { model, acc, log, traffic, tokens } = r;
  const warnings = [...r.warnings];
  const c = chooseDegree(r);
  const o = c.option;
  warn(r, c, warnings);
  const s = getDefaults().inference.serving;
  log.add("replica sizing", `replicas = ⌈peak ÷ (capacity per replica × ${REPLICA_TARGET_UTILISATION})⌉`, "rule", REPLICA_SIZING_SOURCE);
  if (o.continuous) {
    log.add("serving model", "continuous batching at saturation: one decode token per running sequence plus the prefill of the requests that replace finished ones in every step", "rule", "vLLM / TensorRT-LLM in-flight batching with chunked prefill (Yu et al. 2022 Orca; Kwon et al. 2023 vLLM; Agrawal et al. 2024 Sarathi-Serve)");
    log.add("KV-cache fill factor", s.kvCacheFillFactor.value, s.kvCacheFillFactor.unit ?? "", s.kvCacheFillFactor.source);
    log.add("KV-cache block", s.kvBlockTokens.value, s.kvBlockTokens.unit ?? "", s.kvBlockTokens.source);
    if (o.tp > 1) {
      log.add("interconnect bandwidth", acc.interconnect.bandwidthBytesPerS ?? "unknown", "bytes/s per GPU, both directions", acc.interconnect.source);
      log.add("all-reduce link efficiency", s.linkEfficiency.value, s.linkEfficiency.unit ?? "", s.linkEfficiency.source);
      if (r.allReduceLatencySeconds !== undefined) log.add("all-reduce fixed latency", r.allReduceLatencySeconds, "s per all-reduce", "request");
      else log.add("all-reduce fixed latency", allReduceLatencySeconds(o.tp, acc.interconnect.kind, s.gpusPerNode.value), "s per all-reduce", `${s.allReduceLatency.source} [${s.allReduceLatency.date}]`);
      if (acc.interconnect.bandwidthBytesPerS === null) warnings.push(`no interconnect bandwidth for ${acc.id}: tensor-parallel all-reduces count only their fixed latency`);
    }
    if (tokens) log.add("throughput counts", "generated (output) tokens", "rule", "tokens/s per GPU counts output tokens, as serving benchmarks report it; prompt tokens are processed within the same steps");
  }

  const at = o.continuous?.at ?? null;
  const peak = operatingPoint(r, o);
  if (peak) log.add("latency at the peak", "each replica runs the fewest concurrent sequences whose throughput carries peak ÷ replicas", "rule", "Little's law, L = λW (Little 1961, Operations Research 9(3)): sequences in flight = arrival rate × time each stays; atPeak gives the latencies there");
  const timing = o.perRequest?.timing ?? null;
  const throughputTokensPerSecPerGpu = tokensPerSecPerGpu(r, o);
  const throughputSamplesPerSecPerGpu = tokens ? null : scaleBand(o.requestsPerSecPerReplica, r.samplesPerRequest / o.tp);
  const gpusBand = scaleBand(o.replicas, o.tp);
  const pricing = r.pricing;
  const monthlyCostUsd = pricing ? scaleBand(gpusBand, pricing.onDemandUsdPerGpuHour * r.hoursPerMonth) : null;
  if (pricing) log.add("provisioning", "replicas sized for the peak, running all month", "rule", "no autoscaling: the monthly cost is the peak fleet × hours per month");
  const tokensPerRequest = tokens ? tokens.inputTokens + tokens.outputTokens : 0;
  const tokensPerMonth = tokens ? traffic.requestsPerMonth * tokensPerRequest : null;
  const costPerRequestUsd = monthlyCostUsd ? scaleBand(monthlyCostUsd, 1 / traffic.requestsPerMonth) : null;
  const costPerMillionTokensUsd = monthlyCostUsd && tokensPerMonth ? scaleBand(monthlyCostUsd, TOKENS_PER_MILLION / tokensPerMonth) : null;
  const energy = monthlyEnergy(r, scaleBand(gpusBand, r.hoursPerMonth), warnings);

  const hostedAlternatives =
    tokens && isDecoderLike(model)
      ? hostedComparison(tokens, traffic, monthlyCostUsd, pricing ? o.tp * pricing.onDemandUsdPerGpuHour * r.hoursPerMonth : null, o.requestsPerSecPerReplica.expected * REPLICA_TARGET_UTILISATION, r.hoursPerMonth)
      : [];
  if (tokens && hostedAlternatives.length === 0) log.add("hosted alternatives", "none", "rule", "the hosted-model catalog prices text LLM APIs; they are compared with text decoders only");

  const mem = o.continuous?.memory;
  const decodeBand = at ? at.decode.time : timing?.decode ?? null;
  // what limits decoding: the decode-only step at the chosen concurrency (the mixed step's prefill chunks are arithmetic)
  const decodeBound = at ? (at.decode.memory.expected >= at.decode.compute.expected ? "memory" : "compute") : timing?.decodeBound ?? null;
  const perSequenceBytes = mem ? mem.kvBytesPerFullSequence : o.perRequest?.memory.perSequenceBytes ?? 0;
  return assertFiniteFigures<InferenceEstimate>({
    kind: "inference",
    catalogVersion: CATALOG_VERSION,
    mode: model.mode,
    model: modelSummary(model),
    hardware: hardwareSummary(acc, r.precision, r.peak),
    quantization: r.quantization,
    computeUtilisation: r.computeEfficiency,
    bandwidthUtilisation: r.bandwidthUtilisation,
    memory: {
      weightsGb: bytesToGb(r.weightsBytes),
      kvCachePerSequenceGb: bytesToGb(perSequenceBytes),
      kvCachePoolGb: mem ? bytesToGb(mem.kvPoolBytes) : null,
      perReplicaCapacityGb: bytesToGb(o.tp * acc.memoryBytes.value),
      perReplicaUsableGb: bytesToGb(o.tp * acc.memoryBytes.value * r.usableMemoryFraction),
      maxBatchThatFits: mem ? mem.memoryConcurrency : o.perRequest?.memory.maxBatchThatFits ?? 0,
      maxConcurrency: o.maxConcurrency,
      concurrencyLimitedBy: mem ? mem.limitedBy : null,
      fits: o.fits,
    },
    gpusPerReplica: o.tp,
    fewestGpusPerReplicaToFit: c.fewestToFit,
    tensorParallel: { chosenBy: c.by, alternatives: c.compared.map((x) => alternative(r, x, o)) },
    batchSize: o.batch,
    batchChosenBy: o.batchChosenBy,
    prefillMs: at ? ms(at.prefillAloneSeconds) : timing?.prefill ? ms(timing.prefill) : null,
    ttftMs: at ? ms(at.ttftSeconds) : timing?.prefill ? ms(timing.prefill) : null,
    tpotMs: at ? ms(at.step.time) : timing?.decode ? ms(timing.decode) : null,
    decodeMsPerToken: decodeBand ? ms(decodeBand) : null,
    decodeBound,
    requestLatencyMs: ms(o.requestLatencySeconds),
    throughputTokensPerSecPerGpu,
    throughputSamplesPerSecPerGpu,
    requestsPerSecPerReplica: o.requestsPerSecPerReplica,
    atPeak: peak && {
      requestsPerSecPerReplica: peak.requestsPerSecPerReplica,
      utilisation: peak.utilisation,
      concurrency: peak.concurrency,
      ttftMs: peak.ttftSeconds && ms(peak.ttftSeconds),
      tpotMs: peak.tpotSeconds && ms(peak.tpotSeconds),
      requestLatencyMs: ms(peak.requestSeconds),
    },
    latencyTargets: { ttftMs: r.latency.ttftMs ?? null, tpotMs: r.latency.tpotMs ?? null, requestMs: r.latency.requestMs ?? null, met: o.meetsTargets, largestBatchMeetingTargets: o.largestBatchMeetingTargets },
    traffic: { peakRequestsPerSec: traffic.peakRequestsPerSec, averageRequestsPerSec: traffic.averageRequestsPerSec, requestsPerDay: traffic.requestsPerDay, requestsPerMonth: traffic.requestsPerMonth, peakToAverage: traffic.peakToAverage, tokensPerMonth },
    replicas: o.replicas,
    replicaTargetUtilisation: REPLICA_TARGET_UTILISATION,
    gpus: gpusBand.expected,
    gpusBand: { low: gpusBand.low, expected: gpusBand.expected, high: gpusBand.high },
    pricing,
    monthlyCostUsd,
    costPerMillionTokensUsd,
    costPerRequestUsd,
    monthlyEnergyKwh: energy,
    hostedAlternatives,
    trackRecord: null,
    warnings,
    assumptions: log.list(),
  });
}

/** Parse once, then compute (without the track-record line; see track-record.ts). */
export function estimateInferenceUncited(input: InferenceInput): InferenceEstimate {
  return computeInference(parseInferenceInput(input));
}
