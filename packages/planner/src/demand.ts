import type { Modality, MonthDemand, RequestProfileFields } from "./types";

/** Hours billed per month: 8,760 h per year / 12 = 730 h, the convention of cloud monthly price pages (as the estimator). */
export const HOURS_PER_MONTH = 8760 / 12;
/** Days per month consistent with it: 730 h / 24 = 30.42 days. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * Active users in month `month` (1-based): compound growth from launch,
 * usersAtLaunch × (1 + g)^(month − 1).
 */
export function usersInMonth(usersAtLaunch: number, monthlyGrowthPct: number, month: number): number {
  return usersAtLaunch * Math.pow(1 + monthlyGrowthPct / 100, month - 1);
}

/** Modality units one request carries (images, audio seconds, candidates scored, feature rows; 0 for text). */
export function unitsPerRequest(modality: Modality, profile: RequestProfileFields): number {
  switch (modality) {
    case "text":
      return 0;
    case "image":
      return profile.imagesPerRequest ?? 1;
    case "audio":
      return profile.audioSeconds ?? 0;
    case "recommendation":
      return profile.candidatesScored ?? 0;
    case "tabular":
      return 1;
  }
}

export interface DemandInput {
  /** Active users and requests of the whole scenario, month by month (index 0 = month 1). */
  traffic: { users: number; requests: number }[];
  peakToAverage: number;
  /** Share of all requests this workload receives (0–1). */
  share: number;
  modality: Modality;
  profile: RequestProfileFields;
}

/**
 * Month-by-month demand of one workload: its share of the scenario's requests, tokens and units, average
 * and peak requests per second (peak = average × peak-to-average).
 */
export function projectDemand(input: DemandInput): MonthDemand[] {
  const units = unitsPerRequest(input.modality, input.profile);
  return input.traffic.map((t, i) => {
    const requests = t.requests * input.share;
    const averageRequestsPerSec = requests / SECONDS_PER_MONTH;
    return {
      month: i + 1,
      users: t.users,
      requests,
      averageRequestsPerSec,
      peakRequestsPerSec: averageRequestsPerSec * input.peakToAverage,
      inputTokens: input.modality === "text" ? requests * (input.profile.inputTokens ?? 0) : 0,
      outputTokens: input.modality === "text" ? requests * (input.profile.outputTokens ?? 0) : 0,
      units: requests * units,
    };
  });
}
