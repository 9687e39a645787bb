/**
 * End to end on the wasm backend: real worker processes (forked with tsx registered, from inside
 * vitest), one tiny model per family, per-core and whole-machine runs, a failing model, and the job
 * queue's lifecycle. Small budgets keep it to seconds.
 */
import { describe, expect, it } from "vitest";
import { MODEL_FAMILIES } from "../src/families";
import { flopsPerStep, kernelsPerStep } from "../src/flops";
import { JobQueue, type JobEvent } from "../src/jobs";
import { runSuite, type SuiteEvent } from "../src/runner";
import { resolveModelSpec } from "../src/families";
import type { BenchItemInput, SuiteInput } from "../src/suite";
import { calibrationRunsFromSuite } from "../src/calibration";
import { leaveOneOut } from "../src/calibration";
import { formatTable } from "../src/report";

const TINY: BenchItemInput[] = [
  { family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 },
  { family: "text-classifier", config: { vocabSize: 50, seqLen: 8, embedDim: 8, hiddenUnits: [8], classes: 3 }, batchSize: 8 },
  { family: "lstm-lm", config: { vocabSize: 20, seqLen: 4, embedDim: 8, units: 8, layers: 1 }, batchSize: 4 },
  { family: "cnn", config: { imageSize: 8, channels: 1, filters: [4], kernelSize: 3, denseUnits: 8, classes: 3 }, batchSize: 4 },
  { family: "gan", config: { latentDim: 8, imageSize: 8, channels: 1, generatorFilters: 8, discriminatorFilters: 4, kernelSize: 3 }, batchSize: 4 },
  { family: "gpt", config: { vocabSize: 30, seqLen: 8, dModel: 16, heads: 2, layers: 1, ffnMult: 2 }, batchSize: 2 },
];
// Two rounds (the default is three) keep this test short while still pooling rounds.
const FAST: Omit<SuiteInput, "items"> = { budgetMs: 100, rounds: 2, sgemm: false, probeSizes: [64] };

describe("benchmark suite end to end on wasm", () => {
  it(
    "measures one small model per family, per core and on both workers, and reports exact work",
    async () => {
      const events: SuiteEvent[] = [];
      const result = await runSuite({ items: TINY, ...FAST, workers: 2 }, { backend: "wasm", onEvent: (e) => events.push(e) });
      expect(result.status).toBe("completed");
      expect(result.backend.choice).toBe("wasm");
      expect(result.backend.threadsPerInstance).toBe(1);
      expect(result.backend.wasmKernels?.added).toContain("UnsortedSegmentSum");
      expect(result.workers).toBe(2);
      expect(result.ceilings.perCore!.flopsPerS).toBeGreaterThan(1e8);
      expect(result.ceilings.wholeMachine!.workers).toBe(2);
      expect(result.bandwidth.perCore!.bytesPerS).toBeGreaterThan(1e8);
      expect(result.sgemm).toBeNull();
      expect(result.fingerprint).toMatch(/^[0-9a-f]{16}$/);

      const failed = result.runs.filter((r) => r.status !== "ok");
      expect(failed.map((r) => `${r.modelKey} ${r.mode}: ${r.error}`)).toEqual([]);
      // latency + throughput + training per core, throughput + training on the whole machine
      expect(result.runs).toHaveLength(MODEL_FAMILIES.length * 5);
      for (const r of result.runs) {
        const spec = resolveModelSpec(r.family, r.config);
        expect(r.flopsPerStep).toBe(flopsPerStep(spec, r.phase, r.batchSize));
        expect(r.tracedFlopsPerStep).toBe(r.flopsPerStep); // executed contraction work = analytic formula
        expect(r.kernelsPerStep).toBe(kernelsPerStep(spec, r.phase));
        expect(r.samplesPerS).toBeGreaterThan(0);
        expect(r.achievedFlopsPerS).toBeCloseTo((r.samplesPerS! / r.batchSize) * r.flopsPerStep, 0);
        expect(r.stepTime!.p10Ms).toBeLessThanOrEqual(r.stepTime!.medianMs);
        expect(r.stepTime!.medianMs).toBeLessThanOrEqual(r.stepTime!.p90Ms);
        expect(r.peakBytes).toBeGreaterThan(0);
        expect(r.fractionOfCeiling).toBeGreaterThan(0);
        expect(r.workers).toBe(r.scope === "whole-machine" ? 2 : 1);
        // two rounds, their samples pooled (at least floorSamples = 3 steps each)
        expect(r.rounds).toBe(2);
        expect(r.stepTime!.n).toBeGreaterThanOrEqual(6);
      }
      const currents = events.flatMap((e) => (e.type === "progress" && e.current ? [e.current] : []));
      expect(currents.some((c) => c.endsWith("(round 2/2)"))).toBe(true);
      // a configuration's records come as soon as its last round is measured, not at the end of the suite
      const firstRun = events.findIndex((e) => e.type === "run");
      const lastRound2 = events.findLastIndex((e) => e.type === "progress" && !!e.current?.endsWith("(round 2/2)"));
      expect(firstRun).toBeGreaterThan(events.findIndex((e) => e.type === "progress" && !!e.current?.endsWith("(round 2/2)")));
      expect(firstRun).toBeLessThan(lastRound2);
      // progress is monotone and ends at 1
      const fractions = events.flatMap((e) => (e.type === "progress" ? [e.fraction] : []));
      expect(fractions.at(-1)).toBe(1);
      expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
      expect(events.filter((e) => e.type === "run")).toHaveLength(result.runs.length);

      const loo = leaveOneOut(calibrationRunsFromSuite(result));
      expect(loo.overall.n).toBe(result.runs.length);
      expect(formatTable(result)).toMatch(/matmul ceiling, 1 core/);
    },
    180_000,
  );

  it(
    "records a model that fails (stock wasm lacks UnsortedSegmentSum) and measures the rest",
    async () => {
      const result = await runSuite(
        {
          items: [
            { family: "text-classifier", config: TINY[1].config, phases: ["training"], batchSize: 4 },
            { family: "mlp", config: TINY[0].config, phases: ["training"], batchSize: 4 },
          ],
          ...FAST,
          wholeMachine: false,
        },
        { backend: "wasm", wasmKernels: false },
      );
      expect(result.backend.wasmKernels).toBeUndefined();
      expect(result.backend.versions["modelplan-wasm-kernels"]).toBe("off");
      const [text, mlp] = result.runs;
      expect(text.status).toBe("failed");
      expect(text.error).toMatch(/UnsortedSegmentSum/);
      expect(mlp.status).toBe("ok");
      expect(mlp.samplesPerS).toBeGreaterThan(0);
    },
    120_000,
  );
});

describe("job queue", () => {
  it(
    "runs one job at a time, reports progress and runs, and cancels queued and running jobs",
    async () => {
      const events: JobEvent[] = [];
      const queue = new JobQueue({ backend: "wasm", onEvent: (e) => events.push(e) });
      const small: SuiteInput = { items: [TINY[0]], ...FAST, wholeMachine: false };
      const a = queue.submit(small, "job-a");
      const b = queue.submit(small, "job-b");
      expect(a.status).toBe("queued");
      expect(queue.get("job-a")!.status).toBe("running");
      expect(queue.get("job-b")!.status).toBe("queued");
      expect(queue.cancel("job-b")).toBe(true);
      expect(queue.get("job-b")!.status).toBe("cancelled");
      expect(await queue.wait("job-b")).toBeNull();

      const resultA = await queue.wait("job-a");
      const jobA = queue.get("job-a")!;
      expect(jobA.status).toBe("completed");
      expect(jobA.progress.fraction).toBe(1);
      expect(jobA.runs).toHaveLength(3);
      expect(resultA!.runs).toHaveLength(3);
      const progress = events.filter((e) => e.type === "progress" && e.job.id === "job-a").map((e) => e.job.progress.fraction);
      expect(progress.length).toBeGreaterThan(2);
      expect(events.filter((e) => e.type === "run" && e.job.id === "job-a")).toHaveLength(3);
      expect(queue.cancel("job-a")).toBe(false); // already finished
      expect(queue.cancel("nope")).toBe(false);

      // cancel while running: the workers are stopped and the job ends cancelled with what it had
      const c = queue.submit({ items: [TINY[5]], budgetMs: 2000, sgemm: false, probeSizes: [64, 128, 256] }, "job-c");
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (queue.get(c.id)!.progress.fraction > 0) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
      expect(queue.cancel("job-c")).toBe(true);
      const resultC = await queue.wait("job-c");
      expect(queue.get("job-c")!.status).toBe("cancelled");
      expect(resultC === null || resultC.status === "cancelled").toBe(true);
      expect(queue.pending()).toEqual([]);

      // cancel while its worker is still starting the backend (seconds on a loaded machine): the worker
      // is killed there, so the job ends at once instead of after the start
      const d = queue.submit(small, "job-d");
      expect(queue.get(d.id)!.status).toBe("running");
      const cancelledAt = Date.now();
      expect(queue.cancel("job-d")).toBe(true);
      expect(await queue.wait("job-d")).toBeNull();
      expect(queue.get("job-d")!.status).toBe("cancelled");
      expect(Date.now() - cancelledAt).toBeLessThan(1500);
      expect(events.some((e) => e.type === "started" && e.job.id === "job-d")).toBe(false);
      await queue.close();
    },
    120_000,
  );
});
