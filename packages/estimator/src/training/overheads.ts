// What a request's layout costs beyond the published MFU model, said in its assumptions and warnings:
// data-parallel communication (communication.ts computes it) and the pipeline bubble.
import { getDefaults } from "../catalog";
import type { SourcedBand, ZeroStage } from "../types";
import { bytesToGb } from "../units";
import { communicationFactor, communicationTimes, type DataParallelTraffic } from "./communication";
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

/**
 * The pipeline bubble: p stages and m micro-batches per optimizer step (its gradient-accumulation steps)
 * take m + p − 1 micro-batch slots, in which each stage computes m, while the pipeline fills and drains
 * (GPipe, Huang et al. 2019; the same for 1F1B, Narayanan et al. 2021 §2.2.1: bubble time fraction
 * (p − 1)/m). So the MFU is × m/(m + p − 1), listed as an assumption, with a warning where a stage idles more
 * than a tenth of the step. 1 without pipeline parallelism, and for a utilisation the request gives.
 */
export function pipelineBubble(r: ResolvedTrainingInput): { factor: number; warning: string | null } {
  const p = r.pipelineParallel, m = r.gradientAccumulationSteps;
  if (p <= 1 || r.utilisationOverride) return { factor: 1, warning: null };
  const factor = m / (m + p - 1);
  r.log.add(
    "MFU × pipeline bubble",
    factor,
    "ratio",
    `${p} pipeline stages and ${m} micro-batch${m === 1 ? "" : "es"} per optimizer step (gradientAccumulationSteps) take ${m + p - 1} micro-batch slots, of which each stage computes ${m} while the pipeline fills and drains: ` +
      `m ÷ (m + p − 1) (GPipe, Huang et al. 2019; 1F1B, Narayanan et al. 2021 §2.2.1: bubble time fraction (p − 1)/m)`,
  );
  if (factor >= EFFICIENCY_WARNING_FACTOR) return { factor, warning: null };
  const enough = Math.ceil((EFFICIENCY_WARNING_FACTOR / (1 - EFFICIENCY_WARNING_FACTOR)) * (p - 1) - 1e-9);
  return {
    factor,
    warning: `pipelineParallel ${p} with ${m} micro-batch${m === 1 ? "" : "es"} per optimizer step leaves each stage idle ${Math.round((1 - factor) * 100)}% of the step (the pipeline bubble); gradientAccumulationSteps ${enough} or more keeps it under a tenth`,
  };
}

const gb = (bytes: number) => bytesToGb(bytes).toPrecision(3);
const time = (seconds: number) => (seconds < 1 ? `${Math.round(seconds * 1e3)} ms` : `${seconds.toPrecision(3)} s`);

/** Fewest micro-steps per synchronisation whose compute keeps the factor at EFFICIENCY_WARNING_FACTOR: k·c ≥ f/(1 − f) × exposed. */
const accumulationFor = (computeSeconds: number, exposedSeconds: number) =>
  Math.max(1, Math.ceil((EFFICIENCY_WARNING_FACTOR / (1 - EFFICIENCY_WARNING_FACTOR)) * (exposedSeconds / computeSeconds) - 1e-9));

/**
 * Logs the communication factor of a data-parallel run (none where there is no traffic to count) and returns
 * a warning where communication costs more than a tenth of the MFU, naming the changes that hide it and fit: a micro-batch large
 * enough that its compute (ZeRO-3) or its backward pass (stages 0–2) outlasts the traffic, which does not
 * grow with it; more gradient-accumulation steps (stages 0–2), or ZeRO stage 1 (from stage 3), which gathers
 * no weights and synchronises the gradients once per optimizer step.
 */
export function logCommunication(r: ResolvedTrainingInput, t: CommunicationOutcome, bubbleFactor: number, gradientSync: DataParallelTraffic | null, fitsAt: (microBatch: number, zeroStage: ZeroStage) => boolean): string | null {
  const traffic = t.traffic;
  if (traffic === null) return null;
  const s = getDefaults().inference.serving;
  // the MFU of the micro-steps' compute: before the communication and the pipeline bubble (idle time between them)
  const mfuBefore = t.mfu.expected / (t.communicationFactor * bubbleFactor);
  const mfuAfter = mfuBefore * t.communicationFactor;
  const { computeSeconds, exposedSeconds } = communicationTimes(traffic, mfuBefore);
  const link = `${r.acc.id}'s ${r.acc.interconnect.kind ?? "GPU"} link${traffic.crossesNodes ? ` within a node and its GPUs' NICs across nodes (${gb(s.interNodeBandwidthBytesPerSPerGpu.value / 2)} GB/s each way: ${s.interNodeBandwidthBytesPerSPerGpu.source}), as many at once as the group has GPUs in a node` : ""}`;
  const over = `${gb(traffic.bytesPerGpu)} GB per GPU over the ${link}, at ${gb(traffic.busBytesPerS)} GB/s (per direction × ${s.linkEfficiency.value} link efficiency: ${s.linkEfficiency.source}), take ${time(traffic.seconds)}`;
  const bound = t.communicationFactor < 1;
  const scaled = `the MFU × ${t.communicationFactor.toFixed(3)}, the band scaled with it`;
  const k = traffic.microStepsPerSync;
  const steps = (n: number) => `${n} micro-step${n === 1 ? "" : "s"}`;
  if (traffic.kind === "zero-3") {
    r.log.add(
      "MFU × ZeRO-3 communication",
      t.communicationFactor,
      "ratio",
      `every micro-step ZeRO stage 3 (FSDP FULL_SHARD) all-gathers the weights twice and reduce-scatters the gradients, 3Ψ (Rajbhandari et al. 2020, ZeRO, §7.2): ${over} ` +
        `against ${time(computeSeconds)} of compute at the expected MFU ${mfuBefore.toFixed(3)}. FSDP gathers the next layer's weights while one computes, so a micro-step takes the longer of the two: ` +
        (bound ? `the MFU is capped at ${mfuAfter.toFixed(3)}, the band scaled with it` : "compute hides the traffic"),
    );
  } else {
    r.log.add(
      "MFU × gradient synchronisation",
      t.communicationFactor,
      "ratio",
      `once per optimizer step (every ${steps(k)}) ZeRO stage ${r.zeroStage} synchronises the gradients, 2Ψ (Rajbhandari et al. 2020, ZeRO, §7.2): ${over}, ` +
        `overlapping only the last micro-step's backward pass, ${time(traffic.overlapShare * computeSeconds)} of its ${time(computeSeconds)} of compute at the expected MFU ${mfuBefore.toFixed(3)} ` +
        `(Li et al. 2020, 'PyTorch Distributed', VLDB, §3.2: the bucketed all-reduce runs during the backward pass, and not at all while gradients accumulate): ` +
        (bound ? `${time(exposedSeconds)} left exposed per ${time(k * computeSeconds)} of compute, ${scaled}` : "compute hides the traffic"),
    );
  }
  if (t.communicationFactor >= EFFICIENCY_WARNING_FACTOR) return null;

  const options: string[] = [];
  const mfuWith = (factor: number) => `MFU ${(mfuBefore * factor).toFixed(3)}`;
  // a micro-batch whose compute (ZeRO-3), or backward pass (stages 0–2), outlasts the same traffic
  const microBatch = Math.ceil(r.microBatch * (traffic.seconds / (traffic.overlapShare * computeSeconds)) - 1e-9);
  if (fitsAt(microBatch, r.zeroStage)) options.push(`microBatchSize ${microBatch} (its ${traffic.kind === "zero-3" ? "compute" : "backward pass"} outlasts the same traffic)`);
  if (traffic.kind === "gradient-sync") {
    const more = Math.max(k + 1, accumulationFor(computeSeconds, exposedSeconds));
    options.push(`gradientAccumulationSteps ${more} (the same synchronisation once per ${steps(more)}: ${mfuWith(communicationFactor({ ...traffic, microStepsPerSync: more }, mfuBefore))})`);
  } else if (gradientSync !== null && fitsAt(r.microBatch, 1)) {
    // stage 1 gathers no weights; its gradient synchronisation (2Ψ) comes once per optimizer step
    const sync = communicationTimes(gradientSync, mfuBefore);
    const need = sync.exposedSeconds === 0 ? gradientSync.microStepsPerSync : Math.max(gradientSync.microStepsPerSync, accumulationFor(sync.computeSeconds, sync.exposedSeconds));
    const atNeed = communicationFactor({ ...gradientSync, microStepsPerSync: need }, mfuBefore);
    options.push(
      `zeroStage 1${need !== gradientSync.microStepsPerSync ? ` with gradientAccumulationSteps ${need}` : ""} (no weights gathered; its gradients, ${time(gradientSync.seconds)} on the link, are synchronised once per optimizer step${atNeed < 1 ? `: ${mfuWith(atNeed)}` : ", behind the last backward pass"})`,
    );
  } else if (gradientSync === null && fitsAt(r.microBatch, 1)) {
    options.push("zeroStage 1 (no weights gathered)");
  }
  const what =
    traffic.kind === "zero-3"
      ? `ZeRO-3 moves ${gb(traffic.bytesPerGpu)} GB per GPU every micro-step, ${time(traffic.seconds)} over the ${r.acc.interconnect.kind ?? "GPU"} link${traffic.crossesNodes ? "s and NICs" : ""} against ${time(computeSeconds)} of compute`
      : `ZeRO stage ${r.zeroStage} synchronises ${gb(traffic.bytesPerGpu)} GB of gradients per GPU once per optimizer step, ${time(traffic.seconds)} over the ${r.acc.interconnect.kind ?? "GPU"} link${traffic.crossesNodes ? "s and NICs" : ""}, ${time(exposedSeconds)} of it after the last backward pass of ${steps(k)} of ${time(computeSeconds)}`;
  return (
    `data-parallel communication bounds this run: ${what}, so the expected MFU falls from ${mfuBefore.toFixed(3)} to ${mfuAfter.toFixed(3)}` +
    (options.length > 0 ? `; it fits with ${options.join(", or ")}` : "; no micro-batch that hides it fits on these GPUs")
  );
}
