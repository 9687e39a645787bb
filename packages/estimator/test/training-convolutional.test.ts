// Convolutional networks' training utilisation: the reference CNN's published throughput, not the
// transformer tables; carried to other GPUs by the roofline's binding side.
import { describe, expect, it } from "vitest";
import { estimateTraining, getAccelerator, getDefaults, isEstimatorInputError, listAccelerators } from "../src";
import type { TrainingInput } from "../src";
import { catalogPeak, fitConvolutional } from "../src/training/calibration";

const conv = getDefaults().training.mfu.convolutional;
const imagenet90: TrainingInput = { model: { preset: "resnet-50" }, samples: 1_281_167, epochs: 90, hardware: "a100-80gb", gpus: 8 };
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const value = (x: { value: number | null } | undefined) => {
  if (typeof x?.value !== "number") throw new Error("no figure");
  return x.value;
};

describe("convolutional training utilisation", () => {
  it("stores each published run's MFU as images/s per GPU × the estimator's FLOPs per image ÷ peak (scripts/calibrate-mfu.ts)", () => {
    const fit = fitConvolutional(getDefaults().training.mfu, catalogPeak(listAccelerators()));
    expect(conv.points.map((p) => ({ id: p.id, mfu: p.mfu, derivation: p.derivation }))).toEqual(fit);
    const ids = new Set(listAccelerators().map((a) => a.id));
    for (const p of conv.points) {
      expect(p.appliesTo, p.id).toContain(p.accelerator);
      for (const id of p.appliesTo) expect(ids.has(id), `${p.id}: ${id}`).toBe(true);
      expect(p.quote.length, p.id).toBeGreaterThan(10);
      expect(p.source, p.id).toMatch(/NVIDIA\/DeepLearningExamples .+ at commit [0-9a-f]{40}/);
    }
    // ResNet-50 v1.5 on 8 A100 80GB, PyTorch AMP: 16,621 images/s at 3 × 8.18 GFLOPs per image
    const pt = conv.points.find((p) => p.id === "dle-pytorch-rn50-8x-a100-80gb-amp");
    expect(pt?.mfu).toBeCloseTo((16621 / 8) * 24.54e9 / 312e12, 3);
  });

  it("on a GPU with published runs, the band is their lowest, median and highest MFU; no real-run factor", () => {
    const e = estimateTraining(imagenet90);
    const a100 = conv.points.filter((p) => p.precision === "fp16" && p.appliesTo.includes("a100-80gb")).map((p) => p.mfu);
    expect(a100.length).toBeGreaterThanOrEqual(3);
    expect(e.utilisation.low).toBe(Math.min(...a100));
    expect(e.utilisation.expected).toBe(median(a100));
    expect(e.utilisation.high).toBe(Math.max(...a100));
    expect(e.throughputModel.realRunFactor).toBe(1);
    expect(e.utilisation.source).toContain("DeepLearningExamples");
    expect(e.utilisation.source).not.toContain("llm-foundry");
    // well below what the transformer table gives a 25M-parameter model (0.38 before this model)
    expect(e.utilisation.expected).toBeLessThan(0.25);
    expect(e.gpuHours.expected).toBeCloseTo(e.flops.total / (312e12 * e.utilisation.expected * e.goodput.expected) / 3600, 6);
  });

  it("uses the published runs' batch per GPU by default, so memory is that batch's activations", () => {
    const e = estimateTraining(imagenet90);
    const one = estimateTraining({ ...imagenet90, microBatchSize: 1 });
    expect(e.assumptions.find((a) => a.name === "micro-batch size per GPU")?.value).toBe(256);
    expect(e.memoryPerGpuGb.activations).toBeCloseTo(256 * one.memoryPerGpuGb.activations, 9);
    // a transformer keeps one sequence per GPU
    const llm = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 8 });
    expect(llm.assumptions.find((a) => a.name === "micro-batch size per GPU")?.value).toBe(1);
  });

  it("on a GPU without published runs, carries every run over by min(1, bandwidth ratio ÷ peak ratio), the band reaching the runs' own MFU (hand)", () => {
    const e = estimateTraining({ ...imagenet90, hardware: "h100-sxm" });
    const h100 = getAccelerator("h100-sxm");
    const carried = conv.points
      .filter((p) => p.precision === "fp16")
      .map((p) => {
        const m = getAccelerator(p.accelerator);
        const bw = value(h100?.memoryBandwidthBytesPerS) / value(m?.memoryBandwidthBytesPerS);
        const peak = value(h100?.peakFlopsPerS.bf16) / value(m?.peakFlopsPerS.fp16);
        return p.mfu * Math.min(1, bw / peak);
      });
    expect(e.utilisation.expected).toBeCloseTo(median(carried), 12);
    expect(e.utilisation.low).toBeCloseTo(Math.min(...carried), 12);
    // compute-bound, a run keeps its own MFU: the band's high end
    expect(e.utilisation.high).toBeCloseTo(Math.max(...conv.points.filter((p) => p.precision === "fp16").map((p) => p.mfu)), 12);
    expect(e.utilisation.source).toContain("none on h100-sxm");
    // H100's peak grew ~3.2× over A100's, its bandwidth ~1.6×: images/s grow with the bandwidth
    const a100 = estimateTraining(imagenet90);
    const speedup = a100.gpuHours.expected / e.gpuHours.expected;
    expect(speedup).toBeGreaterThan(1.3);
    expect(speedup).toBeLessThan(2.5);
  });

  it("carries the runs to an accelerator given as a spec, by its own peak and bandwidth", () => {
    const spec = { id: "our-card", peakFlopsPerS: { fp16: 100e12 }, memoryBytes: 24e9, memoryBandwidthBytesPerS: 1e12 };
    const e = estimateTraining({ ...imagenet90, hardware: spec, precision: "fp16", gpus: 1, pricePerGpuHourUsd: 1 });
    expect(e.utilisation.source).toContain("our-card");
    expect(e.utilisation.expected).toBeGreaterThan(0);
    expect(e.utilisation.expected).toBeLessThan(0.3);
  });

  it("refuses a precision no CNN run was published at, naming the field, unless a utilisation is given", () => {
    let caught: unknown;
    try {
      estimateTraining({ ...imagenet90, hardware: "h100-sxm", precision: "fp8" });
    } catch (e) {
      caught = e;
    }
    expect(isEstimatorInputError(caught) && caught.path).toEqual(["precision"]);
    const given = estimateTraining({ ...imagenet90, hardware: "h100-sxm", precision: "fp8", utilisation: 0.1 });
    expect(given.utilisation.expected).toBe(0.1);
    expect(given.gpuHours.expected).toBeCloseTo(given.flops.total / (1979e12 * 0.1 * given.goodput.expected) / 3600, 9);
  });

  it("warns that an MLP's or LSTM's MFU is a transformer band, unless a utilisation is given", () => {
    const mlp: TrainingInput = { model: { architecture: { family: "mlp", inputs: 784, hiddenLayers: [512, 256], outputs: 10 } }, samples: 60_000, epochs: 20, hardware: "a100-80gb", gpus: 1 };
    expect(estimateTraining(mlp).warnings.join(" ")).toMatch(/no published training utilisation for mlp networks.*POST \/v1\/benchmarks/);
    expect(estimateTraining({ ...mlp, utilisation: 0.01 }).warnings.join(" ")).not.toMatch(/no published training utilisation/);
    expect(estimateTraining(imagenet90).warnings.join(" ")).not.toMatch(/no published training utilisation/);
  });

  it("when the runs' batch does not fit, names the largest micro-batch that fits on the same GPUs (checked by re-asking)", () => {
    const t4: TrainingInput = { ...imagenet90, hardware: "t4", precision: "fp32", gpus: 1 };
    const e = estimateTraining(t4);
    expect(e.fits).toBe(false);
    const m = /It fits with microBatchSize (\d+) on 1 GPU \(the utilisation is that of the published runs at 256 images per GPU/.exec(e.warnings.join(" "));
    expect(m).not.toBeNull();
    const batch = Number(m?.[1]);
    expect(estimateTraining({ ...t4, microBatchSize: batch }).fits).toBe(true);
    expect(estimateTraining({ ...t4, microBatchSize: batch + 1 }).fits).toBe(false);
  });
});
