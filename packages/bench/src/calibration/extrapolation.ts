/**
 * Where a prediction leaves the measured ground: the configuration's batch size, size fields and work
 * per step compared with the ranges the profile's runs cover. A value outside a range means the model
 * extrapolates there — its leave-one-out accuracy says nothing about it. Pure.
 */
import { resolveModelSpec, type ModelSpec } from "../families";
import type { Phase } from "../flops";
import type { RunScope } from "../results";
import type { CalibrationRun, WorkFeatures } from "./features";
import { workFeatures } from "./features";

export interface Extrapolation {
  /** What lies outside: "batchSize", "config.<field>" (array fields: their length and each size), "flopsPerStep", "family", "phase". */
  dimension: string;
  /** The queried value (null for a family or phase without runs). */
  value: number | null;
  /** The range the profile's runs cover (null when none does). */
  measured: { min: number; max: number } | null;
  message: string;
}

const range = (xs: number[]) => (xs.length > 0 ? { min: Math.min(...xs), max: Math.max(...xs) } : null);
const fmt = (x: number) => (Math.abs(x) >= 1e5 ? x.toExponential(2) : String(x));

/** Numeric size fields of a configuration; an array field gives its length and its largest and smallest entries. */
function sizeFields(config: ModelSpec["config"]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === "number") out[k] = [v];
    else if (Array.isArray(v) && v.every((x) => typeof x === "number")) {
      out[`${k}.length`] = [v.length];
      out[k] = v as number[];
    }
  }
  return out;
}

/**
 * The dimensions in which the query lies outside the runs of the same family, phase and scope (batch
 * size, work per step) and of the same family and scope (size fields), with the measured range.
 */
export function extrapolations(spec: ModelSpec, phase: Phase, batchSize: number, scope: RunScope, features: WorkFeatures, runs: readonly CalibrationRun[]): Extrapolation[] {
  const scoped = runs.filter((r) => r.scope === scope);
  const family = scoped.filter((r) => r.family === spec.family);
  const out: Extrapolation[] = [];
  if (family.length === 0) {
    out.push({
      dimension: "family",
      value: null,
      measured: null,
      message: `extrapolating: the profile has no ${scope} runs of ${spec.family}; its contraction rate is borrowed from the other families`,
    });
    return out;
  }
  const same = family.filter((r) => r.phase === phase);
  if (same.length === 0) {
    out.push({
      dimension: "phase",
      value: null,
      measured: null,
      message: `extrapolating: the profile has no ${scope} ${phase} runs of ${spec.family}; its ${phase} rate is borrowed from its other phase`,
    });
  }
  const basis = same.length > 0 ? same : family;
  const what = `${spec.family} ${same.length > 0 ? `${phase} ` : ""}runs`;
  const check = (dimension: string, values: number[], measured: { min: number; max: number } | null, of: string) => {
    if (!measured) return;
    const outside = values.filter((v) => v < measured.min || v > measured.max);
    if (outside.length === 0) return;
    const v = outside.reduce((a, b) => (Math.abs(b - (measured.min + measured.max) / 2) > Math.abs(a - (measured.min + measured.max) / 2) ? b : a));
    out.push({
      dimension,
      value: v,
      measured,
      message: `extrapolating: ${dimension} ${fmt(v)} is outside the measured range ${fmt(measured.min)}–${fmt(measured.max)} of the profile's ${scope} ${of}`,
    });
  };
  check("batchSize", [batchSize], range(basis.map((r) => r.batchSize)), what);
  const measuredFields = new Map<string, number[]>();
  for (const r of family) {
    for (const [k, vs] of Object.entries(sizeFields(resolveModelSpec(r.family, r.config).config))) measuredFields.set(k, [...(measuredFields.get(k) ?? []), ...vs]);
  }
  for (const [k, vs] of Object.entries(sizeFields(spec.config))) check(`config.${k}`, vs, range(measuredFields.get(k) ?? []), `${spec.family} runs`);
  const flops = basis.map((r) => workFeatures(resolveModelSpec(r.family, r.config), r.phase, r.batchSize).flopsPerStep);
  check("flopsPerStep", [features.flopsPerStep], range(flops), what);
  return out;
}
