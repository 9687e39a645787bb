import { eq } from "drizzle-orm";
import { CHART_NAMES, SENSITIVITY_VARIABLES } from "@modelplan/planner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import catalogFile from "@modelplan/db/seed/use-cases.json";
import { prefersMarkdown } from "../src/routes/plans/plans.handlers";
import { createTestApp, expectProblem, sampleScenario, type TestApp } from "./helpers/test-app";

// One app for the file: plans take ~0.5 s each (sensitivity and recommendations re-run the plan), so
// the tests share scenarios and plans where they only read.
let t: TestApp;
let scenarioId: string;
let planId: string;
let planBody: Record<string, unknown> & { plan: { results: Record<string, unknown>; sensitivity: { rows: unknown[] } | null; recommendations: unknown[]; scenario: { version: number } } };

async function createScenario(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: ["smart-customer-service"], ...overrides }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  t = await createTestApp();
  scenarioId = await createScenario({ audience: { usersAtLaunch: 5000, monthlyGrowthPct: 15, horizonMonths: 18 } });
  const res = await t.call("POST", `/v1/scenarios/${scenarioId}/plan`, { targetGrossMarginPct: 70, reservedDiscountPct: 30 });
  expect(res.status).toBe(201);
  planBody = (await res.json()) as typeof planBody;
  planId = planBody.id as string;
  expect(res.headers.get("location")).toBe(`/v1/plans/${planId}`);
});
afterAll(() => t.close());

describe("POST /v1/scenarios/{id}/plan", () => {
  it("computes and stores a plan with the scenario and catalog versions it used", () => {
    expect(planBody).toMatchObject({
      scenarioId,
      scenarioVersion: 1,
      catalogVersion: catalogFile.catalogVersion,
      options: { targetGrossMarginPct: 70, reservedDiscountPct: 30 },
      reportUrl: `/v1/plans/${planId}/report`,
    });
    expect(planBody.estimatorCatalogVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(planBody.plan.scenario.version).toBe(1);
    expect(planBody.plan.results).toMatchObject({ metricMonth: 12, requiredPrice: { targetGrossMarginPct: 70, unit: "USD per seat-month" } });
    expect(planBody.plan.sensitivity!.rows).toHaveLength(SENSITIVITY_VARIABLES.length);
    expect(planBody.plan.recommendations.length).toBeGreaterThan(0);
  });

  it("plans a scenario with a funnel, revenue lines and plan options for the people cost", async () => {
    const id = await createScenario({
      funnel: { freeToPaidPct: 3, paidChurnPct: 4, acquisition: { cacUsd: 150 } },
      pricing: { model: "hybrid", priceUsd: 12, includedRequestsPerSeat: 150, overageUsdPerRequest: 0.01, freeTier: { requestsPerUserPerMonth: 60 } },
      revenueLines: [{ kind: "technical-services", billableHoursPerMonth: 40, hourlyRateUsd: 160 }],
    });
    const res = await t.call("POST", `/v1/scenarios/${id}/plan`, { engineerAnnualSalaryUsd: 180_000, selfHostEngineerMonthsPerMonth: 1 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { plan: { months: { payingUsers: number; users: number; otherRevenueUsd: number }[]; results: { unitEconomics: { cacUsd: number | null; ltvToCac: number | null } }; options: { kind: string; peopleCostUsdPerMonth: number }[]; assumptions: { name: string; value: unknown }[] } };
    expect(body.plan.months[0].payingUsers).toBeCloseTo(0.03 * body.plan.months[0].users, 6);
    expect(body.plan.months[0].otherRevenueUsd).toBeCloseTo(40 * 160, 6);
    expect(body.plan.results.unitEconomics.cacUsd).toBe(150);
    expect(body.plan.results.unitEconomics.ltvToCac).not.toBeNull();
    const selfHost = body.plan.options.find((o) => o.kind === "self-host")!;
    expect(selfHost.peopleCostUsdPerMonth).toBeCloseTo((180_000 * (44.4 / 31.25)) / 12, 6);
    expect(body.plan.assumptions.find((a) => a.name === "engineerAnnualSalaryUsd")?.value).toBe(180_000);
  });

  it("answers 422 naming the funnel and pricing fields the plan cannot use", async () => {
    const bad = await t.call("POST", "/v1/scenarios", sampleScenario({ useCases: ["smart-customer-service"], funnel: { freeToPaidPct: 120, acquisition: { cacUsd: 10, marketingUsdPerMonth: 5 } }, pricing: { model: "hybrid", priceUsd: 5 } }));
    const p = await expectProblem(bad, 422);
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["funnel.acquisition", "funnel.freeToPaidPct", "pricing"]);
    expect(p.errors?.find((e) => e.path === "pricing")?.message).toContain("includedRequestsPerSeat and overageUsdPerRequest");
    expect(p.errors?.find((e) => e.path === "funnel.acquisition")?.message).toContain("{ cacUsd } or { marketingUsdPerMonth }");
  });

  it("plans the scenario's current version", async () => {
    const id = await createScenario();
    const get = await t.call("GET", `/v1/scenarios/${id}`);
    const patch = await t.call("PATCH", `/v1/scenarios/${id}`, { usage: { requestsPerUserPerDay: 2 } }, { "if-match": get.headers.get("etag")! });
    expect(patch.status).toBe(200);
    const res = await t.call("POST", `/v1/scenarios/${id}/plan`);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { scenarioVersion: number; plan: { assumptions: { name: string; value: unknown }[] } };
    expect(body.scenarioVersion).toBe(2);
    expect(body.plan.assumptions.find((a) => a.name === "requestsPerUserPerDay")?.value).toBe(2);
  });

  it("answers 422 saying what the plan needs: no use case", async () => {
    const id = await createScenario({ useCases: [] });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["useCases"]);
    expect(p.detail).toMatch(/needs at least one use case/);
  });

  it("answers 422 saying what the plan needs: no pricing", async () => {
    const id = await createScenario({ pricing: undefined });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["pricing"]);
    expect(p.errors?.[0].message).toMatch(/needs pricing/);
  });

  it("answers 422 for a horizon over the limit (a row stored before the limit, or written by another tool)", async () => {
    const id = await createScenario();
    const { scenarios } = t.database.tables;
    const [row] = await t.database.db.select().from(scenarios).where(eq(scenarios.id, id));
    const spec = row.spec as { audience: Record<string, number> };
    await t.database.db.update(t.database.tables.scenarios).set({ spec: { ...spec, audience: { ...spec.audience, horizonMonths: 121 } } }).where(eq(scenarios.id, id));
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["audience.horizonMonths"]);
    expect(p.errors?.[0].message).toMatch(/1 to 120 whole months/);
  });

  it("answers 422 for a use case that cannot be costed without a model", async () => {
    const id = await createScenario({ useCases: ["image-generation-style-transfer"] });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`), 422);
    expect(p.errors?.[0].path).toBe("model");
    expect(p.errors?.[0].message).toMatch(/needs a model to cost/);
  });

  it("answers 422 with the estimator's reason when the scenario's weight format cannot run on its accelerator", async () => {
    const id = await createScenario({ model: { strategy: "self-host", preset: "llama-3-8b", quantization: "nvfp4" }, hardware: { accelerator: "h100-sxm" } });
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${id}/plan`), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["model.quantization"]);
    expect(p.errors?.[0].message).toMatch(/nvfp4 runs W4A4 on FP4 tensor cores, and h100-sxm publishes no FP4 peak .*give fp8, int8 or int4 for h100-sxm/);
    expect(p.errors?.[0].message).not.toMatch(/larger accelerator/);
  });

  it("refuses a scenario whose provider has no price for its accelerator, naming hardware.provider (plans and estimates would refuse it)", async () => {
    const body = { ...sampleScenario({ model: { strategy: "self-host", preset: "llama-3-8b" }, hardware: { accelerator: "h200", provider: "aws" } }) };
    const p = await expectProblem(await t.call("POST", "/v1/scenarios", body), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["hardware.provider"]);
    expect(p.errors?.[0].message).toMatch(/^The price catalog has no h200 price from 'aws' \(providers with one: [a-z, -]*runpod[a-z, -]*\); omit hardware.provider for the cheapest listing\.$/);
    // a provider that prices it is accepted
    const ok = await t.call("POST", "/v1/scenarios", { ...body, hardware: { accelerator: "h200", provider: "runpod" } });
    expect(ok.status).toBe(201);
  });

  it("validates the options", async () => {
    const p = await expectProblem(await t.call("POST", `/v1/scenarios/${scenarioId}/plan`, { targetGrossMarginPct: 100, extra: 1 }), 422);
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["extra", "targetGrossMarginPct"].sort());
  });

  it("answers 404 for an unknown scenario", async () => {
    await expectProblem(await t.call("POST", "/v1/scenarios/scn_nope/plan"), 404);
    await expectProblem(await t.call("GET", "/v1/scenarios/scn_nope/plans"), 404);
  });
});

describe("GET /v1/scenarios/{id}/plans and /v1/plans/{id}", () => {
  it("lists summaries newest first with cursor pagination", async () => {
    const second = await t.call("POST", `/v1/scenarios/${scenarioId}/plan`, { sensitivityPct: 10 });
    const secondId = ((await second.json()) as { id: string }).id;
    const page1 = (await (await t.call("GET", `/v1/scenarios/${scenarioId}/plans?limit=1`)).json()) as { items: { id: string; url: string; runwayMonths: number }[]; nextCursor: string | null };
    expect(page1.items.map((i) => i.id)).toEqual([secondId]);
    expect(page1.items[0].url).toBe(`/v1/plans/${secondId}`);
    const page2 = (await (await t.call("GET", `/v1/scenarios/${scenarioId}/plans?limit=1&cursor=${page1.nextCursor}`)).json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(page2.items.map((i) => i.id)).toEqual([planId]);
    expect(page2.nextCursor).toBeNull();
  });

  it("returns the stored plan as computed", async () => {
    const res = await t.call("GET", `/v1/plans/${planId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(planBody);
    await expectProblem(await t.call("GET", "/v1/plans/pln_nope"), 404);
  });
});

describe("GET /v1/plans/{id}/report and charts", () => {
  it("serves a self-contained HTML report with every chart", async () => {
    const res = await t.call("GET", `/v1/plans/${planId}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("vary")).toBe("Accept");
    const html = await res.text();
    for (const name of CHART_NAMES) expect(html).toContain(`data-chart="${name}"><svg`);
    expect(html.indexOf('data-headline="cheapest-now"')).toBeLessThan(html.indexOf('data-chart="monthly-cost"'));
  });

  it("serves Markdown with Accept: text/markdown, charts linked", async () => {
    const res = await t.call("GET", `/v1/plans/${planId}/report`, undefined, { accept: "text/markdown" });
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const md = await res.text();
    expect(md).toMatch(/^# Plan: /);
    expect(md).toContain(`](/v1/plans/${planId}/charts/cumulative-cash.svg)`);
  });

  it("negotiates by quality value", () => {
    expect(prefersMarkdown(undefined)).toBe(false);
    expect(prefersMarkdown("text/markdown")).toBe(true);
    expect(prefersMarkdown("text/html, text/markdown;q=0.5")).toBe(false);
    expect(prefersMarkdown("text/html;q=0.4, text/markdown")).toBe(true);
    expect(prefersMarkdown("*/*")).toBe(false);
  });

  it("serves each chart as SVG", async () => {
    for (const name of CHART_NAMES) {
      const res = await t.call("GET", `/v1/plans/${planId}/charts/${name}.svg`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
      expect(await res.text()).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    const p = await expectProblem(await t.call("GET", `/v1/plans/${planId}/charts/pie.svg`), 422);
    expect(p.errors?.[0]).toMatchObject({ path: "chart", location: "path" });
    expect(p.errors?.[0].message).toMatch(/monthly-cost.svg/);
    await expectProblem(await t.call("GET", `/v1/plans/pln_nope/charts/monthly-cost.svg`), 404);
    await expectProblem(await t.call("GET", `/v1/plans/pln_nope/report`), 404);
  });

  it("returns a plan stored by the earlier planner as stored, and asks for a new one for its report", async () => {
    const legacy = { kind: "modelplan.plan", schemaVersion: 1, months: [], results: { note: "older shape" } };
    const id = "pln_legacy000000000000000000";
    await t.database.db.insert(t.database.tables.plans).values({ id, workspaceId: "ws_default", scenarioId, scenarioVersion: 1, catalogVersion: "2026-11-22.1", estimatorCatalogVersion: "2026-11-22.1", options: {}, summary: {}, plan: legacy, createdAt: "2026-11-01T00:00:00.000Z" });
    const got = await t.call("GET", `/v1/plans/${id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { plan: unknown }).plan).toEqual(legacy);
    const p = await expectProblem(await t.call("GET", `/v1/plans/${id}/report`), 409);
    expect(p.detail).toContain(`POST /v1/scenarios/${scenarioId}/plan`);
    await expectProblem(await t.call("GET", `/v1/plans/${id}/charts/funnel.svg`), 409);
  });
});

describe("POST /v1/plans/compare", () => {
  it("compares scenarios side by side and names the best on each measure", async () => {
    const cheap = await createScenario({ name: "Small model", model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" } });
    const pricey = await createScenario({ name: "Frontier model", model: { strategy: "hosted-api", hostedModel: "gpt-4o" } });
    const res = await t.call("POST", "/v1/plans/compare", { scenarioIds: [cheap, pricey], options: { targetGrossMarginPct: 65 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { scenarioId: string; name: string; totalComputeCostUsd: number; runwayMonths: number; monthlyComputeCostUsd: number[]; targetGrossMarginPct: number; optionsSource: string }[]; best: Record<string, string | null> };
    expect(body.items.map((i) => i.name)).toEqual(["Small model", "Frontier model"]);
    // GPT-4o costs more per token than GPT-4o mini for the same traffic
    expect(body.items[1].totalComputeCostUsd).toBeGreaterThan(body.items[0].totalComputeCostUsd);
    expect(body.best.lowestComputeCost).toBe(cheap);
    expect(body.best.highestGrossMargin).toBe(cheap);
    expect(body.items[0].monthlyComputeCostUsd).toHaveLength(24);
    expect(body.items.map((i) => [i.targetGrossMarginPct, i.optionsSource])).toEqual([[65, "request"], [65, "request"]]);
  });

  it("uses each scenario's latest stored plan's options, and compares stored plans exactly as computed", async () => {
    const a = await createScenario({ name: "A" });
    const b = await createScenario({ name: "B" });
    const planA = (await (await t.call("POST", `/v1/scenarios/${a}/plan`, { targetGrossMarginPct: 80, selfHostEngineerMonthsPerMonth: 2 })).json()) as { id: string; plan: { results: { totalComputeCostUsd: number; cumulativeCashAtHorizonUsd: number; requiredPrice: { everyMonth: number } } } };
    const byScenario = (await (await t.call("POST", "/v1/plans/compare", { scenarioIds: [a, b] })).json()) as { items: { optionsSource: string; options: Record<string, unknown>; targetGrossMarginPct: number; requiredPriceUsd: number; cumulativeCashAtHorizonUsd: number }[] };
    expect(byScenario.items.map((i) => i.optionsSource)).toEqual(["latest-stored-plan", "defaults"]);
    expect(byScenario.items[0].options).toEqual({ targetGrossMarginPct: 80, selfHostEngineerMonthsPerMonth: 2 });
    expect(byScenario.items[0].targetGrossMarginPct).toBe(80);
    // the same figures as the stored plan it takes its options from
    expect(byScenario.items[0].requiredPriceUsd).toBeCloseTo(planA.plan.results.requiredPrice.everyMonth, 9);
    expect(byScenario.items[0].cumulativeCashAtHorizonUsd).toBeCloseTo(planA.plan.results.cumulativeCashAtHorizonUsd, 6);

    const byPlan = await t.call("POST", "/v1/plans/compare", { planIds: [planA.id, planId] });
    expect(byPlan.status).toBe(200);
    const items = ((await byPlan.json()) as { items: { planId: string; optionsSource: string; totalComputeCostUsd: number; targetGrossMarginPct: number }[] }).items;
    expect(items.map((i) => [i.planId, i.optionsSource])).toEqual([[planA.id, "stored-plan"], [planId, "stored-plan"]]);
    expect(items[0].totalComputeCostUsd).toBe(planA.plan.results.totalComputeCostUsd);
    expect(items.map((i) => i.targetGrossMarginPct)).toEqual([80, 70]);
  });

  it("needs 2 to 5 existing, distinct scenarios or plans that can be planned", async () => {
    await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [scenarioId] }), 422);
    await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [scenarioId, scenarioId] }), 422);
    await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: ["a", "b", "c", "d", "e", "f"] }), 422);
    const missing = await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [scenarioId, "scn_nope"] }), 422);
    expect(missing.errors?.map((e) => e.path)).toEqual(["scenarioIds.1"]);
    const noPricing = await createScenario({ pricing: undefined });
    const p = await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [scenarioId, noPricing] }), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["scenarioIds.1.pricing"]);
    const both = await expectProblem(await t.call("POST", "/v1/plans/compare", { scenarioIds: [scenarioId, noPricing], planIds: [planId, planId] }), 422);
    expect(both.errors?.map((e) => e.path)).toContain("planIds");
    const unknownPlan = await expectProblem(await t.call("POST", "/v1/plans/compare", { planIds: [planId, "pln_nope"] }), 422);
    expect(unknownPlan.errors?.map((e) => e.path)).toEqual(["planIds.1"]);
    const withOptions = await expectProblem(await t.call("POST", "/v1/plans/compare", { planIds: [planId, planId.replace(/.$/, "x")], options: { targetGrossMarginPct: 50 } }), 422);
    expect(withOptions.errors?.map((e) => e.path)).toContain("options");
  });
});
