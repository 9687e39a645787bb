// The report's headline answers as plain data, shared by the HTML and Markdown renderers.
import type { HeadlineOption, Plan } from "../types";
import { beyondPricingAlone, MAX_PRICE_RISE_FACTOR, priceRiseFactor } from "../defaults";
import { formatFixed, formatNumber, formatPct, formatRatio, formatUsd } from "./format";
import { losesMoneyPerCustomer, ltvToCacText, ltvUnavailableReason, NOT_AVAILABLE } from "./unit-economics";

export interface Headline {
  key: string;
  question: string;
  answer: string;
  detail: string;
  tone: "good" | "bad" | "neutral";
}

function perUnitOf(plan: Plan): string {
  switch (plan.pricingModel) {
    case "perSeatMonthly":
    case "hybrid":
      return "per seat-month";
    case "perRequest":
      return "per request";
    case "perMillionTokens":
      return "per million tokens";
  }
}

function cheapestQuestion(plan: Plan, h: HeadlineOption, when: string): string {
  const floors = plan.workloads.some((w) => w.qualityFloor && w.qualityFloor.benchmark !== null);
  if (!floors) return `Cheapest option ${when}`;
  return h.meetsQualityFloor ? `Cheapest option that meets the use case's quality floor ${when}` : `Cheapest option ${when} — none meets the quality floor`;
}

function cheapestDetail(h: HeadlineOption): string {
  return `${formatUsd(h.monthlyCostUsd)} a month${h.costPerRequestUsd !== null ? `, ${formatUsd(h.costPerRequestUsd)} per request` : ""}`;
}

/** The unit-economics card: LTV/CAC and CAC payback, "n/a" with its reason when a customer loses money. */
function unitEconomicsHeadline(plan: Plan): Headline {
  const um = plan.results.unitEconomics;
  const month = plan.months[um.month - 1];
  const payback = um.cacPaybackMonths === null ? "never" : `${formatFixed(um.cacPaybackMonths)} months`;
  const ltvReason = ltvUnavailableReason(month);
  const ltv = um.ltvUsd !== null ? formatUsd(um.ltvUsd) : `${NOT_AVAILABLE}${ltvReason ? ` (${ltvReason})` : ""}`;
  return {
    key: "unit-economics",
    question: `Unit economics (month ${um.month})`,
    answer: um.cacUsd !== null ? `LTV/CAC ${ltvToCacText(um.ltvToCac)} · CAC payback ${payback}` : "No acquisition cost given",
    detail: `LTV ${ltv}, CAC ${formatUsd(um.cacUsd)}; contribution margin ${formatPct(um.contributionMarginPct)} after acquisition spend`,
    tone: um.ltvToCac !== null ? (um.ltvToCac >= 3 ? "good" : "bad") : losesMoneyPerCustomer(month) ? "bad" : "neutral",
  };
}

/** The required-price card's detail, saying so when the price is beyond pricing alone (MAX_PRICE_RISE_FACTOR). */
function requiredPriceDetail(plan: Plan): string {
  const rp = plan.results.requiredPrice;
  const H = plan.horizonMonths;
  const factor = rp.everyMonth !== null ? priceRiseFactor(rp.current, rp.everyMonth) : null;
  const beyond = factor !== null && beyondPricingAlone(factor)
    ? ` (${formatFixed(factor, 1)}× it: out of reach by pricing alone, beyond the ${MAX_PRICE_RISE_FACTOR}× rise the plan models as a price change)`
    : "";
  return `every month: ${formatUsd(rp.everyMonth)}; current price ${formatUsd(rp.current)}${beyond}; break-even price at month ${H} (covers all costs that month): ${formatUsd(rp.breakEvenAtHorizon)}`;
}

export function headlines(plan: Plan): Headline[] {
  const r = plan.results;
  const H = plan.horizonMonths;
  const um = r.unitEconomics;
  const below = r.belowQualityFloor;
  const out: Headline[] = [
    {
      key: "cheapest-now",
      question: cheapestQuestion(plan, r.cheapestNow, "now (month 1)"),
      answer: r.cheapestNow.label,
      detail: cheapestDetail(r.cheapestNow) + (below.length > 0 ? `; ${below.length} model${below.length === 1 ? "" : "s"} left out: below the floor or without a published score` : ""),
      tone: r.cheapestNow.meetsQualityFloor ? "neutral" : "bad",
    },
    {
      key: "cheapest-horizon",
      question: cheapestQuestion(plan, r.cheapestAtHorizon, `at the horizon (month ${H})`),
      answer: r.cheapestAtHorizon.label,
      detail: cheapestDetail(r.cheapestAtHorizon) + (r.buildVsBuyCrossoverMonth !== null ? `; self-hosting (engineering and on-call included) beats the cheapest hosted API from month ${r.buildVsBuyCrossoverMonth}` : "; self-hosting, engineering and on-call included, never beats the cheapest hosted API within the horizon"),
      tone: "neutral",
    },
    {
      key: "break-even",
      question: "Break-even (first month with non-negative net cash flow)",
      answer: r.breakEvenMonth !== null ? `Month ${r.breakEvenMonth}` : `Not within ${H} months`,
      detail: `net cash flow in month ${H}: ${formatUsd(plan.months[H - 1].netCashFlowUsd)} (revenue ${formatUsd(plan.months[H - 1].revenueUsd)}, acquisition ${formatUsd(plan.months[H - 1].acquisitionCostUsd)})`,
      tone: r.breakEvenMonth !== null ? "good" : "bad",
    },
    {
      key: "runway",
      question: "Runway",
      answer: r.runOutMonth !== null ? `${r.runwayMonths} months — cash runs out in month ${r.runOutMonth}` : `Beyond the ${H}-month horizon`,
      detail: `cash at month ${H}: ${formatUsd(r.cumulativeCashAtHorizonUsd)}${um.burnMultiple !== null ? `; burn multiple in month ${um.month}: ${formatRatio(um.burnMultiple)}` : ""}`,
      tone: r.runOutMonth !== null ? "bad" : "good",
    },
    {
      key: "paying-users",
      question: `Paying users (month ${um.month})`,
      answer: `${formatNumber(um.payingUsers)} of ${formatNumber(um.payingUsers + um.freeUsers)} active users`,
      detail: `ARPU ${formatUsd(um.arpuUsd)} a month; ${assumptionText(plan, "funnel.freeToPaidPct")}% of sign-ups pay; churn ${assumptionText(plan, "funnel.paidChurnPct")}% of paying and ${assumptionText(plan, "funnel.freeChurnPct")}% of free users a month`,
      tone: "neutral",
    },
    unitEconomicsHeadline(plan),
    {
      key: "required-price",
      question: `Price needed for a ${r.requiredPrice.targetGrossMarginPct}% gross margin`,
      answer: `${formatUsd(r.requiredPrice.metricMonth)} ${perUnitOf(plan)} in month ${r.metricMonth}`,
      detail: requiredPriceDetail(plan),
      tone: r.requiredPrice.everyMonth !== null && r.requiredPrice.current >= r.requiredPrice.everyMonth ? "good" : "bad",
    },
    {
      key: "margin",
      question: `Gross margin in month ${r.metricMonth} (chosen deployment)`,
      answer: formatPct(r.grossMarginPctAtMetricMonth),
      detail: `chosen: ${r.chosen.label}; cost of revenue = compute + self-hosting engineering + delivery`,
      tone: r.grossMarginPctAtMetricMonth !== null && r.grossMarginPctAtMetricMonth >= r.requiredPrice.targetGrossMarginPct ? "good" : "bad",
    },
  ];
  return out;
}

function assumptionText(plan: Plan, name: string): string {
  const v = plan.assumptions.find((a) => a.name === name)?.value;
  return typeof v === "number" ? String(Number(v.toPrecision(4))) : "—";
}
