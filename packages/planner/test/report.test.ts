import { describe, it, expect } from "vitest";
import { buildPlan, cumulativeCashChartSvg, monthlyCostChartSvg, monthlyCostSeries, renderChart, renderPlanHtml, renderPlanMarkdown, sensitivityTornadoSvg } from "../src/index";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

const uc = [chatUseCase, visionUseCase];
// Runs out of cash in month 5 (see projection tests) and crosses from hosted to self-hosting in month 5.
const runOut = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 50, horizonMonths: 12 }, funding: { cashUsd: 40_000, monthlyNonComputeBurnUsd: 15_000 }, pricing: { model: "perSeatMonthly", priceUsd: 2 } });
const plan = buildPlan(runOut, uc, fixtureCatalog());

function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

describe("charts (ECharts SSR SVG)", () => {
  it("draws monthly cost per option with one line per series", () => {
    const svg = monthlyCostChartSvg(plan);
    expect(svg.startsWith("<svg")).toBe(true);
    const series = monthlyCostSeries(plan);
    expect(series.length).toBeGreaterThanOrEqual(3);
    const texts = svgTexts(svg).join(" ");
    for (const s of series) expect(texts).toContain(s.name.slice(0, 20));
    // one polyline path per series with a point per month ("M x y L x y ..." has 12 coordinates pairs)
    const lines = [...svg.matchAll(/<path d="M([^"]+)"[^>]*fill="none"[^>]*stroke-width="(?:1\.6|3\.5)"/g)];
    expect(lines.length).toBe(series.length);
  });

  it("marks the runway on the cumulative cash chart", () => {
    expect(plan.results.runOutMonth).not.toBeNull();
    const svg = cumulativeCashChartSvg(plan);
    const texts = svgTexts(svg).join(" ");
    expect(texts).toContain(`cash runs out: month ${plan.results.runOutMonth}`);
    expect(texts).toContain(`Runway: ${plan.results.runwayMonths} months`);
  });

  it("draws the tornado with a bar per assumption, largest first", () => {
    const svg = sensitivityTornadoSvg(plan);
    const texts = svgTexts(svg);
    for (const r of plan.sensitivity!.rows) expect(texts).toContain(r.label);
    // the largest swing is drawn on the top row: its label has the smallest y of the category labels
    const y = (label: string) => Number(new RegExp(`<text[^>]*transform="translate\\([\\d.]+ ([\\d.]+)\\)"[^>]*>${label}</text>`).exec(svg)?.[1] ?? NaN);
    const top = plan.sensitivity!.rows[0].label;
    const bottom = plan.sensitivity!.rows.at(-1)!.label;
    expect(y(top)).toBeLessThan(y(bottom));
    // bars: two series × non-zero rows
    const nonZero = plan.sensitivity!.rows.filter((r) => r.grossMarginSwingPct > 0).length;
    expect((svg.match(/<path d="M[^"]+Z"[^>]*fill="#(?:d97706|1f6feb)"/g) ?? []).length).toBeGreaterThanOrEqual(nonZero);
  });

  it("renders charts by name", () => {
    expect(renderChart(plan, "cumulative-cash")).toBe(cumulativeCashChartSvg(plan));
  });
});

describe("HTML and Markdown reports", () => {
  const html = renderPlanHtml(plan);

  it("puts the headline answers before the charts, then the tables and assumptions", () => {
    const order = ['data-headline="cheapest-now"', 'data-headline="cheapest-horizon"', 'data-headline="break-even"', 'data-headline="runway"', 'data-headline="required-price"', 'data-chart="monthly-cost"', 'data-chart="cumulative-cash"', 'data-chart="sensitivity-tornado"', 'data-table="months"', 'data-table="assumptions"'];
    const positions = order.map((s) => html.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("is self-contained with three inline SVG charts", () => {
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    // no scripts and nothing fetched: the only link is an empty data: icon (stops the favicon request)
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html.match(/<link [^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']);
    expect(html).toContain(`cash runs out in month ${plan.results.runOutMonth}`);
  });

  it("lists every assumption with its source", () => {
    const rows = html.slice(html.indexOf('data-table="assumptions"'));
    for (const a of plan.assumptions) expect(rows).toContain(a.source.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"));
  });

  it("escapes text from the scenario", () => {
    const p = buildPlan({ ...runOut, name: "<img src=x onerror=alert(1)>" }, uc, fixtureCatalog(), { projectionsOnly: true });
    const h = renderPlanHtml(p);
    expect(h).not.toContain("<img src=x");
    expect(h).toContain("&lt;img src=x");
  });

  it("renders Markdown with the same headlines and chart links", () => {
    const md = renderPlanMarkdown(plan, { chartUrl: (n) => `/v1/plans/p1/charts/${n}.svg` });
    expect(md).toContain("## Headline answers");
    expect(md).toContain(`cash runs out in month ${plan.results.runOutMonth}`);
    expect(md).toContain("![Monthly compute cost per deployment option](/v1/plans/p1/charts/monthly-cost.svg)");
    expect(md).toContain("## Every assumption and its source");
    const embedded = renderPlanMarkdown(plan);
    expect(embedded).toContain("data:image/svg+xml;charset=utf-8,%3Csvg");
  });
});
