// The report's headline answers as plain data, shared by the HTML and Markdown renderers.
import type { HeadlineOption, Plan } from "../types";
import { formatNumber, formatPct, formatUsd } from "./format";

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

function ratio(v: number | null, digits = 2): string {
  return v === null ? "—" : `${v.toFixed(digits)}×`;
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
      detail: `cash at month ${H}: ${formatUsd(r.cumulativeCashAtHorizonUsd)}${um.burnMultiple !== null ? `; burn multiple in month ${um.month}: ${ratio(um.burnMultiple)}` : ""}`,
      tone: r.runOutMonth !== null ? "bad" : "good",
    },
    {
      key: "paying-users",
      question: `Paying users (month ${um.month})`,
      answer: `${formatNumber(um.payingUsers)} of ${formatNumber(um.payingUsers + um.freeUsers)} active users`,
      detail: `ARPU ${formatUsd(um.arpuUsd)} a month; ${assumptionText(plan, "funnel.freeToPaidPct")}% of sign-ups pay; churn ${assumptionText(plan, "funnel.paidChurnPct")}% of paying and ${assumptionText(plan, "funnel.freeChurnPct")}% of free users a month`,
      tone: "neutral",
    },
    {
      key: "unit-economics",
      question: `Unit economics (month ${um.month})`,
      answer: um.ltvToCac !== null || um.cacPaybackMonths !== null
        ? `LTV/CAC ${ratio(um.ltvToCac)} · CAC payback ${um.cacPaybackMonths === null ? "never" : `${um.cacPaybackMonths.toFixed(1)} months`}`
        : "No acquisition cost given",
      detail: `LTV ${formatUsd(um.ltvUsd)}, CAC ${formatUsd(um.cacUsd)}; contribution margin ${formatPct(um.contributionMarginPct)} after acquisition spend`,
      tone: um.ltvToCac !== null ? (um.ltvToCac >= 3 ? "good" : "bad") : "neutral",
    },
    {
      key: "required-price",
      question: `Price needed for a ${r.requiredPrice.targetGrossMarginPct}% gross margin`,
      answer: `${formatUsd(r.requiredPrice.metricMonth)} ${perUnitOf(plan)} in month ${r.metricMonth}`,
      detail: `every month: ${formatUsd(r.requiredPrice.everyMonth)}; current price ${formatUsd(r.requiredPrice.current)}; break-even price at month ${H} (covers all costs that month): ${formatUsd(r.requiredPrice.breakEvenAtHorizon)}`,
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
