import { getAccelerator, getHostedModel, getPreset, listCloudPrices } from "@modelplan/estimator";
import type { ProblemFieldError } from "../../lib/problem";

// Names of the estimator's catalog entries in request bodies, checked where the schema cannot (the
// reference checks of lib/validation-hook.ts): each is a Map/Set lookup, and each reads its field
// defensively, since it also runs on bodies the schema refused. A name that is not a string is the
// schema's to refuse.

/** The body's field at `path` (dot-separated), or undefined where the body has no such object path. */
export function fieldAt(body: unknown, path: string): unknown {
  let value = body;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const error = (path: string, message: string): ProblemFieldError => ({ path, location: "body", message });

/** A model preset id (GET /v1/model-presets) that the catalog lacks. */
export function presetError(path: string, preset: unknown): ProblemFieldError | undefined {
  if (typeof preset !== "string" || getPreset(preset) !== undefined) return undefined;
  return error(path, `Unknown model preset '${preset}': GET /v1/model-presets lists them.`);
}

/** An accelerator id (GET /v1/hardware) that the catalog lacks. */
export function acceleratorError(path: string, accelerator: unknown): ProblemFieldError | undefined {
  if (typeof accelerator !== "string" || getAccelerator(accelerator) !== undefined) return undefined;
  return error(path, `Unknown accelerator '${accelerator}': GET /v1/hardware lists them.`);
}

/** A hosted model id (GET /v1/hosted-models) that the catalog lacks. */
export function hostedModelError(path: string, hostedModel: unknown): ProblemFieldError | undefined {
  if (typeof hostedModel !== "string" || getHostedModel(hostedModel) !== undefined) return undefined;
  return error(path, `Unknown hosted model '${hostedModel}': GET /v1/hosted-models lists them.`);
}

let providers: ReadonlySet<string> | undefined;
const knownProviders = () => (providers ??= new Set(listCloudPrices().map((p) => p.provider)));

/**
 * A cloud provider the price catalog does not list at all; with `priceOf` (a catalog accelerator
 * the price is taken from, no explicit price given), also one that lists no price for it — the
 * estimator takes that provider's cheapest listing of the accelerator.
 */
export function providerError(path: string, provider: unknown, priceOf?: unknown, remedy = "omit provider for the median listing, or give pricePerGpuHourUsd"): ProblemFieldError | undefined {
  if (typeof provider !== "string") return undefined;
  if (!knownProviders().has(provider)) {
    return error(path, `Unknown provider '${provider}': the price catalog lists ${[...knownProviders()].join(", ")} (GET /v1/hardware/{id} lists an accelerator's prices).`);
  }
  if (typeof priceOf !== "string" || getAccelerator(priceOf) === undefined) return undefined;
  const listings = listCloudPrices({ accelerator: priceOf });
  if (listings.some((l) => l.provider === provider)) return undefined;
  const withPrice = [...new Set(listings.map((l) => l.provider))].join(", ") || "none";
  return error(path, `The price catalog has no ${priceOf} price from '${provider}' (providers with one: ${withPrice}); ${remedy}.`);
}

/** The errors found, without the checks that found nothing. */
export function found(...errors: (ProblemFieldError | undefined)[]): ProblemFieldError[] {
  return errors.filter((e): e is ProblemFieldError => e !== undefined);
}
