import type { Context } from "hono";
import { CATALOG_VERSION } from "@modelplan/estimator";
import { CHART_NAMES, isChartName, type ChartName } from "@modelplan/planner";
import { callerGoneSignal } from "../../lib/caller-signal";
import { ApiError, type ProblemFieldError } from "../../lib/problem";
import { asJson } from "../../lib/raw-json";
import type { AppBindings, AppRouteHandler } from "../../lib/types";
import { findScenario, toScenarioDto } from "../scenarios/scenarios.repository";
import { bestOf } from "./plan-compare";
import { runPlanTask, storedJsonResponse } from "./plan-compute";
import type { ComparePlansRoute, CreatePlanRoute, DeletePlanRoute, GetPlanChartRoute, GetPlanReportRoute, GetPlanRoute, ListPlansRoute } from "./plans.routes";
import {
  assertPlanQuota, deletePlan as deletePlanRow, findLatestPlanOptions, findPlanRecord, insertPlan, listPlanSummaries, loadUseCases, newPlanId, planExists, planUrl,
  splicedPlanJson, type PlanRecord,
} from "./plans.repository";
import type { PlanInput, PlanRefusal, PlanResult, StoredDocument } from "./plans.worker";
import type { ComparedPlan, PlanRequest, StoredPlan, StoredPlanAnyVersion } from "./plans.schemas";
import { measuredHardwareForPlan } from "./measured-hardware-input";
import { benchmarkLimits } from "../benchmarks/limits";

/** Where a planner field lives in the API: scenario fields as stored, plan options as the request body's fields. */
function apiPath(path: (string | number)[], prefix: string[] = []): string {
  const p = path[0] === "options" ? path.slice(1) : path;
  return [...prefix, ...p.map(String)].join(".") || "(root)";
}

/** A planner refusal (PlannerInputError in the worker) as the 422 problem saying what the plan needs. */
function refused(r: PlanRefusal, fieldPrefix: string[] = [], subject = "The scenario"): ApiError {
  const errors: ProblemFieldError[] = r.issues.map((i) => ({ path: apiPath(i.path, fieldPrefix), location: "body", message: i.message }));
  return new ApiError(422, `${subject} cannot be planned yet: ${r.message}`, { errors });
}

function unexpected(r: PlanResult): Error {
  return new Error(`the plan worker answered '${r.kind}'`);
}

/**
 * What the planner needs for a scenario, read from the database: its use cases and the workspace's
 * priced measured hardware (measured-hardware-input.ts; the request's `hardwareProfiles`, `local`
 * resolved), passed to the worker as data. An unknown or unpriced profile is a 422 naming the field.
 */
async function planInput(c: Context<AppBindings>, scenario: PlanInput["scenario"], options: PlanRequest, fieldPrefix: string[] = []): Promise<PlanInput> {
  const db = c.get("db");
  const { items, catalogVersion } = await loadUseCases(db, scenario.useCases);
  const ctx = { db, workspaceId: c.get("workspaceId"), limits: benchmarkLimits(db), signal: callerGoneSignal(c) };
  const measured = await measuredHardwareForPlan(ctx, scenario, items, options.hardwareProfiles, fieldPrefix);
  return { scenario: measured.scenario, useCases: items, catalogVersion, options, measuredHardware: measured.measuredHardware, unpricedHardware: measured.unpricedHardware };
}

/**
 * Computes a plan on a worker thread and stores it (gzip of the answer's JSON): the workspace's plan
 * quotas are checked before computing and again when storing. The answer is the stored bytes.
 */
export const createPlan: AppRouteHandler<CreatePlanRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const options: PlanRequest = c.req.valid("json") ?? {};
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const { quotas, plans: planLimits } = c.get("limits");
  const row = await findScenario(db, workspaceId, id);
  if (!row) throw ApiError.notFound("Scenario", id);
  await assertPlanQuota(db, workspaceId, quotas);
  const scenario = toScenarioDto(row);
  const input = await planInput(c, scenario, options);
  const planId = newPlanId();
  const stored: Omit<StoredPlan, "plan" | "options"> = {
    id: planId,
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    catalogVersion: input.catalogVersion,
    estimatorCatalogVersion: CATALOG_VERSION,
    createdAt: c.get("now")().toISOString(),
    reportUrl: `${planUrl(planId)}/report`,
  };
  const result = await runPlanTask(`plan ${planId}`, workspaceId, () => ({ kind: "plan", input, stored }), planLimits, callerGoneSignal(c), "The plan");
  if (result.kind === "invalid") throw refused(result);
  if (result.kind !== "plan") throw unexpected(result);
  const { id: _id, reportUrl: _url, ...meta } = stored;
  if (!(await insertPlan(db, workspaceId, { ...meta, id: planId, options, summary: result.summary, gzip: result.gzip }, quotas))) {
    throw new ApiError(404, `Scenario '${id}' was deleted while its plan was computed; the plan was not stored.`);
  }
  return asJson<StoredPlan, 201>(await storedJsonResponse(c, result.gzip, 201, { Location: planUrl(planId) }));
};

export const listPlans: AppRouteHandler<ListPlansRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  if (!(await findScenario(db, workspaceId, id))) throw ApiError.notFound("Scenario", id);
  return c.json(await listPlanSummaries(db, workspaceId, id, { limit, cursor }), 200);
};

async function loadRecord(c: Context<AppBindings>, id: string): Promise<PlanRecord> {
  const record = await findPlanRecord(c.get("db"), c.get("workspaceId"), id);
  if (!record) throw ApiError.notFound("Plan", id);
  return record;
}

/** A record's document as the worker reads it. */
function storedDocument(record: PlanRecord): StoredDocument {
  return "gzip" in record.document ? { gzip: record.document.gzip } : { planJson: record.document.planJson, meta: record.meta };
}

function earlierPlanner(id: string, scenarioId: string, schemaVersion: number): ApiError {
  return new ApiError(409, `Plan '${id}' was computed by an earlier planner (plan schema ${schemaVersion}, before funnels, unit economics and quality floors); its report cannot be drawn. POST /v1/scenarios/${scenarioId}/plan computes a current one.`);
}

/** The stored plan, as stored: the bytes of its document (never parsed on the event loop). */
export const getPlan: AppRouteHandler<GetPlanRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const record = await loadRecord(c, id);
  if ("gzip" in record.document) return asJson<StoredPlanAnyVersion, 200>(await storedJsonResponse(c, record.document.gzip, 200));
  return asJson<StoredPlanAnyVersion, 200>(c.body(splicedPlanJson({ ...record, document: record.document }), 200, { "Content-Type": "application/json" }));
};

/** A stored plan's report or chart, drawn on a worker thread. */
async function render(c: Context<AppBindings>, id: string, as: "html" | "markdown" | ChartName): Promise<string> {
  const record = await loadRecord(c, id);
  const workspaceId = c.get("workspaceId");
  const result = await runPlanTask(
    `render ${workspaceId} ${id} ${as}`,
    workspaceId,
    () => ({ kind: "render", document: storedDocument(record), as, chartUrlBase: `${planUrl(id)}/charts` }),
    c.get("limits").plans,
    callerGoneSignal(c),
    as === "html" || as === "markdown" ? "The report" : "The chart",
  );
  if (result.kind === "legacy") throw earlierPlanner(id, result.scenarioId, result.schemaVersion);
  if (result.kind !== "text") throw unexpected(result);
  return result.text;
}

/**
 * The HTML report's Content-Security-Policy: no script at all (the page has none; charts are inline
 * SVG drawn on the server), inline styles only (the page's <style> and the SVGs' style attributes),
 * images only as data: URIs, no framing, no form targets, no base URL. A scenario name that slipped
 * through escaping still could not run anything.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
  const markdown = prefersMarkdown(c.req.header("accept"));
  const text = await render(c, id, markdown ? "markdown" : "html");
  const headers: Record<string, string> = { Vary: "Accept", "X-Content-Type-Options": "nosniff" };
  if (markdown) return c.body(text, 200, { ...headers, "Content-Type": "text/markdown; charset=utf-8" });
  return c.body(text, 200, { ...headers, "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": REPORT_CSP });
};

export const getPlanChart: AppRouteHandler<GetPlanChartRoute> = async (c) => {
  const { id, chart } = c.req.valid("param");
  const name = chart.replace(/\.svg$/, "");
  if (!isChartName(name)) throw ApiError.invalidField("chart", `One of ${CHART_NAMES.map((n) => `${n}.svg`).join(", ")}.`, "path");
  const svg = await render(c, id, name);
  return c.body(svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": REPORT_CSP });
};

export const deletePlan: AppRouteHandler<DeletePlanRoute> = async (c) => {
  const { id } = c.req.valid("param");
  if (!(await deletePlanRow(c.get("db"), c.get("workspaceId"), id))) throw ApiError.notFound("Plan", id);
  return c.body(null, 204);
};

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
 * those of the plans it names. Computed on a worker thread.
 */
export const comparePlans: AppRouteHandler<ComparePlansRoute> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const run = (task: Parameters<typeof runPlanTask>[2]) => runPlanTask(`compare ${newPlanId()}`, workspaceId, task, c.get("limits").plans, callerGoneSignal(c), "The comparison");
  let items: ComparedPlan[];
  if (body.planIds) {
    await notFound(body.planIds, "Plan", "planIds", (id) => planExists(db, workspaceId, id));
    const documents: StoredDocument[] = [];
    for (const pid of body.planIds) documents.push(storedDocument(await loadRecord(c, pid)));
    const result = await run(() => ({ kind: "compare-stored", documents }));
    if (result.kind === "legacy") {
      throw ApiError.invalidField(`planIds.${result.index}`, `Plan '${result.id}' was computed by an earlier planner (schema ${result.schemaVersion}); compute a current plan of scenario '${result.scenarioId}' to compare it.`);
    }
    if (result.kind !== "compared") throw unexpected(result);
    items = result.items;
  } else {
    const scenarioIds = body.scenarioIds ?? [];
    await notFound(scenarioIds, "Scenario", "scenarioIds", async (id) => (await findScenario(db, workspaceId, id)) !== undefined);
    const inputs: { input: PlanInput; source: ComparedPlan["optionsSource"] }[] = [];
    for (const [i, sid] of scenarioIds.entries()) {
      const row = await findScenario(db, workspaceId, sid);
      // Deleted since the check above: the same 422 as if it had been missing then.
      if (!row) throw ApiError.invalidField(`scenarioIds.${i}`, `Scenario '${sid}' was not found in this workspace.`);
      const scenario = toScenarioDto(row);
      const latest = body.options ? null : await findLatestPlanOptions(db, workspaceId, sid);
      const options: PlanRequest = body.options ?? latest?.options ?? {};
      const source: ComparedPlan["optionsSource"] = body.options ? "request" : latest ? "latest-stored-plan" : "defaults";
      inputs.push({ input: await planInput(c, scenario, options, ["scenarioIds", String(i)]), source });
    }
    const result = await run(() => ({ kind: "compare-scenarios", inputs }));
    if (result.kind === "invalid") {
      const scenario = inputs[result.index].input.scenario;
      throw refused(result, ["scenarioIds", String(result.index)], `Scenario '${scenario.name}' (${scenario.id})`);
    }
    if (result.kind !== "compared") throw unexpected(result);
    items = result.items;
  }
  return c.json({ items, best: bestOf(items) }, 200);
};
