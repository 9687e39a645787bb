import { isEstimatorInputError, resolveModel } from "@modelplan/estimator";
import type { Database } from "@modelplan/db";
import { ApiError, invalidFieldsDetail, type ProblemFieldError } from "../../lib/problem";
import type { ReferenceCheck } from "../../lib/validation-hook";
import { findProfile } from "../benchmarks/benchmarks.repository";
import { isMeasuredHardwareRef } from "../benchmarks/measured-hardware";
import { acceleratorError, fieldAt, found, hostedModelError, presetError, providerError } from "../estimates/catalog-references";
import { toModelInput } from "../estimates/model-input";
import { findUseCases } from "../use-cases/use-cases.repository";
import { OwnModelStrategySchema, SCENARIO_LIMITS, type ScenarioInput } from "./scenarios.schemas";

/**
 * What a scenario (or a patch of one) names: use-case slugs in the catalog table, the hosted model,
 * the model preset, the accelerator (or a measured hardware profile of the workspace) and the
 * preferred provider in the estimator's catalogs. Reads the body defensively: it also runs on bodies
 * the schema refused (lib/validation-hook.ts).
 */
export async function scenarioReferenceErrors(db: Database, workspaceId: string, body: unknown): Promise<ProblemFieldError[]> {
  const errors: ProblemFieldError[] = [];
  const useCases = fieldAt(body, "useCases");
  // No more than the schema allows are looked up (a longer list is refused as a whole by the schema).
  if (Array.isArray(useCases) && useCases.length <= SCENARIO_LIMITS.useCasesMax) {
    const slugs = useCases.filter((u): u is string => typeof u === "string");
    const known = new Set(slugs.length ? (await findUseCases(db, slugs)).map((u) => u.slug) : []);
    useCases.forEach((slug, i) => {
      if (typeof slug === "string" && !known.has(slug)) errors.push({ path: `useCases.${i}`, location: "body", message: `Unknown use case '${slug}': GET /v1/use-cases lists them.` });
    });
  }
  const strategy = fieldAt(body, "model.strategy");
  errors.push(
    ...found(
      strategy === "hosted-api" ? hostedModelError("model.hostedModel", fieldAt(body, "model.hostedModel")) : undefined,
      strategy !== "hosted-api" ? presetError("model.preset", fieldAt(body, "model.preset")) : undefined,
      await hardwareError(db, workspaceId, fieldAt(body, "hardware.accelerator")),
      // The scenario's own model is served at this provider's listing of its accelerator (plans and scenario
      // estimates refuse one without a price there), so a provider that does not price it is refused here too.
      providerError("hardware.provider", fieldAt(body, "hardware.provider"), fieldAt(body, "hardware.accelerator"), "omit hardware.provider for the cheapest listing"),
    ),
  );
  errors.push(...ownModelErrors(fieldAt(body, "model")));
  return errors;
}

/**
 * The scenario's accelerator: a catalog id, or a measured profile — `local` is resolved when the
 * scenario is estimated or planned (it follows what is measured), an id must exist in the workspace.
 */
async function hardwareError(db: Database, workspaceId: string, accelerator: unknown): Promise<ProblemFieldError | undefined> {
  if (!isMeasuredHardwareRef(accelerator)) return acceleratorError("hardware.accelerator", accelerator);
  if (accelerator === "local" || (await findProfile(db, workspaceId, accelerator))) return undefined;
  return { path: "hardware.accelerator", location: "body", message: `Unknown hardware profile '${accelerator}' in this workspace (see GET /v1/hardware-profiles).` };
}

/**
 * A custom model (architecture or parameter count) that the estimator cannot resolve — heads that do
 * not divide the hidden size, say — when the model itself passed the schema. A preset is checked by
 * name above.
 */
function ownModelErrors(model: unknown): ProblemFieldError[] {
  const parsed = OwnModelStrategySchema.safeParse(model);
  if (!parsed.success || parsed.data.preset !== undefined) return [];
  try {
    resolveModel(toModelInput(parsed.data), ["model"]);
    return [];
  } catch (err) {
    if (!isEstimatorInputError(err)) throw err;
    return [{ path: err.path.join("."), location: "body", message: err.message }];
  }
}

/** The scenario routes' reference check (create and patch): see scenarioReferenceErrors. */
export const scenarioReferences: ReferenceCheck = (body, c) => scenarioReferenceErrors(c.get("db"), c.get("workspaceId"), body);

/** Refuses a whole scenario (a patched one, say) naming anything it points at that does not exist, in one 422. */
export async function assertScenarioReferences(db: Database, workspaceId: string, input: ScenarioInput): Promise<void> {
  const errors = await scenarioReferenceErrors(db, workspaceId, input);
  if (errors.length) throw new ApiError(422, invalidFieldsDetail(errors), { errors });
}
