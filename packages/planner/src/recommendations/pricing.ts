// The price for the target gross margin, as a step to take or, beyond MAX_PRICE_RISE_FACTOR × today's
// price, as a target out of reach by pricing alone; and the order recommendations are listed in. Pure.
import type { PlannerCatalog } from "../catalog";
import { beyondPricingAlone, MAX_PRICE_RISE_FACTOR, priceRiseFactor } from "../defaults";
import { fmtPct, fmtUsd } from "../format";
import type { Projection } from "../projection";
import type { Recommendation, RecommendationEffect, UseCase } from "../types";
import { describeEffect, effectOf, tryVariant } from "./variants";

/**
 * Order of the recommendations: a price within reach first (it decides whether the margin target is
 * reachable), then the acquisition cost, then the cost changes by money saved, and last a price beyond
 * pricing alone (MAX_PRICE_RISE_FACTOR): a multiple of today's price is no first step.
 */
export function recommendationTier(r: Recommendation, pricingBeyondReach: boolean): number {
  if (r.category === "pricing") return pricingBeyondReach ? 3 : 0;
  if (r.category === "acquisition") return 1;
  return 2;
}

/** A multiple of a price in a sentence: 1.7×, 42×. */
function fmtTimes(factor: number): string {
  return `${factor >= 10 ? factor.toFixed(0) : factor.toFixed(1)}×`;
}

/** What the pricing recommendation is written from. */
interface PriceForMargin {
  targetPct: number;
  currentUsd: number;
  neededUsd: number;
  /** "per seat-month", "per request", "per million tokens" */
  unit: string;
  metricMonth: number;
  grossMarginPct: number | null;
  effect: RecommendationEffect;
}

const PRICE_CAVEATS = ["Demand response to price is not modelled: the same users, conversion and churn are assumed at the higher price."];

function priceChange(p: PriceForMargin): string {
  return `pricing.priceUsd: ${p.currentUsd} → ${Number(p.neededUsd.toPrecision(4))}`;
}

function marginNow(p: PriceForMargin): string {
  return `At the current price the month-${p.metricMonth} gross margin is ${p.grossMarginPct === null ? "undefined (no revenue)" : fmtPct(p.grossMarginPct)}`;
}

/** The price as a step to take: within MAX_PRICE_RISE_FACTOR of today's (or no price today). */
function priceStep(p: PriceForMargin): Recommendation {
  const factor = priceRiseFactor(p.currentUsd, p.neededUsd);
  return {
    id: "price-for-target-margin",
    category: "pricing",
    title: `Charge ${fmtUsd(p.neededUsd)} ${p.unit} for a gross margin of ${p.targetPct}%`,
    change: priceChange(p),
    rationale: `${marginNow(p)}; this price${factor !== null ? ` (${fmtTimes(factor)} the current ${fmtUsd(p.currentUsd)})` : ""} reaches ${p.targetPct}% in every month. Re-running the plan with this price: ${describeEffect(p.effect, p.metricMonth)}.`,
    effect: p.effect,
    caveats: [...PRICE_CAVEATS],
  };
}

/** The price beyond MAX_PRICE_RISE_FACTOR × today's: said plainly to be out of reach by pricing alone. */
function priceBeyondReach(p: PriceForMargin, factor: number): Recommendation {
  return {
    id: "price-for-target-margin",
    category: "pricing",
    title: `The ${p.targetPct}% gross margin target is out of reach by pricing alone: it would take ${fmtUsd(p.neededUsd)} ${p.unit}, ${fmtTimes(factor)} the current ${fmtUsd(p.currentUsd)}`,
    change: priceChange(p),
    rationale: `${marginNow(p)}. Price alone reaches ${p.targetPct}% in every month only at ${fmtTimes(factor)} the current price, beyond the ${MAX_PRICE_RISE_FACTOR}× rise the plan puts forward as a step to take (it keeps the same users, conversion and churn at any price, which a rise this large would not). Lower the cost of revenue first (any cost change recommended here is listed before this), then solve the price again. For reference, re-running the plan at this price: ${describeEffect(p.effect, p.metricMonth)}.`,
    effect: p.effect,
    caveats: [...PRICE_CAVEATS],
  };
}

/** The price that gives the target gross margin in every month, re-run; null when none is needed or it cannot be planned. */
export function pricingRecommendation(
  base: Projection,
  useCases: UseCase[],
  catalog: PlannerCatalog,
): { recommendation: Recommendation; beyondPricingAlone: boolean } | null {
  const s = base.scenario;
  const metricMonth = base.results.metricMonth;
  const grossMarginPct = base.months[metricMonth - 1].grossMarginPct;
  const targetPct = base.settings.targetGrossMarginPct;
  const neededUsd = base.results.requiredPrice.everyMonth;
  if (!s.pricing || neededUsd === null || (grossMarginPct !== null && grossMarginPct >= targetPct) || neededUsd <= s.pricing.priceUsd) return null;
  const variant = tryVariant(base, useCases, catalog, { scenario: { ...s, pricing: { ...s.pricing, priceUsd: neededUsd } } });
  if (!variant) return null;
  const p: PriceForMargin = {
    targetPct, currentUsd: s.pricing.priceUsd, neededUsd, unit: base.results.requiredPrice.unit.replace("USD ", ""), metricMonth, grossMarginPct, effect: effectOf(base, variant),
  };
  const factor = priceRiseFactor(p.currentUsd, neededUsd);
  if (factor === null || !beyondPricingAlone(factor)) return { recommendation: priceStep(p), beyondPricingAlone: false };
  return { recommendation: priceBeyondReach(p, factor), beyondPricingAlone: true };
}
