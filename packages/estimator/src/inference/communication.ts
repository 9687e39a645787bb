// Tensor-parallel communication: a ring all-reduce moves 2·(t−1)/t of the message over each GPU's
// link (Patarasuk & Yuan 2009; NCCL's "bus bandwidth" convention), plus a fixed latency per call from
// NCCL's own cost model (fixed-costs.ts).
import { getDefaults } from "../catalog";
import { allReduceLatencySeconds } from "./fixed-costs";
import type { ResolvedAccelerator } from "../hardware";

/**
 * Bandwidth one direction of the slowest link in a ring over GPUs placed on `spanGpus` GPUs' worth of
 * nodes: NVLink/PCIe in a node, the node network beyond — `nicsPerNode` NICs at once, never above the GPU
 * link (NCCL runs a ring as several channels, each entering and leaving a node on a NIC of its own).
 */
export function ringLinkBytesPerS(acc: ResolvedAccelerator, spanGpus: number, nicsPerNode = 1): number | null {
  const s = getDefaults().inference.serving;
  const intra = acc.interconnect.bandwidthBytesPerS;
  if (intra === null) return null;
  const perDirection = intra / 2;
  if (spanGpus <= s.gpusPerNode.value) return perDirection;
  return Math.min(perDirection, (nicsPerNode * s.interNodeBandwidthBytesPerSPerGpu.value) / 2);
}

/** The figures of a ring all-reduce over `tp` > 1 GPUs that do not depend on the message. */
export interface AllReduceLink {
  latencySeconds: number;
  /** 2·(t−1)/t: the share of the message each GPU sends and receives */
  ringFactor: number;
  /** link bandwidth one direction × link efficiency; null when the link is unknown (latency only) */
  effectiveBytesPerS: number | null;
}

/** `latencySeconds` overrides NCCL's model (the request's allReduceLatencyMicroseconds). */
export function allReduceLink(acc: ResolvedAccelerator, tp: number, latencySeconds?: number): AllReduceLink {
  const s = getDefaults().inference.serving;
  const link = ringLinkBytesPerS(acc, tp);
  return { latencySeconds: latencySeconds ?? allReduceLatencySeconds(tp, acc.interconnect.kind, s.gpusPerNode.value), ringFactor: (2 * (tp - 1)) / tp, effectiveBytesPerS: link === null ? null : link * s.linkEfficiency.value };
}

/** Seconds of one all-reduce of `bytes` over a link. */
export function allReduceOver(l: AllReduceLink, bytes: number): number {
  const transfer = l.effectiveBytesPerS === null ? 0 : (l.ringFactor * bytes) / l.effectiveBytesPerS;
  return l.latencySeconds + transfer;
}

/** Seconds of one all-reduce of `bytes` over `tp` GPUs (0 for one GPU; latency only when the link is unknown). */
export function allReduceSeconds(acc: ResolvedAccelerator, tp: number, bytes: number): number {
  return tp <= 1 ? 0 : allReduceOver(allReduceLink(acc, tp), bytes);
}
