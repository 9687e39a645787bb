/**
 * What an hour of a measured machine costs, and what its measured throughput therefore costs per
 * request, per training sample and in energy. Two forms of price:
 *
 * - a cloud instance: its price per hour (from the price catalog, or the caller's quote with its source);
 * - owned hardware, total cost of ownership per hour made explicit (straight-line depreciation):
 *     purchase / (depreciation years × 8,760 h)  +  power (W) × PUE / 1000 × electricity (USD/kWh)  +  hosting / 730 h.
 *
 * The box runs (and is paid for) every hour, busy or idle, like a rented GPU-hour. Pure: no I/O.
 */
import { HOURS_PER_MONTH } from "./demand";
import type { Range3 } from "./types";

export const HARDWARE_PRICE_KINDS = ["cloud-instance", "owned"] as const;
export type HardwarePriceKind = (typeof HARDWARE_PRICE_KINDS)[number];
/** measured: at the wall (a power meter, IPMI, nvidia-smi power.draw under load); rated: the nameplate, TDP or PSU rating. */
export const POWER_BASES = ["measured", "rated"] as const;
export type PowerBasis = (typeof POWER_BASES)[number];

/** 365 days × 24 h. */
export const HOURS_PER_YEAR = 8760;

export interface PowerDraw {
  watts: number;
  basis: PowerBasis;
  /** Where the figure comes from (meter, datasheet). */
  source: string | null;
}

/** A cloud instance type and its price per hour (the whole instance: the box the profile measured). */
export interface CloudInstancePrice {
  kind: "cloud-instance";
  provider: string;
  instanceType: string;
  usdPerHour: number;
  /** The price page (catalog entry, or the caller's quote). */
  source: string;
  /** When the price was read (YYYY-MM-DD), when known. */
  date: string | null;
  /** The figure is the price catalog's (false: given by the caller). */
  fromCatalog: boolean;
  /** Optional, for energy figures only (the provider pays the power). */
  power: PowerDraw | null;
  pue: number | null;
  pueSource: string | null;
}

/** Owned hardware: its total cost of ownership, every part explicit. */
export interface OwnedHardwarePrice {
  kind: "owned";
  purchaseUsd: number;
  depreciationYears: number;
  power: PowerDraw;
  pue: number;
  pueSource: string;
  electricityUsdPerKwh: number;
  /** Rack space, cooling contract, connectivity, colocation: whatever hosting the box costs a month. */
  hostingUsdPerMonth: number;
}

export type HardwarePrice = CloudInstancePrice | OwnedHardwarePrice;

export interface HourlyCost {
  usdPerHour: number;
  /** Owned hardware: the three parts of the hourly TCO (null for a cloud instance). */
  parts: { depreciationUsdPerHour: number; energyUsdPerHour: number; hostingUsdPerHour: number } | null;
  /** Facility energy per hour, kWh (power × PUE); null when no power figure was given. */
  kwhPerHour: number | null;
  /** The arithmetic, with the figures. */
  formula: string;
}

const usd = (x: number) => `$${x.toFixed(x >= 100 ? 0 : x >= 1 ? 2 : 4)}`;

/** The price of one hour of the box. */
export function hourlyCost(price: HardwarePrice): HourlyCost {
  if (price.kind === "cloud-instance") {
    const kwhPerHour = price.power ? (price.power.watts * (price.pue ?? 1)) / 1000 : null;
    return {
      usdPerHour: price.usdPerHour,
      parts: null,
      kwhPerHour,
      formula: `${price.provider} ${price.instanceType}: ${usd(price.usdPerHour)}/h (${price.fromCatalog ? "price catalog" : "given"}; ${price.source})`,
    };
  }
  const depreciationUsdPerHour = price.purchaseUsd / (price.depreciationYears * HOURS_PER_YEAR);
  const kwhPerHour = (price.power.watts * price.pue) / 1000;
  const energyUsdPerHour = kwhPerHour * price.electricityUsdPerKwh;
  const hostingUsdPerHour = price.hostingUsdPerMonth / HOURS_PER_MONTH;
  const usdPerHour = depreciationUsdPerHour + energyUsdPerHour + hostingUsdPerHour;
  return {
    usdPerHour,
    parts: { depreciationUsdPerHour, energyUsdPerHour, hostingUsdPerHour },
    kwhPerHour,
    formula:
      `${usd(price.purchaseUsd)} / (${price.depreciationYears} y × ${HOURS_PER_YEAR} h) = ${usd(depreciationUsdPerHour)}/h depreciation` +
      ` + ${price.power.watts} W (${price.power.basis}) × PUE ${price.pue} / 1000 × ${usd(price.electricityUsdPerKwh)}/kWh = ${usd(energyUsdPerHour)}/h energy` +
      ` + ${usd(price.hostingUsdPerMonth)}/month / ${HOURS_PER_MONTH} h = ${usd(hostingUsdPerHour)}/h hosting` +
      ` = ${usd(usdPerHour)}/h`,
  };
}

/** A measured rate, samples per second, as {low, expected, high} (low = the slow end). */
export type RateBand = Range3;

/**
 * Throughput band of a run from its step-time statistics: the expected rate is the one measured (median
 * step time); the low and high ends scale it by median ÷ p90 and median ÷ p10 (a run as slow as its 90th
 * percentile step, or as fast as its 10th).
 */
export function rateBand(samplesPerS: number, stepTimeMs: { medianMs: number; p10Ms: number; p90Ms: number }): RateBand {
  const { medianMs, p10Ms, p90Ms } = stepTimeMs;
  return {
    low: p90Ms > 0 ? (samplesPerS * medianMs) / p90Ms : samplesPerS,
    expected: samplesPerS,
    high: p10Ms > 0 ? (samplesPerS * medianMs) / p10Ms : samplesPerS,
  };
}

/** USD for a million units processed at `unitsPerS` (a band: the slow end costs the most). */
export function usdPerMillion(usdPerHour: number, unitsPerS: RateBand): Range3 {
  const per = (rate: number) => (rate > 0 ? (usdPerHour / (rate * 3600)) * 1e6 : Number.POSITIVE_INFINITY);
  return { low: per(unitsPerS.high), expected: per(unitsPerS.expected), high: per(unitsPerS.low) };
}

/** Facility kWh for a million units at `unitsPerS` (null without a power figure). */
export function kwhPerMillion(kwhPerHour: number | null, unitsPerS: RateBand): Range3 | null {
  if (kwhPerHour === null) return null;
  const per = (rate: number) => (rate > 0 ? (kwhPerHour / (rate * 3600)) * 1e6 : Number.POSITIVE_INFINITY);
  return { low: per(unitsPerS.high), expected: per(unitsPerS.expected), high: per(unitsPerS.low) };
}

/** A training run of `samples` × `epochs` at a measured training rate: hours, cost and energy (bands). */
export function trainingRunCost(hourly: HourlyCost, samplesPerS: RateBand, samples: number, epochs: number): { hours: Range3; usd: Range3; kwh: Range3 | null } {
  const total = samples * epochs;
  const hours = (rate: number) => (rate > 0 ? total / rate / 3600 : Number.POSITIVE_INFINITY);
  const h = { low: hours(samplesPerS.high), expected: hours(samplesPerS.expected), high: hours(samplesPerS.low) };
  const scale = (k: number) => ({ low: h.low * k, expected: h.expected * k, high: h.high * k });
  return { hours: h, usd: scale(hourly.usdPerHour), kwh: hourly.kwhPerHour === null ? null : scale(hourly.kwhPerHour) };
}
