// The hosted-API alternatives of a serving estimate: the same traffic at each hosted model's prices,
// and the traffic from which self-hosting costs less.
import { listHostedModels } from "../catalog";
import { hostedCostPerRequestUsd } from "../hosted";
import type { Traffic } from "../traffic";
import type { Band, HostedAlternative } from "../types";
import { SECONDS_PER_DAY } from "../units";
import type { TokenShape } from "./parse";

/**
 * Hosted API cost of the same traffic, and the break-even traffic: one self-hosted replica costs
 * C per month and serves up to `capacity` requests a month at this peak-to-average ratio; a hosted
 * request costs h. Self-hosting is cheaper from C/h requests a month when h·capacity ≥ C
 * (replica rounding above one replica is ignored); otherwise hosted is cheaper at any traffic.
 */
export function hostedComparison(
  t: TokenShape,
  traffic: Traffic,
  monthlyCostUsd: Band | null,
  replicaMonthlyUsd: number | null,
  replicaRps: number,
  hoursPerMonth: number,
): HostedAlternative[] {
  const daysPerMonth = hoursPerMonth / 24;
  const capacityPerMonth = (replicaRps / traffic.peakToAverage) * SECONDS_PER_DAY * daysPerMonth;
  return listHostedModels().map((h) => {
    const perRequest = hostedCostPerRequestUsd(h, t.inputTokens, t.outputTokens, t.cachedInputTokens);
    const monthly = perRequest * traffic.requestsPerMonth;
    let breakEvenPerMonth: number | null = null;
    if (replicaMonthlyUsd !== null && perRequest > 0 && perRequest * capacityPerMonth >= replicaMonthlyUsd) breakEvenPerMonth = replicaMonthlyUsd / perRequest;
    const breakEvenRequestsPerDay = breakEvenPerMonth === null ? null : breakEvenPerMonth / daysPerMonth;
    return {
      id: h.id,
      provider: h.provider,
      name: h.name,
      inputUsdPerMillionTokens: h.inputUsdPerMillionTokens,
      outputUsdPerMillionTokens: h.outputUsdPerMillionTokens,
      cachedInputUsdPerMillionTokens: h.cachedInputUsdPerMillionTokens,
      monthlyCostUsd: monthly,
      costPerRequestUsd: perRequest,
      breakEvenRequestsPerDay,
      breakEvenPeakRequestsPerSec: breakEvenRequestsPerDay === null ? null : (breakEvenRequestsPerDay / SECONDS_PER_DAY) * traffic.peakToAverage,
      selfHostCheaperAtThisTraffic: monthlyCostUsd === null ? null : monthlyCostUsd.expected < monthly,
      source: h.source,
      date: h.date,
    };
  });
}
