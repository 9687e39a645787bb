// Small helpers for reading optional request fields with defaults that are logged as assumptions.
import type { AssumptionLog } from "./assumptions";
import { EstimatorInputError } from "./errors";
import { requirePositiveInteger, requirePositiveNumber } from "./model/validate";
import { citation } from "./texts";

export function enumField<T extends string>(value: unknown, allowed: readonly T[], path: string[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new EstimatorInputError(path, `${path.at(-1)} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

export function intField(value: unknown, path: string[], max: number): number | undefined {
  return value === undefined ? undefined : requirePositiveInteger(value, path, max);
}

export function numberField(value: unknown, path: string[], max: number, min?: number): number | undefined {
  return value === undefined ? undefined : requirePositiveNumber(value, path, max, min);
}

/** Prompt tokens per request served from a prefix cache: a whole number from 0 (the default) to the request's input tokens. */
export function cachedInputTokensField(value: unknown, inputTokens: number): number {
  const path = ["workload", "cachedInputTokens"];
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new EstimatorInputError(path, `cachedInputTokens must be a whole number ≥ 0 (got ${JSON.stringify(value)})`);
  if (value > inputTokens) throw new EstimatorInputError(path, `cachedInputTokens ${value} exceed the ${inputTokens} input tokens per request`);
  return value;
}

/** Returns the given value, or logs and returns the default. */
export function withDefault<T extends string | number>(
  given: T | undefined,
  fallback: { value: T; unit?: string; source: string; date?: string },
  name: string,
  log: AssumptionLog,
  unit = fallback.unit ?? "",
): T {
  if (given !== undefined) return given;
  log.add(name, fallback.value, unit, citation(fallback));
  return fallback.value;
}

export function requireObject(value: unknown, path: string[], what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new EstimatorInputError(path, `${what} must be an object`);
  return value as Record<string, unknown>;
}
