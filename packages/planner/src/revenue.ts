// Revenue: the product's own pricing (seat, usage, hybrid, with a free tier) and the other revenue lines of
// the seed essays' business models — API/SDK sales, technical services billed by time, data products —
// each with its cost of delivery. Pure.
import { DAYS_PER_MONTH } from "./demand";
import { WORK_HOURS_PER_YEAR } from "./defaults";
import { fmtPrice } from "./format";
import type { FunnelMonth } from "./funnel";
import type { Assumption, BusinessModel, Pricing, RevenueLine, RevenueLineKind, Scenario } from "./types";

export const LINE_NAMES: Record<RevenueLineKind, string> = {
  "api-sdk": "API/SDK sales",
  "technical-services": "Technical services (custom projects, billed by time)",
  "data-products": "Data products",
};

export const STREAM_NAMES: Record<BusinessModel, string> = {
  "api-sdk": "API/SDK sales",
  "technical-services": "Technical services (customisation and integration contracts)",
  "data-monetisation": "Data monetisation (insight and data products)",
  subscription: "Subscriptions",
};

/** One revenue line month by month. API/SDK requests are served by the plan's deployment (their compute is allocated later). */
export interface LineProjection {
  kind: RevenueLineKind;
  name: string;
  basis: string;
  revenueUsd: number[];
  /** Delivery cost other than model compute (services hours, data-product pipelines). */
  deliveryCostUsd: number[];
  /** Requests this line sends to the model (API/SDK). */
  requests: number[];
  recurring: boolean;
}

function volume(start: number, growthPct: number, startMonth: number, month: number): number {
  return month < startMonth ? 0 : start * Math.pow(1 + growthPct / 100, month - startMonth);
}

/** Requests one revenue line sends to the model, month by month over the horizon (API/SDK sales; the other lines send none). */
export function lineRequestsByMonth(line: RevenueLine, horizonMonths: number): number[] {
  return Array.from({ length: horizonMonths }, (_, i) => (line.kind === "api-sdk" ? volume(line.requestsPerMonth, line.monthlyGrowthPct ?? 0, line.startMonth ?? 1, i + 1) : 0));
}

/**
 * The scenario's other revenue lines. Volumes grow from their start month at their own compound rate.
 * Technical services cost the loaded engineer hour unless the line gives its own delivery cost.
 */
export function projectRevenueLines(scenario: Scenario, engineerMonthUsd: number): { lines: LineProjection[]; assumptions: Assumption[] } {
  const horizon = scenario.audience.horizonMonths;
  const months = Array.from({ length: horizon }, (_, i) => i + 1);
  const assumptions: Assumption[] = [];
  const lines = (scenario.revenueLines ?? []).map((line: RevenueLine, idx): LineProjection => {
    const name = line.name ?? LINE_NAMES[line.kind];
    const start = line.startMonth ?? 1;
    const g = line.monthlyGrowthPct ?? 0;
    const src = `scenario '${scenario.name}' revenueLines[${idx}]`;
    if (line.kind === "api-sdk") {
      const requests = lineRequestsByMonth(line, horizon);
      return {
        kind: line.kind, name, recurring: true, requests,
        basis: `${line.requestsPerMonth.toLocaleString("en-US")} requests/month from month ${start}, +${g}%/month, × $${fmtPrice(line.priceUsdPerRequest)}; served by the plan's deployment (cost: its share of compute and engineering)`,
        revenueUsd: requests.map((r) => r * line.priceUsdPerRequest),
        deliveryCostUsd: months.map(() => 0),
      };
    }
    if (line.kind === "technical-services") {
      const hourUsd = (engineerMonthUsd * 12) / WORK_HOURS_PER_YEAR;
      const costPerHour = line.deliveryCostUsdPerHour ?? hourUsd;
      assumptions.push({
        name: `revenueLines[${idx}].deliveryCostUsdPerHour`,
        value: costPerHour,
        unit: "USD per billed hour",
        source: line.deliveryCostUsdPerHour !== undefined ? src : `loaded engineer cost per hour: engineer-month cost × 12 / ${WORK_HOURS_PER_YEAR} h (52 weeks × 40 h); assumes every paid hour is billed`,
      });
      const hours = months.map((m) => volume(line.billableHoursPerMonth, g, start, m));
      return {
        kind: line.kind, name, recurring: false, requests: months.map(() => 0),
        basis: `${line.billableHoursPerMonth} billable hours/month from month ${start}, +${g}%/month, × $${fmtPrice(line.hourlyRateUsd)}/h; delivered at $${fmtPrice(costPerHour)}/h`,
        revenueUsd: hours.map((h) => h * line.hourlyRateUsd),
        deliveryCostUsd: hours.map((h) => h * costPerHour),
      };
    }
    const customers = months.map((m) => volume(line.customers, g, start, m));
    const fixed = line.deliveryCostUsdPerMonth ?? 0;
    const perCustomer = line.deliveryCostUsdPerCustomerMonth ?? 0;
    if (line.deliveryCostUsdPerMonth === undefined && line.deliveryCostUsdPerCustomerMonth === undefined) {
      assumptions.push({ name: `revenueLines[${idx}].deliveryCost`, value: 0, unit: "USD", source: `not given in ${src}: no delivery cost counted for this data product (anonymisation, pipelines and licences usually cost something — set deliveryCostUsdPerMonth)` });
    }
    return {
      kind: line.kind, name, recurring: true, requests: months.map(() => 0),
      basis: `${line.customers} customers from month ${start}, +${g}%/month, × $${fmtPrice(line.priceUsdPerCustomerMonth)}/month; delivery $${fmtPrice(fixed)}/month + $${fmtPrice(perCustomer)} per customer`,
      revenueUsd: customers.map((c, i) => (months[i] < start ? 0 : c * line.priceUsdPerCustomerMonth)),
      deliveryCostUsd: customers.map((c, i) => (months[i] < start ? 0 : fixed + c * perCustomer)),
    };
  });
  return { lines, assumptions };
}

/** Requests the product's own users make in a month (paying and free). */
export function productRequests(f: FunnelMonth, paidRequestsPerDay: number, freeRequestsPerDay: number): { paid: number; free: number } {
  return { paid: f.payingUsers * paidRequestsPerDay * DAYS_PER_MONTH, free: f.freeUsers * freeRequestsPerDay * DAYS_PER_MONTH };
}

/**
 * The product's revenue in a month, split into the part proportional to the price (volume × price) and a
 * fixed part (hybrid overage), so the price for a target margin can be solved for.
 */
export function productRevenue(pricing: Pricing, f: FunnelMonth, paidRequests: number, paidTokens: number): { revenueUsd: number; volume: number; fixedUsd: number; unit: string } {
  switch (pricing.model) {
    case "perSeatMonthly":
      return { revenueUsd: f.payingUsers * pricing.priceUsd, volume: f.payingUsers, fixedUsd: 0, unit: "USD per seat-month" };
    case "perRequest":
      return { revenueUsd: paidRequests * pricing.priceUsd, volume: paidRequests, fixedUsd: 0, unit: "USD per request" };
    case "perMillionTokens":
      return { revenueUsd: (paidTokens / 1e6) * pricing.priceUsd, volume: paidTokens / 1e6, fixedUsd: 0, unit: "USD per million tokens" };
    case "hybrid": {
      const perSeat = f.payingUsers > 0 ? paidRequests / f.payingUsers : 0;
      const overage = f.payingUsers * Math.max(0, perSeat - pricing.includedRequestsPerSeat) * pricing.overageUsdPerRequest;
      return { revenueUsd: f.payingUsers * pricing.priceUsd + overage, volume: f.payingUsers, fixedUsd: overage, unit: "USD per seat-month (overage unchanged)" };
    }
  }
}

/** The product's pricing in words. */
export function pricingBasis(pricing: Pricing): string {
  const free = pricing.freeTier ? `; free tier up to ${pricing.freeTier.requestsPerUserPerMonth} requests per user-month` : "; free users pay nothing";
  switch (pricing.model) {
    case "perSeatMonthly":
      return `paying users × $${fmtPrice(pricing.priceUsd)} per seat-month${free}`;
    case "perRequest":
      return `paying users' requests × $${fmtPrice(pricing.priceUsd)} per request${free}`;
    case "perMillionTokens":
      return `paying users' tokens (prompt + reply) × $${fmtPrice(pricing.priceUsd)} per million${free}`;
    case "hybrid":
      return `paying users × $${fmtPrice(pricing.priceUsd)} per seat-month including ${pricing.includedRequestsPerSeat} requests, then $${fmtPrice(pricing.overageUsdPerRequest)} per extra request${free}`;
  }
}
