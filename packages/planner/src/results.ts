// Headline answers of a projection and the options a plan stores. Pure.
import type { Settings } from "./settings";
import type { BelowFloorOption, DeploymentOption, HeadlineOption, PlanMonth, PlanResults, Scenario, UnitEconomicsSummary } from "./types";
import type { WorkloadState } from "./workload";

function headline(states: WorkloadState[], monthIndex: number, requests: number): HeadlineOption {
  const picks = states.map((s) => s.builds.get(s.workload.cheapestByMonth[monthIndex])!.option);
  const cost = picks.reduce((a, o) => a + o.series.runningCostUsd[monthIndex], 0);
  return {
    optionId: picks.map((o) => o.id).join(" + "),
    label: picks.map((o) => (states.length > 1 ? `${o.workload}: ${o.label}` : o.label)).join(" + "),
    monthlyCostUsd: cost,
    costPerRequestUsd: requests > 0 ? cost / requests : null,
    meetsQualityFloor: states.every((s) => s.floorMet),
  };
}

function belowFloor(states: WorkloadState[]): BelowFloorOption[] {
  const out: BelowFloorOption[] = [];
  for (const s of states) {
    const floor = s.spec.floor;
    if (!floor) continue;
    for (const [ids, reason] of [[s.workload.belowFloorOptionIds, "below-floor"], [s.workload.unscoredOptionIds, "no-score"]] as const) {
      for (const id of ids) {
        const o = s.builds.get(id)!.option;
        // One entry per model (a fine-tune scores as its base model): its cheapest option stands for the others.
        if (out.some((x) => x.workload === o.workload && x.label === modelLabel(o))) continue;
        out.push({ optionId: id, label: modelLabel(o), workload: o.workload, benchmark: floor.benchmark, score: o.quality.score, minimum: floor.minimum, reason });
      }
    }
  }
  return out;
}

function modelLabel(o: DeploymentOption): string {
  return o.kind === "hosted" ? o.label : `${o.model.label} (self-hosted or fine-tuned)`;
}

function unitEconomics(m: PlanMonth): UnitEconomicsSummary {
  return {
    month: m.month,
    payingUsers: m.payingUsers,
    freeUsers: m.freeUsers,
    arpuUsd: m.arpuUsd,
    grossMarginPct: m.grossMarginPct,
    contributionMarginPct: m.contributionMarginPct,
    cacUsd: m.cacUsd,
    cacPaybackMonths: m.cacPaybackMonths,
    ltvUsd: m.ltvUsd,
    ltvToCac: m.ltvToCac,
    burnMultiple: m.burnMultiple,
    runwayMonthsAtCurrentBurn: m.runwayMonthsAtCurrentBurn,
  };
}

export function computeResults(
  scenario: Scenario,
  settings: Settings,
  states: WorkloadState[],
  months: PlanMonth[],
  price: { unit: string; horizon: { volume: number; fixedUsd: number } },
): PlanResults {
  const horizon = months.length;
  const metricMonth = Math.min(12, horizon);
  const breakEven = months.find((m) => m.netCashFlowUsd >= 0);
  const runOut = months.find((m) => m.cumulativeCashUsd < 0);
  const req = (i: number) => months[i].requiredPriceUsd;
  const allReq = months.map((m) => m.requiredPriceUsd).filter((v): v is number => v !== null);
  const last = months[horizon - 1];
  const bvb = states.map((s) => s.workload.buildVsBuyCrossoverMonth).filter((m): m is number => m !== null);
  // price p at which the last month's net cash flow is zero, everything else unchanged:
  // p·V + fixed + other revenue = cost of revenue + acquisition + burn + one-off
  const { volume, fixedUsd } = price.horizon;
  const breakEvenAtHorizon = volume > 0
    ? Math.max(0, (last.costOfRevenueUsd + last.acquisitionCostUsd + last.nonComputeBurnUsd + last.oneOffCostUsd - last.otherRevenueUsd - fixedUsd) / volume)
    : null;
  return {
    cheapestNow: headline(states, 0, months[0].requests),
    cheapestAtHorizon: headline(states, horizon - 1, last.requests),
    chosen: {
      optionIds: states.map((s) => s.workload.chosenOptionId),
      label: states.map((s) => (states.length > 1 ? `${s.spec.useCase.slug}: ` : "") + s.builds.get(s.workload.chosenOptionId)!.option.label).join(" + "),
    },
    crossovers: states.flatMap((s) => s.workload.crossovers),
    buildVsBuyCrossoverMonth: bvb.length > 0 ? Math.min(...bvb) : null,
    belowQualityFloor: belowFloor(states),
    breakEvenMonth: breakEven ? breakEven.month : null,
    runOutMonth: runOut ? runOut.month : null,
    runwayMonths: runOut ? runOut.month - 1 : horizon,
    runwayBeyondHorizon: !runOut,
    metricMonth,
    grossMarginPctAtMetricMonth: months[metricMonth - 1].grossMarginPct,
    cumulativeCashAtHorizonUsd: last.cumulativeCashUsd,
    totalComputeCostUsd: months.reduce((s, m) => s + m.computeCostUsd + m.oneOffCostUsd, 0),
    totalCostOfRevenueUsd: months.reduce((s, m) => s + m.costOfRevenueUsd + m.oneOffCostUsd, 0),
    totalAcquisitionCostUsd: months.reduce((s, m) => s + m.acquisitionCostUsd, 0),
    totalRevenueUsd: months.reduce((s, m) => s + m.revenueUsd, 0),
    unitEconomics: unitEconomics(months[metricMonth - 1]),
    requiredPrice: {
      targetGrossMarginPct: settings.targetGrossMarginPct,
      unit: price.unit,
      month1: req(0),
      metricMonth: req(metricMonth - 1),
      horizon: req(horizon - 1),
      everyMonth: allReq.length > 0 ? Math.max(...allReq) : null,
      current: scenario.pricing!.priceUsd,
      breakEvenAtHorizon,
    },
  };
}

/**
 * Options stored in the plan: every hosted model, and for each self-hosted model and pricing mode its
 * cheapest accelerator (and its cheapest on each measured machine, so "our own box" always sits beside the
 * catalog's best), plus the chosen deployment and any option a month of the plan names.
 */
export function publishedOptions(states: WorkloadState[]): DeploymentOption[] {
  const out: DeploymentOption[] = [];
  for (const s of states) {
    const keep = new Set<string>([s.workload.chosenOptionId, s.chosen.option.id, ...s.workload.cheapestByMonth]);
    const best = new Map<string, DeploymentOption>();
    for (const b of s.builds.values()) {
      const o = b.option;
      if (o.kind === "hosted") {
        keep.add(o.id);
        continue;
      }
      const key = `${o.kind}|${o.model.id}|${o.pricing}|${o.measured?.profileId ?? "catalog"}`;
      const prev = best.get(key);
      if (!prev || o.totalCostUsd < prev.totalCostUsd) best.set(key, o);
    }
    for (const o of best.values()) keep.add(o.id);
    const opts = [...keep].map((id) => s.builds.get(id)!.option).sort((a, b) => a.totalCostUsd - b.totalCostUsd);
    s.workload.optionIds = opts.map((o) => o.id);
    // Only published options may be named by the quality lists.
    const published = new Set(s.workload.optionIds);
    s.workload.belowFloorOptionIds = s.workload.belowFloorOptionIds.filter((id) => published.has(id));
    s.workload.unscoredOptionIds = s.workload.unscoredOptionIds.filter((id) => published.has(id));
    out.push(...opts);
  }
  return out;
}
