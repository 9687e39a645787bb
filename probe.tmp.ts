import { estimateInference } from "./packages/estimator/src/index";
const cases: any[] = [
 { model: { preset: "llama-3-70b" }, hardware: "h100-sxm", gpusPerReplica: 4, quantization: "fp8", kvCachePrecision: "fp8", workload: { inputTokens: 2048, outputTokens: 2048, requestsPerSecondPeak: 1 } },
 { model: { preset: "llama-3-70b" }, hardware: "h200", gpusPerReplica: 1, quantization: "fp8", kvCachePrecision: "fp8", workload: { inputTokens: 128, outputTokens: 2048, requestsPerSecondPeak: 1 } },
 { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", gpusPerReplica: 1, quantization: "fp8", kvCachePrecision: "fp8", workload: { inputTokens: 128, outputTokens: 2048, requestsPerSecondPeak: 1 } },
 { model: { preset: "mixtral-8x7b" }, hardware: "h100-sxm", gpusPerReplica: 2, quantization: "fp8", kvCachePrecision: "fp8", workload: { inputTokens: 128, outputTokens: 2048, requestsPerSecondPeak: 1 } },
];
for (const c of cases) {
  const e = estimateInference(c);
  console.log(c.model.preset, c.hardware, c.gpusPerReplica, c.workload.inputTokens, c.workload.outputTokens, "batch", e.batchSize, e.memory.concurrencyLimitedBy, "pool GB", e.memory.kvCachePoolGb?.toFixed(1), "kv/seq GB", e.memory.kvCachePerSequenceGb.toFixed(3), "tpot", e.tpotMs?.expected.toFixed(2), "decode", e.decodeMsPerToken?.expected.toFixed(2), e.decodeBound, "tok/s/gpu", e.throughputTokensPerSecPerGpu?.expected.toFixed(0));
}
