import type { PlannerCatalog } from "./catalog";
import { runProjection, type Projection, type Settings } from "./projection";
import type { PlanAdjustments, Scenario, Sensitivity, SensitivityRow, SensitivityVariable, UseCase } from "./types";

/** A variant run: what one sensitivity variable changes, for a factor (1 ± pct). */
interface Variable {
  variable: SensitivityVariable;
  label: string;
  unit: string;
  base(p: Projection): number | null;
  apply(factor: number, scenario: Scenario, settings: Settings, adj: PlanAdjustments): { scenario: Scenario; settings: Settings; adj: PlanAdjustments; value: number | null; note?: string };
}

const VARIABLES: Variable[] = [
  {
    variable: "growth",
    label: "Monthly user growth",
    unit: "% per month",
    base: (p) => p.scenario.audience.monthlyGrowthPct,
    apply: (f, s, st, adj) => {
      const v = s.audience.monthlyGrowthPct * f;
      return { scenario: { ...s, audience: { ...s.audience, monthlyGrowthPct: v } }, settings: st, adj, value: v };
    },
  },
  {
    variable: "requestsPerUser",
    label: "Requests per user per day",
    unit: "requests/user/day",
    base: (p) => p.scenario.usage.requestsPerUserPerDay,
    apply: (f, s, st, adj) => {
      const v = s.usage.requestsPerUserPerDay * f;
      return { scenario: { ...s, usage: { ...s.usage, requestsPerUserPerDay: v } }, settings: st, adj, value: v };
    },
  },
  {
    variable: "tokensPerRequest",
    label: "Tokens (work) per request",
    unit: "× the request profile",
    base: () => 1,
    apply: (f, s, st, adj) => ({ scenario: s, settings: st, adj: { ...adj, unitsPerRequestFactor: (adj.unitsPerRequestFactor ?? 1) * f }, value: f }),
  },
  {
    variable: "price",
    label: "Price",
    unit: "USD",
    base: (p) => p.scenario.pricing!.priceUsd,
    apply: (f, s, st, adj) => {
      const v = s.pricing!.priceUsd * f;
      return { scenario: { ...s, pricing: { ...s.pricing!, priceUsd: v } }, settings: st, adj, value: v };
    },
  },
  {
    variable: "gpuPrice",
    label: "GPU price per hour",
    unit: "× catalog price",
    base: () => 1,
    apply: (f, s, st, adj) => ({ scenario: s, settings: st, adj: { ...adj, gpuPriceFactor: (adj.gpuPriceFactor ?? 1) * f }, value: f }),
  },
  {
    variable: "utilisation",
    label: "Target peak utilisation of replicas",
    unit: "fraction",
    base: (p) => p.settings.targetPeakUtilisation,
    apply: (f, s, st, adj) => {
      const raw = st.targetPeakUtilisation * f;
      const v = Math.min(1, raw);
      return { scenario: s, settings: { ...st, targetPeakUtilisation: v }, adj, value: v, note: raw > 1 ? "capped at 1 (a replica cannot run above its capacity)" : undefined };
    },
  },
  {
    variable: "hostedPrice",
    label: "Hosted-model token price",
    unit: "× catalog price",
    base: () => 1,
    apply: (f, s, st, adj) => ({ scenario: s, settings: st, adj: { ...adj, hostedPriceFactor: (adj.hostedPriceFactor ?? 1) * f }, value: f }),
  },
];

/**
 * One-at-a-time sensitivity: each variable at (1 − pct) and (1 + pct) of its base value, the plan re-run,
 * and the effect on gross margin at the metric month (12, or the horizon if shorter) and on runway.
 * Rows are ranked by the gross-margin swing, then the runway swing (a tornado table).
 */
export function sensitivityAnalysis(base: Projection, useCases: UseCase[], catalog: PlannerCatalog): Sensitivity {
  const pct = base.settings.sensitivityPct;
  const metricMonth = base.results.metricMonth;
  const rows: SensitivityRow[] = VARIABLES.map((v) => {
    const run = (factor: number) => {
      const a = v.apply(factor, base.scenario, base.settings, base.adjustments);
      const p = runProjection(a.scenario, useCases, catalog, a.settings, a.adj);
      return { value: a.value, note: a.note, gm: p.months[metricMonth - 1].grossMarginPct, runway: p.results.runwayMonths };
    };
    const lo = run(1 - pct / 100);
    const hi = run(1 + pct / 100);
    const gmSwing = lo.gm !== null && hi.gm !== null ? Math.abs(hi.gm - lo.gm) : 0;
    const notes = [lo.note, hi.note].filter(Boolean);
    return {
      variable: v.variable,
      label: v.label,
      baseValue: v.base(base),
      unit: v.unit,
      lowValue: lo.value,
      highValue: hi.value,
      grossMarginPctLow: lo.gm,
      grossMarginPctHigh: hi.gm,
      grossMarginSwingPct: gmSwing,
      runwayMonthsLow: lo.runway,
      runwayMonthsHigh: hi.runway,
      runwaySwingMonths: Math.abs(hi.runway - lo.runway),
      note: notes.length > 0 ? (notes[0] as string) : null,
    };
  });
  rows.sort((a, b) => b.grossMarginSwingPct - a.grossMarginSwingPct || b.runwaySwingMonths - a.runwaySwingMonths || a.variable.localeCompare(b.variable));
  const rankByRunway = [...rows]
    .sort((a, b) => b.runwaySwingMonths - a.runwaySwingMonths || b.grossMarginSwingPct - a.grossMarginSwingPct || a.variable.localeCompare(b.variable))
    .map((r) => r.variable);
  return {
    pct,
    metricMonth,
    baseGrossMarginPct: base.months[metricMonth - 1].grossMarginPct,
    baseRunwayMonths: base.results.runwayMonths,
    rows,
    rankByRunway,
  };
}
