// What an engine step costs beyond streaming bytes and doing arithmetic: the boundaries between its
// kernels (launch, ramp-up and tail of each kernel, during which no weights stream), and the weight-only
// kernels of PyTorch-native decoding that dequantise as they read. Both come from published batch-1
// measurements that are not validation cases.
import { getAccelerator, getDefaults } from "../catalog";
import type { WeightOnlyKernelRow } from "../catalog/records";
import { isDecoderLike, resolveModel } from "../model/resolve";

let perLayerSeconds: number | null = null;

/**
 * Seconds per decoder layer per engine step lost at kernel boundaries (Hazy Research 2025): a reference
 * model's batch-1 decode reaches `kernelSequenceBandwidthShare` of the bandwidth as a sequence of kernels
 * and `singleKernelBandwidthShare` as one kernel, so the boundaries cost
 * weightBytes ÷ bandwidth × (1/kernelSequence − 1/singleKernel), spread over its layers.
 */
export function kernelBoundarySecondsPerLayer(): number {
  if (perLayerSeconds !== null) return perLayerSeconds;
  const k = getDefaults().inference.serving.kernelBoundaries;
  const m = resolveModel({ preset: k.referencePreset });
  const acc = getAccelerator(k.referenceAccelerator);
  const bandwidth = acc?.memoryBandwidthBytesPerS.value;
  if (!isDecoderLike(m) || typeof bandwidth !== "number") throw new Error(`kernel-boundary reference ${k.referencePreset} on ${k.referenceAccelerator} is not in the catalog`);
  // bf16 weights, every one streamed per token (Llama-3.2-1B ties its LM head to the embedding table)
  const secondsAtFullBandwidth = (m.parameters * 2) / bandwidth;
  perLayerSeconds = (secondsAtFullBandwidth * (1 / k.kernelSequenceBandwidthShare - 1 / k.singleKernelBandwidthShare)) / m.layers;
  return perLayerSeconds;
}

export interface WeightOnlyKernelPoint {
  preset: string;
  format: "int8" | "int4";
  /** (quantised bytes ÷ kernel time) ÷ (bf16 bytes ÷ kernel time) */
  efficiency: number;
}

/**
 * The share of the 16-bit weight-streaming bandwidth weight-only kernels reach, per published model:
 * each row's time per token less its layers' kernel-boundary cost is the weights' streaming time, and the
 * quantised row's bytes per second over the bf16 row's is the efficiency. Mean per format over models.
 */
export function deriveWeightOnlyKernelEfficiency(rows: readonly WeightOnlyKernelRow[]): { points: WeightOnlyKernelPoint[]; int8: number; int4: number } {
  const boundary = kernelBoundarySecondsPerLayer();
  const streamingBytesPerS = (row: WeightOnlyKernelRow): number => {
    const m = resolveModel({ preset: row.preset });
    if (!isDecoderLike(m)) throw new Error(`${row.preset} is not a decoder`);
    return (row.modelSizeGb * 1e9) / (1 / row.tokensPerSecond - m.layers * boundary);
  };
  const points: WeightOnlyKernelPoint[] = [];
  for (const row of rows) {
    if (row.format === "bf16") continue;
    const base = rows.find((r) => r.preset === row.preset && r.format === "bf16");
    if (!base) throw new Error(`no bf16 row for ${row.preset}`);
    points.push({ preset: row.preset, format: row.format, efficiency: streamingBytesPerS(row) / streamingBytesPerS(base) });
  }
  const mean = (f: "int8" | "int4") => {
    const xs = points.filter((p) => p.format === f).map((p) => p.efficiency);
    return Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;
  };
  return { points, int8: mean("int8"), int4: mean("int4") };
}

/** NCCL's fixed cost of one all-reduce over `tp` GPUs: base + 2(t−1) steps, 2 × nodes of them over the network beyond one node. */
export function allReduceLatencySeconds(tp: number, interconnectKind: string | null, gpusPerNode: number): number {
  const l = getDefaults().inference.serving.allReduceLatency;
  const steps = 2 * (tp - 1);
  const nodes = Math.ceil(tp / gpusPerNode);
  const networkSteps = nodes > 1 ? Math.min(steps, 2 * nodes) : 0;
  const hop = interconnectKind === "pcie" ? l.hopSeconds.pcie : l.hopSeconds.nvlink;
  return l.baseSeconds + (steps - networkSteps) * hop + networkSteps * l.hopSeconds.network;
}
