// Derives llama.cpp's per-layer step cost and memory-bandwidth utilisation band (inference.serving.engines.llamaCpp in
// data/defaults.json) and torch-compile's weight-only kernel efficiencies (engines.torchCompile) from the
// published rows listed there, and prints each row's figure.
//   npx tsx packages/estimator/scripts/derive-engine-mbu.ts          # print
//   npx tsx packages/estimator/scripts/derive-engine-mbu.ts --write  # store the band in defaults.json
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DefaultsRecord, EngineMbuRow } from "../src/catalog/records";
import { deriveEngineStep } from "../src/inference/engine-calibration";
import { deriveWeightOnlyKernelEfficiency } from "../src/inference/fixed-costs";
import { estimateInferenceUncited } from "../src/inference/estimate";
import { isDecoderLike, resolveModel } from "../src/model/resolve";
import type { WeightQuantization } from "../src/types";

/** The estimator's batch-1 decode time of a row at full memory bandwidth (MBU 1) and no per-layer cost: llama.cpp's streaming alone. */
export function decodeMsAtFullBandwidth(row: EngineMbuRow): number {
  const e = estimateInferenceUncited({
    model: { preset: row.preset },
    engine: "llama.cpp",
    hardware: row.accelerator,
    quantization: row.quantization as WeightQuantization,
    kvCachePrecision: "fp16",
    gpusPerReplica: 1,
    batchSize: 1,
    bandwidthUtilisation: 1,
    kernelBoundaryMicrosecondsPerLayer: 0,
    workload: { inputTokens: row.inputTokens, outputTokens: row.outputTokens, requestsPerSecondPeak: 1 },
  });
  if (!e.decodeMsPerToken) throw new Error(`no decode time for ${row.preset} on ${row.accelerator}`);
  return e.decodeMsPerToken.expected;
}

/** The decoder layers of a row's model. */
export function layersOf(row: EngineMbuRow): number {
  const m = resolveModel({ preset: row.preset });
  if (!isDecoderLike(m)) throw new Error(`${row.preset} is not a decoder`);
  return m.layers;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(new URL("../data/defaults.json", import.meta.url));
  const defaults = JSON.parse(readFileSync(path, "utf8")) as DefaultsRecord;
  const llama = defaults.inference.serving.engines.llamaCpp;
  const { points, band, msPerLayer } = deriveEngineStep(llama.derivedFrom.rows, decodeMsAtFullBandwidth, layersOf);
  console.log(`llama.cpp per-layer cost: ${(msPerLayer * 1000).toFixed(1)} µs per layer per step`);
  console.log("accelerator | model | format | measured ms/token | ms at MBU 1 | layers × per-layer cost, ms | MBU");
  for (const p of points) console.log(`${p.row.accelerator} | ${p.row.preset} | ${p.row.quantization} | ${p.measuredMsPerToken.toFixed(2)} | ${p.msAtFullBandwidth.toFixed(2)} | ${(p.layers * msPerLayer).toFixed(2)} | ${p.mbu.toFixed(3)}`);
  console.log(`band: low ${band.low}, expected ${band.expected}, high ${band.high}`);
  const torch = defaults.inference.serving.engines.torchCompile;
  const wo = deriveWeightOnlyKernelEfficiency(torch.derivedFrom.rows);
  console.log("\ntorch-compile weight-only kernels: model | format | share of the bf16 streaming bandwidth");
  for (const p of wo.points) console.log(`${p.preset} | ${p.format} | ${p.efficiency.toFixed(3)}`);
  console.log(`mean: int8 ${wo.int8}, int4 ${wo.int4}`);
  if (process.argv.includes("--write")) {
    Object.assign(llama.memoryBandwidthUtilisation, band);
    llama.kernelBoundaries.secondsPerLayer = msPerLayer / 1000;
    Object.assign(torch.weightOnlyKernelEfficiency, { int8: wo.int8, int4: wo.int4 });
    writeFileSync(path, `${JSON.stringify(defaults, null, 2)}\n`);
    console.log(`written to ${path}`);
  }
}
