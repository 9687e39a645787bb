import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/lib/logger";

// Opens the served HTML report in headless Chromium (Debian's `chromium` package; .ci/run installs it
// when missing), checks that every chart draws visible data for each series it names and that the page
// logs no errors, and saves a screenshot under test-output/. Without Chromium the test is skipped locally and fails in CI.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's 'chromium' package (apt-get install -y chromium)`);

const root = fileURLToPath(new URL("../../..", import.meta.url));
const outDir = path.join(root, "test-output");

let server: RunningServer;
let browser: Browser;
let dir: string;

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(!haveChromium)("plan report in headless Chromium", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-report-"));
    server = await startServer(loadConfig({ PORT: "0", MODELPLAN_DB: path.join(dir, "report.db") }), createLogger("silent"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("renders every chart with visible data for each series it names, marks the runway, and logs no console errors", async () => {
    // The README's support bot with a 3% conversion, 4% monthly churn and a $150 CAC: it runs out of cash,
    // so the runway marker is drawn, and it has a CAC, so the unit-economics chart shows payback and LTV/CAC.
    const scenario = await json<{ id: string }>(
      await fetch(`${server.url}/v1/scenarios`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "Support bot — 50k users, 3% paying",
          useCases: ["smart-customer-service"],
          audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 },
          usage: { requestsPerUserPerDay: 6 },
          model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
          pricing: { model: "perSeatMonthly", priceUsd: 12 },
          funnel: { freeToPaidPct: 3, paidChurnPct: 4, acquisition: { cacUsd: 150 } },
          funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 },
        }),
      }),
    );
    const plan = await json<{ id: string; plan: { results: { runOutMonth: number | null }; sensitivity: { rows: { label: string }[] } } }>(
      await fetch(`${server.url}/v1/scenarios/${scenario.id}/plan`, { method: "POST" }),
    );
    expect(plan.plan.results.runOutMonth).not.toBeNull();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`requestfailed: ${r.url()}`));
    const res = await page.goto(`${server.url}/v1/plans/${plan.id}/report`, { waitUntil: "load" });
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-type"]).toBe("text/html; charset=utf-8");

    // For each chart: every series ECharts drew a legend entry for (or the single series of a chart
    // without legend) must have drawn geometry with a visible size — a polyline in the series' colour,
    // or its bars and symbols, which carry the series index.
    const charts = await page.$$eval("figure[data-chart]", (figs) =>
      figs.map((f) => {
        const svg = f.querySelector("svg")!;
        const box = svg.getBoundingClientRect();
        // SVG geometry in page coordinates (runs in the browser, where every drawn element has getBBox)
        const bbox = (el: unknown): { width: number; height: number } => (el as { getBBox(): { width: number; height: number } }).getBBox();
        const visible = (el: unknown) => {
          const b = bbox(el);
          return b.width > 0.5 && b.height > 0.5 && (b.width > 2 || b.height > 2);
        };
        const legend = [...svg.querySelectorAll('[ecmeta_ssr_type="legend"]')];
        const indices = [...new Set(legend.map((el) => el.getAttribute("ecmeta_series_index")!))];
        if (indices.length === 0) indices.push("0");
        const series = indices.map((i) => {
          // a legend entry is a hit area (with the series index) and icon paths at the same position
          const at = new Set(legend.filter((el) => el.getAttribute("ecmeta_series_index") === i).map((el) => el.getAttribute("transform")));
          const colours = [...svg.querySelectorAll("path")]
            .filter((el) => !el.hasAttribute("ecmeta_ssr_type") && at.has(el.getAttribute("transform")))
            .flatMap((el) => [el.getAttribute("fill"), el.getAttribute("stroke")])
            .filter((c): c is string => !!c && !["none", "transparent", "#fff", "#000"].includes(c));
          const marked = [...svg.querySelectorAll(`[ecmeta_series_index="${i}"][ecmeta_ssr_type="chart"]`)].filter(visible).length;
          const lines = [...svg.querySelectorAll("path")].filter((p) => !p.hasAttribute("ecmeta_ssr_type") && p.getAttribute("fill") === "none" && colours.includes(p.getAttribute("stroke") ?? "") && bbox(p).width > 20).length;
          return { index: Number(i), visibleElements: marked + lines };
        });
        return {
          name: f.getAttribute("data-chart"),
          width: box.width,
          height: box.height,
          series,
          texts: [...svg.querySelectorAll("text")].map((t) => t.textContent ?? ""),
        };
      }),
    );
    expect(charts.map((c) => c.name)).toEqual(["monthly-cost", "cumulative-cash", "funnel", "unit-economics", "sensitivity-tornado"]);
    for (const c of charts) {
      expect(c.width, c.name!).toBeGreaterThan(300);
      expect(c.height, c.name!).toBeGreaterThan(200);
      expect(c.series.length, c.name!).toBeGreaterThan(0);
      for (const s of c.series) expect(s.visibleElements, `${c.name} series ${s.index}`).toBeGreaterThan(0);
    }
    const byName = Object.fromEntries(charts.map((c) => [c.name, c]));
    expect(byName["funnel"].series).toHaveLength(4); // active, paying, won, lost
    expect(byName["unit-economics"].texts).toEqual(expect.arrayContaining(["CAC payback (months)", "LTV / CAC"]));
    expect(byName["sensitivity-tornado"].series).toHaveLength(2);
    expect(byName["cumulative-cash"].texts.join(" ")).toContain(`cash runs out: month ${plan.plan.results.runOutMonth}`);
    for (const r of plan.plan.sensitivity.rows) expect(byName["sensitivity-tornado"].texts).toContain(r.label);
    for (const label of ["Free-to-paid conversion", "Monthly churn of paying users", "Customer-acquisition cost"]) expect(byName["sensitivity-tornado"].texts).toContain(label);
    expect(byName["monthly-cost"].texts.some((t: string) => t.startsWith("Chosen: Hosted API: GPT-4o mini"))).toBe(true);

    const headline = await page.textContent('[data-headline="runway"]');
    expect(headline).toContain(`cash runs out in month ${plan.plan.results.runOutMonth}`);
    expect(await page.textContent('[data-headline="cheapest-now"]')).toContain("meets the use case's quality floor");
    expect(await page.textContent('[data-headline="unit-economics"]')).toMatch(/LTV\/CAC \d/);

    fs.mkdirSync(outDir, { recursive: true });
    const shot = path.join(outDir, "plan-report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
