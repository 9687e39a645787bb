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
// when missing), checks that every chart rendered with data and that the page logs no errors, and saves
// a screenshot under test-output/. Without Chromium the test is skipped locally, saying why and how to
// install it, and fails in CI (CI=true).
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
const missing = `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH, or install Debian's package: sudo apt-get install -y chromium)`;
const inCi = process.env.CI !== undefined && !["", "0", "false"].includes(process.env.CI.toLowerCase());
if (!haveChromium && inCi) throw new Error(`${missing}; CI=${process.env.CI} requires the browser test to run.`);
if (!haveChromium) console.warn(`SKIPPED the headless-Chromium report test: ${missing}.`);

const root = fileURLToPath(new URL("../../..", import.meta.url));
const outDir = path.join(root, "test-output");

let server: RunningServer;
let browser: Browser;
let dir: string;

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(!haveChromium)(`plan report in headless Chromium${haveChromium ? "" : ` (skipped: ${missing})`}`, () => {
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

  it("renders every chart with data, marks the runway, and logs no console errors", async () => {
    // A plan that runs out of cash, so the runway marker is drawn.
    const scenario = await json<{ id: string }>(
      await fetch(`${server.url}/v1/scenarios`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "Support bot that runs out of cash",
          useCases: ["smart-customer-service"],
          audience: { usersAtLaunch: 3000, monthlyGrowthPct: 20, horizonMonths: 18 },
          usage: { requestsPerUserPerDay: 6 },
          model: { strategy: "hosted-api", hostedModel: "gpt-4o" },
          pricing: { model: "perSeatMonthly", priceUsd: 4 },
          funding: { cashUsd: 400_000, monthlyNonComputeBurnUsd: 90_000 },
          businessModel: "api-sdk",
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

    const charts = await page.$$eval("figure[data-chart]", (figs) =>
      figs.map((f) => {
        const svg = f.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        const paths = svg ? [...svg.querySelectorAll("path")] : [];
        // drawn data: polylines (series) and filled bars, each a path with many coordinates
        const dataPaths = paths.filter((p) => (p.getAttribute("d") ?? "").split(/[ML]/).length > 3 || (p.getAttribute("fill") ?? "").match(/#(d97706|1f6feb)/));
        return {
          name: f.getAttribute("data-chart"),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          dataPaths: dataPaths.length,
          texts: svg ? [...svg.querySelectorAll("text")].map((t) => t.textContent ?? "") : [],
        };
      }),
    );
    expect(charts.map((c) => c.name)).toEqual(["monthly-cost", "cumulative-cash", "sensitivity-tornado"]);
    for (const c of charts) {
      expect(c.width, c.name!).toBeGreaterThan(300);
      expect(c.height, c.name!).toBeGreaterThan(200);
      expect(c.dataPaths, c.name!).toBeGreaterThan(0);
    }
    const cash = charts.find((c) => c.name === "cumulative-cash")!;
    expect(cash.texts.join(" ")).toContain(`cash runs out: month ${plan.plan.results.runOutMonth}`);
    const tornado = charts.find((c) => c.name === "sensitivity-tornado")!;
    for (const r of plan.plan.sensitivity.rows) expect(tornado.texts).toContain(r.label);
    const monthly = charts.find((c) => c.name === "monthly-cost")!;
    expect(monthly.texts.some((t) => t.startsWith("Chosen: Hosted API: GPT-4o"))).toBe(true);

    const headline = await page.textContent('[data-headline="runway"]');
    expect(headline).toContain(`cash runs out in month ${plan.plan.results.runOutMonth}`);

    fs.mkdirSync(outDir, { recursive: true });
    const shot = path.join(outDir, "plan-report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
