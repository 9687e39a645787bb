/**
 * Suites: the named `quick` and `standard` suites, or an explicit list of model configurations and
 * phases, validated against limits and expanded into the runs to measure. Pure.
 */
import { BenchInputError } from "./errors";
import { MODEL_FAMILIES, modelKey, resolveModelSpec, type FamilyConfigMap, type ModelFamily, type ModelSpec } from "./families";
import { estimatedPeakBytes, flopsPerStep, type Phase } from "./flops";
import { DEFAULT_MEASURE, type MeasureOptions } from "./measure";

export type SuiteName = "quick" | "standard";
export const SUITE_NAMES: readonly SuiteName[] = ["quick", "standard"];

/**
 * One model configuration to measure. Inference runs at batch 1 (latency, unless `latency: false`)
 * and at `batchSize` (throughput); training runs one optimiser step per timed step at `batchSize`.
 */
export interface BenchItemInput {
  family: ModelFamily | string;
  config?: Partial<FamilyConfigMap[ModelFamily]> | Record<string, unknown>;
  phases?: Phase[];
  batchSize?: number;
  latency?: boolean;
  /** Also run this item's throughput and training runs on the whole machine (default: the suite's). */
  wholeMachine?: boolean;
}

export interface SuiteInput {
  /** One of SUITE_NAMES; resolveSuite refuses any other name (as it refuses an unknown item family). */
  suite?: SuiteName | (string & {});
  items?: BenchItemInput[];
  /** Timed budget per run in ms, shared by its rounds (the stability rule usually stops earlier). */
  budgetMs?: number;
  /**
   * Passes over the whole plan; each measures every configuration for budgetMs / rounds, and the
   * figures pool the samples of all rounds (default DEFAULT_ROUNDS, 3, for both named suites and for items).
   */
  rounds?: number;
  /** Also run every throughput and training run on all workers at once (whole machine). */
  wholeMachine?: boolean;
  /** Worker processes for whole-machine runs (default: one per core for single-threaded backends). */
  workers?: number;
  /** Square sizes of the matmul ceiling probe. */
  probeSizes?: number[];
  /** Measure the machine's sgemm limit with numpy/OpenBLAS when python3 is present. */
  sgemm?: boolean;
}

export type RunMode = "latency" | "throughput" | "training";

export interface PlannedRun {
  itemIndex: number;
  spec: ModelSpec;
  key: string;
  phase: Phase;
  mode: RunMode;
  batchSize: number;
  /** Whether this run is repeated on all workers at once. */
  wholeMachine: boolean;
}

export interface SuitePlan {
  name: SuiteName | "custom";
  runs: PlannedRun[];
  measure: MeasureOptions;
  rounds: number;
  wholeMachine: boolean;
  workers?: number;
  probeSizes: number[];
  sgemm: boolean;
}

export const SUITE_LIMITS = {
  items: { min: 1, max: 48 },
  batchSize: { min: 1, max: 4096 },
  budgetMs: { min: 100, max: 60_000 },
  rounds: { min: 1, max: 5 },
  workers: { min: 1, max: 256 },
  probeSizes: { minLength: 1, maxLength: 6, min: 16, max: 4096 },
  /** Estimated peak bytes of one step (weights, gradients, Adam state, activations): 2 GiB. */
  peakBytes: 2 * 1024 ** 3,
  /** Contraction FLOPs of one step: 5e11, about 25 s at the ~20 GFLOP/s of one wasm core. */
  flopsPerStep: 5e11,
  /** Planned measuring time of a suite (timed budget plus warm-up cap per run): 30 minutes. */
  plannedMs: 30 * 60_000,
} as const;

interface ItemDefaults {
  family: ModelFamily;
  config: Partial<FamilyConfigMap[ModelFamily]>;
  batchSize: number;
  phases?: Phase[];
  latency?: boolean;
  wholeMachine?: boolean;
}

/** Default batch size of throughput and training runs per family. */
export const DEFAULT_BATCH: Record<ModelFamily, number> = {
  mlp: 64,
  "text-classifier": 64,
  "lstm-lm": 32,
  cnn: 32,
  gan: 32,
  gpt: 16,
};

const QUICK_ITEMS: ItemDefaults[] = [
  { family: "mlp", config: { inputDim: 256, hiddenUnits: [512, 512], classes: 10 }, batchSize: 64 },
  { family: "text-classifier", config: { vocabSize: 5000, seqLen: 64, embedDim: 64, hiddenUnits: [64], classes: 4 }, batchSize: 64 },
  { family: "lstm-lm", config: { vocabSize: 1000, seqLen: 16, embedDim: 32, units: 64, layers: 1 }, batchSize: 32 },
  { family: "cnn", config: { imageSize: 28, channels: 1, filters: [16, 32], kernelSize: 3, denseUnits: 64, classes: 10 }, batchSize: 32 },
  { family: "gan", config: { latentDim: 32, imageSize: 16, channels: 1, generatorFilters: 32, discriminatorFilters: 16, kernelSize: 4 }, batchSize: 32 },
  { family: "gpt", config: { vocabSize: 512, seqLen: 32, dModel: 64, heads: 4, layers: 1, ffnMult: 4 }, batchSize: 16 },
];

/**
 * The quick suite also trains each family at half the batch, per core only: a second training point per
 * family, so the calibration can predict one training run from another (a few seconds in all).
 */
const QUICK_SUITE_ITEMS: ItemDefaults[] = QUICK_ITEMS.flatMap((i) => [
  i,
  { ...i, batchSize: i.batchSize / 2, phases: ["training"] as Phase[], latency: false, wholeMachine: false },
]);

/** Standard: three sizes per family (the quick size, the default size, a larger one). */
const STANDARD_ITEMS: ItemDefaults[] = [
  ...QUICK_ITEMS,
  { family: "mlp", config: { inputDim: 784, hiddenUnits: [1024, 1024], classes: 10 }, batchSize: 128 },
  { family: "mlp", config: { inputDim: 1024, hiddenUnits: [2048, 2048, 2048], classes: 100 }, batchSize: 256 },
  { family: "text-classifier", config: { vocabSize: 20000, seqLen: 128, embedDim: 128, hiddenUnits: [128], classes: 4 }, batchSize: 128 },
  { family: "text-classifier", config: { vocabSize: 50000, seqLen: 256, embedDim: 256, hiddenUnits: [256, 256], classes: 20 }, batchSize: 128 },
  { family: "lstm-lm", config: { vocabSize: 1000, seqLen: 32, embedDim: 64, units: 128, layers: 1 }, batchSize: 32 },
  { family: "lstm-lm", config: { vocabSize: 4000, seqLen: 32, embedDim: 128, units: 256, layers: 2 }, batchSize: 64 },
  { family: "cnn", config: { imageSize: 32, channels: 3, filters: [32, 64], kernelSize: 3, denseUnits: 128, classes: 10 }, batchSize: 32 },
  { family: "cnn", config: { imageSize: 64, channels: 3, filters: [32, 64, 128], kernelSize: 3, denseUnits: 256, classes: 100 }, batchSize: 32 },
  { family: "gan", config: { latentDim: 64, imageSize: 28, channels: 1, generatorFilters: 64, discriminatorFilters: 32, kernelSize: 4 }, batchSize: 32 },
  { family: "gan", config: { latentDim: 100, imageSize: 32, channels: 3, generatorFilters: 128, discriminatorFilters: 64, kernelSize: 4 }, batchSize: 32 },
  { family: "gpt", config: { vocabSize: 1000, seqLen: 64, dModel: 128, heads: 4, layers: 2, ffnMult: 4 }, batchSize: 16 },
  { family: "gpt", config: { vocabSize: 2000, seqLen: 128, dModel: 256, heads: 8, layers: 2, ffnMult: 4 }, batchSize: 8 },
];

/**
 * Rounds per suite: three passes measured at different moments, so that every configuration has
 * samples from the machine's undisturbed stretches, whose 10th percentile the calibration fits
 * (calibration-input.ts). Measured on this 2-core machine: quick suites of 2 rounds × 700 ms gave a
 * leave-one-out median error of 6.1–21.1% on that basis, of 3 rounds × 1,800–2,100 ms 4.8–7.7%
 * (README, calibration accuracy).
 */
export const DEFAULT_ROUNDS = 3;

const SUITE_DEFAULTS: Record<SuiteName, { items: ItemDefaults[]; measure: Partial<MeasureOptions>; probeSizes: number[] }> = {
  // Sized to finish within 90 s on a 2-core machine, backend start included (about 70 s measured).
  quick: {
    items: QUICK_SUITE_ITEMS,
    measure: { budgetMs: 1800, warmupMinMs: 100, warmupMaxMs: 1200, minSamples: 8 },
    probeSizes: [128, 256, 512, 1024],
  },
  standard: {
    items: STANDARD_ITEMS,
    measure: { budgetMs: 2500, warmupMinMs: 300, warmupMaxMs: 3000, minSamples: 10 },
    probeSizes: [128, 256, 512, 1024, 2048],
  },
};

function checkIntIn(value: unknown, path: (string | number)[], lim: { min: number; max: number }): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new BenchInputError(path, "must be an integer", lim);
  if (value < lim.min || value > lim.max) throw new BenchInputError(path, `${value} is outside the limit [${lim.min}, ${lim.max}]`, lim);
  return value;
}

const fmtBytes = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;

/** Validate a suite request and expand it into runs. Throws BenchInputError naming the (first) bad field. */
export function resolveSuite(input: SuiteInput): SuitePlan {
  const errors: BenchInputError[] = [];
  const plan = planSuite(input, errors);
  if (errors.length > 0 || !plan) throw errors[0] ?? new BenchInputError([], "invalid suite");
  return plan;
}

/**
 * Every bad field of a suite request, each a BenchInputError naming its field and limit (empty when
 * resolveSuite accepts it): each option, and each item — its family and configuration, batch size,
 * phases, and the memory and time caps of each of its phases. The planned-time cap of the whole suite
 * is checked once everything else is valid. Reads `input` defensively: it may be a body as sent.
 */
export function suiteInputErrors(input: unknown): BenchInputError[] {
  const errors: BenchInputError[] = [];
  planSuite(input as SuiteInput, errors);
  return errors;
}

/** The plan, or undefined; every problem found is pushed onto `errors` (checking goes on past each). */
function planSuite(input: SuiteInput, errors: BenchInputError[]): SuitePlan | undefined {
  const check = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof BenchInputError)) throw e;
      errors.push(e);
      return undefined;
    }
  };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    errors.push(new BenchInputError([], "must be an object"));
    return undefined;
  }
  const hasSuite = input.suite !== undefined;
  const hasItems = input.items !== undefined;
  if (hasSuite === hasItems) errors.push(new BenchInputError(hasSuite ? ["items"] : ["suite"], "give exactly one of suite or items"));
  const knownSuite = hasSuite && SUITE_NAMES.includes(input.suite as SuiteName);
  if (hasSuite && !knownSuite) errors.push(new BenchInputError(["suite"], `unknown suite ${JSON.stringify(input.suite)}; known: ${SUITE_NAMES.join(", ")}`));
  const defaults = SUITE_DEFAULTS[knownSuite ? (input.suite as SuiteName) : "quick"];
  let items: BenchItemInput[] | undefined;
  if (hasItems) {
    if (!Array.isArray(input.items)) errors.push(new BenchInputError(["items"], "must be a list"));
    else {
      items = input.items;
      if (items.length < SUITE_LIMITS.items.min || items.length > SUITE_LIMITS.items.max) {
        errors.push(new BenchInputError(["items"], `${items.length} items is outside the limit [${SUITE_LIMITS.items.min}, ${SUITE_LIMITS.items.max}]`, SUITE_LIMITS.items));
      }
    }
  } else if (knownSuite) items = defaults.items.map((d) => ({ ...d }));

  const measure: MeasureOptions = { ...DEFAULT_MEASURE, ...defaults.measure };
  if (input.budgetMs !== undefined) {
    const budgetMs = check(() => checkIntIn(input.budgetMs, ["budgetMs"], SUITE_LIMITS.budgetMs));
    if (budgetMs !== undefined) measure.budgetMs = budgetMs;
  }
  const rounds = input.rounds === undefined ? DEFAULT_ROUNDS : check(() => checkIntIn(input.rounds, ["rounds"], SUITE_LIMITS.rounds));
  const workers = input.workers === undefined ? undefined : check(() => checkIntIn(input.workers, ["workers"], SUITE_LIMITS.workers));
  let probeSizes = defaults.probeSizes;
  if (input.probeSizes !== undefined) {
    const lim = SUITE_LIMITS.probeSizes;
    if (!Array.isArray(input.probeSizes) || input.probeSizes.length < lim.minLength || input.probeSizes.length > lim.maxLength) {
      errors.push(new BenchInputError(["probeSizes"], `must be a list of ${lim.minLength} to ${lim.maxLength} sizes`, { min: lim.minLength, max: lim.maxLength }));
    }
    if (Array.isArray(input.probeSizes)) {
      const sizes = input.probeSizes.map((s, i) => check(() => checkIntIn(s, ["probeSizes", i], lim)));
      probeSizes = sizes.filter((s): s is number => s !== undefined);
    }
  }
  const wholeMachine = input.wholeMachine ?? true;
  if (typeof wholeMachine !== "boolean") errors.push(new BenchInputError(["wholeMachine"], "must be a boolean"));
  const sgemm = input.sgemm ?? true;
  if (typeof sgemm !== "boolean") errors.push(new BenchInputError(["sgemm"], "must be a boolean"));

  const runs: PlannedRun[] = [];
  (items ?? []).forEach((item, i) => {
    const path: (string | number)[] = ["items", i];
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      errors.push(new BenchInputError(path, "must be an object"));
      return;
    }
    const spec = check(() => resolveModelSpec(item.family, item.config, path));
    const batchSize = item.batchSize === undefined ? (spec ? DEFAULT_BATCH[spec.family] : undefined) : check(() => checkIntIn(item.batchSize, [...path, "batchSize"], SUITE_LIMITS.batchSize));
    let phases = item.phases ?? (["inference", "training"] as Phase[]);
    if (!Array.isArray(phases) || phases.length === 0 || phases.some((p) => p !== "inference" && p !== "training")) {
      errors.push(new BenchInputError([...path, "phases"], 'must be a non-empty list of "inference" and "training"'));
      phases = [];
    }
    const latency = item.latency ?? true;
    if (typeof latency !== "boolean") errors.push(new BenchInputError([...path, "latency"], "must be a boolean"));
    const itemWhole = item.wholeMachine ?? wholeMachine;
    if (item.wholeMachine !== undefined && typeof item.wholeMachine !== "boolean") errors.push(new BenchInputError([...path, "wholeMachine"], "must be a boolean"));
    // The caps need the configuration and the batch size; one error per item (the batch size names it).
    if (!spec || batchSize === undefined) return;
    for (const phase of new Set(phases)) {
      const bytes = estimatedPeakBytes(spec, phase, batchSize);
      if (bytes > SUITE_LIMITS.peakBytes) {
        errors.push(
          new BenchInputError(
            [...path, "batchSize"],
            `estimated peak memory of a ${phase} step ${fmtBytes(bytes)} exceeds the limit ${fmtBytes(SUITE_LIMITS.peakBytes)} (reduce batchSize or the model size)`,
            { max: SUITE_LIMITS.peakBytes, unit: "bytes" },
          ),
        );
        return;
      }
      const flops = flopsPerStep(spec, phase, batchSize);
      if (flops > SUITE_LIMITS.flopsPerStep) {
        errors.push(
          new BenchInputError(
            [...path, "batchSize"],
            `a ${phase} step is ${flops.toExponential(2)} FLOPs, above the time cap of ${SUITE_LIMITS.flopsPerStep.toExponential(0)} FLOPs per step (reduce batchSize or the model size)`,
            { max: SUITE_LIMITS.flopsPerStep, unit: "FLOPs" },
          ),
        );
        return;
      }
    }
    const key = modelKey(spec);
    const whole = itemWhole === true;
    if (phases.includes("inference")) {
      if (latency !== false) runs.push({ itemIndex: i, spec, key, phase: "inference", mode: "latency", batchSize: 1, wholeMachine: false });
      runs.push({ itemIndex: i, spec, key, phase: "inference", mode: "throughput", batchSize, wholeMachine: whole });
    }
    if (phases.includes("training")) runs.push({ itemIndex: i, spec, key, phase: "training", mode: "training", batchSize, wholeMachine: whole });
  });
  if (errors.length > 0 || rounds === undefined) return undefined;

  const plannedMs = runs.reduce((acc, r) => acc + (measure.budgetMs + rounds * measure.warmupMaxMs) * (r.wholeMachine ? 2 : 1), 0);
  if (plannedMs > SUITE_LIMITS.plannedMs) {
    errors.push(
      new BenchInputError(["items"], `planned measuring time ${(plannedMs / 60_000).toFixed(1)} min exceeds the limit of ${SUITE_LIMITS.plannedMs / 60_000} min (fewer items or a smaller budgetMs)`, {
        max: SUITE_LIMITS.plannedMs,
        unit: "ms",
      }),
    );
    return undefined;
  }
  return { name: hasSuite ? (input.suite as SuiteName) : "custom", runs, measure, rounds, wholeMachine: wholeMachine === true, workers, probeSizes, sgemm: sgemm === true };
}

export { MODEL_FAMILIES };
