import type { Context, ValidationTargets } from "hono";
import type { ZodError } from "zod";
import { ApiError, fieldErrorsFromZod, invalidFieldsDetail, type ProblemFieldError } from "./problem";
import type { AppBindings } from "./types";

type Location = ProblemFieldError["location"];
const TARGET_LOCATION: Record<string, Location> = { json: "body", form: "body", query: "query", param: "path", header: "header", cookie: "header" };

/** What a route's validator hands its hook: the schema's result for one part of the request. */
export type ValidationResult = { target: keyof ValidationTargets } & ({ success: true; data: unknown } | { success: false; error: ZodError });

/**
 * The problems of a request body that its schema cannot see: names of catalog entries (preset,
 * accelerator, hosted model, provider, use case) and of stored resources (hardware profile,
 * scenario, plan) that do not exist. It gets the body as sent when the schema refused it, so it must
 * read it defensively (a name it checks is a string where the schema wants one), and the parsed body
 * otherwise. Catalog names are Map/Set lookups: this runs on every request of its routes.
 */
export type ReferenceCheck = (body: unknown, c: Context<AppBindings>) => ProblemFieldError[] | Promise<ProblemFieldError[]>;

/**
 * A validation hook (the router's default, or a route's third `openapi()` argument): a 422
 * problem+json naming every bad field, never a raw ZodError. With `references`, the JSON body's
 * missing references are named in the same errors[] as the schema's findings, whether or not the
 * schema accepted the body — one round trip names every problem (a reference on a field the schema
 * already refused is not named twice).
 */
export function validationHook(references?: ReferenceCheck) {
  // Async (reference checks read the database): @hono/zod-validator awaits a hook and goes on when the
  // awaited value is undefined, but zod-openapi types a hook's promise as one of a response; this hook
  // never answers, it throws or goes on, hence Promise<never>.
  return async (result: ValidationResult, c: Context<AppBindings>): Promise<never> => {
    const location = TARGET_LOCATION[result.target] ?? "body";
    const errors = result.success ? [] : fieldErrorsFromZod(result.error, location);
    if (references && result.target === "json") {
      // On failure zod-openapi passes the body as sent in `data`; on success the parsed body.
      const body = "data" in result ? result.data : undefined;
      const refused = new Set(errors.map((e) => e.path));
      for (const e of await references(body, c)) if (!refused.has(e.path)) errors.push(e);
    }
    // Thrown, not returned: the app's onError renders it (a hook's return must be a declared response type).
    if (errors.length) throw new ApiError(422, invalidFieldsDetail(errors), { errors });
    return undefined as never;
  };
}
