// One serving configuration (a tensor-parallel degree) evaluated end to end: memory, the batch it
// runs at, latency, capacity, the replicas the traffic needs and their monthly cost; and the choice
// among degrees when the request leaves gpusPerReplica out.
import { scaleBand } from "../band";
import { getDefaults } from "../catalog";
import { isDecoderLike } from "../model/resolve";
import { replicasBand } from "../sizing";
import type { Band } from "../types";
import { MS_PER_SECOND } from "../units";
import { averageStepAt, latencyAt, replicaMemory, replicaSteps, servingAt, type ReplicaMemory, type ReplicaSteps, type ServingAtConcurrency } from "./continuous";
import type { ResolvedInferenceInput } from "./parse";
import { MAX_TENSOR_PARALLEL } from "./parse";
import { perRequestMemory, perRequestTiming, type PerRequestMemory, type PerRequestTiming } from "./per-request";

export type BatchChoice = "requested" | "latency-targets" | "memory-and-cap";

export interface ServingOption {
  tp: number;
  fits: boolean;
  /** concurrent sequences (token models) or requests per batch (per-sample models) */
  batch: number;
  batchChosenBy: BatchChoice;
  largestBatchMeetingTargets: number | null;
  meetsTargets: boolean;
  /** the largest concurrency memory (and the engine's limits) allow */
  maxConcurrency: number;
  requestsPerSecPerReplica: Band;
  requestLatencySeconds: Band;
  replicas: Band;
  gpus: number;
  monthlyCostUsd: number | null;
  continuous: { memory: ReplicaMemory; steps: ReplicaSteps; at: ServingAtConcurrency } | null;
  perRequest: { memory: PerRequestMemory; timing: PerRequestTiming } | null;
}

/** Largest batch in [1, limit] meeting `ok`, assuming ok is monotone (true then false); 0 if none. */
function largestBatch(limit: number, ok: (batch: number) => boolean): number {
  if (limit < 1 || !ok(1)) return 0;
  let lo = 1, hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function hasTargets(r: ResolvedInferenceInput): boolean {
  return r.latency.ttftMs !== undefined || r.latency.tpotMs !== undefined || r.latency.requestMs !== undefined;
}

const within = (seconds: Band, targetMs: number | undefined) => targetMs === undefined || seconds.expected * MS_PER_SECOND <= targetMs;

function chooseBatch(r: ResolvedInferenceInput, limit: number, meets: (b: number) => boolean): { batch: number; by: BatchChoice; largest: number | null } {
  const largest = hasTargets(r) ? largestBatch(limit, meets) : null;
  if (r.batchSize !== undefined) return { batch: r.batchSize, by: "requested", largest };
  if (largest !== null) return { batch: Math.max(1, largest), by: "latency-targets", largest };
  return { batch: Math.max(1, limit), by: "memory-and-cap", largest };
}

function fleet(r: ResolvedInferenceInput, tp: number, rps: Band): { replicas: Band; gpus: number; monthlyCostUsd: number | null } {
  const replicas = replicasBand(r.traffic.peakRequestsPerSec, rps);
  const gpus = replicas.expected * tp;
  return { replicas, gpus, monthlyCostUsd: r.pricing ? gpus * r.pricing.onDemandUsdPerGpuHour * r.hoursPerMonth : null };
}

/** Whether a replica of `tp` GPUs would hold the weights and one whole sequence (or request) if the engine took `share` of each GPU's memory. */
export function fitsAtMemoryShare(r: ResolvedInferenceInput, tp: number, share: number): boolean {
  const at = { ...r, usableMemoryFraction: share };
  return r.tokens && isDecoderLike(r.model) ? replicaMemory(at, r.model, r.tokens, tp).fits : perRequestMemory(at, tp).fits;
}

export function evaluateOption(r: ResolvedInferenceInput, tp: number): ServingOption {
  const m = r.model;
  const t = r.tokens;
  if (t && isDecoderLike(m)) {
    const memory = replicaMemory(r, m, t, tp);
    const steps = replicaSteps(r, m, t, tp);
    const limit = Math.max(1, memory.maxConcurrency);
    const meets = (b: number) => {
      const a = latencyAt(steps, b);
      return within(a.step.time, r.latency.tpotMs) && within(a.ttftSeconds, r.latency.ttftMs) && within(a.requestSeconds, r.latency.requestMs);
    };
    const choice = chooseBatch(r, limit, meets);
    const at = servingAt(steps, choice.batch);
    const f = fleet(r, tp, at.requestsPerSecPerReplica);
    return {
      tp,
      fits: memory.fits,
      batch: choice.batch,
      batchChosenBy: choice.by,
      largestBatchMeetingTargets: choice.largest,
      meetsTargets: !hasTargets(r) || meets(choice.batch),
      maxConcurrency: memory.maxConcurrency,
      requestsPerSecPerReplica: at.requestsPerSecPerReplica,
      requestLatencySeconds: at.requestSeconds,
      ...f,
      continuous: { memory, steps, at },
      perRequest: null,
    };
  }
  const memory = perRequestMemory(r, tp);
  const limit = Math.max(1, Math.min(memory.maxBatchThatFits, r.maxConcurrentSequences));
  const meets = (b: number) => {
    const x = perRequestTiming(r, tp, b);
    return (!x.decode || within(x.decode, r.latency.tpotMs)) && (!x.prefill || within(x.prefill, r.latency.ttftMs)) && within(x.request, r.latency.requestMs);
  };
  const choice = chooseBatch(r, limit, meets);
  const timing = perRequestTiming(r, tp, choice.batch);
  const rps: Band = { low: choice.batch / timing.cycle.high, expected: choice.batch / timing.cycle.expected, high: choice.batch / timing.cycle.low };
  const f = fleet(r, tp, rps);
  return {
    tp,
    fits: memory.fits,
    batch: choice.batch,
    batchChosenBy: choice.by,
    largestBatchMeetingTargets: choice.largest,
    meetsTargets: !hasTargets(r) || meets(choice.batch),
    maxConcurrency: limit,
    requestsPerSecPerReplica: rps,
    requestLatencySeconds: timing.request,
    ...f,
    continuous: null,
    perRequest: { memory, timing },
  };
}

/** Where a replica runs at the peak traffic: the load it carries and the latencies its users see there. */
export interface OperatingPoint {
  /** peak requests per second over the expected replicas */
  requestsPerSecPerReplica: number;
  /** that load over the replica's capacity at the batch it was sized at (expected figures) */
  utilisation: number;
  /** concurrent sequences (token models) or requests per batch (per-sample models) that carry the load */
  concurrency: number;
  ttftSeconds: Band | null;
  tpotSeconds: Band | null;
  requestSeconds: Band;
}

/** Smallest batch in [1, limit] whose expected throughput carries `rps` (throughput grows with the batch); limit if none does. */
function smallestBatchCarrying(limit: number, rps: number, throughput: (batch: number) => number): number {
  let lo = 1, hi = Math.max(1, limit);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (throughput(mid) >= rps) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The replica at the peak: each of the expected replicas carries peak ÷ replicas requests/s, and runs
 * the fewest concurrent sequences whose throughput carries it (Little's law, L = λW: Little 1961,
 * Operations Research 9(3) — the sequences in flight are the arrival rate × the time each stays), never
 * more than the batch it was sized at: below it the steps are shorter than at the sizing batch. Static
 * batches (per-sample models, Whisper) add the wait for the batch in progress. Null when the option
 * does not fit.
 */
export function operatingPoint(r: ResolvedInferenceInput, o: ServingOption): OperatingPoint | null {
  if (!o.fits || !Number.isFinite(o.replicas.expected) || o.replicas.expected < 1) return null;
  const rps = r.traffic.peakRequestsPerSec / o.replicas.expected;
  const utilisation = rps / o.requestsPerSecPerReplica.expected;
  if (o.continuous) {
    const s = o.continuous.steps;
    const out = s.t.outputTokens;
    const batch = smallestBatchCarrying(o.batch, rps, (b) => b / (averageStepAt(s, b).time.expected * out));
    const a = latencyAt(s, batch);
    return { requestsPerSecPerReplica: rps, utilisation, concurrency: batch, ttftSeconds: a.ttftSeconds, tpotSeconds: a.step.time, requestSeconds: a.requestSeconds };
  }
  // static batches: a request that arrives while a batch runs waits for it to finish, on average half
  // a batch's time, as often as the replica is busy (the share of time its batches run)
  const batch = smallestBatchCarrying(o.batch, rps, (b) => b / perRequestTiming(r, o.tp, b).cycle.expected);
  const x = perRequestTiming(r, o.tp, batch);
  const busy = Math.min(1, (rps * x.cycle.expected) / batch);
  const waited = (t: Band): Band => ({ low: t.low + (busy * x.cycle.low) / 2, expected: t.expected + (busy * x.cycle.expected) / 2, high: t.high + (busy * x.cycle.high) / 2 });
  return { requestsPerSecPerReplica: rps, utilisation, concurrency: batch, ttftSeconds: x.prefill && waited(x.prefill), tpotSeconds: x.decode, requestSeconds: waited(x.request) };
}

/**
 * Degrees to compare: those of 1, 2, 4, 8 that split the model's attention heads (`splitsHeads`, e.g.
 * `(tp) => splitsAttentionHeads(r.model, tp)`), and further doublings that split them while none of the
 * degrees holds the model (plus one).
 */
export function candidateDegrees(fitsAt: (tp: number) => boolean, splitsHeads: (tp: number) => boolean = anyDegree): number[] {
  const out = [1, 2, 4, 8].filter(splitsHeads);
  let firstFit = out.find(fitsAt);
  for (let tp = 16; tp <= MAX_TENSOR_PARALLEL && (firstFit === undefined || tp <= firstFit * 2); tp *= 2) {
    if (!splitsHeads(tp)) continue;
    out.push(tp);
    if (firstFit === undefined && fitsAt(tp)) firstFit = tp;
  }
  return out;
}

/** The default of candidateDegrees: no degree left out. */
const anyDegree = () => true;

export type TensorParallelChoice = "requested" | "cheapest-meeting-targets" | "fastest-none-meets-targets" | "fewest-that-fit" | "none-fits";

/**
 * Among the degrees that fit: the fewest GPUs for the traffic (so the lowest monthly cost on one
 * accelerator and price) that meets the latency targets; ties go to the lower request latency. When
 * none meets them, the fastest one (and the estimate says the targets are missed).
 */
export function chooseOption(options: ServingOption[]): { chosen: ServingOption | null; by: TensorParallelChoice } {
  const fitting = options.filter(fits);
  if (fitting.length === 0) return { chosen: null, by: "none-fits" };
  const meeting = fitting.filter(meetsTargets).sort(byCost);
  if (meeting.length > 0) return { chosen: meeting[0], by: "cheapest-meeting-targets" };
  const fastest = [...fitting].sort(byLatency)[0];
  return { chosen: fastest, by: "fastest-none-meets-targets" };
}

const fits = (o: ServingOption) => o.fits;
const meetsTargets = (o: ServingOption) => o.meetsTargets;
const byCost = (a: ServingOption, b: ServingOption) => a.gpus - b.gpus || a.requestLatencySeconds.expected - b.requestLatencySeconds.expected || a.tp - b.tp;
const byLatency = (a: ServingOption, b: ServingOption) => a.requestLatencySeconds.expected - b.requestLatencySeconds.expected || byCost(a, b);

/** Output tokens per second per GPU (token models) of an option. */
export function tokensPerSecPerGpu(r: ResolvedInferenceInput, o: ServingOption): Band | null {
  return r.tokens ? scaleBand(o.requestsPerSecPerReplica, r.tokens.outputTokens / o.tp) : null;
}

export function minConcurrencyForWarning(): number {
  return getDefaults().inference.serving.minConcurrentSequencesWarning.value;
}
