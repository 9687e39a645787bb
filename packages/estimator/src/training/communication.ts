// Data-parallel communication of a training run, and the MFU it leaves.
// - ZeRO stage 3 (PyTorch FSDP FULL_SHARD): every micro-step all-gathers the sharded weights twice (forward,
//   backward) and reduce-scatters the gradients, 3Ψ (Rajbhandari et al. 2020, ZeRO, §7.2). FSDP prefetches
//   the next layer's weights while one computes, so a micro-step takes max(compute, communication) (a
//   roofline with the link as its second ceiling, Williams, Waterman & Patterson 2009).
// - Stages 0–2 (DDP, ZeRO-1/2): one gradient synchronisation of 2Ψ per optimizer step (§7.2), after its
//   gradient-accumulation micro-steps (and a pipeline's drain); its buckets overlap only the last micro-step's backward pass
//   (Li et al. 2020, 'PyTorch Distributed', VLDB, §3.2: the bucketed all-reduce overlaps the backward pass,
//   and no_sync skips it while accumulating), so an optimizer step takes k × compute + max(0, traffic − that backward pass).
// - A mixture of experts pre-trained with expert parallelism (GShard, Lepikhin et al. 2020 §3.2; Megatron-LM's
//   --expert-model-parallel-size; DeepSeek-V2 §3.4.1: "8-way expert parallelism"): each GPU of an expert-parallel
//   group of e keeps 1/e of every layer's experts whole, so the experts are synchronised only among the d/e
//   GPUs that hold the same ones, and every micro-step the tokens go to their experts and back by all-to-all,
//   forward and backward. The all-to-all is counted with ZeRO-3's per-micro-step traffic (overlapping compute
//   as the gathers do, an optimistic reading); under stages 0–2 it is not counted.
import { getDefaults } from "../catalog";
import type { ResolvedAccelerator } from "../hardware";
import { ringLinkBytesPerS } from "../inference/communication";
import type { ZeroStage } from "../types";
import type { ModelStatesBytes } from "./memory";

export interface DataParallelRun {
  acc: ResolvedAccelerator;
  states: ModelStatesBytes;
  zeroStage: ZeroStage;
  gpus: number;
  tensorParallel: number;
  pipelineParallel: number;
  /** micro-steps per optimizer step on each GPU */
  gradientAccumulationSteps: number;
  /** model FLOPs of one micro-step on one GPU (its share of the model, its micro-batch) */
  modelFlopsPerMicroStepPerGpu: number;
  /** share of a micro-step's compute in its backward pass (with what it recomputes there) */
  backwardShare: number;
  peakFlopsPerS: number;
  /** a mixture of experts under expert parallelism; null for a dense model, or a stack that gathers every expert (FSDP) */
  experts: ExpertParallelRun | null;
}

/** What expert parallelism changes in a run's data-parallel traffic. */
export interface ExpertParallelRun {
  /** experts per MoE layer */
  experts: number;
  /** the routed experts' share of the model states (the rest is replicated over all data-parallel GPUs) */
  stateShare: number;
  /** bytes one GPU sends to other GPUs' experts in one micro-step at expert parallelism e → ∞: its tokens' hidden states to their top-k experts and back, forward and backward, over its layers (× (e − 1)/e) */
  allToAllBytesPerMicroStep: number;
}

/**
 * The expert-parallel degree at `dataParallel` GPUs: the largest divisor of the expert count that is at most
 * the data-parallel degree (Megatron-LM requires the expert-parallel size to divide both), so no expert is
 * split and no GPU holds two copies of one.
 */
export function expertParallelDegree(experts: number, dataParallel: number): number {
  for (let e = Math.min(experts, dataParallel); e > 1; e--) if (experts % e === 0 && dataParallel % e === 0) return e;
  return 1;
}

/**
 * Bytes one GPU sends per synchronisation of `collectiveBytes` (its model-parallel shard of a 3Ψ or 2Ψ
 * collective) over `dataParallel` GPUs: (d − 1)/d of it; under expert parallelism of degree e, the dense part
 * over all d, the experts' part — 1/e of them per GPU — over the d/e GPUs that hold the same experts.
 */
function collectiveBytesPerGpu(r: DataParallelRun, collectiveBytes: number, dataParallel: number): number {
  const x = r.experts;
  if (x === null) return ((dataParallel - 1) / dataParallel) * collectiveBytes;
  const e = expertParallelDegree(x.experts, dataParallel);
  const replicas = dataParallel / e;
  return (1 - x.stateShare) * collectiveBytes * ((dataParallel - 1) / dataParallel) + ((x.stateShare * collectiveBytes) / e) * ((replicas - 1) / replicas);
}

/** The tokens' all-to-all bytes of one micro-step on one GPU (0 for a dense model or one expert-parallel GPU). */
export function allToAllBytesPerMicroStep(r: DataParallelRun, dataParallel: number): number {
  const x = r.experts;
  if (x === null) return 0;
  const e = expertParallelDegree(x.experts, dataParallel);
  return x.allToAllBytesPerMicroStep * ((e - 1) / e);
}

export interface DataParallelTraffic {
  /** "zero-3": gathers and reduce-scatters every micro-step; "gradient-sync": once per optimizer step (stages 0–2) */
  kind: "zero-3" | "gradient-sync";
  /** bytes each GPU sends (and receives) per synchronisation: (d − 1)/d × the collective's bytes of its model-parallel shard */
  bytesPerGpu: number;
  /** per direction, × the link efficiency: the GPU link within a node, across nodes up to the group's NICs */
  busBytesPerS: number;
  /** the time one synchronisation takes on the link */
  seconds: number;
  /**
   * micro-step compute slots per synchronisation: 1 (ZeRO-3); stages 0–2, the optimizer step's m micro-steps
   * and, with p pipeline stages, the p − 1 slots the pipeline fills and drains in (the synchronisation follows them)
   */
  slotsPerSync: number;
  /** share of one micro-step's compute the synchronisation overlaps: all of it (ZeRO-3), its backward pass (stages 0–2) */
  overlapShare: number;
  /** one micro-step's model FLOPs on one GPU ÷ peak: its compute time at MFU 1 */
  computeSecondsAtFullMfu: number;
  /** the data-parallel group spans more than one node */
  crossesNodes: boolean;
  /** a mixture of experts' expert-parallel degree (its experts synchronised among the d/e GPUs holding the same ones, its tokens' all-to-all counted); null for a dense model or a run that gathers every expert */
  expertParallel: number | null;
}

/**
 * The data-parallel traffic of a run; null where there is none to count (one data-parallel GPU, or a
 * link the catalog has no figure for).
 *
 * Bandwidth per direction: half the GPU's bidirectional link (NVLink, Infinity Fabric, PCIe) within a node.
 * A group spanning nodes crosses them on its GPUs' NICs (one per GPU, `interNodeBandwidthBytesPerSPerGpu`):
 * NCCL's rings run as several channels, each entering and leaving a node on a NIC of its own, so a group
 * with k GPUs in a node crosses it at up to k NICs' bandwidth, never above the GPU link. (One ring on one
 * NIC would not carry llm-foundry's 70b row on 32 H100s, 4 nodes: 3 × 31/32 × 130 GB through every link
 * of the ring per 4.6 s micro-step is 81 GB/s, against a 400 Gb/s NIC's 50.) Both × the collective's
 * measured link efficiency.
 */
export function dataParallelTraffic(r: DataParallelRun): DataParallelTraffic | null {
  return r.zeroStage === 3 ? zero3Traffic(r) : gradientSyncTraffic(r);
}

/** ZeRO-3's per-micro-step traffic: the weights twice and the gradients once (3Ψ), and an MoE's all-to-all. */
function zero3Traffic(r: DataParallelRun): DataParallelTraffic | null {
  const shard = (2 * r.states.weights + r.states.gradients) / (r.tensorParallel * r.pipelineParallel);
  return trafficOf(r, "zero-3", (dp) => collectiveBytesPerGpu(r, shard, dp) + allToAllBytesPerMicroStep(r, dp), 1, 1);
}

/**
 * One gradient synchronisation of ZeRO stages 0–2 (2Ψ: a ring all-reduce, or a reduce-scatter and the
 * updated shards' all-gather; Rajbhandari et al. 2020 §7.2), once per optimizer step at the run's
 * gradient-accumulation steps, overlapping the last micro-step's backward pass.
 */
export function gradientSyncTraffic(r: DataParallelRun): DataParallelTraffic | null {
  const shard = (2 * r.states.gradients) / (r.tensorParallel * r.pipelineParallel);
  // an MoE's all-to-all runs within every micro-step, not with this once-per-step synchronisation: not counted here
  return trafficOf(r, "gradient-sync", (dp) => collectiveBytesPerGpu(r, shard, dp), syncSlots(r.gradientAccumulationSteps, r.pipelineParallel), r.backwardShare);
}

/** Compute slots of an optimizer step of m micro-steps on p pipeline stages: m + p − 1 (GPipe, 1F1B). */
export const syncSlots = (microSteps: number, pipelineParallel: number) => microSteps + pipelineParallel - 1;

function trafficOf(r: DataParallelRun, kind: DataParallelTraffic["kind"], bytesPerGpuAt: (dataParallel: number) => number, slotsPerSync: number, overlapShare: number): DataParallelTraffic | null {
  const modelParallel = r.tensorParallel * r.pipelineParallel;
  const dataParallel = Math.floor(r.gpus / modelParallel);
  const s = getDefaults().inference.serving;
  const node = s.gpusPerNode.value;
  // the group's GPUs in a node cross it on as many NICs
  const perDirection = ringLinkBytesPerS(r.acc, r.gpus, Math.max(1, Math.floor(node / modelParallel)));
  if (dataParallel <= 1 || perDirection === null) return null;
  const bytesPerGpu = bytesPerGpuAt(dataParallel);
  if (!(bytesPerGpu > 0)) return null;
  const busBytesPerS = perDirection * s.linkEfficiency.value;
  return {
    kind, bytesPerGpu, busBytesPerS, seconds: bytesPerGpu / busBytesPerS, slotsPerSync, overlapShare,
    computeSecondsAtFullMfu: r.modelFlopsPerMicroStepPerGpu / r.peakFlopsPerS, crossesNodes: r.gpus > node,
    expertParallel: r.experts === null ? null : expertParallelDegree(r.experts.experts, dataParallel),
  };
}

/** One micro-step's compute at an MFU, and the communication left exposed per synchronisation. */
export function communicationTimes(traffic: DataParallelTraffic, mfu: number): { computeSeconds: number; exposedSeconds: number } {
  const computeSeconds = traffic.computeSecondsAtFullMfu / mfu;
  return { computeSeconds, exposedSeconds: Math.max(0, traffic.seconds - traffic.overlapShare * computeSeconds) };
}

/**
 * The MFU multiplier of the communication: a synchronisation's compute slots over the time they take with
 * what the overlap leaves exposed, k·c ÷ (k·c + max(0, T − overlap·c)); 1 while compute hides it. For ZeRO-3
 * (k = 1, overlap 1) that is c ÷ max(c, T): the MFU capped at the one where compute takes T. With a pipeline,
 * k counts its fill and drain slots, so × the bubble m ÷ (m + p − 1) the step is m·c ÷ ((m + p − 1)·c + exposed).
 * `slotsPerSync` asks the same at another step count (a warning's option).
 */
export function communicationFactor(traffic: DataParallelTraffic | null, expectedMfu: number, slotsPerSync = traffic?.slotsPerSync ?? 1): number {
  if (traffic === null || expectedMfu <= 0) return 1;
  const { computeSeconds, exposedSeconds } = communicationTimes(traffic, expectedMfu);
  const compute = slotsPerSync * computeSeconds;
  return compute / (compute + exposedSeconds);
}
