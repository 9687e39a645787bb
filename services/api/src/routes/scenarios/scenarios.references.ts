import { inArray } from "drizzle-orm";
import { useCases } from "../../../../../db/schema/index";
import type { AppDatabase } from "../../db/client";
import { ApiError, type ProblemFieldError } from "../../lib/problem";
import type { ScenarioInput } from "./scenarios.schemas";

/**
 * Checks that everything a scenario points at exists: use-case slugs in the catalog table. Reports
 * every dangling reference at once as a 422 naming each field.
 */
export function assertScenarioReferences(db: AppDatabase, input: ScenarioInput): void {
  const errors: ProblemFieldError[] = [];
  if (input.useCases.length) {
    const found = new Set(
      db.select({ slug: useCases.slug }).from(useCases).where(inArray(useCases.slug, input.useCases)).all().map((r) => r.slug),
    );
    input.useCases.forEach((slug, i) => {
      if (!found.has(slug)) errors.push({ path: `useCases.${i}`, location: "body", message: `Unknown use case '${slug}' (see GET /v1/use-cases).` });
    });
  }
  if (errors.length) {
    throw new ApiError(422, `${errors.length} reference${errors.length === 1 ? " is" : "s are"} unknown: ${errors.map((e) => e.path).join(", ")}`, { errors });
  }
}
