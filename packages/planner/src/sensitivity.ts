import type { PlannerCatalog } from "./catalog";
import { resolveFunnel } from "./funnel";
import { runProjection, type Projection } from "./projection";
import type { Settings } from "./settings";
import { SENSITIVITY_VARIABLES, type SensitivityVariable } from "./plan-types";
import type { Funnel, PlanAdjustments, Scenario, Sensitivity, SensitivityRow, UseCase } from "./types";

/** A variant run: what one sensitivity variable changes, for a factor (1 ± pct). */
interface Variable {
  variable: SensitivityVariable;
  label: string;
  unit: string;
  base(p: Projection): number | null;
  apply(factor: number, scenario: Scenario, settings: Settings, adj: PlanAdjustments): { scenario: Scenario; settings: Settings; adj: PlanAdjustments; value: number | null; note?: string };
}

/** A funnel variable: its resolved base value (scenario or default) scaled by the factor. */
function funnelVariable(variable: SensitivityVariable, label: string, unit: string, key: "freeToPaidPct" | "paidChurnPct", resolved: (p: Scenario) => number, cap?: number): Variable {
  return {
    variable,
    label,
    unit,
    base: (p) => resolved(p.scenario),
    apply: (f, s, st, adj) => {
      const raw = resolved(s) * f;
      const v = cap !== undefined ? Math.min(cap, raw) : raw;
      const funnel: Funnel = { ...(s.funnel ?? {}), [key]: v };
      return { scenario: { ...s, funnel }, settings: st, adj, value: v, note: cap !== undefined && raw > cap ? `capped at ${cap}` : undefined };
    },
  };
}

/**
 * Conversion: what if a different share of the same sign-ups paid. Marketing buys sign-ups, so the
 * acquisition spend per sign-up (CAC × conversion) is held: a better conversion lowers the CAC per paying
 * customer instead of buying more customers at the same CAC.
 */
const conversionVariable: Variable = {
  variable: "conversion",
  label: "Free-to-paid conversion",
  unit: "% of sign-ups",
  base: (p) => p.funnel.freeToPaid * 100,
  apply: (f, s, st, adj) => {
    const r = resolveFunnel(s);
    const raw = r.freeToPaid * 100 * f;
    const v = Math.min(100, raw);
    const funnel: Funnel = { ...(s.funnel ?? {}), freeToPaidPct: v };
    if (r.cacUsd !== null && v > 0) funnel.acquisition = { cacUsd: (r.cacUsd * r.freeToPaid * 100) / v };
    return { scenario: { ...s, funnel }, settings: st, adj, value: v, note: raw > 100 ? "capped at 100" : undefined };
  },
};

const VARIABLES: Variable[] = [
  conversionVariable,
  funnelVariable("paidChurn", "Monthly churn of paying users", "% per month", "paidChurnPct", (s) => resolveFunnel(s).paidChurn * 100, 100),
  {
    variable: "cac",
    label: "Customer-acquisition cost",
    unit: "USD per new paying user (or marketing per month)",
    base: (p) => p.funnel.cacUsd ?? p.funnel.marketingUsdPerMonth ?? 0,
    apply: (f, s, st, adj) => {
      const r = resolveFunnel(s);
      if (r.cacUsd === null && r.marketingUsdPerMonth === null) return { scenario: s, settings: st, adj, value: 0, note: "no acquisition cost given" };
      const acquisition = r.cacUsd !== null ? { cacUsd: r.cacUsd * f } : { marketingUsdPerMonth: (r.marketingUsdPerMonth ?? 0) * f };
      const funnel: Funnel = { ...(s.funnel ?? {}), acquisition };
      return { scenario: { ...s, funnel }, settings: st, adj, value: r.cacUsd !== null ? r.cacUsd * f : (r.marketingUsdPerMonth as number) * f };
    },
  },
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
      const free = s.usage.freeRequestsPerUserPerDay;
      return { scenario: { ...s, usage: { ...s.usage, requestsPerUserPerDay: v, ...(free !== undefined ? { freeRequestsPerUserPerDay: free * f } : {}) } }, settings: st, adj, value: v };
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

export { SENSITIVITY_VARIABLES };

/**
 * One-at-a-time sensitivity: each variable at (1 − pct) and (1 + pct) of its base value, the plan re-run,
 * and the effect on cash at the horizon, on gross margin at the metric month (12, or the horizon if
 * shorter) and on runway. Rows are ranked by the cash swing (every variable moves cash, where funnel
 * variables leave the gross margin unchanged), then margin and runway (a tornado table).
 */
export function sensitivityAnalysis(base: Projection, useCases: UseCase[], catalog: PlannerCatalog): Sensitivity {
  const pct = base.settings.sensitivityPct;
  const metricMonth = base.results.metricMonth;
  const rows: SensitivityRow[] = VARIABLES.map((v) => {
    const run = (factor: number) => {
      const a = v.apply(factor, base.scenario, base.settings, base.adjustments);
      const p = runProjection(a.scenario, useCases, catalog, a.settings, a.adj, base);
      return { value: a.value, note: a.note, gm: p.months[metricMonth - 1].grossMarginPct, runway: p.results.runwayMonths, cash: p.results.cumulativeCashAtHorizonUsd };
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
      cashAtHorizonUsdLow: lo.cash,
      cashAtHorizonUsdHigh: hi.cash,
      cashSwingUsd: Math.abs(hi.cash - lo.cash),
      note: notes.length > 0 ? (notes[0] as string) : null,
    };
  });
  rows.sort((a, b) => b.cashSwingUsd - a.cashSwingUsd || b.grossMarginSwingPct - a.grossMarginSwingPct || b.runwaySwingMonths - a.runwaySwingMonths || a.variable.localeCompare(b.variable));
  const rankBy = (key: (r: SensitivityRow) => number) => [...rows].sort((a, b) => key(b) - key(a) || b.cashSwingUsd - a.cashSwingUsd || a.variable.localeCompare(b.variable)).map((r) => r.variable);
  return {
    pct,
    metricMonth,
    baseGrossMarginPct: base.months[metricMonth - 1].grossMarginPct,
    baseRunwayMonths: base.results.runwayMonths,
    baseCashAtHorizonUsd: base.results.cumulativeCashAtHorizonUsd,
    rows,
    rankByRunway: rankBy((r) => r.runwaySwingMonths),
    rankByGrossMargin: rankBy((r) => r.grossMarginSwingPct),
  };
}
