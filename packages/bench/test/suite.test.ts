import { describe, expect, it } from "vitest";
import { BenchInputError } from "../src/errors";
import { CONFIG_LIMITS, DEFAULT_CONFIGS, FAMILY_DOCS, FIELD_DOCS, MODEL_FAMILIES, resolveModelSpec } from "../src/families";
import { estimatedPeakBytes, flopsPerStep } from "../src/flops";
import { DEFAULT_ROUNDS, resolveSuite, SUITE_LIMITS, suiteInputErrors } from "../src/suite";
import { JobQueue } from "../src/jobs";
import { parseBackendChoice } from "../src/backend-choice";

function inputError(f: () => unknown): BenchInputError {
  try {
    f();
  } catch (err) {
    if (err instanceof BenchInputError) return err;
    throw err;
  }
  throw new Error("expected a BenchInputError");
}

describe("model configurations", () => {
  it("completes partial configurations with the family defaults", () => {
    const s = resolveModelSpec("gpt", { layers: 1 });
    expect(s).toEqual({ family: "gpt", config: { ...DEFAULT_CONFIGS.gpt, layers: 1 } });
    for (const f of MODEL_FAMILIES) expect(resolveModelSpec(f, undefined).config).toEqual(DEFAULT_CONFIGS[f]);
  });

  it("documents every family and every size field, and the defaults respect the limits", () => {
    for (const f of MODEL_FAMILIES) {
      expect(FAMILY_DOCS[f].length).toBeGreaterThan(20);
      for (const key of Object.keys(CONFIG_LIMITS[f])) expect(FIELD_DOCS[key]?.description, `${f}.${key}`).toBeTruthy();
      expect(() => resolveModelSpec(f, DEFAULT_CONFIGS[f])).not.toThrow();
      // documented examples are valid values of the field
      const examples = Object.fromEntries(Object.keys(CONFIG_LIMITS[f]).map((k) => [k, FIELD_DOCS[k].example]));
      expect(() => resolveModelSpec(f, examples)).not.toThrow();
    }
  });

  it("names the field and the limit of bad input", () => {
    const unknown = inputError(() => resolveModelSpec("resnet", {}, ["items", 2]));
    expect(unknown.path).toEqual(["items", 2, "family"]);
    expect(unknown.message).toMatch(/unknown model family "resnet"/);

    const big = inputError(() => resolveModelSpec("gpt", { seqLen: 100_000 }, ["items", 0]));
    expect(big.path).toEqual(["items", 0, "config", "seqLen"]);
    expect(big.limit).toEqual({ min: 1, max: 2048 });

    const frac = inputError(() => resolveModelSpec("mlp", { inputDim: 2.5 }));
    expect(frac.path).toEqual(["config", "inputDim"]);

    const list = inputError(() => resolveModelSpec("mlp", { hiddenUnits: [8, 0] }));
    expect(list.path).toEqual(["config", "hiddenUnits", 1]);

    const field = inputError(() => resolveModelSpec("cnn", { depth: 3 }));
    expect(field.path).toEqual(["config", "depth"]);

    expect(inputError(() => resolveModelSpec("gpt", { dModel: 100, heads: 3 })).path).toEqual(["config", "heads"]);
    expect(inputError(() => resolveModelSpec("gan", { imageSize: 30 })).path).toEqual(["config", "imageSize"]);
    expect(inputError(() => resolveModelSpec("cnn", { imageSize: 4, filters: [1, 1, 1] })).path).toEqual(["config", "filters"]);
    expect(inputError(() => resolveModelSpec("lstm-lm", { seqLen: 1 })).limit).toEqual({ min: 2, max: 1024 });
  });
});

describe("suites", () => {
  it("expands the quick suite into latency, throughput and training runs of every family", () => {
    const plan = resolveSuite({ suite: "quick" });
    expect(plan.name).toBe("quick");
    expect(new Set(plan.runs.map((r) => r.spec.family))).toEqual(new Set(MODEL_FAMILIES));
    expect(plan.runs).toHaveLength(4 * MODEL_FAMILIES.length);
    const mlp = plan.runs.filter((r) => r.spec.family === "mlp");
    expect(mlp.map((r) => [r.mode, r.batchSize, r.wholeMachine])).toEqual([
      ["latency", 1, false],
      ["throughput", 64, true],
      ["training", 64, true],
      ["training", 32, false], // a second training point per family, per core only
    ]);
    expect(resolveSuite({ suite: "standard" }).runs.length).toBeGreaterThan(plan.runs.length);
  });

  it("takes an explicit list of configurations and phases", () => {
    const plan = resolveSuite({
      items: [{ family: "cnn", config: { filters: [4] }, phases: ["training"], batchSize: 8 }, { family: "mlp", latency: false }],
      budgetMs: 150,
      wholeMachine: false,
    });
    expect(plan.name).toBe("custom");
    expect(plan.runs.map((r) => `${r.spec.family}:${r.mode}:${r.batchSize}`)).toEqual(["cnn:training:8", "mlp:throughput:64", "mlp:training:64"]);
    expect(plan.measure.budgetMs).toBe(150);
    expect(plan.rounds).toBe(DEFAULT_ROUNDS);
    expect(plan.runs.every((r) => r.wholeMachine === false)).toBe(true);
    expect(resolveSuite({ suite: "quick", rounds: 3 }).rounds).toBe(3);
  });

  it("refuses sizes past the memory and time caps, naming the field and the limit", () => {
    // 2048-token GPT with a 200k vocabulary at batch 64: logits alone are 2048 × 200k × 64 floats
    const mem = inputError(() => resolveSuite({ items: [{ family: "gpt", config: { seqLen: 2048, vocabSize: 200_000 }, batchSize: 64 }] }));
    expect(mem.path).toEqual(["items", 0, "batchSize"]);
    expect(mem.limit).toEqual({ max: SUITE_LIMITS.peakBytes, unit: "bytes" });
    expect(mem.message).toMatch(/exceeds the limit 2\.00 GiB/);

    // one 11×11 convolution with 64 → 1024 channels on a 256² image: 1.0e12 FLOPs per image, 0.6 GB
    const heavy = { imageSize: 256, channels: 64, filters: [1024], kernelSize: 11, denseUnits: 1, classes: 2 };
    const heavySpec = resolveModelSpec("cnn", heavy);
    expect(estimatedPeakBytes(heavySpec, "inference", 1)).toBeLessThan(SUITE_LIMITS.peakBytes);
    expect(flopsPerStep(heavySpec, "inference", 1)).toBeGreaterThan(SUITE_LIMITS.flopsPerStep);
    const time = inputError(() => resolveSuite({ items: [{ family: "cnn", config: heavy, batchSize: 1, phases: ["inference"], latency: false }] }));
    expect(time.path).toEqual(["items", 0, "batchSize"]);
    expect(time.limit?.unit).toBe("FLOPs");

    expect(inputError(() => resolveSuite({ suite: "quick", budgetMs: 10 })).path).toEqual(["budgetMs"]);
    const rounds = inputError(() => resolveSuite({ suite: "quick", rounds: 0 }));
    expect(rounds.path).toEqual(["rounds"]);
    expect(rounds.limit).toEqual(SUITE_LIMITS.rounds);
    expect(inputError(() => resolveSuite({ suite: "quick", rounds: 1.5 })).path).toEqual(["rounds"]);
    expect(inputError(() => resolveSuite({ suite: "huge" as "quick" })).path).toEqual(["suite"]);
    expect(inputError(() => resolveSuite({})).path).toEqual(["suite"]);
    expect(inputError(() => resolveSuite({ suite: "quick", items: [] })).path).toEqual(["items"]);
    expect(inputError(() => resolveSuite({ items: [] })).path).toEqual(["items"]);
    expect(inputError(() => resolveSuite({ items: [{ family: "mlp", batchSize: 0 }] })).path).toEqual(["items", 0, "batchSize"]);
    expect(inputError(() => resolveSuite({ items: [{ family: "mlp", phases: ["serving" as "training"] }] })).path).toEqual(["items", 0, "phases"]);
    expect(inputError(() => resolveSuite({ items: [{ family: "mlp" }], probeSizes: [8] })).path).toEqual(["probeSizes", 0]);
    const many = Array.from({ length: 40 }, () => ({ family: "gpt" }));
    const planned = inputError(() => resolveSuite({ items: many, budgetMs: 60_000 }));
    expect(planned.path).toEqual(["items"]);
    expect(planned.message).toMatch(/planned measuring time/);
  });

  it("lists every bad field of a request at once (suiteInputErrors), the first of them being what resolveSuite throws", () => {
    const input = {
      items: [
        { family: "gpt", config: { seqLen: 99_999 }, batchSize: 100_000 },
        { family: "gpt", config: { seqLen: 2048, vocabSize: 200_000 }, batchSize: 64 },
        { family: "resnet" },
        { family: "mlp", phases: ["serving"], latency: "yes", wholeMachine: 1 },
        "mlp",
      ],
      workers: 0,
      rounds: 9,
      probeSizes: [8, 64, 4],
      sgemm: "no",
    };
    const errors = suiteInputErrors(input);
    expect(errors.map((e) => e.path.join("."))).toEqual([
      "rounds",
      "workers",
      "probeSizes.0",
      "probeSizes.2",
      "sgemm",
      "items.0.config.seqLen",
      "items.0.batchSize",
      "items.1.batchSize", // the memory cap: one error per item
      "items.2.family",
      "items.3.phases",
      "items.3.latency",
      "items.3.wholeMachine",
      "items.4",
    ]);
    expect(errors.every((e) => e instanceof BenchInputError)).toBe(true);
    expect(inputError(() => resolveSuite(input as never))).toEqual(errors[0]);
    // a body that is not an object, and a valid one
    expect(suiteInputErrors(null).map((e) => e.path)).toEqual([[]]);
    expect(suiteInputErrors({ suite: "quick", wholeMachine: false })).toEqual([]);
    // the planned-time cap, once everything else is valid
    expect(suiteInputErrors({ items: Array.from({ length: 40 }, () => ({ family: "gpt" })), budgetMs: 60_000 }).map((e) => e.path)).toEqual([["items"]]);
  });

  it("names workers past this machine's cores (JobQueue.workersError)", () => {
    const queue = new JobQueue({ maxWorkers: 4 });
    expect(queue.workersError(4)).toBeUndefined();
    expect(queue.workersError(undefined)).toBeUndefined();
    const e = queue.workersError(48)!;
    expect(e.path).toEqual(["workers"]);
    expect(e.limit).toEqual({ min: 1, max: 4 });
    expect(() => queue.checkAdmission("a", resolveSuite({ suite: "quick", workers: 48 }))).toThrow(e.message);
  });

  it("parses backend overrides and refuses unknown ones", () => {
    expect(parseBackendChoice("wasm", "--backend")).toBe("wasm");
    expect(parseBackendChoice("auto", "--backend")).toBeUndefined();
    expect(parseBackendChoice(undefined, "MODELPLAN_TF_BACKEND")).toBeUndefined();
    expect(parseBackendChoice("webgpu", "--backend")).toBe("webgpu");
    expect(inputError(() => parseBackendChoice("metal", "MODELPLAN_TF_BACKEND")).path).toEqual(["MODELPLAN_TF_BACKEND"]);
  });
});
