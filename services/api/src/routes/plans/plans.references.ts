import type { ProblemFieldError } from "../../lib/problem";
import type { ReferenceCheck } from "../../lib/validation-hook";
import { fieldAt } from "../estimates/catalog-references";
import { findScenario } from "../scenarios/scenarios.repository";
import { planExists } from "./plans.repository";
import { COMPARE_MAX } from "./plans.schemas";

/** What a comparison names: stored plans or scenarios of the caller's workspace, each of which must exist. */
export const compareReferences: ReferenceCheck = async (body, c) => {
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  return [
    ...(await missing(fieldAt(body, "planIds"), "planIds", "Plan", (id) => planExists(db, workspaceId, id))),
    ...(await missing(fieldAt(body, "scenarioIds"), "scenarioIds", "Scenario", async (id) => (await findScenario(db, workspaceId, id)) !== undefined)),
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
