import { EstimatorInputError } from "./errors";

/**
 * Last line of defence: an estimate must not contain Infinity or NaN (JSON would turn them into
 * null where a number is promised). Input limits should make this unreachable; if extreme inputs
 * still get here, the request is refused as a whole rather than answered with broken figures.
 */
export function assertFiniteFigures<T>(estimate: T): T {
  const found = findNonFinite(estimate);
  if (found) {
    const where = found.reversedPath.reverse().reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), "");
    throw new EstimatorInputError([], `these inputs make ${where} ${found.value}; use less extreme sizes, rates or utilisations`);
  }
  return estimate;
}

// Runs on every estimate (hundreds of figures), so it allocates nothing on the happy path (the path
// to a bad figure is collected only while unwinding from it) and looks at leaves without a call.
function findNonFinite(value: unknown): { reversedPath: (string | number)[]; value: number } | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { reversedPath: [], value };
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === "number" ? Number.isFinite(v) : v === null || typeof v !== "object") continue;
      const found = findNonFinite(v);
      if (found) return (found.reversedPath.push(i), found);
    }
    return undefined;
  }
  for (const k in value) {
    const v: unknown = (value as Record<string, unknown>)[k];
    if (typeof v === "number" ? Number.isFinite(v) : v === null || typeof v !== "object") continue;
    const found = findNonFinite(v);
    if (found) return (found.reversedPath.push(k), found);
  }
  return undefined;
}
