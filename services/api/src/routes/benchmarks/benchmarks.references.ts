import { BenchInputError, suiteInputErrors } from "@modelplan/bench";
import type { ProblemFieldError } from "../../lib/problem";
import type { ReferenceCheck } from "../../lib/validation-hook";
import { fieldAt } from "../estimates/catalog-references";
import { benchmarkService } from "./benchmarks.service";
import { profileReferenceError } from "./measured-hardware";

/** The engine's typed input error as a field error of the body: its path, its reason and the limit crossed. */
export function benchFieldError(error: BenchInputError, rename: (path: (string | number)[]) => (string | number)[] = (p) => p): ProblemFieldError {
  const path = rename(error.path).map(String).join(".") || "(root)";
  const limit = error.limit ? ` (limit: ${[error.limit.min !== undefined ? `min ${error.limit.min}` : "", error.limit.max !== undefined ? `max ${error.limit.max}` : ""].filter(Boolean).join(", ")}${error.limit.unit ? ` ${error.limit.unit}` : ""})` : "";
  return { path, location: "body", message: `${error.reason}${limit}` };
}

/** What a prediction names: a measured hardware profile of the caller's workspace (`local` or a profile id). */
export const predictReferences: ReferenceCheck = async (body, c) => {
  const ref = fieldAt(body, "hardwareProfileId");
  if (typeof ref !== "string") return [];
  const missing = await profileReferenceError(c.get("db"), c.get("workspaceId"), "hardwareProfileId", ref);
  return missing ? [missing] : [];
};

/**
 * What a benchmark job's schema cannot see, named with its findings in one 422 (on the body as sent when
 * the schema refused it): the engine's checks of the suite — a configuration's structure, each item's
 * memory and time caps, the planned time — and `workers` past the cores this machine's backend can use.
 */
export const benchmarkRequestChecks: ReferenceCheck = (body, c) => {
  const errors = suiteInputErrors(body).map((e) => benchFieldError(e));
  if (!errors.some((e) => e.path === "workers")) {
    const workers = benchmarkService(c.get("db"), c.get("logger"), c.get("now")).workersError(fieldAt(body, "workers"));
    if (workers) errors.push(benchFieldError(workers));
  }
  return errors;
};
