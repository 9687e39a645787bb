import { REPLICA_TARGET_UTILISATION } from "@modelplan/estimator";
import { DEFAULT_CROSSOVER_HYSTERESIS_PCT, PEOPLE_DEFAULTS } from "./defaults";
import type { PlannerOptions } from "./types";

/** Resolved planner settings (options with defaults applied). */
export interface Settings {
  targetGrossMarginPct: number;
  sensitivityPct: number;
  targetPeakUtilisation: number;
  minReplicas: number;
  defaultFineTuneTokens: number;
  cacheHitRate: number;
  reservedDiscountPct: number | null;
  engineerAnnualSalaryUsd: number;
  employerCostMultiplier: number;
  selfHostEngineerMonthsPerMonth: number;
  fineTuneDataPrepEngineerMonths: number;
  fineTuneEvaluationEngineerMonths: number;
  crossoverHysteresisPct: number;
}

export const DEFAULT_SETTINGS: Settings = {
  targetGrossMarginPct: 60,
  sensitivityPct: 25,
  targetPeakUtilisation: REPLICA_TARGET_UTILISATION,
  minReplicas: 1,
  defaultFineTuneTokens: 10_000_000,
  cacheHitRate: 0.2,
  reservedDiscountPct: null,
  engineerAnnualSalaryUsd: PEOPLE_DEFAULTS.engineerAnnualSalaryUsd.value,
  employerCostMultiplier: PEOPLE_DEFAULTS.employerCostMultiplier.value,
  selfHostEngineerMonthsPerMonth: PEOPLE_DEFAULTS.selfHostEngineerMonthsPerMonth.value,
  fineTuneDataPrepEngineerMonths: PEOPLE_DEFAULTS.fineTuneDataPrepEngineerMonths.value,
  fineTuneEvaluationEngineerMonths: PEOPLE_DEFAULTS.fineTuneEvaluationEngineerMonths.value,
  crossoverHysteresisPct: DEFAULT_CROSSOVER_HYSTERESIS_PCT,
};

export function resolveSettings(options: PlannerOptions): Settings {
  const d = DEFAULT_SETTINGS;
  return {
    targetGrossMarginPct: options.targetGrossMarginPct ?? d.targetGrossMarginPct,
    sensitivityPct: options.sensitivityPct ?? d.sensitivityPct,
    targetPeakUtilisation: options.targetPeakUtilisation ?? d.targetPeakUtilisation,
    minReplicas: options.minReplicas ?? d.minReplicas,
    defaultFineTuneTokens: options.defaultFineTuneTokens ?? d.defaultFineTuneTokens,
    cacheHitRate: options.cacheHitRate ?? d.cacheHitRate,
    reservedDiscountPct: options.reservedDiscountPct ?? d.reservedDiscountPct,
    engineerAnnualSalaryUsd: options.engineerAnnualSalaryUsd ?? d.engineerAnnualSalaryUsd,
    employerCostMultiplier: options.employerCostMultiplier ?? d.employerCostMultiplier,
    selfHostEngineerMonthsPerMonth: options.selfHostEngineerMonthsPerMonth ?? d.selfHostEngineerMonthsPerMonth,
    fineTuneDataPrepEngineerMonths: options.fineTuneDataPrepEngineerMonths ?? d.fineTuneDataPrepEngineerMonths,
    fineTuneEvaluationEngineerMonths: options.fineTuneEvaluationEngineerMonths ?? d.fineTuneEvaluationEngineerMonths,
    crossoverHysteresisPct: options.crossoverHysteresisPct ?? d.crossoverHysteresisPct,
  };
}

/** Loaded cost of one engineer-month: salary × employer-cost multiplier / 12. */
export function engineerMonthUsd(settings: Settings): number {
  return (settings.engineerAnnualSalaryUsd * settings.employerCostMultiplier) / 12;
}
