/**
 * The benchmark's small models serving a use case on a measured machine: the benchmark is the cost.
 * A whole-machine run of exactly the configuration (the use case's family sized for its request, or the
 * scenario's own model when its architecture is a benchmark family) is the capacity (basis "measured");
 * another size is the profile's calibrated prediction with its band (basis "predicted", the machinery of
 * POST /v1/benchmarks/predict), said so. Used by plans ("our own box") and scenario estimates on a profile.
 */
import {
  BenchInputError,
  checkPredictQuery,
  modelKey,
  paramCount,
  resolveModelSpec,
  type BenchRun,
  type ModelFamily,
} from "@modelplan/bench";
import { rateBand, type MeasuredServing, type RequestProfileFields, type Scenario, type UseCase } from "@modelplan/planner";
import type { Database, HardwareProfileRow } from "@modelplan/db";
import { calibrationRuns, calibrationVersion, okRunsWithFigures } from "./benchmarks.repository";
import { calibrationInput, prediction } from "./fitting";
import type { BenchmarkLimits } from "./limits";

export interface MeasuredServingContext {
  db: Database;
  workspaceId: string;
  limits: BenchmarkLimits;
  signal?: AbortSignal;
}

/** The benchmark family that stands for a use case's model family (the seed essays' small models). */
export const FAMILY_OF: Record<string, ModelFamily> = {
  "embedding-classifier": "text-classifier",
  lstm: "lstm-lm",
  cnn: "cnn",
  mlp: "mlp",
  "two-tower": "mlp",
};

/** Modalities a scenario's own model of a benchmark family serves. */
export const OWN_MODALITIES: Record<ModelFamily, string[]> = {
  "text-classifier": ["text"],
  "lstm-lm": ["text"],
  mlp: ["tabular", "recommendation"],
  cnn: [],
  gan: [],
  gpt: [],
};

const FAMILY_LABEL: Partial<Record<ModelFamily, string>> = {
  "text-classifier": "text classifier (embedding + average pooling)",
  "lstm-lm": "LSTM",
  cnn: "CNN classifier",
  mlp: "MLP scorer",
};

export type OkRun = BenchRun & { id: string; stepTime: NonNullable<BenchRun["stepTime"]>; samplesPerS: number };

/**
 * The use case's model as a configuration of the family: the measured configuration resized to the
 * request (text and LSTM: the prompt's tokens; images: the request's pixels, RGB; tabular: its features).
 * Returns the configuration and what was changed, or why it cannot be sized.
 */
function sizeForRequest(family: ModelFamily, base: Record<string, unknown>, profile: RequestProfileFields): { config: Record<string, unknown>; changed: string[] } {
  const config = { ...base };
  const changed: string[] = [];
  const set = (k: string, v: number, why: string) => {
    if (config[k] !== v) changed.push(`${k} ${String(config[k])} → ${v} (${why})`);
    config[k] = v;
  };
  if ((family === "text-classifier" || family === "lstm-lm") && profile.inputTokens) set("seqLen", Math.max(2, Math.round(profile.inputTokens)), "the request's input tokens");
  if (family === "cnn" && profile.imageWidth && profile.imageHeight) {
    set("imageSize", Math.round(Math.sqrt(profile.imageWidth * profile.imageHeight)), `the request's ${profile.imageWidth}×${profile.imageHeight} pixels, as a square of equal area`);
    set("channels", 3, "colour images");
  }
  if (family === "mlp" && profile.featuresPerRequest) set("inputDim", Math.round(profile.featuresPerRequest), "the request's features");
  return { config, changed };
}

/** Samples one request carries for the benchmark model (candidates scored, images). */
function samplesPerRequest(useCase: UseCase, profile: RequestProfileFields): number {
  switch (useCase.requestProfile.modality) {
    case "recommendation":
      return Math.max(1, Math.round(profile.candidatesScored ?? 1));
    case "image":
      return Math.max(1, Math.round(profile.imagesPerRequest ?? 1));
    default:
      return 1;
  }
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3));

/** A request's latency at batch b: it waits for the batch in progress, then its samples are computed (2 × step × batches it needs). */
const requestLatencyMs = (stepMs: number, batch: number, samples: number) => 2 * stepMs * Math.ceil(samples / batch);

/** Powers of two up to `max`, and `max`, largest first. */
function batchesUpTo(max: number): number[] {
  const out = new Set<number>([max]);
  for (let b = 1; b < max; b *= 2) out.add(b);
  return [...out].sort((a, b) => b - a);
}

/** One family's serving of one use case on one profile (the measured configuration sized for the request), or a note saying why there is none. */
export async function familyServing(
  ctx: MeasuredServingContext,
  row: HardwareProfileRow,
  runs: OkRun[],
  useCase: UseCase,
  profile: RequestProfileFields,
  family: ModelFamily,
): Promise<{ serving: MeasuredServing | null; note: string | null }> {
  const familyRuns = runs.filter((r) => r.family === family && r.phase === "inference");
  if (familyRuns.length === 0) return { serving: null, note: `${row.id} has no ${family} inference runs: measure one (POST /v1/benchmarks) to cost a ${FAMILY_LABEL[family]} for '${useCase.slug}' on it` };
  const base = familyRuns.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
  const sized = sizeForRequest(family, base.config, profile);
  const sizedNote = sized.changed.length ? [`sized for the request: ${sized.changed.join("; ")} (measured: ${base.modelKey})`] : [];
  return servingOf(ctx, row, runs, useCase, profile, family, sized.config, sizedNote, false);
}

/** The scenario's own model as a benchmark configuration, when the benchmark has its family (text classifier, MLP, LSTM over tokens). */
export function ownModelConfig(scenario: Scenario): { family: ModelFamily; config: Record<string, unknown>; note: string | null } | null {
  const m = scenario.model;
  if (m.strategy === "hosted-api" || !m.architecture) return null;
  const a = m.architecture as Record<string, unknown>;
  const n = (k: string) => (typeof a[k] === "number" ? (a[k] as number) : undefined);
  const list = (k: string) => (Array.isArray(a[k]) ? (a[k] as number[]) : []);
  switch (a.family) {
    case "embedding-classifier":
      return { family: "text-classifier", config: { vocabSize: n("vocab"), seqLen: n("sequenceLength"), embedDim: n("embeddingDim"), hiddenUnits: list("hiddenLayers"), classes: n("classes") }, note: null };
    case "mlp":
      return { family: "mlp", config: { inputDim: n("inputs"), hiddenUnits: list("hiddenLayers"), classes: n("outputs") }, note: null };
    case "lstm":
      if (n("vocab") === undefined) return null;
      return {
        family: "lstm-lm",
        config: { vocabSize: n("vocab"), seqLen: n("sequenceLength"), embedDim: n("embeddingDim") ?? n("hidden"), units: n("hidden"), layers: n("layers") },
        note: n("outputs") !== n("vocab") ? `the benchmark's LSTM ends in Dense(vocab ${n("vocab")}), the scenario's model in Dense(${n("outputs")}): its output layer is costed at the vocabulary's size` : null,
      };
    default:
      return null;
  }
}

/**
 * Serving a benchmark configuration for a use case on a profile: whole-machine runs of exactly it are
 * the cost (the fastest batch meeting the target); otherwise the profile's calibrated prediction at the
 * largest batch meeting the target, said so.
 */
export async function servingOf(
  ctx: MeasuredServingContext,
  row: HardwareProfileRow,
  runs: OkRun[],
  useCase: UseCase,
  profile: RequestProfileFields,
  family: ModelFamily,
  config: Record<string, unknown>,
  extraNotes: string[],
  ownModel: boolean,
): Promise<{ serving: MeasuredServing | null; note: string | null }> {
  let key: string;
  let parameters: number;
  try {
    const spec = resolveModelSpec(family, config);
    key = modelKey(spec);
    parameters = paramCount(spec);
  } catch (e) {
    if (e instanceof BenchInputError) return { serving: null, note: `the ${family} model for '${useCase.slug}' is outside the benchmark's limits (${e.path.join(".")}: ${e.reason})` };
    throw e;
  }
  const samples = samplesPerRequest(useCase, profile);
  const target = useCase.latencyTarget.p95Ms;
  const label = `${FAMILY_LABEL[family]} ${key.slice(key.indexOf("("))}`;
  const common = {
    useCase: useCase.slug,
    modelId: `bench:${key}`,
    modelLabel: label,
    parameters,
    inputTokens: useCase.requestProfile.modality === "text" ? (profile.inputTokens ?? null) : null,
    ...(ownModel ? { ownModel: true } : {}),
  };
  const perRequest = (r: { low: number; expected: number; high: number }) => ({ low: r.low / samples, expected: r.expected / samples, high: r.high / samples });
  const sampleNote = samples > 1 ? [`${samples} samples per request`] : [];

  // The benchmark is the cost: whole-machine runs of exactly this configuration, the fastest batch meeting the target.
  const exact = runs
    .filter((r) => r.modelKey === key && r.phase === "inference" && r.scope === "whole-machine")
    .map((r) => ({ run: r, latency: requestLatencyMs(r.stepTime.medianMs, r.batchSize, samples), rate: rateBand(r.samplesPerS, r.stepTime) }))
    .filter((c) => c.latency <= target)
    .sort((a, b) => b.rate.expected - a.rate.expected)[0];
  if (exact) {
    const r = exact.run;
    return {
      note: null,
      serving: {
        ...common,
        basis: "measured",
        requestsPerSecPerBox: perRequest(exact.rate),
        requestLatencyMs: exact.latency,
        batchSize: r.batchSize,
        runIds: [r.id],
        detail: `measured: ${fmt(r.samplesPerS)} samples/s on the whole machine (${r.workers} worker${r.workers === 1 ? "" : "s"}) at batch ${r.batchSize}, median step ${fmt(r.stepTime.medianMs)} ms (p10 ${fmt(r.stepTime.p10Ms)}, p90 ${fmt(r.stepTime.p90Ms)}), run ${r.id}; the benchmark is the cost, no extrapolation`,
        notes: [...extraNotes, ...sampleNote],
      },
    };
  }

  // Another size (or no whole-machine run meeting the target): the profile's calibrated prediction.
  const db = ctx.db;
  const version = await calibrationVersion(db, row.id);
  const calRuns = () => calibrationInput(version, async () => (await calibrationRuns(db, row)).runs);
  const scope = runs.some((r) => r.scope === "whole-machine" && r.phase === "inference") ? "whole-machine" : "per-core";
  const familyRuns = runs.filter((r) => r.family === family && r.phase === "inference");
  const maxBatch = Math.max(1, ...familyRuns.map((r) => r.batchSize));
  for (const batchSize of batchesUpTo(maxBatch)) {
    const query = { family, config, phase: "inference" as const, batchSize, scope: scope as "whole-machine" | "per-core" };
    try {
      checkPredictQuery(query, await calRuns());
    } catch (e) {
      if (e instanceof BenchInputError) return { serving: null, note: `no prediction of the ${family} model for '${useCase.slug}' on ${row.id}: ${e.reason}` };
      throw e;
    }
    const p = await prediction({ version, workspaceId: ctx.workspaceId, runs: calRuns, limits: ctx.limits, signal: ctx.signal, query });
    // The calibrated step is the undisturbed one (10th percentile); capacity and latency at the typical step, as measured runs report them.
    const stepMs = p.typicalStepTimeMs ?? p.stepTimeMs.expected;
    const latency = requestLatencyMs(stepMs, batchSize, samples);
    if (latency > target) continue;
    const typical = p.stepTimeMs.expected / stepMs;
    const rate = { low: p.samplesPerS.low * typical, expected: p.samplesPerS.expected * typical, high: p.samplesPerS.high * typical };
    const notes = [
      ...extraNotes,
      ...p.warnings,
      ...(scope === "per-core" && row.kind === "cpu" ? ["predicted for one core: the profile has no whole-machine inference runs to scale to the box's other cores, so the box's capacity is understated"] : []),
      ...sampleNote,
    ];
    return {
      note: null,
      serving: {
        ...common,
        basis: "predicted",
        requestsPerSecPerBox: perRequest(rate),
        requestLatencyMs: latency,
        batchSize,
        runIds: p.basis.runIds,
        detail: `predicted by the profile's calibration (${p.basis.runIds.length} runs; 80% band from ${p.basis.bandFrom}): ${fmt(rate.expected)} samples/s (${fmt(rate.low)}–${fmt(rate.high)}) ${scope === "whole-machine" ? "on the whole machine" : "on one core"} at batch ${batchSize}, typical step ${fmt(stepMs)} ms; a prediction, not a measurement${p.extrapolation.length ? ", extrapolating beyond the measured sizes" : ""}`,
        notes,
      },
    };
  }
  return { serving: null, note: `the ${FAMILY_LABEL[family]} for '${useCase.slug}' cannot meet its ${target} ms target on ${row.id} even at batch 1 (predicted)` };
}

/** A profile's stored runs with the figures a serving needs (ok, with a step time and a rate). */
export async function servingRuns(db: Database, profileId: string): Promise<OkRun[]> {
  return (await okRunsWithFigures(db, profileId)).filter((r): r is OkRun => r.stepTime !== undefined && (r.samplesPerS ?? 0) > 0);
}

/**
 * The scenario's own model served for a use case on a profile, when its architecture is a benchmark
 * family the use case's modality serves (null otherwise, with nothing to say).
 */
export async function ownModelServing(
  ctx: MeasuredServingContext,
  row: HardwareProfileRow,
  scenario: Scenario,
  useCase: UseCase,
): Promise<{ serving: MeasuredServing | null; note: string | null } | null> {
  const own = ownModelConfig(scenario);
  if (!own || !OWN_MODALITIES[own.family].includes(useCase.requestProfile.modality)) return null;
  const profile: RequestProfileFields = { ...useCase.requestProfile, ...(scenario.usage.requestProfile ?? {}) };
  return servingOf(ctx, row, await servingRuns(ctx.db, row.id), useCase, profile, own.family, own.config, own.note ? [own.note] : [], true);
}
