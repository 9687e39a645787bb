// How the reports write LTV and LTV/CAC when the plan has none: "n/a" with the reason in one line, so a
// customer who loses money is never shown as a negative lifetime value. Shared by the headline, the
// unit-economics table and chart.
import type { PlanMonth } from "../types";
import { formatFixed, formatRatio, formatUsd } from "./format";

/** Written in place of an LTV or LTV/CAC that is not meaningful. */
export const NOT_AVAILABLE = "n/a";

/** True when a paying user brings no gross profit in the month: no lifetime value, no CAC payback. */
export function losesMoneyPerCustomer(m: PlanMonth): boolean {
  return m.grossProfitPerPayingUserUsd !== null && m.grossProfitPerPayingUserUsd <= 0;
}

/** Why the month has no LTV, in one line (null when it has one). */
export function ltvUnavailableReason(m: PlanMonth): string | null {
  if (m.ltvUsd !== null) return null;
  const gp = m.grossProfitPerPayingUserUsd;
  if (gp === null) return "no paying users";
  if (gp <= 0) return `a paying user brings ${formatUsd(gp)} of gross profit a month: a customer who loses money has no lifetime value`;
  return "no paid churn, so a customer's lifetime is unbounded";
}

/** The month's LTV for a table cell: USD, "n/a" when a customer loses money, "—" when there is none for another reason. */
export function ltvCell(m: PlanMonth): string {
  if (m.ltvUsd !== null) return formatUsd(m.ltvUsd);
  return losesMoneyPerCustomer(m) ? NOT_AVAILABLE : "—";
}

/** The month's LTV/CAC for a table cell (no ×): as ltvCell, "n/a" only when a CAC was paid. */
export function ltvToCacCell(m: PlanMonth): string {
  if (m.ltvToCac !== null) return formatFixed(m.ltvToCac, 2);
  return losesMoneyPerCustomer(m) && m.cacUsd !== null ? NOT_AVAILABLE : "—";
}

/** LTV/CAC in a sentence or headline: 1.80×, or "n/a". */
export function ltvToCacText(ltvToCac: number | null): string {
  return ltvToCac === null ? NOT_AVAILABLE : formatRatio(ltvToCac);
}
