import { describe, expect, it } from "vitest";
import {
  fitCalibration,
  leaveOneOut,
  leaveOneOutSteps,
  nnls,
  predict,
  robustNnls,
  workFeatures,
  type CalibrationRun,
} from "../src/calibration";
import { CALIBRATION_TIME_BASIS, calibratedStepTimeMs, calibrationRunsFromSuite, toCalibrationRun, typicalSlowdown } from "../src/calibration";
import { BenchInputError } from "../src/errors";
import { modelKey, resolveModelSpec, type ModelFamily } from "../src/families";
import type { Phase } from "../src/flops";
import { runHeader, type BenchRun, type SuiteResult } from "../src/results";
import { resolveSuite } from "../src/suite";

describe("non-negative least squares", () => {
  it("recovers an exact non-negative solution", () => {
    const A = [
      [1, 0, 2],
      [0, 1, 1],
      [1, 1, 0],
      [2, 1, 1],
    ];
    const x = [0.5, 2, 1];
    const b = A.map((row) => row.reduce((s, a, j) => s + a * x[j], 0));
    nnls(A, b).forEach((v, j) => expect(v).toBeCloseTo(x[j], 9));
  });

  it("clamps at zero where unconstrained least squares would go negative, matching a brute-force search", () => {
    const A = [
      [1, 1],
      [1, 2],
      [1, 3],
    ];
    const b = [3, 2, 1]; // least squares slope is −1
    const x = nnls(A, b);
    expect(x[1]).toBe(0);
    expect(x[0]).toBeCloseTo(2, 9); // best constant
    // brute force over a grid never beats it
    const resid = (p: number[]) => A.reduce((s, row, i) => s + (row[0] * p[0] + row[1] * p[1] - b[i]) ** 2, 0);
    for (let a = 0; a <= 4; a += 0.05) for (let c = 0; c <= 2; c += 0.05) expect(resid([a, c])).toBeGreaterThanOrEqual(resid(x) - 1e-12);
  });

  it("weights equations (weighted normal equations equal row scaling by √w)", () => {
    const A = [
      [1, 2],
      [2, 1],
      [1, 1],
      [3, 1],
    ];
    const b = [5, 4, 2.5, 7];
    const w = [1, 4, 0.25, 2];
    const scaled = nnls(
      A.map((row, i) => row.map((a) => a * Math.sqrt(w[i]))),
      b.map((bi, i) => bi * Math.sqrt(w[i])),
    );
    nnls(A, b, 200, w).forEach((v, j) => expect(v).toBeCloseTo(scaled[j], 9));
  });

  it("a robust fit keeps one disturbed equation from pulling the solution (plain NNLS is pulled)", () => {
    // 12 runs of t = 2·x1 + 0.5·x2 measured as relative equations (row / t = 1); one run measured 3× slow
    const rows = Array.from({ length: 12 }, (_, i) => [1 + i, 10 - (i % 5)]);
    const truth = [2, 0.5];
    const times = rows.map((r, i) => (r[0] * truth[0] + r[1] * truth[1]) * (i === 7 ? 3 : 1));
    const A = rows.map((r, i) => r.map((x) => x / times[i]));
    const b = rows.map(() => 1);
    const plain = nnls(A, b);
    const robust = robustNnls(A, b);
    const err = (x: number[]) => Math.max(...x.map((v, j) => Math.abs(v / truth[j] - 1)));
    expect(err(robust)).toBeLessThan(0.005); // measured 0.13%
    expect(err(plain)).toBeGreaterThan(0.03); // measured 4.2%
  });
});

/** Deterministic noise in [−amp, amp]. */
function noise(seed: number, amp: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 * amp - amp;
  };
}

const TRUTH = {
  secondsPerKernel: { inference: 15e-6, training: 25e-6 } as Record<Phase, number>,
  secondsPerActivationElement: 1e-9,
  secondsPerWeightElement: 0.5e-9,
  secondsPerParamTraining: 4e-9,
  secondsPerPackedElement: { inference: 6e-9, training: 5e-9 } as Record<Phase, number>,
  rate: (family: ModelFamily, phase: Phase) => {
    const base: Record<ModelFamily, number> = { mlp: 12e9, "text-classifier": 8e9, "lstm-lm": 5e9, cnn: 10e9, gan: 7e9, gpt: 9e9 };
    return base[family] * (phase === "training" ? 0.45 : 1);
  },
};

function truthSeconds(spec: ReturnType<typeof resolveModelSpec>, phase: Phase, batchSize: number): number {
  const f = workFeatures(spec, phase, batchSize);
  return (
    TRUTH.secondsPerKernel[phase] * f.kernelsPerStep +
    TRUTH.secondsPerActivationElement * f.activationElementsPerStep +
    TRUTH.secondsPerPackedElement[phase] * f.packedWeightElementsPerStep +
    (phase === "inference" ? TRUTH.secondsPerWeightElement * f.weightElementsPerStep : TRUTH.secondsPerParamTraining * f.paramElements) +
    f.flopsPerStep / TRUTH.rate(spec.family, phase)
  );
}

/** Synthetic runs of a suite's configurations whose times follow the model exactly (× noise). */
function syntheticRuns(amp: number, suite: "standard" | "quick" = "standard"): CalibrationRun[] {
  const jitter = noise(7, amp);
  return resolveSuite({ suite }).runs.map((r, i) => {
    const t = truthSeconds(r.spec, r.phase, r.batchSize);
    return {
      id: `s${i}`,
      family: r.spec.family,
      config: r.spec.config,
      phase: r.phase,
      batchSize: r.batchSize,
      scope: "per-core",
      workers: 1,
      stepTimeMs: t * 1000 * (1 + jitter()),
    };
  });
}

describe("calibration", () => {
  it("recovers the coefficients of noiseless synthetic runs and predicts them exactly", () => {
    const runs = syntheticRuns(0);
    const fit = fitCalibration(runs, "per-core");
    expect(fit.secondsPerKernel / TRUTH.secondsPerKernel.inference).toBeCloseTo(1, 4);
    expect(fit.secondsPerKernelTraining / TRUTH.secondsPerKernel.training).toBeCloseTo(1, 4);
    expect(fit.contractionFlopsPerS["gpt/training"]! / TRUTH.rate("gpt", "training")).toBeCloseTo(1, 3);
    expect(fit.secondsPerPackedElement / TRUTH.secondsPerPackedElement.inference).toBeCloseTo(1, 3);
    expect(fit.secondsPerPackedElementTraining / TRUTH.secondsPerPackedElement.training).toBeCloseTo(1, 3);
    const loo = leaveOneOut(runs);
    expect(loo.overall.n).toBe(runs.length);
    expect(loo.overall.worstAbsError!).toBeLessThan(0.01);
  });

  it("counts the weight elements packed per step: fresh weights in inference, every weight matrix per pass in training", () => {
    const packed = (family: ModelFamily, phase: Phase) => workFeatures(resolveModelSpec(family, {}), phase, 7).packedWeightElementsPerStep;
    // Inference packs only weights that reach the product as a new tensor on every call.
    for (const f of ["mlp", "text-classifier", "lstm-lm", "cnn"] as ModelFamily[]) expect(packed(f, "inference")).toBe(0);
    const gpt = resolveModelSpec("gpt", { vocabSize: 512, seqLen: 32, dModel: 64, heads: 4, layers: 2, ffnMult: 4 });
    // Per layer the FFN's two Dense layers (64×256, 256×64), then the LM head (64×512); not QKV, projection or attention.
    expect(workFeatures(gpt, "inference", 1).packedWeightElementsPerStep).toBe(2 * 2 * 64 * 256 + 64 * 512);
    const gan = resolveModelSpec("gan", { latentDim: 32, imageSize: 16, channels: 1, generatorFilters: 32, discriminatorFilters: 16, kernelSize: 4 });
    // The generator's transposed convolutions: 32 → 16 and 16 → 1 channels, 4×4 filters.
    expect(workFeatures(gan, "inference", 1).packedWeightElementsPerStep).toBe(32 * 16 * 16 + 16 * 16 * 1);
    // Training: the forward pass packs each matrix once, each input-gradient product once more (per
    // time step for the LSTM); the first MLP layer computes no input gradient.
    const mlp = resolveModelSpec("mlp", { inputDim: 256, hiddenUnits: [512, 512], classes: 10 });
    expect(workFeatures(mlp, "training", 32).packedWeightElementsPerStep).toBe(256 * 512 + 2 * 512 * 512 + 2 * 512 * 10);
    const lstm = resolveModelSpec("lstm-lm", { vocabSize: 1000, seqLen: 16, embedDim: 32, units: 64, layers: 1 });
    expect(workFeatures(lstm, "training", 32).packedWeightElementsPerStep).toBe(17 * (32 * 256 + 64 * 256) + 2 * 64 * 1000);
    // Independent of the batch.
    expect(workFeatures(mlp, "training", 64).packedWeightElementsPerStep).toBe(workFeatures(mlp, "training", 1).packedWeightElementsPerStep);
  });

  it("predicts batch-1 inference and the smaller training batch of the quick suite from the other runs when weights are packed per step", () => {
    // The quick suite has one batch-1 inference run and two training batches per family: the packing
    // cost (which does not shrink with the batch) must come from the other families' runs.
    const runs = syntheticRuns(0, "quick");
    const loo = leaveOneOut(runs);
    const entry = (family: ModelFamily, phase: Phase, batchSize: number) => {
      const i = runs.findIndex((r) => r.family === family && r.phase === phase && r.batchSize === batchSize && r.scope === "per-core");
      return loo.entries.find((e) => e.id === runs[i].id)!;
    };
    for (const f of ["gan", "gpt"] as ModelFamily[]) expect(Math.abs(entry(f, "inference", 1).relativeError)).toBeLessThan(0.01);
    expect(Math.abs(entry("mlp", "training", 32).relativeError)).toBeLessThan(0.01);
    expect(Math.abs(entry("text-classifier", "training", 32).relativeError)).toBeLessThan(0.01);
    expect(loo.overall.worstAbsError!).toBeLessThan(0.01);
  });

  it("keeps the leave-one-out median error within 10% when measurements carry ±8% noise", () => {
    const loo = leaveOneOut(syntheticRuns(0.08));
    expect(loo.overall.medianAbsError!).toBeLessThan(0.1);
    for (const s of Object.values(loo.byFamily)) expect(s!.medianAbsError!).toBeLessThan(0.12);
    expect(Object.keys(loo.byFamily).sort()).toEqual(["cnn", "gan", "gpt", "lstm-lm", "mlp", "text-classifier"]);
  });

  it("predicts an unmeasured configuration with a band, from runs of other sizes", () => {
    const runs = syntheticRuns(0.05);
    const spec = resolveModelSpec("gpt", { seqLen: 96, dModel: 192, heads: 6, layers: 2, vocabSize: 1500 });
    const p = predict({ family: "gpt", config: spec.config, phase: "training", batchSize: 12 }, runs);
    const truthMs = 1000 * truthSeconds(spec, "training", 12);
    expect(Math.abs(p.stepTimeMs.expected - truthMs) / truthMs).toBeLessThan(0.1);
    expect(p.stepTimeMs.low).toBeLessThanOrEqual(p.stepTimeMs.expected);
    expect(p.stepTimeMs.high).toBeGreaterThanOrEqual(p.stepTimeMs.expected);
    expect(p.samplesPerS.expected).toBeCloseTo((12 * 1000) / p.stepTimeMs.expected, 6);
    expect(p.tokensPerS!.expected).toBeCloseTo(p.samplesPerS.expected * 96, 6);
    expect(p.basis.familyHadRuns).toBe(true);
    expect(p.basis.runIds).toHaveLength(runs.length);
  });

  it("borrows a missing phase from the family's other phase and the other families' ratio", () => {
    const runs = syntheticRuns(0).filter((r) => !(r.family === "cnn" && r.phase === "training"));
    const p = predict({ family: "cnn", config: { imageSize: 32, channels: 3, filters: [32, 64] }, phase: "training", batchSize: 32 }, runs);
    expect(p.basis.familyHadRuns).toBe(false);
    const spec = resolveModelSpec("cnn", { imageSize: 32, channels: 3, filters: [32, 64] });
    const truthMs = 1000 * truthSeconds(spec, "training", 32);
    expect(Math.abs(p.stepTimeMs.expected - truthMs) / truthMs).toBeLessThan(0.02);
  });

  it("whole-machine predictions scale throughput by the workers that ran together", () => {
    const runs = syntheticRuns(0).map((r) => ({ ...r, scope: "whole-machine" as const, workers: 2 }));
    const p = predict({ family: "mlp", phase: "inference", batchSize: 64, scope: "whole-machine" }, runs);
    expect(p.workers).toBe(2);
    expect(p.samplesPerS.expected).toBeCloseTo((2 * 64 * 1000) / p.stepTimeMs.expected, 6);
  });

  /** The standard suite's whole-machine runs (2 workers), each step slower than per core by the phase's factor. */
  const CONTENTION: Record<Phase, number> = { inference: 1.3, training: 1.15 };
  function wholeMachineRuns(): CalibrationRun[] {
    return resolveSuite({ suite: "standard", wholeMachine: true })
      .runs.filter((r) => r.wholeMachine)
      .map((r, i) => ({
        id: `w${i}`,
        family: r.spec.family,
        config: r.spec.config,
        phase: r.phase,
        batchSize: r.batchSize,
        scope: "whole-machine" as const,
        workers: 2,
        stepTimeMs: truthSeconds(r.spec, r.phase, r.batchSize) * 1000 * CONTENTION[r.phase],
      }));
  }

  it("predicts whole-machine runs as the per-core fit × the contention factor of their phase", () => {
    const whole = wholeMachineRuns();
    expect(whole.length).toBeGreaterThan(6);
    const runs = [...syntheticRuns(0), ...whole];
    const fit = fitCalibration(runs, "whole-machine");
    expect(fit.contention!.factorByPhase.inference).toBeCloseTo(1.3, 4);
    expect(fit.contention!.factorByPhase.training).toBeCloseTo(1.15, 4);
    expect(fit.secondsPerKernelTraining / TRUTH.secondsPerKernel.training).toBeCloseTo(1, 3);
    const loo = leaveOneOut(runs);
    expect(loo.byScope["whole-machine"]!.n).toBe(whole.length);
    expect(loo.byScope["whole-machine"]!.worstAbsError!).toBeLessThan(0.01);
    const p = predict({ family: "gpt", phase: "training", batchSize: 16, scope: "whole-machine" }, runs);
    const truthMs = 1000 * truthSeconds(resolveModelSpec("gpt", {}), "training", 16) * CONTENTION.training;
    expect(Math.abs(p.stepTimeMs.expected - truthMs) / truthMs).toBeLessThan(0.01);
    expect(p.basis.runIds).toHaveLength(runs.length);
  });

  it("lets a whole-machine run inform the per-core prediction of its configuration", () => {
    const runs = [...syntheticRuns(0).filter((r) => !(r.family === "cnn" && r.phase === "training")), ...wholeMachineRuns()];
    const spec = resolveModelSpec("cnn", {});
    const p = predict({ family: "cnn", phase: "training", batchSize: 32, scope: "per-core" }, runs);
    expect(p.basis.familyHadRuns).toBe(true);
    const truthMs = 1000 * truthSeconds(spec, "training", 32);
    expect(Math.abs(p.stepTimeMs.expected - truthMs) / truthMs).toBeLessThan(0.01);
  });

  it("answers bad queries with the field that is wrong", () => {
    const runs = syntheticRuns(0);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as BenchInputError;
      }
      throw new Error("no error");
    };
    expect(err(() => predict({ family: "rnn", phase: "training", batchSize: 1 }, runs)).path).toEqual(["family"]);
    expect(err(() => predict({ family: "mlp", phase: "training", batchSize: 0 }, runs)).path).toEqual(["batchSize"]);
    expect(err(() => predict({ family: "mlp", phase: "serving" as Phase, batchSize: 1 }, runs)).path).toEqual(["phase"]);
    expect(err(() => predict({ family: "mlp", phase: "training", batchSize: 1 }, runs.slice(0, 1))).path).toEqual(["profile"]);
    expect(err(() => predict({ family: "mlp", phase: "training", batchSize: 1, scope: "whole-machine" }, runs)).path).toEqual(["profile"]);
  });
});

describe("a profile measured in one process (GPU or thread-pool backend: whole-machine runs only)", () => {
  it("fits, predicts and reports leave-one-out accuracy without per-core runs", () => {
    const runs = syntheticRuns(0.05, "quick").map((r) => ({ ...r, scope: "whole-machine" as const, workers: 1 }));
    const loo = leaveOneOut(runs);
    expect(loo.overall.n).toBe(runs.length);
    expect(loo.byScope["per-core"]).toBeUndefined();
    expect(loo.overall.medianAbsError!).toBeLessThan(0.1);
    expect(loo.describes).toMatch(/not the accuracy of an LLM estimate/);
    const p = predict({ family: "gpt", phase: "training", batchSize: 16 }, runs);
    expect(p.scope).toBe("whole-machine");
    expect(p.workers).toBe(1);
    expect(p.stepTimeMs.low).toBeLessThanOrEqual(p.stepTimeMs.expected);
    expect(p.stepTimeMs.expected).toBeLessThanOrEqual(p.stepTimeMs.high);
  });
});

describe("extrapolation warnings", () => {
  const runs = syntheticRuns(0, "quick");
  const quickGpt = resolveSuite({ suite: "quick" }).runs.find((r) => r.spec.family === "gpt")!.spec.config;

  it("says nothing inside the measured ranges", () => {
    const p = predict({ family: "gpt", config: quickGpt, phase: "training", batchSize: 12 }, runs);
    expect(p.warnings).toEqual([]);
    expect(p.extrapolation).toEqual([]);
  });

  it("names the dimension and the measured range where the query leaves them", () => {
    const p = predict({ family: "gpt", config: { ...quickGpt, layers: 6 }, phase: "training", batchSize: 256 }, runs);
    const dims = p.extrapolation.map((e) => e.dimension);
    expect(dims).toEqual(expect.arrayContaining(["batchSize", "config.layers", "flopsPerStep"]));
    const batch = p.extrapolation.find((e) => e.dimension === "batchSize")!;
    expect(batch.value).toBe(256);
    expect(batch.measured).toEqual({ min: 8, max: 16 });
    expect(batch.message).toBe("extrapolating: batchSize 256 is outside the measured range 8–16 of the profile's per-core gpt training runs");
    expect(p.extrapolation.find((e) => e.dimension === "config.layers")!.measured).toEqual({ min: 1, max: 1 });
    expect(p.warnings).toHaveLength(p.extrapolation.length);
  });

  it("warns when the family has no runs of the phase, or no runs at all", () => {
    const noGptTraining = runs.filter((r) => !(r.family === "gpt" && r.phase === "training"));
    expect(predict({ family: "gpt", config: quickGpt, phase: "training", batchSize: 16 }, noGptTraining).extrapolation[0].dimension).toBe("phase");
    const noGpt = runs.filter((r) => r.family !== "gpt");
    expect(predict({ family: "gpt", phase: "inference", batchSize: 1 }, noGpt).warnings[0]).toMatch(/no per-core runs of gpt/);
  });
});

describe("calibration time basis", () => {
  const spec = resolveModelSpec("mlp", {});
  const header = runHeader(spec, modelKey(spec), "training", "training", 32, "per-core", 1);
  const okRun = (stepTime: BenchRun["stepTime"]): BenchRun => ({ ...header, status: "ok", stepTime, samplesPerS: 1, achievedFlopsPerS: 1 });

  it("calibrates on the 10th percentile of the wall-clock steps and keeps the median's slowdown", () => {
    const run = okRun({ medianMs: 15, p10Ms: 10, p90Ms: 30, ciLowMs: 14, ciHighMs: 16, n: 40 });
    expect(CALIBRATION_TIME_BASIS).toBe("wall-p10");
    expect(calibratedStepTimeMs(run)).toBe(10);
    expect(typicalSlowdown(run)).toBeCloseTo(1.5, 12);
    expect(toCalibrationRun("r1", run)).toMatchObject({ id: "r1", family: "mlp", phase: "training", batchSize: 32, stepTimeMs: 10, typicalSlowdown: 1.5 });
  });

  it("leaves out runs without a usable time: failed, missing statistics, a zero 10th percentile", () => {
    expect(toCalibrationRun("f", { ...header, status: "failed", error: "out of memory" })).toBeNull();
    expect(toCalibrationRun("m", { ...header, status: "ok" })).toBeNull();
    expect(toCalibrationRun("z", okRun({ medianMs: 15, p10Ms: 0, p90Ms: 30, ciLowMs: 14, ciHighMs: 16, n: 40 }))).toBeNull();
  });

  it("predicts the typical step time as the calibrated one × the median slowdown of the scope's runs", () => {
    const runs = syntheticRuns(0).map((r, i) => ({ ...r, typicalSlowdown: [1.1, 1.3, 2][i % 3] }));
    const p = predict({ family: "gpt", phase: "training", batchSize: 16 }, runs);
    expect(p.typicalStepTimeMs! / p.stepTimeMs.expected).toBeCloseTo(1.3, 9);
    expect(predict({ family: "gpt", phase: "training", batchSize: 16 }, syntheticRuns(0)).typicalStepTimeMs).toBeNull();
  });
});

describe("calibration sessions (runs measured together share the machine's speed)", () => {
  const CONTENTION: Record<Phase, number> = { inference: 1.3, training: 1.15 };
  /** A quick suite measured in one session: 24 per-core and 12 whole-machine runs, × `speed` × (1 ± amp). */
  function sessionRuns(session: string | undefined, speed: number, amp: number, seed: number): CalibrationRun[] {
    const jitter = noise(seed, amp);
    const planned = resolveSuite({ suite: "quick", wholeMachine: true }).runs;
    const run = (r: (typeof planned)[number], i: number, scope: "per-core" | "whole-machine"): CalibrationRun => ({
      id: `${session ?? "x"}-${scope}-${i}`,
      family: r.spec.family,
      config: r.spec.config,
      phase: r.phase,
      batchSize: r.batchSize,
      scope,
      workers: scope === "per-core" ? 1 : 2,
      stepTimeMs: truthSeconds(r.spec, r.phase, r.batchSize) * 1000 * speed * (scope === "per-core" ? 1 : CONTENTION[r.phase]) * (1 + jitter()),
      ...(session === undefined ? {} : { session }),
    });
    return [...planned.map((r, i) => run(r, i, "per-core")), ...planned.filter((r) => r.wholeMachine).map((r, i) => run(r, i, "whole-machine"))];
  }
  const withoutSessions = (runs: CalibrationRun[]) => runs.map(({ session: _, ...r }) => r);

  it("fits one speed factor per session, normalised to the median session, in both scopes", () => {
    // Noiseless: two sessions of the same suite, the second 1.5× slower.
    const runs = [...sessionRuns("a", 1, 0, 1), ...sessionRuns("b", 1.5, 0, 2)];
    const pooled = leaveOneOut(withoutSessions(runs));
    expect(pooled.overall.medianAbsError!).toBeGreaterThan(0.15);
    const loo = leaveOneOut(runs);
    expect(loo.overall.n).toBe(72);
    expect(loo.byScope["per-core"]!.worstAbsError!).toBeLessThan(1e-6);
    // Leaving out a whole-machine run unbalances its session's phases; the contention and session factors,
    // which share a scale, converge ~7× per pass (measured: worst 1.6% after 2 passes, 0.2% after 3).
    expect(loo.byScope["whole-machine"]!.worstAbsError!).toBeLessThan(0.02);
    for (const scope of ["per-core", "whole-machine"] as const) {
      const fit = fitCalibration(runs, scope);
      // Median of two sessions: their mean, so 1 ÷ 1.25 and 1.5 ÷ 1.25.
      expect(fit.sessionSpeedFactors!.a).toBeCloseTo(0.8, 4);
      expect(fit.sessionSpeedFactors!.b).toBeCloseTo(1.2, 4);
    }
    expect(fitCalibration(runs, "whole-machine").contention!.factorByPhase.training).toBeCloseTo(1.15, 4);
    // Predictions describe the typical session: here 1.25× the unit-speed truth (a configuration of the
    // suite: the quick suite's few sizes do not pin every coefficient), and say so.
    const gpt = runs.find((r) => r.family === "gpt" && r.phase === "training")!;
    const p = predict({ family: "gpt", config: gpt.config, phase: "training", batchSize: gpt.batchSize }, runs);
    const truthMs = 1000 * truthSeconds(resolveModelSpec("gpt", gpt.config), "training", gpt.batchSize);
    expect(p.stepTimeMs.expected / truthMs).toBeCloseTo(1.25, 4);
    expect(p.basis.sessionSpeedFactors).toEqual(fitCalibration(runs, "per-core").sessionSpeedFactors);
    expect(p.basis.speed).toMatch(/^the typical session speed \(speed factor 1, the median over 2 sessions\); the sessions' steps took 0\.8×–1\.2× the typical time/);
  });

  it("with noisy runs, pooling two sessions of different speeds is about as accurate as one session", () => {
    const a = sessionRuns("a", 1, 0.08, 11);
    const b = sessionRuns("b", 1.5, 0.08, 12);
    const single = (leaveOneOut(a).overall.medianAbsError! + leaveOneOut(b).overall.medianAbsError!) / 2;
    const without = leaveOneOut(withoutSessions([...a, ...b])).overall.medianAbsError!;
    const withSessions = leaveOneOut([...a, ...b]).overall.medianAbsError!;
    expect(without).toBeGreaterThan(0.15);
    expect(withSessions).toBeLessThan(0.1);
    expect(Math.abs(withSessions - single)).toBeLessThan(0.015);
  });

  it("gives a single session exactly the results of runs without one", () => {
    const runs = [...sessionRuns("a", 1.2, 0.08, 21)];
    const bare = withoutSessions(runs);
    expect(leaveOneOut(runs)).toEqual(leaveOneOut(bare));
    for (const scope of ["per-core", "whole-machine"] as const) {
      expect(fitCalibration(runs, scope)).toEqual(fitCalibration(bare, scope));
      const q = { family: "cnn", phase: "training" as const, batchSize: 8, scope };
      expect(predict(q, runs)).toEqual(predict(q, bare));
    }
    expect(fitCalibration(runs, "per-core").sessionSpeedFactors).toBeUndefined();
    expect(predict({ family: "cnn", phase: "training", batchSize: 8 }, runs).basis.speed).toMatch(/^the speed the runs were measured at/);
  });

  it("takes a session with fewer than 4 runs at the typical speed, and a run left out with its session's other runs", () => {
    const a = sessionRuns("a", 1, 0, 31);
    const b = sessionRuns("b", 1.5, 0, 32);
    const c = sessionRuns("c", 1.2, 0, 33);
    const small = sessionRuns("tiny", 3, 0, 34).filter((r) => r.scope === "per-core").slice(0, 3);
    const fit = fitCalibration([...a, ...b, ...c, ...small], "per-core");
    expect(Object.keys(fit.sessionSpeedFactors!).sort()).toEqual(["a", "b", "c"]);
    expect(fit.sessionSpeedFactors!.c).toBeCloseTo(1, 2); // the median session
    expect(fit.sessionSpeedFactors!.b).toBeCloseTo(1.25, 2);
    // A session left with 3 other runs has no factor in the fit without the run: its run is predicted at the typical speed.
    const four = sessionRuns("d", 2, 0, 35).filter((r) => r.scope === "per-core").slice(0, 4);
    const loo = leaveOneOut([...a, ...b, ...c, ...four]);
    for (const e of loo.entries.filter((x) => x.id.startsWith("d-"))) expect(e.measuredMs / e.predictedMs).toBeGreaterThan(1.5);
    expect(loo.entries.filter((x) => !x.id.startsWith("d-")).every((e) => Math.abs(e.relativeError) < 0.01)).toBe(true);
  });

  it("names a suite's runs as one session, and a stored run's session as given", () => {
    const spec = resolveModelSpec("mlp", {});
    const header = runHeader(spec, modelKey(spec), "training", "training", 32, "per-core", 1);
    const ok: BenchRun = { ...header, status: "ok", stepTime: { medianMs: 15, p10Ms: 10, p90Ms: 30, ciLowMs: 14, ciHighMs: 16, n: 40 }, samplesPerS: 1, achievedFlopsPerS: 1 };
    expect(toCalibrationRun("r", ok, "job_1")!.session).toBe("job_1");
    expect("session" in toCalibrationRun("r", ok)!).toBe(false);
    const runs = calibrationRunsFromSuite({ startedAt: "2026-11-22T10:29:30.067Z", runs: [ok, ok] } as SuiteResult);
    expect(runs.map((r) => r.session)).toEqual(["suite 2026-11-22T10:29:30.067Z", "suite 2026-11-22T10:29:30.067Z"]);
  });
});

describe("leave-one-out in steps", () => {
  it("yields once per refit and returns the report leaveOneOut computes", () => {
    const runs = syntheticRuns(0.05);
    const steps = leaveOneOutSteps(runs);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    expect(yields).toBe(runs.length);
    expect(step.value).toEqual(leaveOneOut(runs));
  });
});
