// Month-by-month money of a plan: revenue, cost of revenue, gross and contribution margin, cash, and the
// unit economics investors ask for (CAC payback, LTV, LTV/CAC, burn multiple, runway). Pure.
import type { FunnelMonth, ResolvedFunnel } from "./funnel";
import type { MonthDemand, PlanMonth, Pricing } from "./types";
import { productRevenue } from "./revenue";

/** One month's inputs, gathered by the projection. */
export interface MonthInputs {
  demand: Omit<MonthDemand, "month">;
  funnel: FunnelMonth;
  /** Requests of the product's paying users, and tokens of those requests (text use cases). */
  paidRequests: number;
  paidTokens: number;
  /** Requests of the product's users (paying + free) and of the API/SDK lines. */
  productRequests: number;
  lineRequests: number;
  otherRevenueUsd: number;
  otherRecurringRevenueUsd: number;
  deliveryCostUsd: number;
  computeCostUsd: number;
  peopleCostUsd: number;
  oneOffCostUsd: number;
  cheapestRunningCostUsd: number;
}

/**
 * Lifetime value of a paying user: gross profit per month / monthly paid churn (Skok, "SaaS Metrics
 * 2.0"). Null when it is not meaningful: no paying users, a gross profit of zero or less (a customer who
 * loses money every month has no value to recover a CAC from, and a "negative LTV" divided by a CAC is no
 * ratio anyone can act on), or no paid churn (an unbounded lifetime).
 */
export function lifetimeValueUsd(grossProfitPerPayingUserUsd: number | null, paidChurnPerMonth: number): number | null {
  if (grossProfitPerPayingUserUsd === null || !(grossProfitPerPayingUserUsd > 0) || !(paidChurnPerMonth > 0)) return null;
  return grossProfitPerPayingUserUsd / paidChurnPerMonth;
}

/**
 * Builds the plan's months. Definitions (each stated in the plan's assumptions):
 * - cost of revenue = compute + self-hosting people + delivery of the other lines;
 * - gross margin = revenue − cost of revenue; contribution margin = gross margin − acquisition spend;
 * - gross profit per paying user = (product revenue − the product's share of compute and people) / paying users,
 *   the share being the product's requests over all requests (free users' requests are the product's);
 * - CAC payback = CAC / gross profit per paying user; LTV = gross profit per paying user / paid churn
 *   (Skok, "SaaS Metrics 2.0", forEntrepreneurs.com). Both only while a paying user brings a gross profit:
 *   with gross profit ≤ 0 a customer never pays back and has no lifetime value (null, not a negative LTV);
 * - burn multiple = net burn / net new ARR, ARR = 12 × recurring revenue (Sacks, Craft Ventures 2020).
 */
export function buildMonths(
  inputs: MonthInputs[],
  pricing: Pricing,
  funnel: ResolvedFunnel,
  cashUsd: number,
  burnUsd: number,
  targetGrossMarginPct: number,
): { months: PlanMonth[]; priceVolumes: { volume: number; fixedUsd: number }[] } {
  const t = targetGrossMarginPct / 100;
  let cash = cashUsd;
  let prevRecurring: number | null = null;
  const priceVolumes: { volume: number; fixedUsd: number }[] = [];
  const months = inputs.map((x, i): PlanMonth => {
    const product = productRevenue(pricing, x.funnel, x.paidRequests, x.paidTokens);
    priceVolumes.push({ volume: product.volume, fixedUsd: product.fixedUsd });
    const revenueUsd = product.revenueUsd + x.otherRevenueUsd;
    const costOfRevenueUsd = x.computeCostUsd + x.peopleCostUsd + x.deliveryCostUsd;
    const grossMarginUsd = revenueUsd - costOfRevenueUsd;
    const acquisitionCostUsd = x.funnel.acquisitionCostUsd;
    const contributionMarginUsd = grossMarginUsd - acquisitionCostUsd;
    const netCashFlowUsd = revenueUsd - costOfRevenueUsd - acquisitionCostUsd - x.oneOffCostUsd - burnUsd;
    cash += netCashFlowUsd;
    const requests = x.productRequests + x.lineRequests;
    const productShare = requests > 0 ? x.productRequests / requests : 1;
    const productCostUsd = (x.computeCostUsd + x.peopleCostUsd) * productShare;
    const paying = x.funnel.payingUsers;
    const arpuUsd = paying > 0 ? product.revenueUsd / paying : null;
    const grossProfitPerPayingUserUsd = paying > 0 ? (product.revenueUsd - productCostUsd) / paying : null;
    const acquired = x.funnel.newPayingUsers;
    const hasCac = funnel.cacUsd !== null || funnel.marketingUsdPerMonth !== null;
    const cacUsd = hasCac && acquired > 0 ? acquisitionCostUsd / acquired : hasCac && funnel.cacUsd !== null ? funnel.cacUsd : null;
    const cacPaybackMonths = cacUsd !== null && grossProfitPerPayingUserUsd !== null && grossProfitPerPayingUserUsd > 0 ? cacUsd / grossProfitPerPayingUserUsd : null;
    const ltvUsd = lifetimeValueUsd(grossProfitPerPayingUserUsd, funnel.paidChurn);
    const ltvToCac = ltvUsd !== null && cacUsd !== null && cacUsd > 0 ? ltvUsd / cacUsd : null;
    const recurringRevenueUsd = product.revenueUsd + x.otherRecurringRevenueUsd;
    const netNewArrUsd = prevRecurring === null ? null : 12 * (recurringRevenueUsd - prevRecurring);
    prevRecurring = recurringRevenueUsd;
    const netBurnUsd = Math.max(0, -netCashFlowUsd);
    const burnMultiple = netBurnUsd > 0 && netNewArrUsd !== null && netNewArrUsd > 0 ? netBurnUsd / netNewArrUsd : null;
    // price p with (p·V + fixed − cost) / (p·V + fixed) = target  ⇒  p = (cost / (1 − target) − fixed) / V
    const requiredPriceUsd = product.volume > 0 ? Math.max(0, (costOfRevenueUsd / (1 - t) - x.otherRevenueUsd - product.fixedUsd) / product.volume) : null;
    return {
      month: i + 1,
      ...x.demand,
      payingUsers: paying,
      freeUsers: x.funnel.freeUsers,
      signups: x.funnel.signups,
      newPayingUsers: acquired,
      churnedPayingUsers: x.funnel.churnedPayingUsers,
      churnedFreeUsers: x.funnel.churnedFreeUsers,
      productRevenueUsd: product.revenueUsd,
      otherRevenueUsd: x.otherRevenueUsd,
      revenueUsd,
      recurringRevenueUsd,
      computeCostUsd: x.computeCostUsd,
      peopleCostUsd: x.peopleCostUsd,
      deliveryCostUsd: x.deliveryCostUsd,
      costOfRevenueUsd,
      oneOffCostUsd: x.oneOffCostUsd,
      costPerRequestUsd: requests > 0 ? x.computeCostUsd / requests : null,
      grossMarginUsd,
      grossMarginPct: revenueUsd > 0 ? (grossMarginUsd / revenueUsd) * 100 : null,
      acquisitionCostUsd,
      contributionMarginUsd,
      contributionMarginPct: revenueUsd > 0 ? (contributionMarginUsd / revenueUsd) * 100 : null,
      nonComputeBurnUsd: burnUsd,
      netCashFlowUsd,
      cumulativeCashUsd: cash,
      cheapestRunningCostUsd: x.cheapestRunningCostUsd,
      requiredPriceUsd,
      arpuUsd,
      grossProfitPerPayingUserUsd,
      cacUsd,
      cacPaybackMonths,
      ltvUsd,
      ltvToCac,
      netBurnUsd,
      netNewArrUsd,
      burnMultiple,
      runwayMonthsAtCurrentBurn: netBurnUsd > 0 ? Math.max(0, cash) / netBurnUsd : null,
    };
  });
  return { months, priceVolumes };
}
