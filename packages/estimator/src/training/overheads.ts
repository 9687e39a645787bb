// What a request's layout costs beyond the published MFU model, said in its assumptions and warnings:
// data-parallel communication (communication.ts computes it) and the pipeline bubble.
import { getDefaults } from "../catalog";
import type { SourcedBand, ZeroStage } from "../types";
import { bytesToGb } from "../units";
import { communicationFactor, communicationTimes, syncSlots, type DataParallelTraffic } from "./communication";
import type { ResolvedTrainingInput } from "./parse";

/** The MFU after the communication factor, and the traffic behind it. */
export interface CommunicationOutcome {
  mfu: SourcedBand;
  communicationFactor: number;
  traffic: DataParallelTraffic | null;
}

/**
 * modelplan choice: a run is warned about where communication or the pipeline bubble leaves less than this
 * share of its MFU, and the changes the warning names bring it back to at least this share.
 */
const EFFICIENCY_WARNING_FACTOR = 0.9;

/** The share of an optimizer step of m micro-batches a stage of a p-stage pipeline computes: m ÷ (m + p − 1). */
export const bubbleAt = (pipelineParallel: number, microSteps: number) => microSteps / syncSlots(microSteps, pipelineParallel);

/** Fewest micro-batches per optimizer step whose bubble leaves at least EFFICIENCY_WARNING_FACTOR: m ≥ f/(1 − f) × (p − 1). */
const stepsForBubble = (pipelineParallel: number) => Math.ceil((EFFICIENCY_WARNING_FACTOR / (1 - EFFICIENCY_WARNING_FACTOR)) * (pipelineParallel - 1) - 1e-9);

/**
 * The pipeline bubble: p stages and m micro-batches per optimizer step (its gradient-accumulation steps)
 * take m + p − 1 micro-batch slots, in which each stage computes m, while the pipeline fills and drains
 * (GPipe, Huang et al. 2019; the same for 1F1B, Narayanan et al. 2021 §2.2.1: bubble time fraction
 * (p − 1)/m). So the MFU is × m/(m + p − 1), listed as an assumption. 1 without pipeline parallelism, and
 * for a utilisation the request gives. `m`: the run's micro-batches per optimizer step.
 */
export function pipelineBubble(r: ResolvedTrainingInput, m: number): number {
  const p = r.pipelineParallel;
  if (p <= 1 || r.utilisationOverride) return 1;
  const factor = bubbleAt(p, m);
  r.log.add(
    "MFU × pipeline bubble",
    factor,
    "ratio",
    `${p} pipeline stages and ${microBatches(m)} per optimizer step (gradientAccumulationSteps) take ${m + p - 1} micro-batch slots, of which each stage computes ${m} while the pipeline fills and drains: ` +
      `m ÷ (m + p − 1) (GPipe, Huang et al. 2019; 1F1B, Narayanan et al. 2021 §2.2.1: bubble time fraction (p − 1)/m)`,
  );
  return factor;
}

/** Where the bubble leaves less than EFFICIENCY_WARNING_FACTOR: the micro-batches per step that keep it within, if a stage's activations for them fit. */
export function pipelineBubbleWarning(r: ResolvedTrainingInput, m: number, bubbleFactor: number, onGpus: OnGpus, fitsAt: FitsAt): string | null {
  if (bubbleFactor >= EFFICIENCY_WARNING_FACTOR) return null;
  const p = r.pipelineParallel, enough = stepsForBubble(p);
  const idle = `pipelineParallel ${p} with ${microBatches(m)} per optimizer step leaves each stage idle ${Math.round((1 - bubbleFactor) * 100)}% of the step (the pipeline bubble)`;
  return fitsAt(r.microBatch, r.zeroStage, enough)
    ? `${idle}; ${onGpus.prefix}gradientAccumulationSteps ${enough} or more keeps it to a tenth or less (${microBatches(enough)} per step${batchAt(onGpus, enough)})`
    : `${idle}; gradientAccumulationSteps ${enough} would keep it to a tenth or less, but a stage then holds ${Math.min(enough, p)} micro-batches' activations, which do not fit ${onGpus.where}`;
}

const gb = (bytes: number) => bytesToGb(bytes).toPrecision(3);
const time = (seconds: number) => (seconds < 1 ? `${Math.round(seconds * 1e3)} ms` : `${seconds.toPrecision(3)} s`);
const microSteps = (n: number) => (n === 1 ? "one micro-step" : `${n} micro-steps`);
const microBatches = (n: number) => (n === 1 ? "one micro-batch" : `${n} micro-batches`);

/** Fewest compute slots per synchronisation that keep the factor at EFFICIENCY_WARNING_FACTOR: k·c ≥ f/(1 − f) × exposed. */
const slotsFor = (computeSeconds: number, exposedSeconds: number) =>
  Math.max(1, Math.ceil((EFFICIENCY_WARNING_FACTOR / (1 - EFFICIENCY_WARNING_FACTOR)) * (exposedSeconds / computeSeconds) - 1e-9));

/** Whether the run fits on the answer's GPUs at a micro-batch, ZeRO stage and micro-batches per optimizer step. */
export type FitsAt = (microBatch: number, zeroStage: ZeroStage, gradientAccumulationSteps: number) => boolean;

/** How a suggestion names the GPUs it was checked on (as asked, or the count the estimate chose, which a change would move), and the batch it implies. */
export interface OnGpus {
  /** "" where the request gave gpus, else "on these N GPUs (give gpus N) " */
  prefix: string;
  /** "on these GPUs" or "on these N GPUs" */
  where: string;
  /** tokens all data-parallel GPUs take per micro-step (a language model), null otherwise: a step count's global batch */
  tokensPerMicroStep: number | null;
}

export function onGpus(requested: number | undefined, gpus: number, tokensPerMicroStep: number | null): OnGpus {
  return requested === undefined
    ? { prefix: `on these ${gpus.toLocaleString("en-US")} GPUs (give gpus ${gpus}) `, where: `on these ${gpus.toLocaleString("en-US")} GPUs`, tokensPerMicroStep }
    : { prefix: "", where: "on these GPUs", tokensPerMicroStep };
}

/** A token count in K, M or B, three significant figures. */
export const tokenCount = (tokens: number) =>
  tokens >= 1e9 ? `${(tokens / 1e9).toPrecision(3)}B` : tokens >= 1e6 ? `${(tokens / 1e6).toPrecision(3)}M` : tokens >= 1e3 ? `${(tokens / 1e3).toPrecision(3)}K` : `${Math.round(tokens)}`;

/** "; a global batch of N tokens" for a change to `steps` micro-steps per optimizer step (a language model), else "". */
const batchAt = (on: OnGpus, steps: number) => (on.tokensPerMicroStep === null ? "" : `; a global batch of ${tokenCount(on.tokensPerMicroStep * steps)} tokens`);

/**
 * Logs the communication factor of a data-parallel run (none where there is no traffic to count) and returns
 * a warning where communication costs more than a tenth of the MFU, naming the changes that hide it and fit
 * (checked on the answer's GPUs, at the micro-batches per step the change implies): a micro-batch large
 * enough that its compute (ZeRO-3) or its backward pass (stages 0–2) outlasts the traffic, which does not
 * grow with it; more gradient-accumulation steps (stages 0–2), or ZeRO stage 1 (from stage 3), which gathers
 * no weights and synchronises the gradients once per optimizer step. MFU figures in the warning include the
 * pipeline bubble at the micro-batches per step they are for, as the answer's MFU does. `m`: the run's
 * micro-batches per optimizer step.
 */
export function logCommunication(r: ResolvedTrainingInput, m: number, t: CommunicationOutcome, bubbleFactor: number, gradientSync: DataParallelTraffic | null, on: OnGpus, fitsAt: FitsAt): string | null {
  const traffic = t.traffic;
  if (traffic === null) return null;
  const s = getDefaults().inference.serving;
  const p = r.pipelineParallel;
  // the MFU of a micro-step's compute, before the communication and the pipeline bubble (idle slots between them)
  const mfuCompute = t.mfu.expected / (t.communicationFactor * bubbleFactor);
  const mfuBefore = mfuCompute * bubbleFactor;
  const { computeSeconds, exposedSeconds } = communicationTimes(traffic, mfuCompute);
  const link = `${r.acc.id}'s ${r.acc.interconnect.kind ?? "GPU"} link${traffic.crossesNodes ? ` within a node and its GPUs' NICs across nodes (${gb(s.interNodeBandwidthBytesPerSPerGpu.value / 2)} GB/s each way: ${s.interNodeBandwidthBytesPerSPerGpu.source}), as many at once as the group has GPUs in a node` : ""}`;
  const experts = traffic.expertParallel === null ? "" : ` (a mixture of experts at expert parallelism ${traffic.expertParallel}: the dense weights over every data-parallel GPU, the routed experts only among the GPUs holding the same ones, and the tokens' all-to-all to their experts and back)`;
  const over = `${gb(traffic.bytesPerGpu)} GB per GPU${experts} over the ${link}, at ${gb(traffic.busBytesPerS)} GB/s (per direction × ${s.linkEfficiency.value} link efficiency: ${s.linkEfficiency.source}), take ${time(traffic.seconds)}`;
  const bound = t.communicationFactor < 1;
  const k = traffic.slotsPerSync;
  const drain = p > 1 ? ` and the pipeline's ${p - 1} slot${p === 2 ? "" : "s"} of fill and drain` : "";
  if (traffic.kind === "zero-3") {
    r.log.add(
      "MFU × ZeRO-3 communication",
      t.communicationFactor,
      "ratio",
      `every micro-step ZeRO stage 3 (FSDP FULL_SHARD) all-gathers the weights twice and reduce-scatters the gradients, 3Ψ (Rajbhandari et al. 2020, ZeRO, §7.2): ${over} ` +
        `against ${time(computeSeconds)} of compute at the expected MFU ${mfuCompute.toFixed(3)}. FSDP gathers the next layer's weights while one computes, so a micro-step takes the longer of the two: ` +
        (bound ? `the MFU is capped at ${(mfuCompute * t.communicationFactor).toFixed(3)}, the band scaled with it` : "compute hides the traffic"),
    );
  } else {
    r.log.add(
      "MFU × gradient synchronisation",
      t.communicationFactor,
      "ratio",
      `once per optimizer step (${microSteps(m)}${drain}) ZeRO stage ${r.zeroStage} synchronises the gradients, 2Ψ (Rajbhandari et al. 2020, ZeRO, §7.2): ${over}, ` +
        `overlapping only the last micro-step's backward pass, ${time(traffic.overlapShare * computeSeconds)} of its ${time(computeSeconds)} of compute at the expected MFU ${mfuCompute.toFixed(3)} ` +
        `(Li et al. 2020, 'PyTorch Distributed', VLDB, §3.2: the bucketed all-reduce runs during the backward pass, and not at all while gradients accumulate): ` +
        (bound ? `${time(exposedSeconds)} left exposed per ${time(k * computeSeconds)} of the step, the MFU × ${t.communicationFactor.toFixed(3)}, the band scaled with it` : "compute hides the traffic"),
    );
  }
  if (t.communicationFactor >= EFFICIENCY_WARNING_FACTOR) return null;

  const options: string[] = [];
  // the answer's MFU after a change: the compute MFU × the bubble at its micro-batches per step × its communication factor
  const mfuWith = (steps: number, factor: number) => `MFU ${(mfuCompute * (p > 1 ? bubbleAt(p, steps) : 1) * factor).toFixed(3)}`;
  // a micro-batch whose compute (ZeRO-3), or backward pass (stages 0–2), outlasts the same traffic
  const microBatch = Math.ceil(r.microBatch * (traffic.seconds / (traffic.overlapShare * computeSeconds)) - 1e-9);
  if (fitsAt(microBatch, r.zeroStage, m)) options.push(`microBatchSize ${microBatch} (its ${traffic.kind === "zero-3" ? "compute" : "backward pass"} outlasts the same traffic)`);
  if (traffic.kind === "gradient-sync") {
    const more = Math.max(m + 1, slotsFor(computeSeconds, exposedSeconds) - (p - 1));
    if (fitsAt(r.microBatch, r.zeroStage, more)) {
      const factor = communicationFactor(traffic, mfuCompute, syncSlots(more, p));
      options.push(`gradientAccumulationSteps ${more} (the same synchronisation once per ${microSteps(more)}: ${mfuWith(more, factor)}${batchAt(on, more)})`);
    }
  } else if (gradientSync !== null) {
    // stage 1 gathers no weights; its gradient synchronisation (2Ψ) comes once per optimizer step
    const sync = communicationTimes(gradientSync, mfuCompute);
    const need = sync.exposedSeconds === 0 ? m : Math.max(m, slotsFor(sync.computeSeconds, sync.exposedSeconds) - (p - 1));
    if (fitsAt(r.microBatch, 1, need)) {
      const atNeed = communicationFactor(gradientSync, mfuCompute, syncSlots(need, p));
      options.push(
        `zeroStage 1${need !== m ? ` with gradientAccumulationSteps ${need}` : ""} (no weights gathered; its gradients, ${time(gradientSync.seconds)} on the link, are synchronised once per optimizer step${atNeed < 1 ? `: ${mfuWith(need, atNeed)}` : `, behind the last backward pass: ${mfuWith(need, 1)}`}${need !== m ? batchAt(on, need) : ""})`,
      );
    }
  }
  const what =
    traffic.kind === "zero-3"
      ? `ZeRO-3 moves ${gb(traffic.bytesPerGpu)} GB per GPU every micro-step, ${time(traffic.seconds)} over the ${r.acc.interconnect.kind ?? "GPU"} link${traffic.crossesNodes ? "s and NICs" : ""} against ${time(computeSeconds)} of compute`
      : `ZeRO stage ${r.zeroStage} synchronises ${gb(traffic.bytesPerGpu)} GB of gradients per GPU once per optimizer step, ${time(traffic.seconds)} over the ${r.acc.interconnect.kind ?? "GPU"} link${traffic.crossesNodes ? "s and NICs" : ""}, ${time(exposedSeconds)} of it after the last backward pass (${microSteps(m)} of ${time(computeSeconds)}${drain})`;
  return (
    `data-parallel communication bounds this run: ${what}, so the expected MFU falls from ${mfuBefore.toFixed(3)} to ${t.mfu.expected.toFixed(3)}` +
    (options.length > 0 ? `; ${on.prefix}it fits with ${options.join(", or ")}` : `; no change named here hides it and fits ${on.where}`)
  );
}
