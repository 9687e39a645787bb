import { afterEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { leaveOneOut, modelKey, postSuiteResult, usableCores, profileFingerprint, resolveModelSpec, runHeader, type BenchRun, type SuiteResult } from "@modelplan/bench";
import { startServer } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/lib/logger";
import { estimateTraining } from "@modelplan/estimator";
import { closeBenchmarkService, measuredAccelerator } from "../src/routes/benchmarks/index";
import { calibrationRuns, findProfile } from "../src/routes/benchmarks/benchmarks.repository";
import { createTestApp, expectProblem, type TestApp } from "./helpers/test-app";

let t: TestApp | undefined;

type StoredRun = BenchRun & { id: string; jobId: string; hardwareProfileId: string; createdAt: string };

afterEach(async () => {
  if (t) {
    await t.close();
    t = undefined;
  }
});

/** A job small enough to finish in seconds: one tiny MLP, per core only, no sgemm probe. */
const TINY = {
  items: [{ family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 }],
  budgetMs: 100,
  wholeMachine: false,
  sgemm: false,
  probeSizes: [64],
};

async function waitFor(app: TestApp, id: string, done: (job: { status: string; progress: { fraction: number } }) => boolean, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await app.call("GET", `/v1/benchmarks/jobs/${id}`)).json()) as { status: string; progress: { fraction: number } };
    if (done(job)) return job;
    if (Date.now() > end) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("benchmarks API", () => {
  it("refuses bad requests with 422 naming the field and the limit", async () => {
    t = await createTestApp({ rateLimits: { requests: { capacity: 1000, refillPerSec: 1000 }, benchmarks: { capacity: 100, refillPerSec: 100 } } });
    const unknownFamily = await expectProblem(await t.call("POST", "/v1/benchmarks", { items: [{ family: "resnet" }] }), 422);
    expect(unknownFamily.errors!.map((e) => e.path)).toContain("items.0.family");

    const tooLong = await expectProblem(await t.call("POST", "/v1/benchmarks", { items: [{ family: "gpt", config: { seqLen: 100_000 } }] }), 422);
    expect(tooLong.errors![0].path).toBe("items.0.config.seqLen");

    const memory = await expectProblem(
      await t.call("POST", "/v1/benchmarks", { items: [{ family: "gpt", config: { seqLen: 2048, vocabSize: 200_000 }, batchSize: 64 }] }),
      422,
    );
    expect(memory.errors![0].path).toBe("items.0.batchSize");
    expect(memory.errors![0].message).toMatch(/exceeds the limit 2\.00 GiB.*max 2147483648 bytes/);

    const heads = await expectProblem(await t.call("POST", "/v1/benchmarks", { items: [{ family: "gpt", config: { dModel: 100, heads: 3 } }] }), 422);
    expect(heads.errors![0].path).toBe("items.0.config.heads");

    // Every bad field in one 422: the schema's findings, the engine's caps and `workers` past this machine's cores.
    const cores = usableCores();
    const all = await expectProblem(await t.call("POST", "/v1/benchmarks", { items: [{ family: "gpt", config: { seqLen: 99999 }, batchSize: 100000 }], workers: cores + 1 }), 422);
    expect(all.errors!.map((e) => e.path).sort()).toEqual(["items.0.batchSize", "items.0.config.seqLen", "workers"]);
    const capped = await expectProblem(
      await t.call("POST", "/v1/benchmarks", {
        items: [{ family: "gpt", config: { seqLen: 2048, vocabSize: 200_000 }, batchSize: 64 }, { family: "gpt", config: { dModel: 100, heads: 3 } }, { family: "mlp" }],
        workers: Math.min(cores + 1, 256),
        rounds: 9,
      }),
      422,
    );
    expect(capped.errors!.map((e) => e.path).sort()).toEqual(["items.0.batchSize", "items.1.config.heads", "rounds", ...(cores < 256 ? ["workers"] : [])]);
    expect(capped.errors!.find((e) => e.path === "items.0.batchSize")!.message).toMatch(/exceeds the limit 2\.00 GiB/);
    if (cores < 256) expect(capped.errors!.find((e) => e.path === "workers")!.message).toMatch(new RegExp(`exceeds the ${cores} cores .*\\(limit: min 1, max ${cores}\\)`));
    expect(capped.detail).toMatch(/fields are invalid/);

    const neither = await expectProblem(await t.call("POST", "/v1/benchmarks", {}), 422);
    expect(neither.errors![0].path).toBe("suite");
    const extra = await expectProblem(await t.call("POST", "/v1/benchmarks", { suite: "quick", gpu: true }), 422);
    expect(extra.detail).toMatch(/invalid/);

    // nothing was queued
    expect((await t.database.db.select().from(t.database.tables.benchmarkJobs))).toEqual([]);
    await expectProblem(await t.call("GET", "/v1/benchmarks/jobs/bjob_nope"), 404);
    await expectProblem(await t.call("DELETE", "/v1/benchmarks/jobs/bjob_nope"), 404);
    await expectProblem(await t.call("GET", "/v1/hardware-profiles/local"), 404);
    await expectProblem(await t.call("GET", "/v1/hardware-profiles/hwp_nope/accuracy"), 404);
  });

  it(
    "runs a job off the request path and stores runs, a hardware profile, its accuracy and predictions",
    async () => {
      t = await createTestApp();
      const res = await t.call("POST", "/v1/benchmarks", TINY);
      expect(res.status).toBe(202);
      const job = (await res.json()) as { id: string; status: string; runs: unknown[] };
      expect(res.headers.get("location")).toBe(`/v1/benchmarks/jobs/${job.id}`);
      expect(["queued", "running"]).toContain(job.status); // it starts at once when nothing else runs
      expect(job.runs).toEqual([]);

      // the API answers while the job runs
      expect((await t.call("GET", "/v1/benchmarks/runs")).status).toBe(200);

      const done = (await waitFor(t, job.id, (j) => !["queued", "running"].includes(j.status))) as unknown as {
        status: string;
        progress: { fraction: number; current: string | null };
        hardwareProfileId: string;
        runs: StoredRun[];
        startedAt: string;
        finishedAt: string;
      };
      expect(done.status).toBe("completed");
      expect(done.progress).toEqual({ fraction: 1, current: null });
      expect(done.runs.map((r) => `${r.mode}:${r.batchSize}:${r.scope}:${r.status}`)).toEqual([
        "latency:1:per-core:ok",
        "throughput:8:per-core:ok",
        "training:8:per-core:ok",
      ]);
      expect(done.runs[2].tracedFlopsPerStep).toBe(done.runs[2].flopsPerStep);
      expect(done.runs.every((r) => r.jobId === job.id && r.hardwareProfileId === done.hardwareProfileId)).toBe(true);

      const runs = (await (await t.call("GET", `/v1/benchmarks/runs?family=mlp&phase=training&hardwareProfileId=${done.hardwareProfileId}`)).json()) as {
        items: { id: string; phase: string }[];
        nextCursor: string | null;
      };
      expect(runs.items).toHaveLength(1);
      expect(runs.items[0].phase).toBe("training");
      const none = (await (await t.call("GET", "/v1/benchmarks/runs?family=gpt")).json()) as { items: unknown[] };
      expect(none.items).toEqual([]);
      const page = (await (await t.call("GET", "/v1/benchmarks/runs?limit=2")).json()) as { items: { id: string }[]; nextCursor: string };
      expect(page.items).toHaveLength(2);
      const next = (await (await t.call("GET", `/v1/benchmarks/runs?limit=2&cursor=${page.nextCursor}`)).json()) as { items: { id: string }[]; nextCursor: null };
      expect(next.items).toHaveLength(1);
      expect(next.nextCursor).toBeNull();

      const profiles = (await (await t.call("GET", "/v1/hardware-profiles")).json()) as {
        items: { id: string; backend: string; source: string; runCount: number; ceilings: { perCore: { flopsPerS: number } }; measuredBy: string }[];
      };
      expect(profiles.items).toHaveLength(1);
      const profile = profiles.items[0];
      expect(profile).toMatchObject({ id: done.hardwareProfileId, backend: "wasm", source: "local", runCount: 3, measuredBy: job.id });
      expect(profile.ceilings.perCore.flopsPerS).toBeGreaterThan(0);
      const local = (await (await t.call("GET", "/v1/hardware-profiles/local")).json()) as { id: string };
      expect(local.id).toBe(profile.id);

      const accuracy = (await (await t.call("GET", `/v1/hardware-profiles/${profile.id}/accuracy`)).json()) as {
        timeBasis: string;
        overall: { n: number; medianAbsErrorPct: number };
        entries: { runId: string }[];
        targetMedianAbsErrorPct: number;
      };
      expect(accuracy.timeBasis).toBe("wall-p10");
      expect(accuracy.overall.n).toBe(3);
      expect(accuracy.entries.map((e) => e.runId).sort()).toEqual(done.runs.map((r) => r.id).sort());
      expect(accuracy.targetMedianAbsErrorPct).toBe(10);

      const prediction = await t.call("POST", "/v1/benchmarks/predict", {
        hardwareProfileId: "local",
        family: "mlp",
        config: { inputDim: 16, hiddenUnits: [64], classes: 4 },
        phase: "training",
        batchSize: 16,
      });
      expect(prediction.status).toBe(200);
      const p = (await prediction.json()) as {
        timeBasis: string;
        stepTimeMs: { low: number; expected: number; high: number };
        typicalStepTimeMs: number;
        samplesPerS: { expected: number };
        basis: { runIds: string[] };
      };
      expect(p.timeBasis).toBe("wall-p10");
      // the typical time is the calibrated one × the runs' median slowdown (median ÷ 10th percentile)
      const slowdowns = done.runs.map((r) => r.stepTime!.medianMs / r.stepTime!.p10Ms).sort((a, b) => a - b);
      expect(p.typicalStepTimeMs / p.stepTimeMs.expected).toBeCloseTo(Math.max(1, slowdowns[1]), 6);
      expect(p.stepTimeMs.low).toBeLessThanOrEqual(p.stepTimeMs.expected);
      expect(p.stepTimeMs.expected).toBeLessThanOrEqual(p.stepTimeMs.high);
      expect(p.samplesPerS.expected).toBeCloseTo((16 * 1000) / p.stepTimeMs.expected, 6);
      expect(p.basis.runIds).toHaveLength(3);
      // a job's runs are one session (they share the machine's speed of the moment): one session, no factors
      const calibrated = (await calibrationRuns(t.database, (await findProfile(t.database, "ws_default", profile.id))!)).runs;
      expect(calibrated.map((r) => r.session)).toEqual(done.runs.map(() => job.id));
      expect((p as unknown as { basis: { sessionSpeedFactors: object; speed: string } }).basis).toMatchObject({ sessionSpeedFactors: {}, speed: expect.stringMatching(/^the speed the runs were measured at/) });

      const badConfig = await expectProblem(
        await t.call("POST", "/v1/benchmarks/predict", { hardwareProfileId: "local", family: "mlp", config: { inputDim: 0 }, phase: "training", batchSize: 16 }),
        422,
      );
      expect(badConfig.errors![0].path).toBe("config.inputDim");
      const wholeMachine = await expectProblem(
        await t.call("POST", "/v1/benchmarks/predict", { hardwareProfileId: "local", family: "mlp", phase: "training", batchSize: 16, scope: "whole-machine" }),
        422,
      );
      expect(wholeMachine.errors![0].path).toBe("hardwareProfileId");
      // an unknown profile is a bad field of the body, named with the schema's findings in one 422
      const unknown = await expectProblem(await t.call("POST", "/v1/benchmarks/predict", { hardwareProfileId: "hwp_nope", family: "mlp", phase: "training", batchSize: 0 }), 422);
      expect(unknown.errors!.map((e) => e.path).sort()).toEqual(["batchSize", "hardwareProfileId"]);

      // the measured profile stands in for an accelerator in the estimator, citing its runs
      const acc = await measuredAccelerator(t.database, "ws_default", "local", "training");
      expect(acc.peakFlopsPerS.fp32).toBe(profile.ceilings.perCore.flopsPerS);
      expect(acc.utilisation?.compute?.source).toContain(done.runs[2].id);
      expect(acc.memoryBandwidthBytesPerS).toBeGreaterThan(0);
      const estimate = estimateTraining({ model: { parameters: 1e6 }, tokens: 1e8, precision: "fp32", hardware: acc, gpus: 1 });
      expect(estimate.gpuHours.expected).toBeGreaterThan(0);
      expect(JSON.stringify(estimate.assumptions)).toContain(profile.id);
      // ...and through the estimation endpoints: "hardware": "local" or the profile id
      for (const hardware of ["local", profile.id]) {
        const viaApi = await t.call("POST", "/v1/estimates/training", { model: { parameters: 1e6 }, tokens: 1e8, precision: "fp32", hardware, gpus: 1 });
        expect(viaApi.status).toBe(200);
        const body = (await viaApi.json()) as { hardware: { id: string }; assumptions: { source: string | null }[] };
        expect(body.hardware.id).toBe(`profile:${profile.id}`);
        expect(JSON.stringify(body.assumptions)).toContain(done.runs[2].id);
      }
      const servedLocally = await t.call("POST", "/v1/estimates/inference", { model: { parameters: 1e6 }, hardware: "local", quantization: "fp32", workload: { inputTokens: 10, outputTokens: 10, requestsPerSecondPeak: 1 } });
      expect(servedLocally.status, await servedLocally.clone().text()).toBe(200);
      const unknownProfile = await expectProblem(await t.call("POST", "/v1/estimates/training", { model: { parameters: 1e6 }, tokens: 1e8, hardware: "hwp_nope" }), 422);
      expect(unknownProfile.errors![0].path).toBe("hardware");

      // an ended job cannot be cancelled
      await expectProblem(await t.call("DELETE", `/v1/benchmarks/jobs/${job.id}`), 409);

      // --server uploads: the same runs posted from "another machine" land on that machine's profile
      const device = { kind: "gpu" as const, cpuModel: "AMD EPYC 9654", logicalCores: 16, memoryBytes: 128e9, platform: "linux", arch: "x64", gpus: [{ name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driver: "550.54.15" }] };
      const backend = { choice: "node-gpu" as const, threadsPerInstance: null, versions: { node: "20.20.2", "tfjs-core": "4.22.0", "@tensorflow/tfjs-node-gpu": "4.22.0" } };
      const upload = {
        suite: "custom",
        status: "completed",
        startedAt: "2026-11-22T06:00:00.000Z",
        finishedAt: "2026-11-22T06:01:00.000Z",
        fingerprint: profileFingerprint(device, backend),
        device,
        backend,
        ceilings: { wholeMachine: { scope: "whole-machine", workers: 1, precision: "float32", flopsPerS: 50e12, cpuFlopsPerS: 50e12, bestN: 4096, probes: [] } },
        bandwidth: {},
        sgemm: null,
        runs: done.runs.map(({ id: _id, jobId: _job, hardwareProfileId: _p, createdAt: _c, ...run }) => run),
      };
      const posted = await t.call("POST", "/v1/benchmarks/results", upload);
      expect(posted.status).toBe(201);
      const stored = (await posted.json()) as { hardwareProfileId: string; stored: number };
      expect(stored.stored).toBe(3);
      expect(stored.hardwareProfileId).not.toBe(profile.id);
      const gpuProfile = (await (await t.call("GET", `/v1/hardware-profiles/${stored.hardwareProfileId}`)).json()) as { source: string; kind: string; name: string };
      expect(gpuProfile).toMatchObject({ source: "upload", kind: "gpu" });
      expect(gpuProfile.name).toMatch(/H100/);
      const uploadedSessions = (await calibrationRuns(t.database, (await findProfile(t.database, "ws_default", stored.hardwareProfileId))!)).runs.map((r) => r.session);
      expect(uploadedSessions).toHaveLength(3);
      expect(new Set(uploadedSessions).size).toBe(1);
      expect(uploadedSessions[0]).toMatch(/^upload \d{4}-\d\d-\d\dT/);

      const tampered = await expectProblem(
        await t.call("POST", "/v1/benchmarks/results", { ...upload, runs: [{ ...upload.runs[0], flopsPerStep: 1 }] }),
        422,
      );
      expect(tampered.errors![0].path).toBe("runs.0.flopsPerStep");
      const st = upload.runs[0].stepTime!;
      const unordered = await expectProblem(
        await t.call("POST", "/v1/benchmarks/results", { ...upload, runs: [{ ...upload.runs[0], stepTime: { ...st, p10Ms: st.medianMs * 2 } }] }),
        422,
      );
      expect(unordered.errors![0].path).toBe("runs.0.stepTime.p10Ms");
      // What the schema cannot say about an ok run is checked after it, each naming its field.
      const { stepTime: _st, ...noStepTime } = upload.runs[0];
      const { samplesPerS: _rate, ...noRate } = upload.runs[0];
      for (const [run, path] of [
        [noStepTime, "runs.0.stepTime"],
        [noRate, "runs.0.samplesPerS"],
        [{ ...upload.runs[0], stepTime: { ...st, medianMs: 0, p10Ms: 0 } }, "runs.0.stepTime.medianMs"],
      ] as const) {
        const refused = await expectProblem(await t.call("POST", "/v1/benchmarks/results", { ...upload, runs: [run] }), 422);
        expect(refused.errors!.map((e) => e.path)).toEqual([path]);
      }
      const forged = await expectProblem(await t.call("POST", "/v1/benchmarks/results", { ...upload, fingerprint: "0123456789abcdef" }), 422);
      expect(forged.errors![0].path).toBe("fingerprint");
    },
    120_000,
  );

  it(
    "cancels a running job, keeps one job at a time, and marks jobs left running by a previous process interrupted",
    async () => {
      t = await createTestApp();
      const slow = { ...TINY, budgetMs: 3000, probeSizes: [64, 128, 256] };
      const a = (await (await t.call("POST", "/v1/benchmarks", slow)).json()) as { id: string };
      const b = (await (await t.call("POST", "/v1/benchmarks", TINY)).json()) as { id: string };
      await waitFor(t, a.id, (j) => j.status === "running" && j.progress.fraction > 0);
      expect(((await (await t.call("GET", `/v1/benchmarks/jobs/${b.id}`)).json()) as { status: string }).status).toBe("queued");

      const cancelled = await t.call("DELETE", `/v1/benchmarks/jobs/${a.id}`);
      expect(cancelled.status).toBe(200);
      expect(((await cancelled.json()) as { status: string }).status).toBe("cancelled");
      // the queued job starts once the first has stopped; cancel it too
      const cancelledB = await t.call("DELETE", `/v1/benchmarks/jobs/${b.id}`);
      expect(cancelledB.status).toBe(200);
      expect(((await cancelledB.json()) as { status: string }).status).toBe("cancelled");

      // a "previous process" left a job running: the next service start marks it interrupted
      await closeBenchmarkService(t.database);
      await t.database.db
        .insert(t.database.tables.benchmarkJobs)
        .values({ id: "bjob_left_running", workspaceId: "ws_default", status: "running", suite: "quick", request: { suite: "quick" }, createdAt: "2026-11-22T00:00:00.000Z" });
      const job = (await (await t.call("GET", "/v1/benchmarks/jobs/bjob_left_running")).json()) as { status: string; error: string };
      expect(job.status).toBe("interrupted");
      expect(job.error).toMatch(/service stopped/);
    },
    120_000,
  );

  it("fits a speed factor per upload (one session each) and predicts at the typical session speed", async () => {
    let clock = Date.parse("2026-11-22T10:00:00.000Z");
    t = await createTestApp({ now: () => new Date(clock) });
    const device = { kind: "cpu" as const, cpuModel: "Test CPU", logicalCores: 2, memoryBytes: 8e9, platform: "linux", arch: "x64", gpus: [] };
    const backend = { choice: "wasm" as const, threadsPerInstance: 1, versions: { node: "20.20.2", "tfjs-core": "4.22.0" } };
    // Figures of a test fixture, not a measurement: 10 MLP runs, the second upload's 1.5× slower.
    const configs = [16, 32, 64, 128, 256].flatMap((hidden) =>
      (["inference", "training"] as const).map((phase) => ({ spec: resolveModelSpec("mlp", { inputDim: 64, hiddenUnits: [hidden], classes: 10 }), phase })),
    );
    const runs = (speed: number): BenchRun[] =>
      configs.map(({ spec, phase }, i) => {
        const batch = 8 << (i % 3);
        const header = runHeader(spec, modelKey(spec), phase, phase === "training" ? "training" : "throughput", batch, "per-core", 1);
        const p10 = (0.2 + header.flopsPerStep / 2e9) * speed * (1 + ((i * 7) % 5) / 100);
        return { ...header, status: "ok", stepTime: { medianMs: p10 * 1.1, p10Ms: p10, p90Ms: p10 * 1.3, ciLowMs: p10, ciHighMs: p10 * 1.2, n: 40 }, samplesPerS: (batch * 1000) / (p10 * 1.1), achievedFlopsPerS: 1 };
      });
    const upload = (speed: number) => ({
      suite: "custom",
      status: "completed",
      startedAt: new Date(clock).toISOString(),
      finishedAt: new Date(clock).toISOString(),
      fingerprint: profileFingerprint(device, backend),
      device,
      backend,
      ceilings: {},
      bandwidth: {},
      sgemm: null,
      runs: runs(speed),
    });
    const first = (await (await t.call("POST", "/v1/benchmarks/results", upload(1))).json()) as { hardwareProfileId: string };
    clock += 60_000;
    const second = (await (await t.call("POST", "/v1/benchmarks/results", upload(1.5))).json()) as { hardwareProfileId: string };
    expect(second.hardwareProfileId).toBe(first.hardwareProfileId);
    const res = await t.call("POST", "/v1/benchmarks/predict", { hardwareProfileId: first.hardwareProfileId, family: "mlp", config: { inputDim: 64, hiddenUnits: [64], classes: 10 }, phase: "training", batchSize: 16 });
    expect(res.status).toBe(200);
    const p = (await res.json()) as { basis: { sessionSpeedFactors: Record<string, number>; speed: string; runIds: string[] } };
    expect(p.basis.runIds).toHaveLength(20);
    // Median of two sessions = their mean: 1 ÷ 1.25 and 1.5 ÷ 1.25.
    expect(Object.keys(p.basis.sessionSpeedFactors).sort()).toEqual(["upload 2026-11-22T10:00:00.000Z", "upload 2026-11-22T10:01:00.000Z"]);
    expect(p.basis.sessionSpeedFactors["upload 2026-11-22T10:00:00.000Z"]).toBeCloseTo(0.8, 9);
    expect(p.basis.sessionSpeedFactors["upload 2026-11-22T10:01:00.000Z"]).toBeCloseTo(1.2, 9);
    expect(p.basis.speed).toMatch(/^the typical session speed/);
    const accuracy = (await (await t.call("GET", `/v1/hardware-profiles/${first.hardwareProfileId}/accuracy`)).json()) as { overall: { n: number; medianAbsErrorPct: number }; method: string };
    expect(accuracy.overall.n).toBe(20);
    expect(accuracy.overall.medianAbsErrorPct).toBeLessThan(5);
    const stored = (await calibrationRuns(t.database, (await findProfile(t.database, "ws_default", first.hardwareProfileId))!)).runs;
    expect(leaveOneOut(stored.map(({ session: _, ...r }) => r)).overall.medianAbsError!).toBeGreaterThan(0.15); // one speed for both uploads
    expect(accuracy.method).toMatch(/session/);
  });

  it("bench --server posts a suite result through the SDK to a running service", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-bench-post-"));
    const server = await startServer(loadConfig({ PORT: "0", MODELPLAN_DB: path.join(dir, "bench.db") }), createLogger("silent"));
    try {
      const spec = resolveModelSpec("cnn", {});
      const header = runHeader(spec, modelKey(spec), "training", "training", 32, "whole-machine", 1);
      // Figures of a test fixture, not a measurement: the service stores what a remote machine reports.
      const run: BenchRun = {
        ...header,
        status: "ok",
        stepTime: { medianMs: 12, p10Ms: 11, p90Ms: 14, ciLowMs: 11.5, ciHighMs: 12.5, n: 30 },
        samplesPerS: (32 * 1000) / 12,
        achievedFlopsPerS: (header.flopsPerStep * 1000) / 12,
      };
      const device = { kind: "gpu" as const, cpuModel: "Test CPU", logicalCores: 8, memoryBytes: 64e9, platform: "linux", arch: "x64", gpus: [{ name: "Test GPU", memoryMiB: 24576, driver: "1.0" }] };
      const backend = {
        choice: "node-gpu" as const,
        tfBackend: "tensorflow",
        package: "@tensorflow/tfjs-node-gpu",
        packageVersion: "4.22.0",
        selectedBy: "auto" as const,
        attempts: [],
        threadsPerInstance: null,
        simd: null,
        precision: "float32" as const,
        computeDevice: "gpu" as const,
        asynchronous: true,
        versions: { node: "20.20.2", "tfjs-core": "4.22.0" },
      };
      const result: SuiteResult = {
        suite: "custom",
        status: "completed",
        loadAverage: { start: 0.1, end: 0.2 },
        startedAt: "2026-11-22T06:00:00.000Z",
        finishedAt: "2026-11-22T06:00:30.000Z",
        durationMs: 30_000,
        device,
        backend,
        fingerprint: profileFingerprint(device, backend),
        workers: 1,
        sgemm: null,
        ceilings: { wholeMachine: { scope: "whole-machine", workers: 1, precision: "float32", flopsPerS: 20e12, cpuFlopsPerS: 20e12, bestN: 4096, probes: [] } },
        bandwidth: { wholeMachine: { scope: "whole-machine", workers: 1, elements: 8388608, medianMs: 0.1, bytesPerS: 900e9, stable: true } },
        runs: [run],
      };
      const posted = await postSuiteResult(result, { server: server.url });
      expect(posted.stored).toBe(1);
      const res = await fetch(`${server.url}/v1/hardware-profiles/${posted.hardwareProfileId}`);
      const profile = (await res.json()) as { name: string; source: string; bandwidthBytesPerS: number; runCount: number };
      expect(profile).toMatchObject({ source: "upload", bandwidthBytesPerS: 900e9, runCount: 1 });
      expect(profile.name).toMatch(/Test GPU/);
      await expect(postSuiteResult({ ...result, fingerprint: "ffffffffffffffff" }, { server: server.url })).rejects.toThrow(/fingerprint/);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
