// The memory-bandwidth utilisation band of a serving engine from its published batch-1 decode speeds:
// each row's MBU is the time the estimator gives a decode step at full bandwidth (MBU 1) over the
// measured time per token; the band is their min / median / max (scripts/derive-engine-mbu.ts).
import type { EngineMbuRow } from "../catalog/records";
import { median } from "../stats";

export interface EngineMbuPoint {
  row: EngineMbuRow;
  measuredMsPerToken: number;
  msAtFullBandwidth: number;
  mbu: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** MBU of each row and the band over them (rounded to 3 decimals, as stored in defaults.json). */
export function deriveEngineMbu(rows: readonly EngineMbuRow[], msAtFullBandwidth: (row: EngineMbuRow) => number): { points: EngineMbuPoint[]; band: { low: number; expected: number; high: number } } {
  const points = rows.map((row) => {
    const measuredMsPerToken = 1000 / row.tokensPerSecond;
    const full = msAtFullBandwidth(row);
    return { row, measuredMsPerToken, msAtFullBandwidth: full, mbu: full / measuredMsPerToken };
  });
  const mbus = points.map((p) => p.mbu);
  return { points, band: { low: round3(Math.min(...mbus)), expected: round3(median(mbus)), high: round3(Math.max(...mbus)) } };
}
