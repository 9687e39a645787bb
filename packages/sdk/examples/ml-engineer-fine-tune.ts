// The ML engineer's question: how long, how much memory and how much money to fine-tune a 7B model on
// 2B tokens on 8 A100s — fully, or with LoRA — and where is it cheapest?
// Run: MODELPLAN_URL=http://127.0.0.1:8787 node ml-engineer-fine-tune.js (after tsc)
import { createClient, unwrap, type components } from "@modelplan/sdk";

type TrainingRequest = components["schemas"]["TrainingRequest"];
type Band = components["schemas"]["Band"];

const client = createClient({ baseUrl: process.env.MODELPLAN_URL ?? "http://127.0.0.1:8787", apiKey: process.env.MODELPLAN_API_KEY });
const band = (b: Band, digits = 1) => `${b.expected.toFixed(digits)} (${b.low.toFixed(digits)}–${b.high.toFixed(digits)})`;

const base: TrainingRequest = { model: { preset: "llama-2-7b" }, tokens: 2e9, hardware: "a100-80gb", gpus: 8 };
for (const method of ["full-fine-tune", "lora"] as const) {
  const e = await unwrap(client.POST("/v1/estimates/training", { body: { ...base, method } }));
  console.log(`${e.model.name}, ${method}, ${e.tokens?.toExponential(1)} tokens on ${e.gpus}× ${e.hardware.name}:`);
  console.log(`  memory per GPU ${e.memoryPerGpuGb.total.toFixed(1)} GB of ${e.memoryPerGpuGb.usableCapacity} usable — ${e.fits ? "fits" : "does not fit"} (fewest GPUs that fit: ${e.fewestGpusToFit})`);
  console.log(`  ${band(e.gpuHours, 0)} GPU-hours, ${band(e.wallClockDays, 2)} days on the wall clock (utilisation ${band(e.utilisation, 2)})`);
  console.log(`  the training steps alone: ${band(e.steadyState.tokensOrSamplesPerSecPerGpu, 0)} tokens/s per GPU at a tuned framework's rate`);
  if (e.costUsd) console.log(`  $${band(e.costUsd, 0)} on demand at ${e.pricing?.provider} ($${e.pricing?.onDemandUsdPerGpuHour}/GPU-hour)`);
  const cheapest = [...e.costByProvider].sort((a, b) => a.onDemandUsd.expected - b.onDemandUsd.expected)[0];
  if (cheapest) console.log(`  cheapest listing: ${cheapest.provider} ${cheapest.sku} at $${cheapest.onDemandUsd.expected.toFixed(0)}`);
  console.log(`  utilisation source: ${e.utilisation.source}`);
}
