import { getAccelerator, getHostedModel, isEstimatorInputError, listHostedModels, resolveModel } from "@modelplan/estimator";
import { toModelInput } from "../estimates/model-input";
import type { Database } from "@modelplan/db";
import { ApiError, invalidFieldsDetail, type ProblemFieldError } from "../../lib/problem";
import { findUseCases } from "../use-cases/use-cases.repository";
import { findProfile } from "../benchmarks/benchmarks.repository";
import { isMeasuredHardwareRef } from "../benchmarks/measured-hardware";
import type { ScenarioInput } from "./scenarios.schemas";

/**
 * Checks that everything a scenario points at exists and makes sense: use-case slugs in the catalog
 * table, the hosted model and accelerator in the estimator's catalogs (or a measured hardware profile of
 * the workspace), and the model (preset,
 * architecture or parameter count) as the estimator resolves it. Reports every problem at once as a
 * 422 naming each field.
 */
export async function assertScenarioReferences(d: Database, workspaceId: string, input: ScenarioInput): Promise<void> {
  const errors: ProblemFieldError[] = [];
  const bad = (path: string, message: string) => errors.push({ path, location: "body", message });
  if (input.useCases.length) {
    const found = new Set((await findUseCases(d, input.useCases)).map((u) => u.slug));
    input.useCases.forEach((slug, i) => {
      if (!found.has(slug)) bad(`useCases.${i}`, `Unknown use case '${slug}' (see GET /v1/use-cases).`);
    });
  }
  const model = input.model;
  if (model.strategy === "hosted-api") {
    if (!getHostedModel(model.hostedModel)) {
      bad("model.hostedModel", `Unknown hosted model '${model.hostedModel}'; known: ${listHostedModels().map((m) => m.id).join(", ")}.`);
    }
  } else {
    const modelInput = toModelInput(model);
    try {
      resolveModel(modelInput, ["model"]);
    } catch (err) {
      if (!isEstimatorInputError(err)) throw err;
      bad(err.path.join("."), err.message);
    }
  }
  const accelerator = input.hardware?.accelerator;
  if (accelerator !== undefined && isMeasuredHardwareRef(accelerator)) {
    // `local` is resolved when the scenario is estimated or planned (it follows what is measured); an id must exist.
    if (accelerator !== "local" && !(await findProfile(d, workspaceId, accelerator))) bad("hardware.accelerator", `Unknown hardware profile '${accelerator}' in this workspace (see GET /v1/hardware-profiles).`);
  } else if (accelerator !== undefined && !getAccelerator(accelerator)) {
    bad("hardware.accelerator", `Unknown accelerator '${accelerator}' (see GET /v1/hardware, or a measured profile: local or hwp_… from GET /v1/hardware-profiles).`);
  }
  if (errors.length) {
    throw new ApiError(422, invalidFieldsDetail(errors), { errors });
  }
}
