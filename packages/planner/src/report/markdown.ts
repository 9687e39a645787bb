// A plan as Markdown: the same headline answers and tables as the HTML report; charts as image links
// (to the API's chart URLs when given, else embedded as SVG data URIs). Pure: plan in, string out.
import type { Plan } from "../types";
import { CHART_NAMES, renderChart, type ChartName } from "./charts";
import { mdCell, mdText } from "./format";
import { CHART_TITLES } from "./html";
import {
  assumptionTable, catalogLine, crossoverTable, measuredHardwareTable, headlines, monthTable, optionsTable, qualityTable, recommendationTable, revenueTable,
  riskTable, sensitivityTable, unitEconomicsTable, type Table,
} from "./sections";

function table(t: Table): string {
  const lines = [`## ${t.title}`, ""];
  if (t.note) lines.push(t.note, "");
  if (t.rows.length === 0) return [...lines, "None.", ""].join("\n");
  lines.push(`| ${t.columns.map(mdCell).join(" | ")} |`);
  lines.push(`| ${t.numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`);
  for (const r of t.rows) lines.push(`| ${r.map(mdCell).join(" | ")} |`);
  lines.push("");
  return lines.join("\n");
}

export interface MarkdownReportOptions {
  /** URL of a chart (e.g. `/v1/plans/{id}/charts/{name}.svg`); charts are embedded as data URIs when absent. */
  chartUrl?: (name: ChartName) => string;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownReportOptions = {}): string {
  const out: string[] = [];
  out.push(`# Plan: ${mdText(plan.scenario.name)}`, "");
  out.push(`Scenario ${plan.scenario.id} version ${plan.scenario.version} · ${plan.horizonMonths} months · pricing ${plan.pricingModel} $${plan.priceUsd} · catalogs: ${catalogLine(plan)}`, "");
  out.push("## Headline answers", "");
  for (const h of headlines(plan)) out.push(`- **${h.question}:** ${h.answer} — ${h.detail}`);
  out.push("", "## Charts", "");
  for (const name of CHART_NAMES) {
    if (name === "sensitivity-tornado" && !plan.sensitivity) continue;
    const src = options.chartUrl ? options.chartUrl(name) : `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderChart(plan, name))}`;
    out.push(`![${CHART_TITLES[name]}](${src})`, "");
  }
  const sens = sensitivityTable(plan);
  const measured = measuredHardwareTable(plan);
  for (const t of [monthTable(plan), unitEconomicsTable(plan), optionsTable(plan), ...(measured ? [measured] : []), qualityTable(plan), crossoverTable(plan), ...(sens ? [sens] : []), recommendationTable(plan), riskTable(plan), revenueTable(plan)]) out.push(table(t));
  if (plan.warnings.length > 0) {
    out.push("## Warnings", "");
    for (const w of plan.warnings) out.push(`- ${mdText(w)}`);
    out.push("");
  }
  out.push(table(assumptionTable(plan)));
  return out.join("\n");
}
