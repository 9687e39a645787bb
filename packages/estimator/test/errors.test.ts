import { describe, expect, it } from "vitest";
import { estimateInference, estimateTraining, EstimatorInputError } from "../src";
import type { Architecture, InferenceInput, TrainingInput } from "../src";

function pathOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EstimatorInputError);
    return (e as EstimatorInputError).path;
  }
  throw new Error("expected an EstimatorInputError");
}

const decoder: Architecture = { family: "decoder", layers: 4, hidden: 512, heads: 8, ffn: 2048, vocab: 1000, contextLength: 512 };
const train = (over: Partial<TrainingInput>): TrainingInput => ({ model: { architecture: decoder }, tokens: 1e9, hardware: "a100-80gb", ...over });
const serve = (over: Partial<InferenceInput>): InferenceInput => ({ model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 1 }, ...over });

describe("bad input throws EstimatorInputError naming the field", () => {
  it.each([
    ["hidden not divisible by heads", { ...decoder, hidden: 500, heads: 3 }, ["model", "architecture", "heads"]],
    ["kvHeads not dividing heads", { ...decoder, kvHeads: 3 }, ["model", "architecture", "kvHeads"]],
    ["kvHeads above heads", { ...decoder, kvHeads: 16 }, ["model", "architecture", "kvHeads"]],
    ["absurd layer count", { ...decoder, layers: 1e6 }, ["model", "architecture", "layers"]],
    ["non-positive hidden size", { ...decoder, hidden: 0 }, ["model", "architecture", "hidden"]],
    ["fractional heads", { ...decoder, heads: 2.5 }, ["model", "architecture", "heads"]],
    ["missing vocabulary", { ...decoder, vocab: undefined }, ["model", "architecture", "vocab"]],
    ["more active experts than experts", { ...decoder, moe: { experts: 4, activeExperts: 8 } }, ["model", "architecture", "moe", "activeExperts"]],
    ["unknown family", { family: "rnn" } as unknown as Architecture, ["model", "architecture", "family"]],
    ["patch size not dividing the image", { family: "encoder", layers: 2, hidden: 64, heads: 4, ffn: 128, input: { kind: "patches", imageSize: 30, patchSize: 16, channels: 3 } }, ["model", "architecture", "input", "patchSize"]],
    ["a convolution that shrinks the image to nothing", { family: "cnn", input: { height: 4, width: 4, channels: 1 }, layers: [{ type: "conv2d", filters: 8, kernel: 7 }] }, ["model", "architecture", "layers", "0"]],
    ["an empty layer list", { family: "cnn", input: { height: 4, width: 4, channels: 1 }, layers: [] }, ["model", "architecture", "layers"]],
    ["a negative MLP width", { family: "mlp", inputs: 4, hiddenLayers: [8, -1], outputs: 1 }, ["model", "architecture", "hiddenLayers", "1"]],
  ] as const)("%s", (_name, architecture, path) => {
    expect(pathOf(() => estimateTraining(train({ model: { architecture: architecture as Architecture } })))).toEqual(path);
  });

  it("a tensor-parallel degree that does not divide the heads", () => {
    expect(pathOf(() => estimateTraining(train({ tensorParallel: 3 })))).toEqual(["tensorParallel"]); // 8 heads
  });

  it("unknown preset and accelerator", () => {
    expect(pathOf(() => estimateTraining(train({ model: { preset: "gpt-9" } })))).toEqual(["model", "preset"]);
    expect(pathOf(() => estimateTraining(train({ hardware: "tpu-v99" })))).toEqual(["hardware"]);
    expect(pathOf(() => estimateInference(serve({ hardware: "nope" })))).toEqual(["hardware"]);
  });

  it("model given twice or not at all", () => {
    expect(pathOf(() => estimateTraining(train({ model: { preset: "gpt-2", parameters: 1 } as never })))).toEqual(["model"]);
    expect(pathOf(() => estimateTraining(train({ model: {} as never })))).toEqual(["model"]);
  });

  it("non-positive and absurd sizes", () => {
    expect(pathOf(() => estimateTraining(train({ model: { parameters: 0 } })))).toEqual(["model", "parameters"]);
    expect(pathOf(() => estimateTraining(train({ model: { parameters: 1e20 } })))).toEqual(["model", "parameters"]);
    expect(pathOf(() => estimateTraining(train({ tokens: -5 })))).toEqual(["tokens"]);
    expect(pathOf(() => estimateTraining(train({ tokens: 1e30 })))).toEqual(["tokens"]);
    expect(pathOf(() => estimateTraining(train({ tokens: undefined })))).toEqual(["tokens"]);
    expect(pathOf(() => estimateTraining(train({ gpus: 0 })))).toEqual(["gpus"]);
    expect(pathOf(() => estimateTraining(train({ gpus: 6, tensorParallel: 4 })))).toEqual(["gpus"]);
  });

  it("options outside their sets and ranges", () => {
    expect(pathOf(() => estimateTraining(train({ precision: "fp4" as never })))).toEqual(["precision"]);
    expect(pathOf(() => estimateTraining(train({ optimizer: "lion" as never })))).toEqual(["optimizer"]);
    expect(pathOf(() => estimateTraining(train({ zeroStage: 4 as never })))).toEqual(["zeroStage"]);
    expect(pathOf(() => estimateTraining(train({ utilisation: 1.5 })))).toEqual(["utilisation"]);
    expect(pathOf(() => estimateTraining(train({ utilisation: { low: 0.6, expected: 0.5, high: 0.7 } })))).toEqual(["utilisation"]);
    expect(pathOf(() => estimateTraining(train({ provider: "nowhere" })))).toEqual(["provider"]);
    expect(pathOf(() => estimateTraining(train({ pue: 0.5 })))).toEqual(["pue"]);
  });

  it("values so small that figures would become infinite", () => {
    expect(pathOf(() => estimateTraining(train({ utilisation: 5e-324 })))).toEqual(["utilisation"]);
    expect(pathOf(() => estimateTraining(train({ deadlineDays: 5e-324 })))).toEqual(["deadlineDays"]);
    expect(pathOf(() => estimateTraining({ model: { preset: "llama-3-8b" }, tokens: 1e13, hardware: "h100-sxm", deadlineDays: 0.01 }))).toEqual(["deadlineDays"]);
    expect(pathOf(() => estimateInference(serve({ bandwidthUtilisation: 5e-324 })))).toEqual(["bandwidthUtilisation"]);
    expect(pathOf(() => estimateInference(serve({ workload: { requestsPerSecondPeak: 5e-324 } })))).toEqual(["workload", "requestsPerSecondPeak"]);
    const tiny = { id: "x", peakFlopsPerS: { bf16: 1e14 }, memoryBytes: 8e9, memoryBandwidthBytesPerS: 5e-324 } as never;
    expect(pathOf(() => estimateInference(serve({ hardware: tiny })))).toEqual(["hardware", "memoryBandwidthBytesPerS"]);
  });

  it("a precision the accelerator has no published peak for", () => {
    expect(pathOf(() => estimateTraining(train({ hardware: "t4", precision: "bf16" })))).toEqual(["precision"]);
    expect(pathOf(() => estimateInference(serve({ hardware: "a100-80gb", quantization: "fp8" })))).toEqual(["quantization"]);
  });

  it("LoRA on a model that is not a transformer", () => {
    expect(pathOf(() => estimateTraining(train({ model: { preset: "resnet-50" }, samples: 1000, tokens: undefined, method: "lora" })))).toEqual(["method"]);
  });

  it("architecture overrides of a bare parameter count that cannot hold", () => {
    expect(pathOf(() => estimateTraining(train({ model: { parameters: 7e9, kvHeads: 5 } })))).toEqual(["model", "kvHeads"]);
    expect(pathOf(() => estimateTraining(train({ model: { parameters: 7e9, layers: 0 } })))).toEqual(["model", "layers"]);
  });

  it("serving inputs", () => {
    expect(pathOf(() => estimateInference(serve({ workload: {} })))).toEqual(["workload", "requestsPerSecondPeak"]);
    expect(pathOf(() => estimateInference(serve({ workload: { requestsPerSecondPeak: -1 } })))).toEqual(["workload", "requestsPerSecondPeak"]);
    expect(pathOf(() => estimateInference(serve({ workload: { requestsPerDay: 100, peakToAverage: 0.5 } })))).toEqual(["workload", "peakToAverage"]);
    expect(pathOf(() => estimateInference(serve({ workload: { requestsPerSecondPeak: 1, inputTokens: 0 } })))).toEqual(["workload", "inputTokens"]);
    expect(pathOf(() => estimateInference(serve({ latency: { tpotMs: -3 } })))).toEqual(["latency", "tpotMs"]);
    expect(pathOf(() => estimateInference(serve({ gpusPerReplica: 0 })))).toEqual(["gpusPerReplica"]);
    expect(pathOf(() => estimateInference(serve({ gpusPerReplica: 3 })))).toEqual(["gpusPerReplica"]); // does not divide 32 heads
    expect(pathOf(() => estimateInference(serve({ workload: { requestsPerSecondPeak: 30, requestsPerDay: 100 } })))).toEqual(["workload", "requestsPerDay"]);
    expect(pathOf(() => estimateInference(serve({ model: { preset: "resnet-50" }, latency: { tpotMs: 5 } })))).toEqual(["latency", "tpotMs"]);
  });

  it("an explicit accelerator missing a figure", () => {
    const hw = { id: "x", peakFlopsPerS: { bf16: 1e14 }, memoryBandwidthBytesPerS: 1e12 } as never;
    expect(pathOf(() => estimateTraining(train({ hardware: hw })))).toEqual(["hardware", "memoryBytes"]);
    const badPeak = { id: "x", peakFlopsPerS: { bf17: 1 }, memoryBytes: 1e9, memoryBandwidthBytesPerS: 1e12 } as never;
    expect(pathOf(() => estimateTraining(train({ hardware: badPeak })))).toEqual(["hardware", "peakFlopsPerS", "bf17"]);
  });

  it("a model that does not fit is an answer, not an error", () => {
    const e = estimateTraining({ model: { preset: "llama-3.1-405b" }, tokens: 1e9, hardware: "t4", precision: "fp16", gpus: 1 });
    expect(e.fits).toBe(false);
    const s = estimateInference({ model: { preset: "llama-3.1-405b" }, hardware: "t4", quantization: "fp16", gpusPerReplica: 1, workload: { requestsPerSecondPeak: 1 } });
    expect(s.memory.fits).toBe(false);
  });
});
