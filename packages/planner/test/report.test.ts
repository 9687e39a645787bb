import { describe, it, expect } from "vitest";
import {
  buildPlan, CHART_NAMES, cumulativeCashChartSvg, funnelChartSvg, funnelSeries, monthlyCostChartSvg, monthlyCostSeries, renderChart, renderPlanHtml,
  renderPlanMarkdown, sensitivityTornadoSvg, unitEconomicsChartSvg, unitEconomicsSeries,
} from "../src/index";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";
import { formatFixed, formatNumber, formatPct, formatRatio, mdCell } from "../src/report/format";
import { fmtNum, fmtPct, fmtUsd } from "../src/format";
import { shortCount, shortRatio } from "../src/report/chart-render";
import { headlines } from "../src/report/headlines";

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

  it("draws the tornado with a bar per assumption, largest first, and no bar over another", () => {
    const svg = sensitivityTornadoSvg(plan);
    const texts = svgTexts(svg);
    for (const r of plan.sensitivity!.rows) expect(texts).toContain(r.label);
    // the largest swing is drawn on the top row: its label has the smallest y of the category labels
    const y = (label: string) => Number(new RegExp(`<text[^>]*transform="translate\\([\\d.]+ ([\\d.]+)\\)"[^>]*>${label}</text>`).exec(svg)?.[1] ?? NaN);
    const top = plan.sensitivity!.rows[0].label;
    const bottom = plan.sensitivity!.rows.at(-1)!.label;
    expect(y(top)).toBeLessThan(y(bottom));
    // bars: one per series and row with an effect; the low and high bars of a row occupy different
    // vertical bands, so neither can cover the other even when both move cash the same way
    const bars = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)l(-?[\d.]+) 0l0 ([\d.]+)l-?[\d.]+ 0Z" fill="#(d97706|1f6feb)"/g)]
      .map((m) => ({ y: Number(m[2]), width: Math.abs(Number(m[3])), colour: m[5] }))
      .filter((b) => b.width > 0.5);
    const sens = plan.sensitivity!;
    const deltas = sens.rows.flatMap((r) => [r.cashAtHorizonUsdLow - sens.baseCashAtHorizonUsd, r.cashAtHorizonUsdHigh - sens.baseCashAtHorizonUsd]);
    const visible = (d: number) => Math.abs(d) > 0.01 * Math.max(...deltas.map(Math.abs)); // wider than ~1% of the axis
    expect(bars.filter((b) => b.colour === "d97706").length).toBe(sens.rows.filter((r) => visible(r.cashAtHorizonUsdLow - sens.baseCashAtHorizonUsd)).length);
    expect(bars.filter((b) => b.colour === "1f6feb").length).toBe(sens.rows.filter((r) => visible(r.cashAtHorizonUsdHigh - sens.baseCashAtHorizonUsd)).length);
    const lowYs = new Set(bars.filter((b) => b.colour === "d97706").map((b) => b.y));
    expect(bars.filter((b) => b.colour === "1f6feb").every((b) => !lowYs.has(b.y))).toBe(true);
    // variables that do not move cash say so instead of drawing nothing
    if (plan.sensitivity!.rows.some((r) => r.cashSwingUsd === 0)) expect(texts).toContain("no effect");
  });

  it("draws the customer funnel with every series it names", () => {
    const churning = buildPlan({ ...runOut, funnel: { freeToPaidPct: 5, paidChurnPct: 4, freeChurnPct: 10 } }, uc, fixtureCatalog(), { projectionsOnly: true });
    const svg = funnelChartSvg(churning);
    const { left, right, omitted } = funnelSeries(churning);
    expect(right.map((s) => s.name)).toEqual(["Paying users", "New paying users", "Paying users lost (churn)"]);
    expect(omitted).toEqual([]);
    // without churn the "lost" bars would all be zero: not drawn, and the subtitle says so
    expect(funnelSeries(plan).omitted).toEqual(["Paying users lost (churn)"]);
    expect(svgTexts(funnelChartSvg(plan)).join(" ")).toContain("Not drawn (zero every month): paying users lost (churn)");
    const texts = svgTexts(svg).join(" ");
    for (const s of [...left, ...right]) {
      expect(texts).toContain(s.name);
      expect(s.data.some((v) => v !== null && v > 0), s.name).toBe(true);
    }
    expect(texts).toContain("Customer funnel");
  });

  it("draws unit economics: CAC payback and LTV/CAC when the plan has a CAC, ARPU otherwise", () => {
    // half the users pay $2 a month; each costs $0.43 of compute for itself and one free user
    const withCac = buildPlan({ ...runOut, funnel: { freeToPaidPct: 50, paidChurnPct: 4, freeChurnPct: 10, acquisition: { cacUsd: 20 } } }, uc, fixtureCatalog(), { projectionsOnly: true });
    const e = unitEconomicsSeries(withCac);
    expect(e.withCac).toBe(true);
    expect([e.left.name, e.right.name]).toEqual(["CAC payback (months)", "LTV / CAC"]);
    const texts = svgTexts(unitEconomicsChartSvg(withCac)).join(" ");
    expect(texts).toContain("CAC payback (months)");
    expect(texts).toContain("LTV/CAC 3");
    const none = unitEconomicsSeries(plan);
    expect(none.withCac).toBe(false);
    expect(svgTexts(unitEconomicsChartSvg(plan)).join(" ")).toContain("No acquisition cost in the scenario");
  });

  it("draws identical cost series once, named as identical", () => {
    // A fine-tuned model served like its base costs the same each month: one line, both names.
    const s = monthlyCostSeries(plan, 12);
    for (let i = 0; i < s.length; i++) for (let j = i + 1; j < s.length; j++) expect(s[i].data).not.toEqual(s[j].data);
    const twin = s.find((x) => x.identical.length > 0);
    if (twin) expect(svgTexts(monthlyCostChartSvg(plan)).join(" ")).toContain("(identical cost)");
  });

  it("draws every chart of a plan whose costs are far below a cent (ECharts cannot lay out an axis around 1e-300)", () => {
    // a fuzzed scenario asked for ~1e-300 requests a day: every monthly cost was ~7e-303 USD and the report answered 500
    const built = buildPlan(scenario({ usage: { requestsPerUserPerDay: 1e-300 } }), uc, fixtureCatalog());
    // hosted options only, as in that plan: no self-hosting line lifts the axis to dollars
    const tiny = { ...built, options: built.options.filter((o) => o.kind === "hosted") };
    const series = monthlyCostSeries(tiny);
    expect(Math.max(...series.flatMap((s) => s.data))).toBeLessThan(1e-200);
    for (const name of CHART_NAMES) expect(renderChart(tiny, name).startsWith("<svg"), name).toBe(true);
    expect(renderPlanHtml(tiny)).toContain("<svg");
  });

  it("renders charts by name", () => {
    expect(renderChart(plan, "cumulative-cash")).toBe(cumulativeCashChartSvg(plan));
  });
});

describe("HTML and Markdown reports", () => {
  const html = renderPlanHtml(plan);

  it("puts the headline answers before the charts, then the tables and assumptions", () => {
    const order = ['data-headline="cheapest-now"', 'data-headline="cheapest-horizon"', 'data-headline="break-even"', 'data-headline="runway"', 'data-headline="paying-users"', 'data-headline="unit-economics"', 'data-headline="required-price"', 'data-chart="monthly-cost"', 'data-chart="cumulative-cash"', 'data-chart="funnel"', 'data-chart="unit-economics"', 'data-chart="sensitivity-tornado"', 'data-table="months"', 'data-table="unit-economics"', 'data-table="quality-floor"', 'data-table="assumptions"'];
    const positions = order.map((s) => html.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("is self-contained with its inline SVG charts", () => {
    expect((html.match(/<svg /g) ?? []).length).toBe(CHART_NAMES.length);
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

  it("escapes the scenario's name in Markdown: no raw HTML, no link or image syntax, no new block", () => {
    const name = "<script>alert(1)</script> [click](javascript:alert(1)) ![x](http://t/x.png)\n# Owned | *bold*";
    const p = buildPlan({ ...runOut, name }, uc, fixtureCatalog(), { projectionsOnly: true });
    const md = renderPlanMarkdown(p, { chartUrl: (n) => `/c/${n}.svg` });
    const title = md.split("\n")[0];
    expect(title).toBe("# Plan: &lt;script&gt;alert(1)&lt;/script&gt; \\[click\\](javascript:alert(1)) \\!\\[x\\](http://t/x.png) # Owned | \\*bold\\*");
    expect(md).not.toContain("<script>");
    expect(md).not.toMatch(/^# Owned/m);
    expect(mdCell("a|b<c>")).toBe("a\\|b&lt;c&gt;");
  });

  it("renders Markdown with the same headlines and chart links", () => {
    const md = renderPlanMarkdown(plan, { chartUrl: (n) => `/v1/plans/p1/charts/${n}.svg` });
    expect(md).toContain("## Headline answers");
    expect(md).toContain(`cash runs out in month ${plan.results.runOutMonth}`);
    expect(md).toContain("![Monthly running cost per deployment option](/v1/plans/p1/charts/monthly-cost.svg)");
    expect(md).toContain("![Customer funnel: active users, paying users, won and lost](/v1/plans/p1/charts/funnel.svg)");
    expect(md).toContain("## Customer funnel and unit economics, month by month");
    expect(md).toContain("**Unit economics (month 12):**");
    expect(md).toContain("## Every assumption and its source");
    const embedded = renderPlanMarkdown(plan);
    expect(embedded).toContain("data:image/svg+xml;charset=utf-8,%3Csvg");
  });
});

describe("a customer who loses money", () => {
  // H-Pricey costs $4.87 a user-month (free users included) against $5 from each of the 10% who pay, CAC $30
  const losing = buildPlan(
    scenario({ model: { strategy: "hosted-api", hostedModel: "h-pricey" }, audience: { usersAtLaunch: 1000, monthlyGrowthPct: 10, horizonMonths: 12 }, funnel: { freeToPaidPct: 10, paidChurnPct: 5, freeChurnPct: 20, acquisition: { cacUsd: 30 } } }),
    uc,
    fixtureCatalog(),
  );
  const md = renderPlanMarkdown(losing);

  it("shows LTV and LTV/CAC as n/a with the reason, never a negative ratio", () => {
    const card = headlines(losing).find((h) => h.key === "unit-economics")!;
    expect(card.answer).toBe("LTV/CAC n/a · CAC payback never");
    expect(card.detail).toMatch(/^LTV n\/a \(a paying user brings −\$[\d.,]+ of gross profit a month: a customer who loses money has no lifetime value\), CAC \$30\.00;/);
    expect(card.tone).toBe("bad");
    // the price for the target margin is a multiple of today's: the card says pricing alone cannot reach it
    const price = headlines(losing).find((h) => h.key === "required-price")!;
    expect(price.detail).toMatch(/current price \$5\.00 \([\d.]+× it: out of reach by pricing alone, beyond the 2× rise the plan models as a price change\)/);
    const row = md.split("\n").find((l) => l.startsWith("| 12 |") && l.includes("n/a"))!;
    expect(row.split("|").filter((c) => c.trim() === "n/a")).toHaveLength(2);
    expect(md).toContain("LTV and LTV/CAC are n/a in a month whose gross profit per paying user is zero or less");
  });

  it("draws ARPU and gross profit instead of an LTV/CAC axis running to minus hundreds, and says why", () => {
    const e = unitEconomicsSeries(losing);
    expect(e).toMatchObject({ withCac: false, fallback: "no-gross-profit" });
    const texts = svgTexts(unitEconomicsChartSvg(losing)).join(" ");
    expect(texts).toContain("A paying user brings no gross profit in any month");
    expect(texts).not.toMatch(/×/);
  });

  it("writes negative figures with the minus sign, in the report and in the plan's own sentences", () => {
    // a hyphen-minus before a figure (" -6.79", "|-42", "(-3") anywhere in the report
    expect(md).not.toMatch(/[\s|(]-\d/);
    const html = renderPlanHtml(losing);
    expect(html.replace(/<svg[\s\S]*?<\/svg>/g, "")).not.toMatch(/[\s>(]-\d/);
    // the charts' labels (their path data has its own syntax)
    for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) expect(svgTexts(svg).join(" ")).not.toMatch(/(^|[\s(])-\d/);
    expect([formatRatio(-6.786), formatFixed(-51.44, 2), formatNumber(-1234), formatPct(-207.75)]).toEqual(["−6.79×", "−51.44", "−1,234", "−207.8%"]);
    expect([formatFixed(-0.001, 2), formatNumber(-0.3), formatRatio(null)]).toEqual(["0.00", "0", "—"]);
    expect([fmtNum(-6.79), fmtNum(-15_758), fmtPct(-207.75), fmtPct(-0.01), fmtUsd(-15_758)]).toEqual(["−6.79", "−15.8k", "−207.8%", "0.0%", "−$15.8k"]);
    expect([shortCount(-250), shortRatio(-250), shortRatio(3), shortCount(0)]).toEqual(["−250", "−250×", "3×", "0"]);
  });
});
