// Speed of the estimation engine, for the README: estimates per second and CPU microseconds per
// estimate, single thread, per case. The CPU time (process.cpuUsage) is what an estimate costs a
// server; on a shared machine it is steadier than the wall-clock rate, which waits for other work.
// Run: npx tsx packages/estimator/scripts/bench.ts [seconds-per-case]
// Performance is documented, not asserted: the figures depend on the machine.
import { estimateInference, estimateTraining } from "../src";
import type { InferenceInput, TrainingInput } from "../src";

const secondsPerCase = Number(process.argv[2] ?? 2);

const trainingCases: Record<string, TrainingInput> = {
  "training llama-3-70b, GPUs omitted (fewest that fit)": { model: { preset: "llama-3-70b" }, tokens: 2e12, hardware: "h100-sxm" },
  "training gpt-3-175b, deadline 30 days": { model: { preset: "gpt-3-175b" }, tokens: 3e11, hardware: "a100-80gb", tensorParallel: 8, deadlineDays: 30 },
  "training resnet-50, 90 epochs": { model: { preset: "resnet-50" }, samples: 1_281_167, epochs: 90, hardware: "a100-40gb" },
  "training custom decoder, QLoRA": { model: { architecture: { family: "decoder", layers: 24, hidden: 2048, heads: 16, kvHeads: 4, ffn: 5632, ffnType: "gated", vocab: 32000, contextLength: 4096 } }, tokens: 5e8, hardware: "l4", method: "qlora" },
  // docs/estimates.md, "Questions a new user asks"
  "training question 1: fine-tune 7B, 2B tokens, 8 A100": { model: { parameters: 7e9 }, method: "full-fine-tune", tokens: 2e9, hardware: "a100-80gb", gpus: 8 },
  "training question 3: pre-train 7B on 2T tokens": { model: { parameters: 7e9 }, tokens: 2e12, hardware: "a100-80gb" },
};

const inferenceCases: Record<string, InferenceInput> = {
  "inference llama-3-8b, batch from memory": { model: { preset: "llama-3-8b" }, hardware: "h100-sxm", workload: { inputTokens: 1000, outputTokens: 300, requestsPerDay: 2_000_000 } },
  "inference llama-3-70b, latency targets": { model: { preset: "llama-3-70b" }, hardware: "a100-80gb", workload: { inputTokens: 2000, outputTokens: 500, requestsPerSecondPeak: 20 }, latency: { ttftMs: 1000, tpotMs: 50 } },
  "inference mixtral-8x7b int4": { model: { preset: "mixtral-8x7b" }, hardware: "l4", quantization: "int4", workload: { inputTokens: 500, outputTokens: 200, requestsPerSecondPeak: 2 } },
  "inference resnet-50 per image": { model: { preset: "resnet-50" }, hardware: "t4", quantization: "fp16", workload: { requestsPerSecondPeak: 500 }, latency: { requestMs: 50 } },
  "inference question 2: llama-3-70b 20 req/s, TTFT 500 ms": { model: { preset: "llama-3-70b" }, hardware: "h100-sxm", workload: { requestsPerSecondPeak: 20 }, latency: { ttftMs: 500 } },
};

function measure(name: string, run: () => unknown): number {
  for (let i = 0; i < 2000; i++) run(); // warm-up (JIT)
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const budgetNs = BigInt(Math.round(secondsPerCase * 1e9));
  let elapsed = 0n;
  while (elapsed < budgetNs) {
    for (let i = 0; i < 100; i++) run();
    count += 100;
    elapsed = process.hrtime.bigint() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  const perSecond = count / (Number(elapsed) / 1e9);
  const cpuMicros = (cpu.user + cpu.system) / count;
  console.log(`${name.padEnd(58)} ${perSecond.toFixed(0).padStart(9)} estimates/s  ${(1e6 / perSecond).toFixed(1).padStart(7)} µs wall  ${cpuMicros.toFixed(1).padStart(7)} µs CPU each`);
  return perSecond;
}

console.log(`@modelplan/estimator bench — node ${process.version}, ${secondsPerCase}s per case`);
const t = Object.entries(trainingCases).map(([name, input]) => measure(name, () => estimateTraining(input)));
const s = Object.entries(inferenceCases).map(([name, input]) => measure(name, () => estimateInference(input)));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`mean: training ${mean(t).toFixed(0)} estimates/s, inference ${mean(s).toFixed(0)} estimates/s (single thread)`);
