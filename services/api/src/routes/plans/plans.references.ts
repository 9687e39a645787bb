import type { ProblemFieldError } from "../../lib/problem";
import type { ReferenceCheck } from "../../lib/validation-hook";
import { fieldAt } from "../estimates/catalog-references";
import { findScenario } from "../scenarios/scenarios.repository";
import { MAX_PRICED_PROFILES_IN_PLAN } from "../hardware-prices/hardware-prices.repository";
import { planProfiles } from "./measured-hardware-input";
import { planExists } from "./plans.repository";
import { COMPARE_MAX } from "./plans.schemas";

/**
 * The request's `hardwareProfiles` as far as it can be read: the strings of a list no longer than the
 * schema allows (a longer list is refused whole by the schema, its entries not looked up), each within
 * the schema's length (a bad entry is the schema's to name). Index kept, so errors name the entry.
 */
function requestedProfiles(body: unknown, path: string): (string | undefined)[] | undefined {
  const refs = fieldAt(body, path);
  if (!Array.isArray(refs) || refs.length > MAX_PRICED_PROFILES_IN_PLAN) return undefined;
  return refs.map((r) => (typeof r === "string" && r.length >= 1 && r.length <= 64 ? r : undefined));
}

/**
 * What a plan request names (POST /v1/scenarios/{id}/plan): the measured hardware profiles of
 * `hardwareProfiles` — each must exist in the workspace (`local`: a profile measured on this machine)
 * and have a price — and the planned scenario's own measured `hardware.accelerator`, the same check
 * the plan makes when it is computed (measured-hardware-input.ts), so one 422 names them with the
 * schema's findings. A scenario that does not exist is the handler's 404.
 */
export const planReferences: ReferenceCheck = async (body, c) => {
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const id = c.req.param("id");
  const scenario = typeof id === "string" && id.length <= 64 ? await findScenario(db, workspaceId, id) : undefined;
  if (!scenario) return [];
  const own = fieldAt(scenario.spec, "hardware.accelerator");
  return (await planProfiles(db, workspaceId, requestedProfiles(body, "hardwareProfiles"), own)).errors;
};

/**
 * What a comparison names: stored plans or scenarios of the caller's workspace, each of which must
 * exist, and the measured hardware profiles of `options.hardwareProfiles` (each must exist and have a
 * price; a scenario's own hardware is checked when it is planned).
 */
export const compareReferences: ReferenceCheck = async (body, c) => {
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  return [
    ...(await missing(fieldAt(body, "planIds"), "planIds", "Plan", (id) => planExists(db, workspaceId, id))),
    ...(await missing(fieldAt(body, "scenarioIds"), "scenarioIds", "Scenario", async (id) => (await findScenario(db, workspaceId, id)) !== undefined)),
    ...(await planProfiles(db, workspaceId, requestedProfiles(body, "options.hardwareProfiles"), undefined, ["options"])).errors,
  ];
};

async function missing(ids: unknown, field: string, what: string, exists: (id: string) => Promise<boolean>): Promise<ProblemFieldError[]> {
  // No more than the schema allows are looked up (a longer list is refused as a whole by the schema).
  if (!Array.isArray(ids) || ids.length > COMPARE_MAX) return [];
  const errors: ProblemFieldError[] = [];
  for (const [i, id] of ids.entries()) {
    if (typeof id === "string" && !(await exists(id))) errors.push({ path: `${field}.${i}`, location: "body", message: `${what} '${id}' was not found in this workspace.` });
  }
  return errors;
}
