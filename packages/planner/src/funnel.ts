// The customer funnel month by month: sign-ups, conversion to paid, churn of paying and free users,
// and what acquiring the paying ones costs. Pure.
import { FUNNEL_DEFAULTS } from "./defaults";
import { DAYS_PER_MONTH, usersInMonth } from "./demand";
import type { Assumption, Funnel, Scenario } from "./types";

/** The funnel with every default applied, and where each value came from. */
export interface ResolvedFunnel {
  /** "audience": active users follow the audience's growth; "signups": sign-ups drive the active base. */
  mode: "audience" | "signups";
  signupsMonth1: number | null;
  signupGrowthPct: number;
  freeToPaid: number;
  paidChurn: number;
  freeChurn: number;
  cacUsd: number | null;
  marketingUsdPerMonth: number | null;
  /** Requests per day of a paying and of a free user. */
  paidRequestsPerDay: number;
  freeRequestsPerDay: number;
  assumptions: Assumption[];
  warnings: string[];
}

export interface FunnelMonth {
  month: number;
  users: number;
  payingUsers: number;
  freeUsers: number;
  signups: number;
  newPayingUsers: number;
  churnedPayingUsers: number;
  churnedFreeUsers: number;
  acquisitionCostUsd: number;
}

/** Resolves the scenario's funnel: its own values, else the sourced defaults (each stated in the assumptions). */
export function resolveFunnel(scenario: Scenario): ResolvedFunnel {
  const f: Funnel = scenario.funnel ?? {};
  const sc = `scenario '${scenario.name}' v${scenario.version} funnel`;
  const assumptions: Assumption[] = [];
  const warnings: string[] = [];
  const pick = (key: keyof typeof FUNNEL_DEFAULTS, given: number | undefined): number => {
    const d = FUNNEL_DEFAULTS[key];
    assumptions.push({ name: `funnel.${key}`, value: given ?? d.value, unit: d.unit, source: given !== undefined ? sc : `default — ${d.source}` });
    return given ?? d.value;
  };
  const freeToPaidPct = pick("freeToPaidPct", f.freeToPaidPct);
  const paidChurnPct = pick("paidChurnPct", f.paidChurnPct);
  const freeChurnPct = pick("freeChurnPct", f.freeChurnPct);
  if (!scenario.funnel) {
    warnings.push(
      `The scenario has no funnel, so published benchmarks apply: ${freeToPaidPct}% of sign-ups pay, ${paidChurnPct}% of paying and ${freeChurnPct}% of free users leave each month, and no acquisition cost is counted. Set funnel (conversion, churn, CAC) to plan your own; funnel.freeToPaidPct 100 with 0 churn reproduces "every user pays".`,
    );
  }

  let signupsMonth1: number | null = null;
  const source = f.signups;
  if (source && "signupsPerMonth" in source) {
    signupsMonth1 = source.signupsPerMonth;
    assumptions.push({ name: "funnel.signups.signupsPerMonth", value: source.signupsPerMonth, unit: "sign-ups in month 1", source: sc });
  } else if (source) {
    signupsMonth1 = source.visitorsPerMonth * (source.visitorToSignupPct / 100);
    assumptions.push({ name: "funnel.signups.visitorsPerMonth", value: source.visitorsPerMonth, unit: "visitors in month 1", source: sc });
    assumptions.push({ name: "funnel.signups.visitorToSignupPct", value: source.visitorToSignupPct, unit: "% of visitors who sign up", source: sc });
  }
  const mode = signupsMonth1 === null ? "audience" : "signups";
  const signupGrowthPct = f.signupGrowthPct ?? scenario.audience.monthlyGrowthPct;
  assumptions.push({
    name: "funnel.mode",
    value: mode === "audience" ? "active users follow the audience; sign-ups fill churn and growth" : "sign-ups drive the active base",
    unit: "",
    source: mode === "audience"
      ? "planner: no sign-ups or visitors given, so users(m) = usersAtLaunch × (1 + growth)^(m − 1) and sign-ups(m) = users(m) − the users kept from month m − 1"
      : `planner: sign-ups(m) = sign-ups in month 1 × (1 + ${signupGrowthPct}%)^(m − 1)${f.signupGrowthPct === undefined ? " (the audience's growth)" : ""}; active users = the launch base plus sign-ups, less churn`,
  });
  assumptions.push({ name: "funnel.launchBase", value: scenario.audience.usersAtLaunch, unit: "active users in month 1 before new sign-ups", source: `scenario audience.usersAtLaunch; ${freeToPaidPct}% of them pay (the conversion rate), no acquisition cost is charged for them` });

  const acq = f.acquisition;
  const cacUsd = acq && "cacUsd" in acq ? acq.cacUsd : null;
  const marketingUsdPerMonth = acq && "marketingUsdPerMonth" in acq ? acq.marketingUsdPerMonth : null;
  if (cacUsd !== null) assumptions.push({ name: "funnel.acquisition.cacUsd", value: cacUsd, unit: "USD per new paying customer", source: sc });
  else if (marketingUsdPerMonth !== null) assumptions.push({ name: "funnel.acquisition.marketingUsdPerMonth", value: marketingUsdPerMonth, unit: "USD per month (flat; CAC derived)", source: sc });
  else assumptions.push({ name: "funnel.acquisition", value: null, unit: "USD per new paying customer", source: "not given: no acquisition cost is counted, so CAC payback and LTV/CAC are not computed — set funnel.acquisition.cacUsd or .marketingUsdPerMonth" });

  const paidRequestsPerDay = scenario.usage.requestsPerUserPerDay;
  let freeRequestsPerDay = scenario.usage.freeRequestsPerUserPerDay ?? paidRequestsPerDay;
  assumptions.push({
    name: "usage.freeRequestsPerUserPerDay",
    value: freeRequestsPerDay,
    unit: "requests per free user per day",
    source: scenario.usage.freeRequestsPerUserPerDay !== undefined ? `scenario '${scenario.name}' usage` : "planner: the scenario's requests per active user apply to free users too (free users consume compute)",
  });
  const cap = scenario.pricing?.freeTier?.requestsPerUserPerMonth;
  if (cap !== undefined && freeRequestsPerDay * DAYS_PER_MONTH > cap) {
    freeRequestsPerDay = cap / DAYS_PER_MONTH;
    assumptions.push({ name: "pricing.freeTier.requestsPerUserPerMonth", value: cap, unit: "requests per free user per month (cap)", source: `scenario '${scenario.name}' pricing: free users' usage is capped at the free tier` });
  }
  return {
    mode,
    signupsMonth1,
    signupGrowthPct,
    freeToPaid: freeToPaidPct / 100,
    paidChurn: paidChurnPct / 100,
    freeChurn: freeChurnPct / 100,
    cacUsd,
    marketingUsdPerMonth,
    paidRequestsPerDay,
    freeRequestsPerDay,
    assumptions,
    warnings,
  };
}

/**
 * Month-by-month funnel. Month 1 starts from the launch base (usersAtLaunch, of whom the conversion share
 * pays). Each later month keeps (1 − churn) of last month's paying and free users and adds sign-ups, of
 * whom the conversion share pays:
 *   paying(m) = paying(m−1)·(1 − paidChurn) + signups(m)·conversion
 *   free(m)   = free(m−1)·(1 − freeChurn)   + signups(m)·(1 − conversion)
 * In "audience" mode sign-ups(m) = max(0, users(m) − kept users) so the active base follows the audience's
 * growth path; when the audience shrinks faster than churn, both groups shrink in proportion.
 */
export function projectFunnel(scenario: Scenario, funnel: ResolvedFunnel): FunnelMonth[] {
  const horizon = scenario.audience.horizonMonths;
  const u0 = scenario.audience.usersAtLaunch;
  const c = funnel.freeToPaid;
  const months: FunnelMonth[] = [];
  let paying = 0;
  let free = 0;
  for (let m = 1; m <= horizon; m++) {
    let signups: number;
    let keptPaying: number;
    let keptFree: number;
    if (m === 1) {
      keptPaying = u0 * c;
      keptFree = u0 * (1 - c);
      signups = funnel.mode === "signups" ? (funnel.signupsMonth1 as number) : 0;
    } else {
      keptPaying = paying * (1 - funnel.paidChurn);
      keptFree = free * (1 - funnel.freeChurn);
      if (funnel.mode === "signups") {
        signups = (funnel.signupsMonth1 as number) * Math.pow(1 + funnel.signupGrowthPct / 100, m - 1);
      } else {
        const target = usersInMonth(u0, scenario.audience.monthlyGrowthPct, m);
        const kept = keptPaying + keptFree;
        signups = Math.max(0, target - kept);
        if (kept > target && kept > 0) {
          const scale = target / kept;
          keptPaying *= scale;
          keptFree *= scale;
        }
      }
    }
    const churnedPaying = m === 1 ? 0 : paying - keptPaying;
    const churnedFree = m === 1 ? 0 : free - keptFree;
    const newPaying = signups * c;
    paying = keptPaying + newPaying;
    free = keptFree + signups * (1 - c);
    const acquisitionCostUsd = funnel.cacUsd !== null ? funnel.cacUsd * newPaying : (funnel.marketingUsdPerMonth ?? 0);
    months.push({
      month: m,
      users: paying + free,
      payingUsers: paying,
      freeUsers: free,
      signups,
      newPayingUsers: newPaying,
      churnedPayingUsers: Math.max(0, churnedPaying),
      churnedFreeUsers: Math.max(0, churnedFree),
      acquisitionCostUsd,
    });
  }
  return months;
}
