// llama.cpp's decode step from its published batch-1 speeds (scripts/derive-engine-mbu.ts): a fixed
// cost per layer (kernel launches and the gaps between its kernels) and the share of the memory
// bandwidth its kernels reach while streaming, fitted together; the band is the rows' bandwidth share
// with that per-layer cost set apart (min / median / max).
import type { EngineMbuRow } from "../catalog/records";
import { median } from "../stats";

export interface EngineMbuPoint {
  row: EngineMbuRow;
  measuredMsPerToken: number;
  msAtFullBandwidth: number;
  layers: number;
  /** the row's bandwidth share once its layers' fixed cost is set apart */
  mbu: number;
}

export interface EngineStepFit {
  points: EngineMbuPoint[];
  /** fixed milliseconds per decoder layer per step (0 where the fit gives none) */
  msPerLayer: number;
  band: { low: number; expected: number; high: number };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Least squares of each row's measured time per token on (its time at full bandwidth, its layers):
 * time = msAtFullBandwidth ÷ MBU + layers × msPerLayer, the two unknowns 1/MBU and msPerLayer; then each
 * row's MBU with that per-layer cost set apart, and the band over them (rounded as stored in
 * defaults.json: MBU to 3 decimals, the per-layer cost to 0.1 µs). A fit with no positive per-layer cost
 * falls back to none, the rows' MBU as measured.
 */
export function deriveEngineStep(rows: readonly EngineMbuRow[], msAtFullBandwidth: (row: EngineMbuRow) => number, layersOf: (row: EngineMbuRow) => number): EngineStepFit {
  const base = rows.map((row) => ({ row, measuredMsPerToken: 1000 / row.tokensPerSecond, msAtFullBandwidth: msAtFullBandwidth(row), layers: layersOf(row) }));
  // normal equations of t = a·f + b·l
  let ff = 0, fl = 0, ll = 0, ft = 0, lt = 0;
  for (const p of base) {
    ff += p.msAtFullBandwidth ** 2;
    fl += p.msAtFullBandwidth * p.layers;
    ll += p.layers ** 2;
    ft += p.msAtFullBandwidth * p.measuredMsPerToken;
    lt += p.layers * p.measuredMsPerToken;
  }
  const det = ff * ll - fl * fl;
  const b = det > 0 ? (ff * lt - fl * ft) / det : 0;
  const msPerLayer = b > 0 ? Math.round(b * 1e4) / 1e4 : 0;
  const points = base.map((p) => {
    const streamingMs = p.measuredMsPerToken - p.layers * msPerLayer;
    if (!(streamingMs > 0)) throw new Error(`${p.row.preset} on ${p.row.accelerator}: the per-layer cost exceeds the measured time`);
    return { ...p, mbu: p.msAtFullBandwidth / streamingMs };
  });
  const mbus = points.map((p) => p.mbu);
  return { points, msPerLayer, band: { low: round3(Math.min(...mbus)), expected: round3(median(mbus)), high: round3(Math.max(...mbus)) } };
}
