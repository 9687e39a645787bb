// Cost at equal quality: published quality scores of hosted models and open presets
// (data/quality-scores.json) against each use case's quality floor. Pure: the data is a static import.
import qualityData from "../data/quality-scores.json";
import type { OptionQuality, QualityBenchmark, QualityFloor, UseCase } from "./types";

export interface QualityScore {
  benchmark: QualityBenchmark;
  value: number;
  /** The leaderboard row or weights the value was read from. */
  entry: string;
  date: string;
  source: string;
  note?: string;
}

export interface ModelQualityRecord {
  scores: QualityScore[];
  note?: string;
}

export interface BenchmarkInfo {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  description: string;
  source: string;
  date: string;
}

/** The quality catalog the planner compares options with (tests may pass their own). */
export interface QualityCatalog {
  version: string;
  benchmarks: Partial<Record<QualityBenchmark, BenchmarkInfo>>;
  hosted: Record<string, ModelQualityRecord>;
  presets: Record<string, ModelQualityRecord>;
}

/** The shipped quality catalog (packages/planner/data/quality-scores.json). */
export function qualityCatalog(): QualityCatalog {
  return qualityData as QualityCatalog;
}

/** Floor of a use case, or null when it states none (or predates quality floors). */
export function floorOf(useCase: UseCase): QualityFloor | null {
  const f = useCase.qualityFloor;
  return f && f.benchmark !== null && f.minimum !== null ? f : null;
}

/**
 * Where a model stands against a floor. Hosted models are looked up by hosted id, self-hosted ones by
 * preset id; a model outside the catalog (a bare parameter count or architecture) has no score.
 */
export function assessQuality(catalog: QualityCatalog, model: { kind: "hosted" | "preset" | "other"; id: string }, floor: QualityFloor | null): OptionQuality {
  const record = model.kind === "hosted" ? catalog.hosted[model.id] : model.kind === "preset" ? catalog.presets[model.id] : undefined;
  const benchmark = floor?.benchmark ?? null;
  const score = record?.scores.find((s) => (benchmark ? s.benchmark === benchmark : true)) ?? null;
  const note = record
    ? (score?.note ?? record.note ?? (benchmark && !score ? `No published ${catalog.benchmarks[benchmark]?.name ?? benchmark} for this model.` : null))
    : "Not in the quality catalog (a model given by parameter count or architecture): no published score.";
  if (!floor || floor.minimum === null || !benchmark) {
    return { benchmark: score?.benchmark ?? null, score: score?.value ?? null, meetsFloor: null, source: score?.source ?? null, note };
  }
  if (!score) return { benchmark, score: null, meetsFloor: null, source: null, note };
  const higher = catalog.benchmarks[benchmark]?.higherIsBetter ?? true;
  const meets = higher ? score.value >= floor.minimum : score.value <= floor.minimum;
  return { benchmark, score: score.value, meetsFloor: meets, source: score.source, note };
}

/** True when the option may count as the cheapest: it meets the floor, or the use case has none. */
export function eligibleForQuality(q: OptionQuality, floor: QualityFloor | null): boolean {
  return floor === null || q.meetsFloor === true;
}
