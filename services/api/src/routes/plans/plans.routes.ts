import { createRoute, z } from "@hono/zod-openapi";
import { DEFAULT_QUOTAS } from "../../lib/quotas";
import { DEFAULT_PLAN_LIMITS as P } from "./plan-limits";
import { requireScope } from "../../auth/scopes";
import { CHART_NAMES } from "@modelplan/planner";
import { PaginationQuerySchema, pageSchema } from "../../lib/pagination";
import { commonErrors, problemResponses } from "../../lib/problem";
import { ScenarioIdParamSchema } from "../scenarios/scenarios.routes";
import { CompareRequestSchema, CompareResponseSchema, PlanRequestSchema, PlanSummarySchema, StoredPlanAnyVersionSchema, StoredPlanSchema } from "./plans.schemas";

const tags = ["Plans"];

export const PlanIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, description: "Plan id.", example: "pln_2c4e6a8b0d1f3e5a7c9b1d3f" }),
});

export const createPlan = createRoute({
  method: "post",
  path: "/v1/scenarios/{id}/plan",
  security: requireScope("write"),
  operationId: "createScenarioPlan",
  tags,
  summary: "Compute and store a startup plan for a scenario",
  description:
    "Month by month over the scenario's horizon: the customer funnel (sign-ups, conversion to paid, churn of paying and free users, acquisition spend), users, requests, tokens and peak requests/s; the full cost of every deployment option (each hosted model that serves the use case; self-hosting suitable open models on each priced accelerator on demand, spot and reserved, with engineering and on-call; fine-tuning with its data preparation, evaluation and GPU time as billed) and its published quality score against the use case's quality floor; revenue from the product's pricing and the scenario's other revenue lines, gross and contribution margin, net cash flow and cumulative cash; CAC payback, LTV, LTV/CAC, burn multiple and runway; the cheapest option that meets the quality floor per month (compared on capacity cost with hysteresis), crossovers, break-even month and the price for a target gross margin; a ±25% sensitivity tornado including conversion, churn and CAC; recommendations whose effects are computed by re-running the plan; and the use cases' risks with mitigations. Stored with the scenario version and the catalog versions used. A scenario without a use case or pricing, or with a horizon over 120 months, answers 422 saying what the plan needs. " +
    `Computed on a worker thread, off the request path: within ${P.planTimeBudgetMs / 1000} s (planTimeBudgetMs; beyond, 503 of type /problems/time-budget-exceeded), at most ${P.maxPlansInFlightPerWorkspace} plan computations per workspace at once (maxPlansInFlightPerWorkspace; beyond, 429 with Retry-After) and ${P.maxPlansQueued} waiting in all (503). ` +
    `A workspace stores at most ${DEFAULT_QUOTAS.maxPlansPerWorkspace} plans and ${DEFAULT_QUOTAS.maxPlanBytesPerWorkspace / 1024 / 1024} MiB of them, gzip-compressed (maxPlansPerWorkspace, maxPlanBytesPerWorkspace; beyond, 429 of type /problems/quota-exceeded naming the quota: delete plans first). The answer is gzip-encoded for a client that accepts gzip.`,
  request: {
    params: ScenarioIdParamSchema,
    body: { required: false, content: { "application/json": { schema: PlanRequestSchema } } },
  },
  responses: {
    201: {
      description: "The stored plan.",
      headers: { Location: { description: "URL of the stored plan.", schema: { type: "string" } } },
      content: { "application/json": { schema: StoredPlanSchema } },
    },
    ...problemResponses(404, 503, ...commonErrors),
  },
});

export const listPlans = createRoute({
  method: "get",
  path: "/v1/scenarios/{id}/plans",
  security: requireScope("read"),
  operationId: "listScenarioPlans",
  tags,
  summary: "List a scenario's stored plans",
  description: "Summaries of the plans computed for the scenario, newest first, cursor-paginated; GET /v1/plans/{id} returns a whole plan.",
  request: { params: ScenarioIdParamSchema, query: PaginationQuerySchema },
  responses: {
    200: { description: "A page of plan summaries.", content: { "application/json": { schema: pageSchema(PlanSummarySchema, "PlanSummaryPage") } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const getPlan = createRoute({
  method: "get",
  path: "/v1/plans/{id}",
  security: requireScope("read"),
  operationId: "getPlan",
  tags,
  summary: "Get a stored plan",
  description: "The whole plan document with the scenario version and catalog versions it was computed from, as stored: gzip-encoded (`Content-Encoding: gzip`) for a client that accepts gzip.",
  request: { params: PlanIdParamSchema },
  responses: {
    200: { description: "The plan as stored (plan.schemaVersion 2, or 1 for a plan computed by an earlier planner).", content: { "application/json": { schema: StoredPlanAnyVersionSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const comparePlans = createRoute({
  method: "post",
  path: "/v1/plans/compare",
  security: requireScope("read"),
  operationId: "comparePlans",
  tags,
  summary: "Compare two to five stored plans or scenarios side by side",
  description: "With planIds: lines up stored plans exactly as they were computed (their scenario version and options). With scenarioIds: plans each scenario's current version (not stored) with the options of its latest stored plan, or defaults when it has none, unless the request gives options. Each item says which options it used. Lines up cost, revenue, gross margin, paying users, LTV/CAC, CAC payback, break-even, runway, required price and the cheapest option, with the best scenario on each measure.",
  request: { body: { required: true, content: { "application/json": { schema: CompareRequestSchema } } } },
  responses: {
    200: { description: "The comparison.", content: { "application/json": { schema: CompareResponseSchema } } },
    ...problemResponses(503, ...commonErrors),
  },
});

export const AcceptHeaderSchema = z.object({
  accept: z
    .string()
    .max(1024)
    .optional()
    .openapi({ param: { in: "header" }, description: "text/html (default) or text/markdown.", example: "text/markdown" }),
});

export const getPlanReport = createRoute({
  method: "get",
  path: "/v1/plans/{id}/report",
  security: requireScope("read"),
  operationId: "getPlanReport",
  tags,
  summary: "The plan as a report (HTML, or Markdown with Accept: text/markdown)",
  description:
    "A self-contained HTML page: the headline answers first (cheapest option that meets the quality floor now and at the horizon, break-even, runway, paying users, unit economics, required price, margin), then the charts — monthly running cost per option, cumulative cash with the runway marked, the customer funnel, unit economics (CAC payback, LTV/CAC) and the sensitivity tornado — as inline SVG rendered on the server, then the tables (months, funnel and unit economics, options with quality scores, models below the quality floor, crossovers, sensitivity, recommendations, risks, revenue lines) and every assumption with its source. With `Accept: text/markdown` the same content as Markdown, charts linked to /v1/plans/{id}/charts/{name}.svg. A plan stored by an earlier planner (schemaVersion 1) answers 409: compute a new one.",
  request: { params: PlanIdParamSchema, headers: AcceptHeaderSchema },
  responses: {
    200: {
      description: "The report.",
      headers: {
        "Content-Security-Policy": { description: "HTML: no script, inline styles and data: images only, no framing.", schema: { type: "string", example: "default-src 'none'; style-src 'unsafe-inline'; img-src data:" } },
        "X-Content-Type-Options": { description: "`nosniff`.", schema: { type: "string", example: "nosniff" } },
      },
      content: {
        "text/html": { schema: z.string().openapi({ description: "HTML page.", example: "<!doctype html>..." }) },
        "text/markdown": { schema: z.string().openapi({ description: "Markdown document.", example: "# Plan: ..." }) },
      },
    },
    ...problemResponses(404, 409, 503, ...commonErrors),
  },
});

export const CHART_FILES = CHART_NAMES.map((n) => `${n}.svg`) as [`${(typeof CHART_NAMES)[number]}.svg`, ...`${(typeof CHART_NAMES)[number]}.svg`[]];

/** GET /v1/plans/{id}/charts/{name}.svg — the file name is one path parameter, e.g. `monthly-cost.svg`. */
export const getPlanChart = createRoute({
  method: "get",
  path: "/v1/plans/{id}/charts/{chart}",
  security: requireScope("read"),
  operationId: "getPlanChart",
  tags,
  summary: "One chart of a plan as SVG",
  description:
    "GET /v1/plans/{id}/charts/{name}.svg: monthly-cost.svg (running cost per deployment option by month; identical series drawn once and named as identical), cumulative-cash.svg (cash by month with the runway marked), funnel.svg (active and paying users, paying users won and lost), unit-economics.svg (CAC payback and LTV/CAC) or sensitivity-tornado.svg (change in cash at the horizon, the two bars of a row side by side), rendered on the server with ECharts' SVG renderer. A plan stored by an earlier planner answers 409.",
  request: {
    params: z.object({
      id: PlanIdParamSchema.shape.id,
      chart: z.enum(CHART_FILES).openapi({ param: { name: "chart", in: "path" }, description: "Chart file name: {name}.svg.", example: "monthly-cost.svg" }),
    }),
  },
  responses: {
    200: { description: "The chart.", content: { "image/svg+xml": { schema: z.string().openapi({ description: "SVG document.", example: "<svg ...>" }) } } },
    ...problemResponses(404, 409, 503, ...commonErrors),
  },
});

export const deletePlan = createRoute({
  method: "delete",
  path: "/v1/plans/{id}",
  security: requireScope("write"),
  operationId: "deletePlan",
  tags,
  summary: "Delete a stored plan",
  description: "Deletes one stored plan of this workspace (its storage counts against the workspace's plan quotas: maxPlansPerWorkspace, maxPlanBytesPerWorkspace). Another workspace's plan answers 404.",
  request: { params: PlanIdParamSchema },
  responses: {
    204: { description: "Deleted." },
    ...problemResponses(404, ...commonErrors),
  },
});

export type CreatePlanRoute = typeof createPlan;
export type ListPlansRoute = typeof listPlans;
export type GetPlanRoute = typeof getPlan;
export type ComparePlansRoute = typeof comparePlans;
export type GetPlanReportRoute = typeof getPlanReport;
export type GetPlanChartRoute = typeof getPlanChart;
export type DeletePlanRoute = typeof deletePlan;
