import { getAccelerator, getHostedModel, isEstimatorInputError, listHostedModels, resolveModel } from "@modelplan/estimator";
import { toModelInput } from "../estimates/model-input";
import type { Database } from "@modelplan/db";
import { ApiError, invalidFieldsDetail, type ProblemFieldError } from "../../lib/problem";
import { findUseCases } from "../use-cases/use-cases.repository";
import type { ScenarioInput } from "./scenarios.schemas";

/**
 * Checks that everything a scenario points at exists and makes sense: use-case slugs in the catalog
 * table, the hosted model and accelerator in the estimator's catalogs, and the model (preset,
 * architecture or parameter count) as the estimator resolves it. Reports every problem at once as a
 * 422 naming each field.
 */
export async function assertScenarioReferences(d: Database, input: ScenarioInput): Promise<void> {
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
  if (input.hardware && !getAccelerator(input.hardware.accelerator)) {
    bad("hardware.accelerator", `Unknown accelerator '${input.hardware.accelerator}' (see GET /v1/hardware).`);
  }
  if (errors.length) {
    throw new ApiError(422, invalidFieldsDetail(errors), { errors });
  }
}
