import { CATALOG_VERSION } from "@modelplan/estimator";
import {
  DEFAULT_SETTINGS, isChartName, PlannerInputError, planScenario, renderChart, renderPlanHtml, renderPlanMarkdown, CHART_NAMES,
  type Plan, type PlannerOptions,
} from "@modelplan/planner";
import type { AppDatabase } from "@modelplan/db";
import { ApiError, type ProblemFieldError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import { findScenario, toScenarioDto } from "../scenarios/scenarios.repository";
import type { Scenario } from "../scenarios/scenarios.schemas";
import type { ComparePlansRoute, CreatePlanRoute, GetPlanChartRoute, GetPlanReportRoute, GetPlanRoute, ListPlansRoute } from "./plans.routes";
import { findPlan, insertPlan, listPlanSummaries, loadUseCases, newPlanId, planUrl, toStoredPlan } from "./plans.repository";
import type { ComparedPlan, StoredPlan } from "./plans.schemas";

/** Where a planner field lives in the API: scenario fields as stored, plan options as the request body's fields. */
function apiPath(path: (string | number)[], prefix: string[] = []): string {
  const p = path[0] === "options" ? path.slice(1) : path;
  return [...prefix, ...p.map(String)].join(".") || "(root)";
}

/** Plans a scenario; PlannerInputError becomes a 422 problem saying what the plan needs. */
function runPlanner(db: AppDatabase, scenario: Scenario, options: PlannerOptions, fieldPrefix: string[] = [], subject = "The scenario"): { plan: Plan; catalogVersion: string } {
  const { items, catalogVersion } = loadUseCases(db, scenario.useCases);
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

export const createPlan: AppRouteHandler<CreatePlanRoute> = (c) => {
  const { id } = c.req.valid("param");
  const options = c.req.valid("json") ?? {};
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const row = findScenario(db, workspaceId, id);
  if (!row) throw ApiError.notFound("Scenario", id);
  const scenario = toScenarioDto(row);
  const { plan, catalogVersion } = runPlanner(db, scenario, options);
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
  insertPlan(db, workspaceId, dto);
  return c.json(dto, 201, { Location: planUrl(planId) });
};

export const listPlans: AppRouteHandler<ListPlansRoute> = (c) => {
  const { id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  if (!findScenario(db, workspaceId, id)) throw ApiError.notFound("Scenario", id);
  return c.json(listPlanSummaries(db, workspaceId, id, { limit, cursor }), 200);
};

function loadPlan(db: AppDatabase, workspaceId: string, id: string): StoredPlan {
  const row = findPlan(db, workspaceId, id);
  if (!row) throw ApiError.notFound("Plan", id);
  return toStoredPlan(row);
}

export const getPlan: AppRouteHandler<GetPlanRoute> = (c) => {
  const { id } = c.req.valid("param");
  return c.json(loadPlan(c.get("db"), c.get("workspaceId"), id), 200);
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

export const getPlanReport: AppRouteHandler<GetPlanReportRoute> = (c) => {
  const { id } = c.req.valid("param");
  const { plan } = loadPlan(c.get("db"), c.get("workspaceId"), id);
  c.header("Vary", "Accept");
  if (prefersMarkdown(c.req.header("accept"))) {
    const md = renderPlanMarkdown(plan, { chartUrl: (name) => `${planUrl(id)}/charts/${name}.svg` });
    return c.body(md, 200, { "Content-Type": "text/markdown; charset=utf-8" }) as never;
  }
  return c.body(renderPlanHtml(plan), 200, { "Content-Type": "text/html; charset=utf-8" }) as never;
};

export const getPlanChart: AppRouteHandler<GetPlanChartRoute> = (c) => {
  const { id, chart } = c.req.valid("param");
  const name = chart.replace(/\.svg$/, "");
  if (!isChartName(name)) throw ApiError.invalidField("chart", `One of ${CHART_NAMES.map((n) => `${n}.svg`).join(", ")}.`, "path");
  const { plan } = loadPlan(c.get("db"), c.get("workspaceId"), id);
  return c.body(renderChart(plan, name), 200, { "Content-Type": "image/svg+xml; charset=utf-8" }) as never;
};

export const comparePlans: AppRouteHandler<ComparePlansRoute> = (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const options: PlannerOptions = { ...(body.options ?? {}), projectionsOnly: true };
  const missing = body.scenarioIds
    .map((sid, i) => ({ sid, i, row: findScenario(db, workspaceId, sid) }))
    .filter((x) => !x.row)
    .map((x): ProblemFieldError => ({ path: `scenarioIds.${x.i}`, location: "body", message: `Scenario '${x.sid}' was not found in this workspace.` }));
  if (missing.length > 0) throw new ApiError(422, `${missing.length} scenario${missing.length === 1 ? " was" : "s were"} not found: ${missing.map((m) => m.path).join(", ")}`, { errors: missing });

  const items: ComparedPlan[] = body.scenarioIds.map((sid, i) => {
    const scenario = toScenarioDto(findScenario(db, workspaceId, sid)!);
    const { plan } = runPlanner(db, scenario, options, ["scenarioIds", String(i)], `Scenario '${scenario.name}' (${sid})`);
    const r = plan.results;
    return {
      scenarioId: scenario.id,
      scenarioVersion: scenario.version,
      name: scenario.name,
      horizonMonths: plan.horizonMonths,
      chosen: r.chosen.label,
      cheapestNow: r.cheapestNow.label,
      cheapestAtHorizon: r.cheapestAtHorizon.label,
      totalComputeCostUsd: r.totalComputeCostUsd,
      totalRevenueUsd: r.totalRevenueUsd,
      grossMarginPctAtMetricMonth: r.grossMarginPctAtMetricMonth,
      metricMonth: r.metricMonth,
      breakEvenMonth: r.breakEvenMonth,
      runOutMonth: r.runOutMonth,
      runwayMonths: r.runwayMonths,
      cumulativeCashAtHorizonUsd: r.cumulativeCashAtHorizonUsd,
      requiredPriceUsd: r.requiredPrice.everyMonth,
      priceUnit: r.requiredPrice.unit,
      monthlyComputeCostUsd: plan.months.map((m) => m.computeCostUsd + m.oneOffCostUsd),
      cumulativeCashUsd: plan.months.map((m) => m.cumulativeCashUsd),
    };
  });

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
        lowestComputeCost: by((x) => x.totalComputeCostUsd, (a, b) => a < b)!,
        highestGrossMargin: by((x) => x.grossMarginPctAtMetricMonth, (a, b) => a > b),
        longestRunway: by((x) => [x.runwayMonths, x.cumulativeCashAtHorizonUsd] as const, (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]))!,
        earliestBreakEven: by((x) => x.breakEvenMonth, (a, b) => a < b),
      },
      targetGrossMarginPct: options.targetGrossMarginPct ?? DEFAULT_SETTINGS.targetGrossMarginPct,
    },
    200,
  );
};
