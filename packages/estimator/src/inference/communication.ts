// Tensor-parallel communication: a ring all-reduce moves 2·(t−1)/t of the message over each GPU's
// link (Patarasuk & Yuan 2009; NCCL's "bus bandwidth" convention), plus a fixed latency per call.
import { getDefaults } from "../catalog";
import type { ResolvedAccelerator } from "../hardware";

/** Bandwidth one direction of the slowest link in a t-GPU ring: NVLink/PCIe in a node, the node network beyond. */
export function ringLinkBytesPerS(acc: ResolvedAccelerator, tp: number): number | null {
  const s = getDefaults().inference.serving;
  const intra = acc.interconnect.bandwidthBytesPerS;
  if (intra === null) return null;
  const perDirection = intra / 2;
  if (tp <= s.gpusPerNode.value) return perDirection;
  return Math.min(perDirection, s.interNodeBandwidthBytesPerSPerGpu.value / 2);
}

/** Seconds of one all-reduce of `bytes` over `tp` GPUs (0 for one GPU; latency only when the link is unknown). */
export function allReduceSeconds(acc: ResolvedAccelerator, tp: number, bytes: number): number {
  if (tp <= 1) return 0;
  const s = getDefaults().inference.serving;
  const link = ringLinkBytesPerS(acc, tp);
  const transfer = link === null ? 0 : ((2 * (tp - 1)) / tp) * bytes / (link * s.linkEfficiency.value);
  return s.allReduceLatencySeconds.value + transfer;
}
