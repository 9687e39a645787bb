import * as engine from "@modelplan/estimator";
import type { Database } from "@modelplan/db";
import { asciiJsonResponse } from "../../lib/ascii-json";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import { findScenario, toScenarioDto } from "../scenarios/scenarios.repository";
import type { Scenario } from "../scenarios/scenarios.schemas";
import type { CreateScenarioEstimateRoute, EstimateInferenceRoute, EstimateTrainingRoute, GetScenarioEstimateRoute, ListScenarioEstimatesRoute } from "./estimates.routes";
import { isMeasuredHardwareRef, measuredAccelerator } from "../benchmarks/measured-hardware";
import { runEstimator } from "./estimator-errors";
import { findEstimateRow, insertEstimate, listEstimateRows, newEstimateId, toEstimateDto } from "./estimates.repository";
import type { ScenarioEstimate } from "./scenario-estimates.schemas";
import { toModelInput } from "./model-input";
import { scenarioEngineInputs, type ScenarioEngineInputs, type UseCaseServing } from "./scenario-inputs";
import { findUseCases } from "../use-cases/use-cases.repository";

/**
 * `"hardware": "local"` or a measured profile id (`hwp_…`) becomes the profile's measured accelerator:
 * its matmul ceiling as peak and the utilisation band of its stored runs, cited in the assumptions.
 */
async function withMeasuredHardware<T extends { hardware?: unknown }>(d: Database, workspaceId: string, body: T, phase: "training" | "inference"): Promise<T> {
  if (!isMeasuredHardwareRef(body.hardware)) return body;
  return { ...body, hardware: await measuredAccelerator(d, workspaceId, body.hardware, phase, "hardware") };
}

// Answered as ASCII-only JSON, through the router's estimate cache (estimates.cache.ts). An estimate
// on a measured hardware profile says Cache-Control: no-store: its figures change as the workspace
// measures more runs.
export const estimateTraining: AppRouteHandler<EstimateTrainingRoute> = async (c) => {
  const input = c.req.valid("json");
  const body = await withMeasuredHardware(c.get("db"), c.get("workspaceId"), input, "training");
  const result = runEstimator(() => engine.estimateTraining({ ...body, model: toModelInput(body.model) }));
  if (body !== input) c.header("Cache-Control", "no-store");
  return asciiJsonResponse(c, result);
};

export const estimateInference: AppRouteHandler<EstimateInferenceRoute> = async (c) => {
  const input = c.req.valid("json");
  const body = await withMeasuredHardware(c.get("db"), c.get("workspaceId"), input, "inference");
  const result = runEstimator(() => engine.estimateInference({ ...body, model: toModelInput(body.model) }));
  if (body !== input) c.header("Cache-Control", "no-store");
  return asciiJsonResponse(c, result);
};

/** Request profiles and latency targets of the scenario's use cases, in the scenario's order. */
async function useCaseProfiles(d: Database, slugs: string[]): Promise<UseCaseServing[]> {
  return (await findUseCases(d, slugs)).map((u) => ({ slug: u.slug, profile: u.requestProfile, latencyTargetMs: u.latencyTarget?.p95Ms ?? null }));
}

/**
 * A serving estimate that cannot meet the use case's latency target (or does not fit) is refused, as the
 * plan endpoint refuses the same scenario: 422 naming the hardware field to change.
 */
function requireServable(inputs: ScenarioEngineInputs, e: engine.InferenceEstimate): void {
  const fits = e.memory.fits;
  const target = inputs.latencyTarget;
  if (fits && (!target || e.latencyTargets.met)) return;
  const perReplica = inputs.inference?.gpusPerReplica;
  const field = inputs.renamePath([perReplica ? "gpusPerReplica" : "hardware"]);
  const where = `${e.hardware.id}${perReplica ? ` with ${perReplica} GPU(s) per replica` : ""}`;
  const why = !fits
    ? "it does not fit"
    : `a request takes ${Math.round(e.requestLatencyMs.expected).toLocaleString("en-US")} ms against the '${target!.useCase}' p95 target of ${target!.requestMs.toLocaleString("en-US")} ms`;
  throw ApiError.invalidField(field, `${e.model.name} cannot be served on ${where} at the '${target?.useCase ?? "scenario"}' latency target: ${why}. Choose a larger accelerator or more GPUs per replica.`);
}

export const createScenarioEstimate: AppRouteHandler<CreateScenarioEstimateRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const overrides = c.req.valid("json") ?? {};
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const row = await findScenario(db, workspaceId, id);
  if (!row) throw ApiError.notFound("Scenario", id);
  const scenario = toScenarioDto(row);
  const inputs = scenarioEngineInputs(scenario, await useCaseProfiles(db, scenario.useCases), overrides);
  const hostedApi = inputs.hostedApi ? runEstimator(() => engine.estimateHostedApi(inputs.hostedApi!), inputs.renamePath) : null;
  const training = inputs.training ? runEstimator(() => engine.estimateTraining(inputs.training!), inputs.renamePath) : null;
  const inference = inputs.inference ? runEstimator(() => engine.estimateInference(inputs.inference!), inputs.renamePath) : null;
  if (inference) requireServable(inputs, inference);
  const dto = {
    id: newEstimateId(),
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    strategy: scenario.model.strategy,
    catalogVersion: engine.CATALOG_VERSION,
    createdAt: c.get("now")().toISOString(),
    traffic: inputs.traffic,
    requestProfile: inputs.requestProfile,
    // The engine requests as they were sent (documented as JSON objects of the request shapes).
    inputs: {
      hostedApi: inputs.hostedApi && { ...inputs.hostedApi },
      training: inputs.training && { ...inputs.training },
      inference: inputs.inference && { ...inputs.inference },
    },
    hostedApi,
    training,
    inference,
    warnings: inputs.warnings,
  } satisfies ScenarioEstimate;
  await insertEstimate(db, workspaceId, dto);
  return c.json(dto, 201, { Location: `/v1/scenarios/${scenario.id}/estimates/${dto.id}` });
};

export const listScenarioEstimates: AppRouteHandler<ListScenarioEstimatesRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  if (!(await findScenario(db, workspaceId, id))) throw ApiError.notFound("Scenario", id);
  const { rows, nextCursor } = await listEstimateRows(db, workspaceId, id, { limit, cursor });
  return c.json({ items: rows.map(toEstimateDto), nextCursor }, 200);
};

export const getScenarioEstimate: AppRouteHandler<GetScenarioEstimateRoute> = async (c) => {
  const { id, estimateId } = c.req.valid("param");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  if (!(await findScenario(db, workspaceId, id))) throw ApiError.notFound("Scenario", id);
  const row = await findEstimateRow(db, workspaceId, id, estimateId);
  if (!row) throw ApiError.notFound("Estimate", estimateId);
  return c.json(toEstimateDto(row), 200);
};
