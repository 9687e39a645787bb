// Data-parallel communication of a ZeRO-3 run (PyTorch FSDP FULL_SHARD): every micro-step all-gathers the
// sharded weights twice (forward, backward) and reduce-scatters the gradients, 3Ψ against the 2Ψ per
// optimizer step of plain data parallelism (Rajbhandari et al. 2020, ZeRO, §7.2). FSDP prefetches the next
// layer's weights while one computes, so a micro-step takes max(compute, communication) (a roofline with
// the link as its second ceiling, Williams, Waterman & Patterson 2009): communication caps the MFU at the
// micro-step's model FLOPs ÷ (peak × its communication time).
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
  /** model FLOPs of one micro-step on one GPU (its share of the model, its micro-batch) */
  modelFlopsPerMicroStepPerGpu: number;
  peakFlopsPerS: number;
}

export interface DataParallelTraffic {
  /** bytes each GPU sends (and receives) per micro-step: (d − 1)/d × (2 × weights + gradients) of its model-parallel shard */
  bytesPerGpuPerMicroStep: number;
  /** per direction, × the link efficiency: the GPU link within a node, across nodes up to the group's NICs */
  busBytesPerS: number;
  secondsPerMicroStep: number;
  /** the MFU at which a micro-step's compute takes as long as its communication */
  mfuCap: number;
  /** the data-parallel group spans more than one node */
  crossesNodes: boolean;
}

/**
 * The per-micro-step traffic of a ZeRO-3 run and the MFU it caps; null where there is none to count: a
 * stage below 3 (its gradients are synchronised once per optimizer step, after gradient accumulation, not
 * modelled), one data-parallel GPU, or a link the catalog has no figure for.
 *
 * Bandwidth per direction: half the GPU's bidirectional link (NVLink, Infinity Fabric, PCIe) within a node.
 * A group spanning nodes crosses them on its GPUs' NICs (one per GPU, `interNodeBandwidthBytesPerSPerGpu`):
 * NCCL's rings run as several channels, each entering and leaving a node on a NIC of its own, so a group
 * with k GPUs in a node crosses it at up to k NICs' bandwidth, never above the GPU link. (One ring on one
 * NIC would not carry llm-foundry's 70b row on 32 H100s, 4 nodes: 3 × 31/32 × 130 GB through every link
 * of the ring per 4.6 s micro-step is 81 GB/s, against a 400 Gb/s NIC's 50.) Both × the collective's
 * measured link efficiency.
 */
export function zero3Traffic(r: DataParallelRun): DataParallelTraffic | null {
  if (r.zeroStage !== 3) return null;
  return trafficOf(r, (2 * r.states.weights + r.states.gradients) / (r.tensorParallel * r.pipelineParallel));
}

/**
 * One gradient synchronisation of ZeRO stages 0–2 (2Ψ: a ring all-reduce, or a reduce-scatter and the
 * updated shards' all-gather; Rajbhandari et al. 2020 §7.2), which they run once per optimizer step: the
 * traffic a run at ZeRO stage 1 spreads over its gradient-accumulation steps. Null where there is none.
 */
export function gradientSyncTraffic(r: DataParallelRun): DataParallelTraffic | null {
  return trafficOf(r, (2 * r.states.gradients) / (r.tensorParallel * r.pipelineParallel));
}

function trafficOf(r: DataParallelRun, shardBytes: number): DataParallelTraffic | null {
  const modelParallel = r.tensorParallel * r.pipelineParallel;
  const dataParallel = Math.floor(r.gpus / modelParallel);
  const s = getDefaults().inference.serving;
  const node = s.gpusPerNode.value;
  // the group's GPUs in a node cross it on as many NICs
  const perDirection = ringLinkBytesPerS(r.acc, r.gpus, Math.max(1, Math.floor(node / modelParallel)));
  if (dataParallel <= 1 || perDirection === null) return null;
  const crossesNodes = r.gpus > node;
  const busBytesPerS = perDirection * s.linkEfficiency.value;
  const bytesPerGpuPerMicroStep = ((dataParallel - 1) / dataParallel) * shardBytes;
  const secondsPerMicroStep = bytesPerGpuPerMicroStep / busBytesPerS;
  return { bytesPerGpuPerMicroStep, busBytesPerS, secondsPerMicroStep, mfuCap: r.modelFlopsPerMicroStepPerGpu / (r.peakFlopsPerS * secondsPerMicroStep), crossesNodes };
}

/** The MFU multiplier of the communication: 1 while compute hides it, else cap ÷ the expected MFU. */
export function communicationFactor(traffic: DataParallelTraffic | null, expectedMfu: number): number {
  if (traffic === null || expectedMfu <= 0) return 1;
  return Math.min(1, traffic.mfuCap / expectedMfu);
}
