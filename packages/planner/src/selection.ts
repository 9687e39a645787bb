// Which option is cheapest each month, the months it changes, and the build-vs-buy crossover. Options are
// compared on their capacity cost (fractional replicas + people), and a challenger takes over only when
// it is cheaper by the hysteresis margin, so rounding to whole replicas cannot flip the choice back and forth.
import { fmtNum, fmtUsd } from "./format";
import type { OptionBuild } from "./options";
import type { Crossover, MonthDemand } from "./types";

export interface Selection {
  cheapestByMonth: string[];
  crossovers: Crossover[];
}

/**
 * Cheapest option per month among `candidates` (already filtered: not spot, meets the quality floor).
 * Month 1 takes the lowest capacity cost (ties: the lower total cost, then the id). Later months keep the
 * current option unless another one's capacity cost is below (1 − hysteresis) × the current one's.
 */
export function selectCheapest(candidates: OptionBuild[], months: MonthDemand[], hysteresisPct: number): Selection {
  const ordered = [...candidates].sort((a, b) => a.option.totalCostUsd - b.option.totalCostUsd || a.option.id.localeCompare(b.option.id));
  const cost = (b: OptionBuild, i: number) => b.option.series.capacityCostUsd[i];
  const argmin = (i: number) => ordered.reduce((best, b) => (cost(b, i) < cost(best, i) ? b : best));
  const keep = 1 - hysteresisPct / 100;
  const picks: OptionBuild[] = [];
  const crossovers: Crossover[] = [];
  for (let i = 0; i < months.length; i++) {
    const best = argmin(i);
    const current = picks[i - 1];
    const next = !current || (best !== current && cost(best, i) < cost(current, i) * keep) ? best : current;
    if (current && next !== current) {
      const to = next.option;
      const from = current.option;
      crossovers.push({
        month: i + 1,
        from: from.id,
        to: to.id,
        reason: `at ${fmtNum(months[i].requests)} requests/month ${to.label} costs ${fmtUsd(to.series.runningCostUsd[i])} (capacity cost ${fmtUsd(cost(next, i))}) vs ${fmtUsd(from.series.runningCostUsd[i])} (capacity cost ${fmtUsd(cost(current, i))}) for ${from.label}: ${(100 * (1 - cost(next, i) / cost(current, i))).toFixed(1)}% cheaper, beyond the ${hysteresisPct}% hysteresis margin`,
      });
    }
    picks.push(next);
  }
  return { cheapestByMonth: picks.map((b) => b.option.id), crossovers };
}

/**
 * First month where the best self-hosting option's full running cost (compute + engineering and on-call,
 * on capacity cost) is below the best hosted model's bill; null when it never is or either side is missing.
 */
export function buildVsBuyMonth(candidates: OptionBuild[], monthCount: number): number | null {
  const hosted = candidates.filter((b) => b.option.kind === "hosted");
  const self = candidates.filter((b) => b.option.kind === "self-host" && !b.option.interruptible);
  if (hosted.length === 0 || self.length === 0) return null;
  for (let i = 0; i < monthCount; i++) {
    const h = Math.min(...hosted.map((b) => b.option.series.capacityCostUsd[i]));
    const s = Math.min(...self.map((b) => b.option.series.capacityCostUsd[i]));
    if (s < h) return i + 1;
  }
  return null;
}
