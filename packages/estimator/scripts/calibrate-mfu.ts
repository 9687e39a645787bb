// Fits the training-MFU GPU-count law and band to the published large runs in data/defaults.json
// (training.mfu.atScale.calibration) and prints each run's ratio to the model.
//   npx tsx packages/estimator/scripts/calibrate-mfu.ts          # print
//   npx tsx packages/estimator/scripts/calibrate-mfu.ts --write  # store exponent and band in defaults.json
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fitAtScale } from "../src/training/throughput";
import type { DefaultsRecord } from "../src/catalog/records";

const path = fileURLToPath(new URL("../data/defaults.json", import.meta.url));
const defaults = JSON.parse(readFileSync(path, "utf8")) as DefaultsRecord;
const fit = fitAtScale(defaults.training.mfu);
console.log(`exponent ${fit.exponent}, band × ${fit.lowFactor}–${fit.highFactor} (reference ${defaults.training.mfu.atScale.referenceGpus} GPUs)`);
console.log("run | GPUs | published MFU | framework MFU | model MFU | published / model");
for (const p of fit.points) console.log(`${p.id} | ${p.gpus} | ${p.publishedMfu.toFixed(3)} | ${p.frameworkMfu.toFixed(3)} | ${p.modelMfu.toFixed(3)} | ${p.ratio.toFixed(3)}`);
if (process.argv.includes("--write")) {
  Object.assign(defaults.training.mfu.atScale, { exponent: fit.exponent, lowFactor: fit.lowFactor, highFactor: fit.highFactor });
  writeFileSync(path, `${JSON.stringify(defaults, null, 2)}\n`);
  console.log(`written to ${path}`);
}
