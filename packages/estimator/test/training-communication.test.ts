import { describe, expect, it } from "vitest";
import { estimateTraining, getAccelerator, getDefaults } from "../src";
import type { TrainingInput } from "../src";

// Llama 2 7B: parameters, and model FLOPs per token at 1,024 tokens (TRL's fine-tuning length)
const L = 32, H = 4096, F = 11008, V = 32000, P = 6_738_415_616;
const MATMUL = L * (4 * H * H + 3 * H * F) + V * H;
const FORWARD_PER_TOKEN_1024 = 2 * MATMUL + 4 * L * (1024 / 2) * H;
const serving = getDefaults().inference.serving;
const COMM = "MFU × ZeRO-3 communication";

// one sequence per micro-step, as a run asks for where memory is tight (the fine-tune default is Transformers' 8)
const fineTune = (hardware: string, extra: Partial<TrainingInput> = {}): TrainingInput => ({ model: { preset: "llama-2-7b" }, method: "full-fine-tune", tokens: 2e9, hardware, gpus: 8, microBatchSize: 1, ...extra });
const assumption = (e: ReturnType<typeof estimateTraining>) => e.assumptions.find((a) => a.name === COMM);

describe("ZeRO-3's per-micro-step communication", () => {
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
    // the whole band is scaled by cap ÷ the expected MFU without the traffic (ZeRO stage 1 counts none, same MFU model)
    const unbounded = estimateTraining(fineTune("l40s", { zeroStage: 1 })).utilisation;
    expect(e.throughputModel.communicationFactor).toBeCloseTo(cap / unbounded.expected, 12);
    expect(e.utilisation.low).toBeCloseTo(unbounded.low * e.throughputModel.communicationFactor, 12);
    expect(e.utilisation.high).toBeCloseTo(unbounded.high * e.throughputModel.communicationFactor, 12);
    expect(assumption(e)?.value).toBe(e.throughputModel.communicationFactor);
    expect(assumption(e)?.source).toContain("Rajbhandari et al. 2020");
    expect(assumption(e)?.source).toContain(`${(bytes / 1e9).toPrecision(3)} GB per GPU`);
    const warning = e.warnings.find((w) => w.startsWith("data-parallel communication bounds this run"));
    expect(warning).toContain("microBatchSize 5");
    // stage 1 synchronises 2Ψ of bf16 gradients once per optimizer step: behind ⌈that ÷ one micro-step's compute⌉ micro-steps
    const syncSeconds = ((7 / 8) * 2 * 2 * P) / busBytesPerS;
    const computeSeconds = flopsPerMicroStep / (peak * unbounded.expected);
    expect(warning).toContain(`zeroStage 1 with ${Math.ceil(syncSeconds / computeSeconds)} or more gradient-accumulation steps`);
    expect(Math.ceil(syncSeconds / computeSeconds)).toBe(3);
  });

  it("the changes the warning names hide the traffic and fit", () => {
    const bigger = estimateTraining(fineTune("l40s", { microBatchSize: 5 }));
    expect(bigger.throughputModel.communicationFactor).toBe(1);
    expect(bigger.fits).toBe(true);
    expect(assumption(bigger)?.source).toContain("compute hides the traffic");
    const four = estimateTraining(fineTune("l40s", { microBatchSize: 4 }));
    expect(four.throughputModel.communicationFactor).toBeLessThan(1); // the smallest that does
    const byDefault = estimateTraining({ ...fineTune("l40s"), microBatchSize: undefined }); // 8 sequences
    expect(byDefault.throughputModel.communicationFactor).toBe(1);
    const stage1 = estimateTraining(fineTune("l40s", { zeroStage: 1 }));
    expect(stage1.throughputModel.communicationFactor).toBe(1);
    expect(stage1.fits).toBe(true);
    expect(assumption(stage1)).toBeUndefined(); // gradients synchronised once per optimizer step: not counted
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
