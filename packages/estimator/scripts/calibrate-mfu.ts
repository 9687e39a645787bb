// Fits the training-MFU defaults to the published runs listed in data/defaults.json and prints each
// run's ratio to the model: the GPU-count law (training.mfu.atScale) and the real-run factors and band
// (training.mfu.realRuns), and the convolutional networks' MFU (training.mfu.convolutional).
//   npx tsx packages/estimator/scripts/calibrate-mfu.ts          # print
//   npx tsx packages/estimator/scripts/calibrate-mfu.ts --write  # store the fitted figures in defaults.json
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { listAccelerators } from "../src/catalog";
import type { DefaultsRecord } from "../src/catalog/records";
import { catalogPeak, fitAtScale, fitConvolutional, fitRealRuns } from "../src/training/calibration";

const path = fileURLToPath(new URL("../data/defaults.json", import.meta.url));
const defaults = JSON.parse(readFileSync(path, "utf8")) as DefaultsRecord;
const mfu = defaults.training.mfu;
const scale = fitAtScale(mfu);
console.log(`GPU-count law: MFU × (GPUs / ${mfu.atScale.referenceGpus})^-${scale.exponent}`);
console.log("steady-state run | GPUs | published MFU | framework MFU | model MFU | published / model");
for (const p of scale.points) console.log(`${p.id} | ${p.gpus} | ${p.publishedMfu.toFixed(3)} | ${p.frameworkMfu.toFixed(3)} | ${p.modelMfu.toFixed(3)} | ${p.ratio.toFixed(3)}`);
mfu.atScale.exponent = scale.exponent; // the real-run fit divides by the law just fitted
const real = fitRealRuns(mfu, catalogPeak(listAccelerators()));
console.log(`\nreal-run factors: ${real.families.map((f) => `${f.name} ${f.factor}`).join(", ")}, others ${real.otherFactor}; band × ${real.lowFactor}–${real.highFactor}`);
console.log("whole run | family | effective MFU | framework MFU | ratio | ratio / family factor");
for (const p of real.points) console.log(`${p.id} | ${p.family ?? "-"} | ${p.effectiveMfu.toFixed(3)} | ${p.frameworkMfu.toFixed(3)} | ${p.ratio.toFixed(3)} | ${p.ratioToFamily.toFixed(3)}`);
const conv = fitConvolutional(mfu, catalogPeak(listAccelerators()));
console.log("\nconvolutional run | MFU | derivation");
for (const p of conv) console.log(`${p.id} | ${p.mfu.toFixed(3)} | ${p.derivation}`);
if (process.argv.includes("--write")) {
  for (const p of mfu.convolutional.points) Object.assign(p, conv.find((x) => x.id === p.id));
  for (const f of mfu.realRuns.families) f.factor = real.families.find((x) => x.name === f.name)?.factor ?? f.factor;
  Object.assign(mfu.realRuns, { otherFactor: real.otherFactor, lowFactor: real.lowFactor, highFactor: real.highFactor });
  writeFileSync(path, `${JSON.stringify(defaults, null, 2)}\n`);
  console.log(`written to ${path}`);
}
