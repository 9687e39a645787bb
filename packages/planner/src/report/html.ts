// A plan as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, no external
// resources. Pure: plan in, string out.
import type { Plan } from "../types";
import { CHART_NAMES, renderChart, type ChartName } from "./charts";
import { escapeHtml as e } from "./format";
import {
  assumptionTable, catalogLine, crossoverTable, measuredHardwareTable, headlines, monthTable, optionsTable, qualityTable, recommendationTable, revenueTable,
  riskTable, sensitivityTable, unitEconomicsTable, type Table,
} from "./sections";

export const CHART_TITLES: Record<ChartName, string> = {
  "monthly-cost": "Monthly running cost per deployment option",
  "cumulative-cash": "Cumulative cash, with the runway marked",
  "funnel": "Customer funnel: active users, paying users, won and lost",
  "unit-economics": "Unit economics: CAC payback and LTV/CAC",
  "sensitivity-tornado": "Sensitivity tornado: cash at the horizon",
};

const CSS = `
:root{--fg:#111827;--muted:#4b5563;--line:#e5e7eb;--good:#047857;--bad:#b91c1c;--bg:#fff;--card:#f9fafb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);font-size:12px}
.headlines{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-left:4px solid #9ca3af;border-radius:6px;padding:10px 14px}
.card.good{border-left-color:var(--good)}.card.bad{border-left-color:var(--bad)}
.card .q{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.card .a{font-size:16px;font-weight:600;margin:2px 0}.card .d{color:var(--muted);font-size:12px}
figure{margin:16px 0;border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:12px;margin-top:4px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:12px;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--card);position:sticky;top:0}
td.n,th.n{text-align:right;white-space:nowrap}
.note{color:var(--muted);font-size:12px}
ul.warnings li{color:var(--bad)}
`;

function table(t: Table): string {
  if (t.rows.length === 0) return `<h2 id="${e(t.id)}">${e(t.title)}</h2>${t.note ? `<p class="note">${e(t.note)}</p>` : ""}<p class="note" data-table="${e(t.id)}">None.</p>`;
  const head = t.columns.map((c, i) => `<th${t.numeric[i] ? ' class="n"' : ""}>${e(c)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${t.numeric[i] ? ' class="n"' : ""}>${e(c)}</td>`).join("")}</tr>`).join("\n");
  return `<h2 id="${e(t.id)}">${e(t.title)}</h2>${t.note ? `<p class="note">${e(t.note)}</p>` : ""}<div class="table-wrap"><table data-table="${e(t.id)}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export interface HtmlReportOptions {
  /** Page title (default: the scenario name). */
  title?: string;
  /** Pre-rendered chart SVGs (e.g. cached); rendered from the plan when absent. */
  charts?: Partial<Record<ChartName, string>>;
}

/** Renders the plan as a self-contained HTML page: headline answers, charts, tables, assumptions. */
export function renderPlanHtml(plan: Plan, options: HtmlReportOptions = {}): string {
  const title = options.title ?? `Plan: ${plan.scenario.name}`;
  const cards = headlines(plan)
    .map((h) => `<div class="card ${h.tone}" data-headline="${e(h.key)}"><div class="q">${e(h.question)}</div><div class="a">${e(h.answer)}</div><div class="d">${e(h.detail)}</div></div>`)
    .join("\n");
  const charts = CHART_NAMES.filter((n) => n !== "sensitivity-tornado" || plan.sensitivity)
    .map((name) => {
      const svg = options.charts?.[name] ?? renderChart(plan, name);
      return `<figure id="chart-${name}" data-chart="${name}">${svg}<figcaption>${e(CHART_TITLES[name])}</figcaption></figure>`;
    })
    .join("\n");
  const sens = sensitivityTable(plan);
  const measured = measuredHardwareTable(plan);
  const warnings = plan.warnings.length > 0 ? `<h2 id="warnings">Warnings</h2><ul class="warnings">${plan.warnings.map((w) => `<li>${e(w)}</li>`).join("")}</ul>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${e(title)}</h1>
<p class="meta">Scenario ${e(plan.scenario.id)} version ${plan.scenario.version} · ${plan.horizonMonths} months · pricing ${e(plan.pricingModel)} $${plan.priceUsd} · catalogs: ${e(catalogLine(plan))}</p>
<section aria-label="Headline answers" class="headlines">
${cards}
</section>
<h2 id="charts">Charts</h2>
${charts}
${table(monthTable(plan))}
${table(unitEconomicsTable(plan))}
${table(optionsTable(plan))}
${measured ? table(measured) : ""}
${table(qualityTable(plan))}
${table(crossoverTable(plan))}
${sens ? table(sens) : ""}
${table(recommendationTable(plan))}
${table(riskTable(plan))}
${table(revenueTable(plan))}
${warnings}
${table(assumptionTable(plan))}
</main>
</body>
</html>
`;
}
