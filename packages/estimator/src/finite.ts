import { EstimatorInputError } from "./errors";

/**
 * Last line of defence: an estimate must not contain Infinity or NaN (JSON would turn them into
 * null where a number is promised). Input limits should make this unreachable; if extreme inputs
 * still get here, the request is refused as a whole rather than answered with broken figures.
 */
export function assertFiniteFigures<T>(estimate: T): T {
  const walk = (value: unknown, where: string): void => {
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new EstimatorInputError([], `these inputs make ${where} ${value}; use less extreme sizes, rates or utilisations`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, where ? `${where}.${k}` : k);
  };
  walk(estimate, "");
  return estimate;
}
