import type { Context } from "hono";
import { CATALOG_VERSION } from "@modelplan/estimator";
import {
  CHART_NAMES, isChartName, PLAN_SCHEMA_VERSION, PlannerInputError, planScenario, renderChart, renderPlanHtml, renderPlanMarkdown,
  type Plan, type PlannerOptions,
} from "@modelplan/planner";
import type { Database } from "@modelplan/db";
import { ApiError, type ProblemFieldError } from "../../lib/problem";
import type { AppBindings, AppRouteHandler } from "../../lib/types";
import { findScenario, toScenarioDto } from "../scenarios/scenarios.repository";
import type { Scenario } from "../scenarios/scenarios.schemas";
import type { ComparePlansRoute, CreatePlanRoute, GetPlanChartRoute, GetPlanReportRoute, GetPlanRoute, ListPlansRoute } from "./plans.routes";
import { findLatestPlanOptions, findPlan, insertPlan, listPlanSummaries, loadUseCases, newPlanId, planUrl, toStoredPlan } from "./plans.repository";
import type { ComparedPlan, PlanRequest, StoredPlan, StoredPlanAnyVersion } from "./plans.schemas";

/** Where a planner field lives in the API: scenario fields as stored, plan options as the request body's fields. */
function apiPath(path: (string | number)[], prefix: string[] = []): string {
  const p = path[0] === "options" ? path.slice(1) : path;
  return [...prefix, ...p.map(String)].join(".") || "(root)";
}

/** Plans a scenario; PlannerInputError becomes a 422 problem saying what the plan needs. */
async function runPlanner(d: Database, scenario: Scenario, options: PlannerOptions, fieldPrefix: string[] = [], subject = "The scenario"): Promise<{ plan: Plan; catalogVersion: string }> {
  const { items, catalogVersion } = await loadUseCases(d, scenario.useCases);
  try {
    const plan = planScenario(scenario, items, options, { useCases: catalogVersion });
    return { plan, catalogVersion };
  } catch (error) {
    if (error instanceof PlannerInputError) {
      const errors: ProblemFieldError[] = error.issues.map((i) => ({ path: apiPath(i.path, fieldPrefix), location: "body", message: i.message }));
      throw new ApiError(422, `${subject} cannot be planned yet: ${error.message}`, { errors });
    }
    throw error;
  }
}

export const createPlan: AppRouteHandler<CreatePlanRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const options: PlanRequest = c.req.valid("json") ?? {};
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const row = await findScenario(db, workspaceId, id);
  if (!row) throw ApiError.notFound("Scenario", id);
  const scenario = toScenarioDto(row);
  const { plan, catalogVersion } = await runPlanner(db, scenario, options);
  const planId = newPlanId();
  const dto: StoredPlan = {
    id: planId,
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    catalogVersion,
    estimatorCatalogVersion: CATALOG_VERSION,
    options,
    createdAt: c.get("now")().toISOString(),
    reportUrl: `${planUrl(planId)}/report`,
    plan,
  };
  await insertPlan(db, workspaceId, dto);
  return c.json(dto, 201, { Location: planUrl(planId) });
};

export const listPlans: AppRouteHandler<ListPlansRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  if (!(await findScenario(db, workspaceId, id))) throw ApiError.notFound("Scenario", id);
  return c.json(await listPlanSummaries(db, workspaceId, id, { limit, cursor }), 200);
};

async function loadPlan(c: Context<AppBindings>, id: string): Promise<StoredPlanAnyVersion> {
  const row = await findPlan(c.get("db"), c.get("workspaceId"), id);
  if (!row) throw ApiError.notFound("Plan", id);
  return toStoredPlan(row);
}

/** The stored plan's document when it has the current shape; an older plan answers 409 asking for a new one. */
function currentDocument(stored: StoredPlanAnyVersion): Plan {
  const plan = stored.plan;
  if (plan.schemaVersion === PLAN_SCHEMA_VERSION) return plan;
  throw new ApiError(409, `Plan '${stored.id}' was computed by an earlier planner (plan schema ${plan.schemaVersion}, before funnels, unit economics and quality floors); its report cannot be drawn. POST /v1/scenarios/${stored.scenarioId}/plan computes a current one.`);
}

export const getPlan: AppRouteHandler<GetPlanRoute> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await loadPlan(c, id), 200);
};

/** Picks text/markdown when the client prefers it to text/html (RFC 9110 quality values); HTML otherwise. */
export function prefersMarkdown(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = -1;
  let markdown = -1;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === "text/markdown" || type === "text/x-markdown") markdown = Math.max(markdown, q);
    if (type === "text/html" || type === "text/*" || type === "*/*") html = Math.max(html, type === "text/html" ? q : q - 0.001);
  }
  return markdown > 0 && markdown >= html;
}

export const getPlanReport: AppRouteHandler<GetPlanReportRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const plan = currentDocument(await loadPlan(c, id));
  c.header("Vary", "Accept");
  if (prefersMarkdown(c.req.header("accept"))) {
    const md = renderPlanMarkdown(plan, { chartUrl: (name) => `${planUrl(id)}/charts/${name}.svg` });
    return c.body(md, 200, { "Content-Type": "text/markdown; charset=utf-8" });
  }
  return c.body(renderPlanHtml(plan), 200, { "Content-Type": "text/html; charset=utf-8" });
};

export const getPlanChart: AppRouteHandler<GetPlanChartRoute> = async (c) => {
  const { id, chart } = c.req.valid("param");
  const name = chart.replace(/\.svg$/, "");
  if (!isChartName(name)) throw ApiError.invalidField("chart", `One of ${CHART_NAMES.map((n) => `${n}.svg`).join(", ")}.`, "path");
  const plan = currentDocument(await loadPlan(c, id));
  return c.body(renderChart(plan, name), 200, { "Content-Type": "image/svg+xml; charset=utf-8" });
};

/** One compared item from a plan and where it came from. */
function compared(plan: Plan, scenario: { id: string; version: number; name: string }, planId: string | null, options: PlanRequest, optionsSource: ComparedPlan["optionsSource"]): ComparedPlan {
  const r = plan.results;
  return {
    planId,
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    name: scenario.name,
    options,
    optionsSource,
    horizonMonths: plan.horizonMonths,
    chosen: r.chosen.label,
    cheapestNow: r.cheapestNow.label,
    cheapestAtHorizon: r.cheapestAtHorizon.label,
    totalComputeCostUsd: r.totalComputeCostUsd,
    totalCostOfRevenueUsd: r.totalCostOfRevenueUsd,
    totalRevenueUsd: r.totalRevenueUsd,
    grossMarginPctAtMetricMonth: r.grossMarginPctAtMetricMonth,
    metricMonth: r.metricMonth,
    payingUsersAtMetricMonth: r.unitEconomics.payingUsers,
    ltvToCac: r.unitEconomics.ltvToCac,
    cacPaybackMonths: r.unitEconomics.cacPaybackMonths,
    breakEvenMonth: r.breakEvenMonth,
    runOutMonth: r.runOutMonth,
    runwayMonths: r.runwayMonths,
    cumulativeCashAtHorizonUsd: r.cumulativeCashAtHorizonUsd,
    requiredPriceUsd: r.requiredPrice.everyMonth,
    priceUnit: r.requiredPrice.unit,
    targetGrossMarginPct: r.requiredPrice.targetGrossMarginPct,
    monthlyComputeCostUsd: plan.months.map((m) => m.computeCostUsd + m.oneOffCostUsd),
    cumulativeCashUsd: plan.months.map((m) => m.cumulativeCashUsd),
  };
}

async function notFound(ids: string[], what: string, field: string, exists: (id: string) => Promise<boolean>): Promise<void> {
  const found = await Promise.all(ids.map(exists));
  const missing = ids
    .map((id, i) => ({ id, i }))
    .filter((x) => !found[x.i])
    .map((x): ProblemFieldError => ({ path: `${field}.${x.i}`, location: "body", message: `${what} '${x.id}' was not found in this workspace.` }));
  if (missing.length > 0) throw new ApiError(422, `${missing.length} ${what.toLowerCase()}${missing.length === 1 ? " was" : "s were"} not found: ${missing.map((m) => m.path).join(", ")}`, { errors: missing });
}

/**
 * Compares stored plans exactly as computed (planIds), or plans scenarios now (scenarioIds) — each with
 * its latest stored plan's options unless the request gives options — so a comparison's figures are
 * those of the plans it names.
 */
export const comparePlans: AppRouteHandler<ComparePlansRoute> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  let items: ComparedPlan[];
  if (body.planIds) {
    await notFound(body.planIds, "Plan", "planIds", async (id) => (await findPlan(db, workspaceId, id)) !== undefined);
    items = [];
    for (const [i, pid] of body.planIds.entries()) {
      const stored = await loadPlan(c, pid);
      if (stored.plan.schemaVersion !== PLAN_SCHEMA_VERSION) {
        throw ApiError.invalidField(`planIds.${i}`, `Plan '${pid}' was computed by an earlier planner (schema ${stored.plan.schemaVersion}); compute a current plan of scenario '${stored.scenarioId}' to compare it.`);
      }
      const plan = currentDocument(stored);
      items.push(compared(plan, { id: stored.scenarioId, version: stored.scenarioVersion, name: plan.scenario.name }, stored.id, stored.options, "stored-plan"));
    }
  } else {
    const scenarioIds = body.scenarioIds ?? [];
    await notFound(scenarioIds, "Scenario", "scenarioIds", async (id) => (await findScenario(db, workspaceId, id)) !== undefined);
    items = [];
    for (const [i, sid] of scenarioIds.entries()) {
      const scenario = toScenarioDto((await findScenario(db, workspaceId, sid))!);
      const latest = body.options ? null : await findLatestPlanOptions(db, workspaceId, sid);
      const options: PlanRequest = body.options ?? latest?.options ?? {};
      const source: ComparedPlan["optionsSource"] = body.options ? "request" : latest ? "latest-stored-plan" : "defaults";
      const { plan } = await runPlanner(db, scenario, { ...options, projectionsOnly: true }, ["scenarioIds", String(i)], `Scenario '${scenario.name}' (${sid})`);
      items.push(compared(plan, scenario, null, options, source));
    }
  }

  const by = <T>(pick: (x: ComparedPlan) => T | null, better: (a: T, b: T) => boolean): string | null => {
    let best: ComparedPlan | null = null;
    for (const x of items) {
      const v = pick(x);
      if (v === null) continue;
      if (best === null || better(v, pick(best) as T)) best = x;
    }
    return best ? best.scenarioId : null;
  };
  return c.json(
    {
      items,
      best: {
        lowestComputeCost: by((x) => x.totalComputeCostUsd, (a, b) => a < b) ?? items[0].scenarioId,
        highestGrossMargin: by((x) => x.grossMarginPctAtMetricMonth, (a, b) => a > b),
        longestRunway: by((x) => [x.runwayMonths, x.cumulativeCashAtHorizonUsd] as const, (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])) ?? items[0].scenarioId,
        earliestBreakEven: by((x) => x.breakEvenMonth, (a, b) => a < b),
      },
    },
    200,
  );
};

