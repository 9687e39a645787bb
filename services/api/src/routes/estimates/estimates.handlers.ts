import * as engine from "@modelplan/estimator";
import type { Database } from "@modelplan/db";
import { asciiJsonResponse } from "../../lib/ascii-json";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import { findScenario, toScenarioDto } from "../scenarios/scenarios.repository";
import type { Scenario } from "../scenarios/scenarios.schemas";
import type { CreateScenarioEstimateRoute, EstimateInferenceRoute, EstimateTrainingRoute, GetScenarioEstimateRoute, ListScenarioEstimatesRoute } from "./estimates.routes";
import { isMeasuredHardwareRef } from "../benchmarks/measured-hardware";
import { finishMeasuredInference, finishMeasuredTraining, measuredInferenceInput, measuredTrainingInput } from "./measured-estimates";
import { runEstimator } from "./estimator-errors";
import { findEstimateRow, insertEstimate, listEstimateRows, newEstimateId, toEstimateDto } from "./estimates.repository";
import type { ScenarioEstimate } from "./scenario-estimates.schemas";
import { toModelInput } from "./model-input";
import { scenarioEngineInputs, type ScenarioEngineInputs, type UseCaseServing } from "./scenario-inputs";
import { findUseCases } from "../use-cases/use-cases.repository";
import { loadUseCases } from "../plans/plans.repository";
import { measuredOwnServing } from "./measured-own-serving";

// Answered as ASCII-only JSON, through the router's estimate cache (estimates.cache.ts). An estimate
// on a measured hardware profile (`"hardware": "local"` or `"hwp_…"`, measured-estimates.ts) says
// Cache-Control: no-store: its figures change as the workspace measures more runs or prices the profile.
export const estimateTraining: AppRouteHandler<EstimateTrainingRoute> = async (c) => {
  const input = c.req.valid("json");
  const hardware = input.hardware;
  if (!isMeasuredHardwareRef(hardware)) {
    return asciiJsonResponse(c, runEstimator(() => engine.estimateTraining({ ...input, model: toModelInput(input.model) })));
  }
  const m = await measuredTrainingInput(c.get("db"), c.get("workspaceId"), { ...input, hardware });
  const result = runEstimator(() => engine.estimateTraining({ ...m.input, model: toModelInput(m.input.model) }));
  c.header("Cache-Control", "no-store");
  return asciiJsonResponse(c, finishMeasuredTraining(result, m));
};

export const estimateInference: AppRouteHandler<EstimateInferenceRoute> = async (c) => {
  const input = c.req.valid("json");
  const hardware = input.hardware;
  if (!isMeasuredHardwareRef(hardware)) {
    return asciiJsonResponse(c, runEstimator(() => engine.estimateInference({ ...input, model: toModelInput(input.model) })));
  }
  const model = toModelInput(input.model);
  const m = await measuredInferenceInput(c.get("db"), c.get("workspaceId"), { ...input, model, hardware }, (i) => engine.estimateInference(i));
  const result = runEstimator(() => engine.estimateInference(m.input));
  c.header("Cache-Control", "no-store");
  return asciiJsonResponse(c, finishMeasuredInference(result, m));
};

/** Request profiles and latency targets of the scenario's use cases, in the scenario's order. */
async function useCaseProfiles(db: Database, slugs: string[]): Promise<UseCaseServing[]> {
  return (await findUseCases(db, slugs)).map((u) => ({ slug: u.slug, profile: u.requestProfile, latencyTargetMs: u.latencyTarget?.p95Ms ?? null }));
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
  // A measured profile (`local` or `hwp_…`) as the scenario's hardware: its accelerator, precision and price.
  const measuredRef = inputs.inference && isMeasuredHardwareRef(inputs.inference.hardware) ? inputs.inference.hardware : null;
  const hardwareField = inputs.renamePath(["hardware"]);
  const measuredServing = measuredRef
    ? await measuredInferenceInput(db, workspaceId, { ...inputs.inference!, hardware: measuredRef }, (i) => engine.estimateInference(i), hardwareField, inputs.renamePath)
    : null;
  const measuredTraining = measuredRef && inputs.training ? await measuredTrainingInput(db, workspaceId, { ...inputs.training, hardware: measuredRef }, hardwareField) : null;
  if (measuredServing) inputs.inference = measuredServing.input;
  if (measuredTraining) inputs.training = measuredTraining.input;
  const hostedApi = inputs.hostedApi ? runEstimator(() => engine.estimateHostedApi(inputs.hostedApi!), inputs.renamePath) : null;
  const trainingEstimate = inputs.training ? runEstimator(() => engine.estimateTraining(inputs.training!), inputs.renamePath) : null;
  const inferenceEstimate = inputs.inference ? runEstimator(() => engine.estimateInference(inputs.inference!), inputs.renamePath) : null;
  // The own model as a benchmark configuration on the profile: its measured throughput is the cost.
  const slug = inputs.latencyTarget?.useCase ?? scenario.useCases[0];
  const own = measuredRef ? await measuredOwnServing(c, scenario, slug ? (await loadUseCases(db, [slug])).items[0] : undefined, measuredRef, hardwareField) : null;
  if (inferenceEstimate) {
    try {
      requireServable(inputs, inferenceEstimate);
    } catch (e) {
      // The estimator's formulas at the box's average efficiency miss the target, but the box measured the model meeting it: the measurement wins.
      if (!own?.serving || !(e instanceof ApiError)) throw e;
      inputs.warnings.push(`the estimator's serving answer (the box's average efficiency applied to this model's FLOPs) misses the latency target; the measured serving (measuredServing, ${own.serving.basis}) meets it: ${e.errors?.[0]?.message ?? e.message}`);
    }
  }
  inputs.warnings.push(...(own?.warnings ?? []));
  const training = trainingEstimate && measuredTraining ? finishMeasuredTraining(trainingEstimate, measuredTraining) : trainingEstimate;
  const inference = inferenceEstimate && measuredServing ? finishMeasuredInference(inferenceEstimate, measuredServing) : inferenceEstimate;
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
    ...(own?.serving ? { measuredServing: own.serving } : {}),
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
