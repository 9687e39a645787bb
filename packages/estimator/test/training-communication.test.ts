import { describe, expect, it } from "vitest";
import { EstimatorInputError, estimateTraining, getAccelerator, getDefaults } from "../src";
import { resolveHardware } from "../src/hardware";
import { communicationFactor, dataParallelTraffic, expertParallelDegree, syncSlots, type DataParallelRun, type DataParallelTraffic } from "../src/training/communication";
import type { TrainingInput } from "../src";

// Llama 2 7B: parameters, and model FLOPs per token at 1,024 tokens (TRL's fine-tuning length)
const L = 32, H = 4096, F = 11008, V = 32000, P = 6_738_415_616;
const MATMUL = L * (4 * H * H + 3 * H * F) + V * H;
const FORWARD_PER_TOKEN_1024 = 2 * MATMUL + 4 * L * (1024 / 2) * H;
const serving = getDefaults().inference.serving;
const COMM = "MFU × ZeRO-3 communication";
const SYNC = "MFU × gradient synchronisation";

// one sequence per micro-step, as a run asks for where memory is tight (the fine-tune default is Transformers' 8)
const fineTune = (hardware: string, extra: Partial<TrainingInput> = {}): TrainingInput => ({ model: { preset: "llama-2-7b" }, method: "full-fine-tune", tokens: 2e9, hardware, gpus: 8, microBatchSize: 1, ...extra });
const assumption = (e: ReturnType<typeof estimateTraining>) => e.assumptions.find((a) => a.name === COMM);

describe("ZeRO-3's per-micro-step communication", () => {
  it("is the same at any gradient-accumulation steps (it moves every micro-step), whose default is then no assumption", () => {
    const one = estimateTraining(fineTune("l40s"));
    const eight = estimateTraining(fineTune("l40s", { gradientAccumulationSteps: 8 }));
    expect(eight.throughputModel.communicationFactor).toBe(one.throughputModel.communicationFactor);
    expect(one.assumptions.some((a) => a.name.startsWith("gradient-accumulation"))).toBe(false);
  });


  it("caps the MFU where the GPUs share only PCIe: 8 L40S fine-tuning a 7B (hand)", () => {
    const e = estimateTraining(fineTune("l40s"));
    // weights twice (all-gather, bf16) and gradients once (reduce-scatter, bf16) per micro-step, 7/8 of them from the other GPUs
    const bytes = (7 / 8) * (2 * 2 * P + 2 * P);
    const link = getAccelerator("l40s")?.interconnect.bandwidthBytesPerS as number;
    const busBytesPerS = (link / 2) * serving.linkEfficiency.value;
    const commSeconds = bytes / busBytesPerS;
    const flopsPerMicroStep = 3 * FORWARD_PER_TOKEN_1024 * 1024; // one sequence of 1,024 tokens
    const peak = e.hardware.peakFlopsPerS;
    const cap = flopsPerMicroStep / (peak * commSeconds);
    expect(e.throughputModel.communicationFactor).toBeLessThan(1);
    expect(e.utilisation.expected).toBeCloseTo(cap, 12);
    expect(e.gpuHours.expected).toBeCloseTo(e.flops.total / (peak * cap * e.goodput.expected) / 3600, 6);
    // the whole band is scaled by cap ÷ the expected MFU without the traffic (the MFU model does not depend on the micro-batch; at 8 compute hides it)
    const unbounded = estimateTraining(fineTune("l40s", { microBatchSize: 8 })).utilisation;
    expect(e.throughputModel.communicationFactor).toBeCloseTo(cap / unbounded.expected, 12);
    expect(e.utilisation.low).toBeCloseTo(unbounded.low * e.throughputModel.communicationFactor, 12);
    // but the fast end: no recomputation is named, so it runs at selective recomputation, which fits at one sequence (training.test.ts)
    expect(e.utilisation.high).toBeCloseTo(estimateTraining(fineTune("l40s", { activationRecomputation: "selective" })).utilisation.high, 12);
    expect(assumption(e)?.value).toBe(e.throughputModel.communicationFactor);
    expect(assumption(e)?.source).toContain("Rajbhandari et al. 2020");
    expect(assumption(e)?.source).toContain(`${(bytes / 1e9).toPrecision(3)} GB per GPU`);
    const warning = e.warnings.find((w) => w.startsWith("data-parallel communication bounds this run"));
    expect(warning).toContain("microBatchSize 4");
    // stage 1 synchronises 2Ψ of bf16 gradients once per optimizer step, overlapping the last micro-step's backward pass
    // (3 of the 4 forward-sized passes under full recomputation); k micro-steps keep k·c ÷ (k·c + exposed) ≥ 0.9
    const syncSeconds = ((7 / 8) * 2 * 2 * P) / busBytesPerS;
    const computeSeconds = flopsPerMicroStep / (peak * unbounded.expected);
    const exposed = syncSeconds - 0.75 * computeSeconds;
    const steps = Math.ceil((9 * exposed) / computeSeconds);
    expect(steps).toBe(12);
    const mfu = unbounded.expected * ((steps * computeSeconds) / (steps * computeSeconds + exposed));
    expect(warning).toContain(`zeroStage 1 with gradientAccumulationSteps ${steps} (no weights gathered; its gradients, ${(syncSeconds).toPrecision(3)} s on the link, are synchronised once per optimizer step: MFU ${mfu.toFixed(3)}; a global batch of ${Number(((8 * 1024 * steps) / 1e3).toPrecision(3))}K tokens)`);
  });

  it("the changes the warning names hide the traffic and fit", () => {
    const bigger = estimateTraining(fineTune("l40s", { microBatchSize: 4 }));
    expect(bigger.throughputModel.communicationFactor).toBe(1);
    expect(bigger.fits).toBe(true);
    expect(assumption(bigger)?.source).toContain("compute hides the traffic");
    const three = estimateTraining(fineTune("l40s", { microBatchSize: 3 }));
    expect(three.throughputModel.communicationFactor).toBeLessThan(1); // 4 is the smallest that hides it
    const byDefault = estimateTraining({ ...fineTune("l40s"), microBatchSize: undefined }); // 8 sequences
    expect(byDefault.throughputModel.communicationFactor).toBe(1);
    const stage1 = estimateTraining(fineTune("l40s", { zeroStage: 1, gradientAccumulationSteps: 12 }));
    expect(stage1.throughputModel.communicationFactor).toBeGreaterThanOrEqual(0.9);
    expect(stage1.fits).toBe(true);
    expect(stage1.warnings.some((w) => w.startsWith("data-parallel communication"))).toBe(false);
    expect(assumption(stage1)).toBeUndefined();
    expect(stage1.assumptions.find((a) => a.name === SYNC)?.value).toBe(stage1.throughputModel.communicationFactor);
  });

  it("leaves an NVLink node computing: 8 A100s fine-tuning a 7B, the assumption says so", () => {
    const e = estimateTraining(fineTune("a100-80gb"));
    expect(e.throughputModel.communicationFactor).toBe(1);
    expect(assumption(e)?.source).toContain("compute hides the traffic");
    expect(e.warnings.some((w) => w.startsWith("data-parallel communication"))).toBe(false);
  });

  it("a data-parallel group with one GPU per node crosses nodes on one NIC; one with eight on up to eight", () => {
    const tp8 = estimateTraining({ model: { preset: "llama-2-70b" }, tokens: 1e11, hardware: "a100-80gb", gpus: 64, tensorParallel: 8 });
    const nic = (serving.interNodeBandwidthBytesPerSPerGpu.value / 2) * serving.linkEfficiency.value;
    expect(assumption(tp8)?.source).toContain(`at ${(nic / 1e9).toPrecision(3)} GB/s`);
    const dp = estimateTraining(fineTune("a100-80gb", { gpus: 64 }));
    const nvlink = ((getAccelerator("a100-80gb")?.interconnect.bandwidthBytesPerS as number) / 2) * serving.linkEfficiency.value;
    expect(assumption(dp)?.source).toContain(`at ${(nvlink / 1e9).toPrecision(3)} GB/s`); // 8 NICs carry more than the GPU link
  });

  it("counts nothing for one GPU, and takes a given utilisation as it is (a measured run includes its communication)", () => {
    const one = estimateTraining(fineTune("l40s", { method: "qlora", gpus: 1 }));
    expect(one.throughputModel.communicationFactor).toBe(1);
    expect(assumption(one)).toBeUndefined();
    const given = estimateTraining(fineTune("l40s", { utilisation: 0.3 }));
    expect(given.utilisation.expected).toBe(0.3);
    expect(given.throughputModel.communicationFactor).toBe(1);
    expect(assumption(given)).toBeUndefined();
  });

  it("a deadline buys the GPUs the communication-bound rate needs", () => {
    const e = estimateTraining({ ...fineTune("l40s"), gpus: undefined, deadlineDays: 2 });
    expect(e.wallClockDays.expected).toBeLessThanOrEqual(2);
    expect(e.throughputModel.communicationFactor).toBeLessThan(1);
    const fewer = estimateTraining({ ...fineTune("l40s"), gpus: e.gpus - 1 });
    expect(fewer.wallClockDays.expected).toBeGreaterThan(2);
  });
});

describe("a mixture of experts pre-trained with expert parallelism", () => {
  it("takes the largest divisor of the experts that divides the data-parallel degree", () => {
    expect(expertParallelDegree(8, 64)).toBe(8);
    expect(expertParallelDegree(128, 48)).toBe(16);
    expect(expertParallelDegree(8, 6)).toBe(2);
    expect(expertParallelDegree(8, 1)).toBe(1);
  });

  it("synchronises the dense weights over every GPU, the experts among those holding the same ones, and adds the all-to-all (hand)", () => {
    const base: DataParallelRun = {
      acc: resolveHardware("h100-sxm"), states: { weights: 100e9, gradients: 100e9, optimizer: 600e9 }, zeroStage: 3, gpus: 64, tensorParallel: 1, pipelineParallel: 1,
      gradientAccumulationSteps: 1, modelFlopsPerMicroStepPerGpu: 1e15, backwardShare: 2 / 3, peakFlopsPerS: 989e12, experts: null,
    };
    const dense = dataParallelTraffic(base)!;
    expect(dense.bytesPerGpu).toBeCloseTo((63 / 64) * 300e9, 0);
    expect(dense.expertParallel).toBeNull();
    const moe = dataParallelTraffic({ ...base, experts: { experts: 8, stateShare: 0.9, allToAllBytesPerMicroStep: 4e9 } })!;
    // e = 8, so 8 GPUs hold the same experts: the dense 10% over 64, the experts' 90% ÷ 8 over 8, the all-to-all × 7/8
    expect(moe.expertParallel).toBe(8);
    expect(moe.bytesPerGpu).toBeCloseTo(0.1 * 300e9 * (63 / 64) + ((0.9 * 300e9) / 8) * (7 / 8) + 4e9 * (7 / 8), 0);
    // stages 0–2: the gradients (2Ψ) the same way, once per optimizer step, without the per-micro-step all-to-all
    const sync = dataParallelTraffic({ ...base, zeroStage: 1, experts: { experts: 8, stateShare: 0.9, allToAllBytesPerMicroStep: 4e9 } })!;
    expect(sync.bytesPerGpu).toBeCloseTo(0.1 * 200e9 * (63 / 64) + ((0.9 * 200e9) / 8) * (7 / 8), 0);
  });

  it("applies to pre-training only: a fine-tune under FSDP gathers every expert with the rest", () => {
    const body: TrainingInput = { model: { preset: "mixtral-8x7b" }, tokens: 1e11, hardware: "h100-sxm", gpus: 64, microBatchSize: 1, sequenceLength: 1024 };
    const pre = estimateTraining(body);
    const ft = estimateTraining({ ...body, method: "full-fine-tune" });
    expect(pre.assumptions.some((a) => a.name === "expert parallelism")).toBe(true);
    expect(ft.assumptions.some((a) => a.name === "expert parallelism")).toBe(false);
    const gb = (e: typeof pre) => Number(/: ([\d.e+]+) GB per GPU/.exec(e.assumptions.find((a) => a.name === "MFU × ZeRO-3 communication")!.source)![1]);
    expect(gb(pre)).toBeLessThan(gb(ft) / 3);
    expect(pre.assumptions.find((a) => a.name === "MFU × ZeRO-3 communication")!.source).toContain("at expert parallelism 8");
  });
});

describe("gradient synchronisation of ZeRO stages 0–2, once per optimizer step", () => {
  const stage1 = (hardware: string, extra: Partial<TrainingInput> = {}) => estimateTraining(fineTune(hardware, { zeroStage: 1, ...extra }));
  const sync = (e: ReturnType<typeof estimateTraining>) => e.assumptions.find((a) => a.name === SYNC);
  const link = ((getAccelerator("l40s")?.interconnect.bandwidthBytesPerS as number) / 2) * serving.linkEfficiency.value;
  const syncSeconds = ((7 / 8) * 2 * 2 * P) / link; // 2Ψ of bf16 gradients, 7/8 from the other GPUs

  it("leaves exposed what outlasts the last backward pass, amortised over the accumulation steps (hand, 8 L40S)", () => {
    const mfu = estimateTraining(fineTune("l40s", { microBatchSize: 8 })).utilisation.expected; // the MFU model, compute-bound
    const e = stage1("l40s"); // Transformers' default: one micro-step per optimizer step
    const c = (3 * FORWARD_PER_TOKEN_1024 * 1024) / (e.hardware.peakFlopsPerS * mfu);
    const exposed = syncSeconds - 0.75 * c; // full recomputation: the backward pass is 3 of 4 forward-sized passes
    expect(exposed).toBeGreaterThan(0);
    expect(e.throughputModel.communicationFactor).toBeCloseTo(c / (c + exposed), 12);
    expect(e.utilisation.expected).toBeCloseTo(mfu * (c / (c + exposed)), 12);
    expect(sync(e)?.source).toContain("Li et al. 2020");
    expect(e.assumptions.find((a) => a.name.startsWith("gradient-accumulation"))?.value).toBe(1);
    const four = stage1("l40s", { gradientAccumulationSteps: 4 });
    expect(four.throughputModel.communicationFactor).toBeCloseTo((4 * c) / (4 * c + exposed), 12);
    expect(four.gpuHours.expected).toBeLessThan(e.gpuHours.expected);
    const ddp = estimateTraining(fineTune("l40s", { zeroStage: 0, gpus: 16, tensorParallel: 4 }));
    expect(sync(ddp)).toBeDefined(); // stage 0 (DDP) synchronises the same way
  });

  it("reports the batch it assumed: micro-batch, accumulation steps and the global batch they make", () => {
    expect(stage1("l40s", { gradientAccumulationSteps: 21 }).parallelism).toMatchObject({ dataParallel: 8, microBatchSize: 1, gradientAccumulationSteps: 21, globalBatchSize: 168 });
    expect(estimateTraining({ ...fineTune("l40s"), microBatchSize: undefined }).parallelism).toMatchObject({ microBatchSize: 8, gradientAccumulationSteps: 1, globalBatchSize: 64 });
  });

  it("warns where it costs more than a tenth of the MFU, and names what brings it back", () => {
    const e = stage1("l40s");
    const warning = e.warnings.find((w) => w.startsWith("data-parallel communication bounds this run"));
    expect(warning).toContain("ZeRO stage 1 synchronises 23.6 GB of gradients per GPU once per optimizer step");
    expect(warning).toContain("microBatchSize 3 (its backward pass outlasts the same traffic)");
    expect(warning).toContain("gradientAccumulationSteps 12");
    const micro = stage1("l40s", { microBatchSize: 3 });
    expect(micro.throughputModel.communicationFactor).toBe(1);
    expect(micro.fits).toBe(true);
    const steps = stage1("l40s", { gradientAccumulationSteps: 12 });
    expect(steps.throughputModel.communicationFactor).toBeGreaterThanOrEqual(0.9);
    expect(steps.throughputModel.communicationFactor).toBeLessThan(1);
    expect(steps.warnings.some((w) => w.startsWith("data-parallel communication"))).toBe(false);
    expect(stage1("l40s", { gradientAccumulationSteps: 11 }).throughputModel.communicationFactor).toBeLessThan(0.9);
  });

  it("is hidden behind the backward pass over NVLink, and absent for one data-parallel GPU or a given utilisation", () => {
    const a100 = stage1("a100-80gb");
    expect(a100.throughputModel.communicationFactor).toBe(1);
    expect(sync(a100)?.source).toContain("compute hides the traffic");
    expect(stage1("l40s", { gpus: 1, method: "qlora" }).throughputModel.communicationFactor).toBe(1);
    expect(sync(stage1("l40s", { utilisation: 0.3 }))).toBeUndefined();
  });

  it("refuses a gradient-accumulation count that is not a positive integer within bounds, naming the field", () => {
    for (const bad of [0, 1.5, -2, 70_000, "4"]) {
      expect(() => estimateTraining(fineTune("l40s", { gradientAccumulationSteps: bad as number }))).toThrow(EstimatorInputError);
      try {
        estimateTraining(fineTune("l40s", { gradientAccumulationSteps: bad as number }));
      } catch (err) {
        expect((err as EstimatorInputError).path).toEqual(["gradientAccumulationSteps"]);
      }
    }
  });
});

describe("the pipeline bubble, once per optimizer step", () => {
  // one micro-batch per optimizer step unless a test says otherwise (a pre-training's default follows from its global batch)
  const run = (extra: Partial<TrainingInput> = {}) =>
    estimateTraining({ model: { preset: "llama-2-70b" }, tokens: 1e11, hardware: "h100-sxm", gpus: 64, tensorParallel: 8, pipelineParallel: 4, gradientAccumulationSteps: 1, ...extra });
  const bubble = (e: ReturnType<typeof estimateTraining>) => e.assumptions.find((a) => a.name === "MFU × pipeline bubble");

  it("scales the MFU by m ÷ (m + p − 1): 4 stages at one micro-batch per step compute a quarter of it", () => {
    const one = run();
    const many = run({ gradientAccumulationSteps: 32 });
    expect(bubble(one)?.value).toBe(1 / 4);
    expect(bubble(many)?.value).toBe(32 / 35);
    expect(one.utilisation.expected / many.utilisation.expected).toBeCloseTo(1 / 4 / (32 / 35), 12);
    expect(one.gpuHours.expected / many.gpuHours.expected).toBeCloseTo(4 * (32 / 35), 9);
  });

  it("takes a pre-training's steps from a 4M-token global batch where none are given", () => {
    const e = run({ gradientAccumulationSteps: undefined }); // 2 data-parallel GPUs × one sequence of 4,096 tokens per micro-step
    const steps = Math.round(4e6 / (2 * 4096));
    expect(e.parallelism).toMatchObject({ dataParallel: 2, microBatchSize: 1, gradientAccumulationSteps: steps, globalBatchSize: 2 * steps });
    expect(bubble(e)?.value).toBe(steps / (steps + 3));
    expect(e.warnings.some((w) => w.includes("pipeline bubble"))).toBe(false);
    expect(e.assumptions.find((a) => a.name === "gradient-accumulation steps per optimizer step")?.source).toContain("LLaMA model card");
    // a deadline's GPU count sets the steps too; a fine-tune keeps Transformers' one step
    const byDeadline = run({ gradientAccumulationSteps: undefined, gpus: undefined, deadlineDays: 10 });
    expect(byDeadline.parallelism.gradientAccumulationSteps).toBe(Math.max(1, Math.round(4e6 / (byDeadline.parallelism.dataParallel * 4096))));
    expect(estimateTraining({ ...fineTune("a100-80gb"), zeroStage: 1 }).parallelism.gradientAccumulationSteps).toBe(1);
    // listed with its source wherever it is derived, ZeRO-3 without a pipeline included
    const zero3 = estimateTraining({ model: { preset: "llama-2-70b" }, hardware: "a100-80gb", tokens: 2e12 });
    expect(zero3.assumptions.find((a) => a.name === "gradient-accumulation steps per optimizer step")?.value).toBe(zero3.parallelism.gradientAccumulationSteps);
  });

  it("warns where one micro-step on the data-parallel GPUs is already above the largest published global batch (16M tokens)", () => {
    const input: TrainingInput = { model: { parameters: 13e9 }, hardware: "a100-80gb", tokens: 2e12, tensorParallel: 4, pipelineParallel: 8, zeroStage: 1, microBatchSize: 8, sequenceLength: 8192, gpus: 16_384 };
    const e = estimateTraining(input);
    expect(e.parallelism.gradientAccumulationSteps).toBe(1);
    expect(e.warnings.find((w) => w.startsWith("one micro-step on 512 data-parallel GPUs already takes 33.6M tokens, more than the 16.0M-token global batch"))).toContain("or a smaller microBatchSize");
    expect(estimateTraining({ ...input, gpus: 4096 }).warnings.some((w) => w.startsWith("one micro-step on"))).toBe(false); // 8.4M tokens
  });

  it("names the global batch a change of steps makes", () => {
    const e = estimateTraining({ model: { preset: "mixtral-8x7b" }, hardware: "b200", tokens: 15e12, zeroStage: 1, sequenceLength: 2048, gpus: 4096 });
    expect(e.warnings.find((w) => w.startsWith("data-parallel communication"))).toMatch(/gradientAccumulationSteps 2 \(the same synchronisation once per 2 micro-steps: MFU 0\.\d{3}; a global batch of 8\.39M tokens\)/);
  });

  it("warns where a stage idles more than a tenth of the step, naming the steps that keep it under", () => {
    expect(run().warnings).toContain("pipelineParallel 4 with one micro-batch per optimizer step leaves each stage idle 75% of the step (the pipeline bubble); gradientAccumulationSteps 27 or more keeps it to a tenth or less (27 micro-batches per step; a global batch of 221K tokens)");
    expect(run({ gradientAccumulationSteps: 27 }).warnings.some((w) => w.includes("pipeline bubble"))).toBe(false);
    expect(run({ gradientAccumulationSteps: 26 }).warnings.some((w) => w.includes("pipeline bubble"))).toBe(true);
  });

  it("holds the activations of the micro-batches in flight: m of the p a 1F1B first stage holds at most", () => {
    const one = run(), two = run({ gradientAccumulationSteps: 2 }), many = run({ gradientAccumulationSteps: 32 });
    expect(one.memoryPerGpuGb.activations).toBeCloseTo(many.memoryPerGpuGb.activations / 4, 9);
    expect(two.memoryPerGpuGb.activations).toBeCloseTo(many.memoryPerGpuGb.activations / 2, 9);
    expect(run({ gradientAccumulationSteps: 4 }).memoryPerGpuGb.activations).toBe(many.memoryPerGpuGb.activations);
    expect(one.assumptions.find((a) => a.name === "micro-batches in flight per pipeline stage")?.value).toBe(1);
    expect(many.assumptions.some((a) => a.name === "micro-batches in flight per pipeline stage")).toBe(false);
  });

  it("is absent without pipeline parallelism and for a given utilisation", () => {
    expect(bubble(run({ pipelineParallel: 1 }))).toBeUndefined();
    const given = run({ utilisation: 0.4 });
    expect(bubble(given)).toBeUndefined();
    expect(given.utilisation.expected).toBe(0.4);
  });

  it("a deadline buys the GPUs the bubbled rate needs", () => {
    const e = run({ gpus: undefined, deadlineDays: 20 });
    expect(e.wallClockDays.expected).toBeLessThanOrEqual(20);
    expect(run({ gpus: e.gpus - 32 }).wallClockDays.expected).toBeGreaterThan(20);
  });
});

describe("the changes a warning names do what it says", () => {
  // inputs where a naive suggestion would not fit, or would promise an MFU the answer does not give
  const cases: Record<string, TrainingInput> = {
    "stage 1, tensor 4 × pipeline 2 on 64 H100s": { model: { preset: "llama-2-70b" }, hardware: "h100-sxm", method: "pre-train", tokens: 1e11, zeroStage: 1, tensorParallel: 4, pipelineParallel: 2, gpus: 64, gradientAccumulationSteps: 1 },
    "stage 1, tensor 8 × pipeline 4 on 512 H100s": { model: { preset: "llama-2-70b" }, hardware: "h100-sxm", method: "pre-train", tokens: 2e12, zeroStage: 1, tensorParallel: 8, pipelineParallel: 4, gpus: 512, gradientAccumulationSteps: 1 },
    "DDP, pipeline 4 on 16 L40S": { model: { preset: "llama-2-7b" }, hardware: "l40s", method: "pre-train", tokens: 1e11, zeroStage: 0, pipelineParallel: 4, gpus: 16, gradientAccumulationSteps: 1 },
    "ZeRO-3, tensor 4 × pipeline 2, GPUs chosen": { model: { preset: "mixtral-8x7b" }, hardware: "h100-sxm", method: "pre-train", tokens: 1e11, zeroStage: 3, tensorParallel: 4, pipelineParallel: 2, gradientAccumulationSteps: 1 },
    "ZeRO-3 fine-tune at one sequence on 8 L40S": fineTune("l40s"),
    "stage 1 fine-tune at one sequence on 8 L40S": fineTune("l40s", { zeroStage: 1 }),
  };
  const bounded = (e: ReturnType<typeof estimateTraining>) => e.warnings.filter((w) => w.startsWith("data-parallel communication bounds") || w.includes("(the pipeline bubble)"));
  let mfuPromisesChecked = 0;

  it.each(Object.entries(cases))("%s", (_name, input) => {
    const e = estimateTraining(input);
    const warnings = bounded(e);
    expect(warnings.length).toBeGreaterThan(0);
    let checked = 0;
    for (const w of warnings) {
      const gpus = /give gpus (\d+)/.exec(w)?.[1];
      const at: Partial<TrainingInput> = gpus ? { gpus: Number(gpus) } : {};
      if (w.includes("(the pipeline bubble)")) {
        const steps = /gradientAccumulationSteps (\d+) or more/.exec(w)?.[1];
        if (!steps) {
          // said not to fit: it does not
          const would = Number(/gradientAccumulationSteps (\d+) would/.exec(w)?.[1]);
          expect(estimateTraining({ ...input, ...at, gradientAccumulationSteps: would }).fits).toBe(false);
          checked++;
          continue;
        }
        const after = estimateTraining({ ...input, ...at, gradientAccumulationSteps: Number(steps) });
        expect(after.fits).toBe(true);
        expect(after.assumptions.find((a) => a.name === "MFU × pipeline bubble")?.value).toBeGreaterThanOrEqual(0.9);
        checked++;
        continue;
      }
      if (w.includes("no change named here hides it and fits")) {
        // neither a larger micro-batch nor more accumulation steps fits on these GPUs
        expect(estimateTraining({ ...input, ...at, gradientAccumulationSteps: (input.gradientAccumulationSteps ?? 1) + 1 }).fits).toBe(false);
        checked++;
      }
      for (const option of w.split("it fits with ")[1]?.split(", or ") ?? []) {
        const change: Partial<TrainingInput> = { ...at };
        const micro = /^microBatchSize (\d+)/.exec(option)?.[1];
        if (micro) change.microBatchSize = Number(micro);
        if (option.startsWith("zeroStage 1")) change.zeroStage = 1;
        const steps = /gradientAccumulationSteps (\d+)/.exec(option)?.[1];
        if (steps) change.gradientAccumulationSteps = Number(steps);
        const after = estimateTraining({ ...input, ...change });
        expect(after.fits).toBe(true);
        expect(after.throughputModel.communicationFactor).toBeGreaterThanOrEqual(0.9);
        const mfu = /MFU (\d\.\d{3})[;)]/.exec(option)?.[1];
        if (mfu) {
          expect(after.utilisation.expected).toBeCloseTo(Number(mfu), 3);
          mfuPromisesChecked++;
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("checked the MFU the options promise (accumulation steps and stage 1 among them)", () => {
    expect(mfuPromisesChecked).toBeGreaterThanOrEqual(3);
  });

  it("the warning's MFU is the answer's, the pipeline bubble included", () => {
    const e = estimateTraining(cases["stage 1, tensor 8 × pipeline 4 on 512 H100s"]);
    const w = bounded(e).find((x) => x.startsWith("data-parallel"));
    expect(w).toContain(`to ${e.utilisation.expected.toFixed(3)};`);
  });
});

describe("a step of m micro-batches on p pipeline stages with one exposed synchronisation", () => {
  it("takes (m + p − 1)·c + exposed: the bubble × the communication factor is m·c ÷ that (hand)", () => {
    const traffic: DataParallelTraffic = {
      kind: "gradient-sync", bytesPerGpu: 1e9, busBytesPerS: 1e9, seconds: 1, slotsPerSync: syncSlots(1, 4), overlapShare: 0.75, computeSecondsAtFullMfu: 0.1, crossesNodes: false, expertParallel: null,
    };
    const c = 0.1 / 0.5, exposed = 1 - 0.75 * c;
    const factor = communicationFactor(traffic, 0.5);
    expect(factor).toBeCloseTo((4 * c) / (4 * c + exposed), 12);
    expect((1 / 4) * factor).toBeCloseTo(c / (4 * c + exposed), 12); // not the bubble × c ÷ (c + exposed), which charges the exposed time four times
  });
});

describe("the deadline search", () => {
  const run = (extra: Partial<TrainingInput>) =>
    estimateTraining({ model: { preset: "llama-2-70b" }, hardware: "mi300x", method: "pre-train", tokens: 1e12, zeroStage: 3, microBatchSize: 1, tensorParallel: 4, pipelineParallel: 2, gradientAccumulationSteps: 4, ...extra });

  it("meets the deadline where the rate keeps falling as GPUs are added, with the fewest GPUs that do", () => {
    for (const deadlineDays of [2, 1]) {
      const e = run({ deadlineDays });
      expect(e.gpusChosenBy).toBe("deadline");
      expect(e.deadlineMet).toBe(true);
      expect(run({ gpus: e.gpus - 8 }).wallClockDays.expected).toBeGreaterThan(deadlineDays);
    }
  });

  it("refuses a deadline no GPU count meets, naming the fastest, where more GPUs make the run slower", () => {
    expect(() => run({ deadlineDays: 0.95 })).toThrow(/no GPU count finishes in 0.95 days: past about [\d,]+ mi300x the run slows down/);
    try {
      run({ deadlineDays: 0.95 });
    } catch (err) {
      expect((err as EstimatorInputError).path).toEqual(["deadlineDays"]);
      const gpus = Number(/past about ([\d,]+)/.exec((err as Error).message)?.[1].replace(/,/g, ""));
      const days = Number(/the fastest is about ([\d.]+) days/.exec((err as Error).message)?.[1]);
      expect(days).toBeGreaterThan(0.95);
      expect(run({ gpus }).wallClockDays.expected).toBeCloseTo(days, 3);
      for (const other of [gpus - 8, gpus + 8, Math.round(gpus * 0.9 / 8) * 8, Math.round(gpus * 1.1 / 8) * 8]) {
        expect(run({ gpus: other }).wallClockDays.expected).toBeGreaterThanOrEqual(run({ gpus }).wallClockDays.expected);
      }
    }
  });

  it("says how many GPUs a too-short deadline needs where only the largest count taken limits it (a given goodput)", () => {
    expect(() => estimateTraining({ model: { preset: "llama-2-70b" }, hardware: "h100-sxm", tokens: 2e12, deadlineDays: 0.01, goodput: 0.9 })).toThrow(/finishing in 0.01 days needs [\d.e+]+ GPUs, beyond 1,000,000/);
  });

  it("warns where more GPUs than the goodput model's fastest count are asked for", () => {
    const base = { model: { preset: "llama-2-70b" }, hardware: "h100-sxm", tokens: 2e12 } as const;
    const many = estimateTraining({ ...base, gpus: 120_000 });
    expect(many.warnings.find((w) => w.includes("job interruption"))).toMatch(/^at 120,000 GPUs a job interruption comes every 23 minutes .* the 15 minutes each one costs: past about 91,132 GPUs more GPUs make the run slower/);
    expect(estimateTraining({ ...base, gpus: 120_000 }).wallClockDays.expected).toBeGreaterThan(estimateTraining({ ...base, gpus: 91_136 }).wallClockDays.expected);
    expect(estimateTraining({ ...base, gpus: 40_000 }).warnings.some((w) => w.includes("job interruption"))).toBe(false);
    expect(estimateTraining({ ...base, gpus: 120_000, goodput: 0.9 }).warnings.some((w) => w.includes("job interruption"))).toBe(false);
  });
});
