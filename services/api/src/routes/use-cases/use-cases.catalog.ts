import fs from "node:fs";
import { USE_CASE_CATALOG_FILE, type UseCaseCatalog } from "@modelplan/db";
import { UseCaseCatalogFileSchema, type UseCase } from "./use-cases.schemas";

/**
 * Reads the versioned catalog file (`@modelplan/db`'s seed) and validates it against the API's use-case
 * schema; a broken file stops start-up with the field named. Loading it into the database is the data
 * layer's (`loadUseCaseCatalog` of @modelplan/db).
 */
export function readUseCaseCatalog(file = USE_CASE_CATALOG_FILE): UseCaseCatalog<UseCase> {
  const parsed = UseCaseCatalogFileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid use-case catalog ${file}: ${issue.path.join(".")}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const item of parsed.data.items) {
    if (seen.has(item.slug)) throw new Error(`Invalid use-case catalog ${file}: duplicate slug '${item.slug}'`);
    seen.add(item.slug);
  }
  return parsed.data;
}
