// The infra engineer's question: what does *our* machine really deliver, and what would a model take
// on it? Measures two small reference models with TensorFlow.js on the service's machine, predicts a
// configuration that was not measured, and estimates a fine-tune on the measured profile ("local").
// Run: MODELPLAN_URL=http://127.0.0.1:8787 node infra-engineer-benchmark.js (after tsc)
import { createClient, unwrap, type components } from "@modelplan/sdk";

const client = createClient({ baseUrl: process.env.MODELPLAN_URL ?? "http://127.0.0.1:8787", apiKey: process.env.MODELPLAN_API_KEY });
const gpt = { vocabSize: 256, seqLen: 32, dModel: 64, heads: 4, layers: 1, ffnMult: 4 };

// 1. A small job (a few seconds; `{ suite: "quick" }` measures every family in about 90 s on 2 cores).
const request: components["schemas"]["BenchmarkRequest"] = {
  items: [
    { family: "mlp", config: { inputDim: 64, hiddenUnits: [128], classes: 10 }, batchSize: 32 },
    { family: "gpt", config: gpt, batchSize: 8 },
  ],
  budgetMs: 400,
  rounds: 1,
  wholeMachine: false,
  sgemm: false,
  probeSizes: [128, 256],
};
let job = await unwrap(client.POST("/v1/benchmarks", { body: request }));
console.log(`benchmark job ${job.id} ${job.status}`);

// 2. Poll until it ends; the signal bounds the whole wait (and would cancel a request in flight).
const deadline = AbortSignal.timeout(5 * 60_000);
while (job.status === "queued" || job.status === "running") {
  await new Promise((resolve) => setTimeout(resolve, 500));
  job = await unwrap(client.GET("/v1/benchmarks/jobs/{id}", { params: { path: { id: job.id } }, signal: deadline }));
}
if (job.status !== "completed" || job.hardwareProfileId === null) throw new Error(`benchmark ${job.status}: ${job.error}`);
for (const run of job.runs) {
  const time = run.status === "ok" && run.stepTime ? `${run.stepTime.medianMs.toFixed(2)} ms/step, ${Math.round(run.samplesPerS ?? 0)} samples/s` : `failed: ${run.error}`;
  console.log(`  ${run.family} ${run.mode} batch ${run.batchSize}: ${time}`);
}
const profile = await unwrap(client.GET("/v1/hardware-profiles/{id}", { params: { path: { id: job.hardwareProfileId } } }));
console.log(`profile ${profile.id}: ${profile.name}`);

// 3. Predict a configuration that was not measured (twice the layers and a wider model).
const prediction = await unwrap(
  client.POST("/v1/benchmarks/predict", {
    body: { hardwareProfileId: profile.id, family: "gpt", config: { ...gpt, dModel: 96, layers: 2 }, phase: "training", batchSize: 8 },
  }),
);
const s = prediction.stepTimeMs;
console.log(`predicted training step of a 2-layer GPT: ${s.expected.toFixed(1)} ms (80% band ${s.low.toFixed(1)}–${s.high.toFixed(1)}), from ${prediction.basis.runIds.length} runs`);

// 4. The estimation engine on the measured machine: its matmul ceiling is the peak, its runs the utilisation.
const estimate = await unwrap(
  client.POST("/v1/estimates/training", { body: { model: { preset: "gpt-2" }, method: "full-fine-tune", tokens: 1e7, hardware: "local", precision: "fp32" } }),
);
console.log(`fine-tuning GPT-2 on 10M tokens here: ${estimate.wallClockDays.expected.toFixed(1)} days (${estimate.wallClockDays.low.toFixed(1)}–${estimate.wallClockDays.high.toFixed(1)})`);
console.log(`  peak ${(estimate.hardware.peakFlopsPerS / 1e9).toFixed(1)} GFLOP/s, utilisation ${estimate.utilisation.expected.toFixed(2)} — ${estimate.utilisation.source}`);
