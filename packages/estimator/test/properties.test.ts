import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateInference, estimateTraining, EstimatorInputError, listAccelerators } from "../src";
import type { Band, DecoderArchitecture } from "../src";

const gpuIds = listAccelerators().filter((a) => a.kind === "gpu" && a.peakFlopsPerS.fp16.value !== null).map((a) => a.id);

const decoderArb: fc.Arbitrary<DecoderArchitecture> = fc
  .record({
    layers: fc.integer({ min: 1, max: 96 }),
    heads: fc.constantFrom(4, 8, 16, 32, 64),
    headDim: fc.constantFrom(32, 64, 128),
    kvDivisor: fc.constantFrom(1, 2, 4),
    ffnMultiple: fc.integer({ min: 1, max: 8 }),
    gated: fc.boolean(),
    vocab: fc.integer({ min: 100, max: 200_000 }),
    contextLength: fc.constantFrom(512, 2048, 8192),
    tied: fc.boolean(),
  })
  .map((r) => ({
    family: "decoder" as const,
    layers: r.layers,
    hidden: r.heads * r.headDim,
    heads: r.heads,
    kvHeads: r.heads / r.kvDivisor,
    ffn: r.ffnMultiple * r.heads * r.headDim,
    ffnType: r.gated ? ("gated" as const) : ("plain" as const),
    vocab: r.vocab,
    contextLength: r.contextLength,
    tiedEmbeddings: r.tied,
  }));

const ordered = (b: Band) => b.low <= b.expected * (1 + 1e-12) && b.expected <= b.high * (1 + 1e-12);

describe("properties over random valid architectures", () => {
  it("training: bands are ordered, memory is positive, compute grows with tokens", () => {
    fc.assert(
      fc.property(decoderArb, fc.constantFrom(...gpuIds), fc.double({ min: 1e6, max: 1e12, noNaN: true }), (arch, hw, tokens) => {
        const e = estimateTraining({ model: { architecture: arch }, tokens, hardware: hw, precision: "fp16" });
        expect(ordered(e.gpuHours) && ordered(e.wallClockDays)).toBe(true);
        expect(e.memoryPerGpuGb.total).toBeGreaterThan(0);
        expect(e.gpus).toBeGreaterThanOrEqual(1);
        const more = estimateTraining({ model: { architecture: arch }, tokens: tokens * 2, hardware: hw, precision: "fp16", gpus: e.gpus });
        expect(more.flops.total / e.flops.total).toBeCloseTo(2, 9);
      }),
      { numRuns: 60 },
    );
  });

  it("serving: latency and throughput bands are ordered and the batch never exceeds what fits", () => {
    fc.assert(
      fc.property(decoderArb, fc.constantFrom(...gpuIds), fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 1024 }), (arch, hw, inTok, outTok) => {
        const e = estimateInference({ model: { architecture: arch }, hardware: hw, quantization: "fp16", workload: { inputTokens: inTok, outputTokens: outTok, requestsPerSecondPeak: 3 } });
        expect(ordered(e.requestLatencyMs) && ordered(e.throughputTokensPerSecPerGpu!) && ordered(e.replicas)).toBe(true);
        if (e.memory.fits) expect(e.batchSize).toBeLessThanOrEqual(e.memory.maxBatchThatFits);
        expect(e.decodeMsPerToken!.expected).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it("a kvHeads that does not divide heads is always rejected at the kvHeads field", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1, max: 64 }), (heads, kv) => {
        fc.pre(kv <= heads && heads % kv !== 0);
        try {
          estimateTraining({ model: { architecture: { family: "decoder", layers: 2, hidden: heads * 8, heads, kvHeads: kv, ffn: 64, vocab: 10, contextLength: 16 } }, tokens: 1e6, hardware: "a100-80gb" });
          return false;
        } catch (e) {
          return e instanceof EstimatorInputError && e.path.join(".") === "model.architecture.kvHeads";
        }
      }),
      { numRuns: 100 },
    );
  });
});
