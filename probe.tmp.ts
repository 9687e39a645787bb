import { estimateTraining, getDefaults } from "./packages/estimator/src/index";
const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 8, activationRecomputation: "none" });
console.log(e.utilisation, e.throughputModel, e.model.activeParameters, getDefaults().training.mfu.realRuns.families);
