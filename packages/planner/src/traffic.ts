// The scenario's requests month by month: its paying and free users' (the funnel, each group at its own
// requests per day and the free tier's cap) and its other revenue lines' (API/SDK customers). Plans cost
// their deployments from it and scenario estimates size for its busiest month, so both see one traffic.
// Pure.
import { projectFunnel, resolveFunnel, type FunnelMonth, type ResolvedFunnel } from "./funnel";
import { lineRequestsByMonth, productRequests } from "./revenue";
import type { Scenario } from "./types";

export interface TrafficMonth {
  /** 1-based month of the horizon */
  month: number;
  /** active users (paying + free) */
  users: number;
  payingUsers: number;
  freeUsers: number;
  /** requests of paying users in the month */
  paidRequests: number;
  /** requests of free users in the month (capped by the free tier) */
  freeRequests: number;
  /** requests of the other revenue lines (API/SDK sales) in the month */
  lineRequests: number;
  /** all requests the model serves in the month */
  requests: number;
}

export interface ScenarioTraffic {
  funnel: ResolvedFunnel;
  funnelMonths: FunnelMonth[];
  months: TrafficMonth[];
}

export function projectTraffic(scenario: Scenario): ScenarioTraffic {
  const funnel = resolveFunnel(scenario);
  const funnelMonths = projectFunnel(scenario, funnel);
  const lines = (scenario.revenueLines ?? []).map((line) => lineRequestsByMonth(line, scenario.audience.horizonMonths));
  const months = funnelMonths.map((f, i): TrafficMonth => {
    const product = productRequests(f, funnel.paidRequestsPerDay, funnel.freeRequestsPerDay);
    const lineRequests = lines.reduce((sum, l) => sum + l[i], 0);
    return {
      month: f.month,
      users: f.users,
      payingUsers: f.payingUsers,
      freeUsers: f.freeUsers,
      paidRequests: product.paid,
      freeRequests: product.free,
      lineRequests,
      requests: product.paid + product.free + lineRequests,
    };
  });
  return { funnel, funnelMonths, months };
}

/** The month with the most requests (the earliest of equal ones): the month a deployment is sized for. */
export function busiestMonth(traffic: ScenarioTraffic): TrafficMonth {
  return traffic.months.reduce((best, m) => (m.requests > best.requests ? m : best), traffic.months[0]);
}
