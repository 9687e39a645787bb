import { describe, expect, it } from "vitest";
import { estimateTraining, getAccelerator, getDefaults, listCloudPrices } from "../src";
import type { TrainingInput } from "../src";

// Llama 2 7B matmul weights and attention per token at the average causal position (s = 4096)
const L = 32, H = 4096, F = 11008, V = 32000, P = 6_738_415_616;
const MATMUL = L * (4 * H * H + 3 * H * F) + V * H;
const FORWARD_PER_TOKEN = 2 * MATMUL + 4 * L * (4096 / 2) * H;

const base: TrainingInput = { model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 8, tensorParallel: 1, activationRecomputation: "none", utilisation: 0.5, goodput: 1 };
const mfuDefaults = getDefaults().training.mfu;
const goodputDefaults = getDefaults().training.goodput;

describe("estimateTraining", () => {
  it("GPU-hours = model FLOPs / (peak × MFU × goodput) / 3600 (hand)", () => {
    const e = estimateTraining(base);
    const flops = 3 * FORWARD_PER_TOKEN * 1e9;
    expect(e.flops.total).toBeCloseTo(flops, -6);
    const hours = flops / (312e12 * 0.5) / 3600;
    expect(e.gpuHours.expected).toBeCloseTo(hours, 6);
    expect(e.gpuHours.low).toBe(e.gpuHours.expected); // single-number overrides collapse the band
    expect(e.wallClockDays.expected).toBeCloseTo(hours / 8 / 24, 8);
    const withGoodput = estimateTraining({ ...base, goodput: 0.9 });
    expect(withGoodput.gpuHours.expected).toBeCloseTo(hours / 0.9, 6);
  });

  it("MFU = framework table at the model size × the A100 real-run factor; the band is the spread of real runs", () => {
    const e = estimateTraining({ ...base, activationRecomputation: undefined, utilisation: undefined, goodput: undefined });
    const table = mfuDefaults.frameworkTables[0]; // A100 80GB: 7b 0.6423 and 13b 0.5957 bracket 6.74B parameters
    const t = (Math.log(P) - Math.log(6658859008)) / (Math.log(12853954560) - Math.log(6658859008));
    const framework = table.points[5].mfu + t * (table.points[6].mfu - table.points[5].mfu);
    const real = mfuDefaults.realRuns;
    expect(e.throughputModel.frameworkMfu).toBeCloseTo(framework, 12);
    expect(e.utilisation.expected).toBeCloseTo(framework * real.families[0].factor, 12); // 8 GPUs: no GPU-count loss
    expect(e.utilisation.low).toBeCloseTo(e.utilisation.expected * real.lowFactor, 12);
    expect(e.utilisation.high).toBeCloseTo(e.utilisation.expected * real.highFactor, 12);
    expect(e.utilisation.source).toContain("llm-foundry");
    expect(e.gpuHours.low).toBeLessThan(e.gpuHours.expected);
    expect(e.gpuHours.expected).toBeLessThan(e.gpuHours.high);
    expect(e.gpuHours.expected).toBeCloseTo(e.flops.total / (312e12 * e.utilisation.expected * e.goodput.expected) / 3600, 6);
    expect(e.trackRecord).toMatch(/^estimator median error on \d+ published training runs/);
  });

  it("the steady state is the training steps alone: the MFU without the real-run factor, no goodput loss, capped at the MAMF", () => {
    const e = estimateTraining({ ...base, activationRecomputation: undefined, utilisation: undefined, goodput: undefined });
    const rf = e.throughputModel.realRunFactor;
    expect(rf).toBe(mfuDefaults.realRuns.families[0].factor);
    expect(e.steadyState.utilisation.expected).toBeCloseTo(e.utilisation.expected / rf, 12);
    expect(e.steadyState.utilisation.low).toBeCloseTo(e.utilisation.low / rf, 12);
    // A100 BF16 MAMF 0.869 (stas00): no step outruns it
    expect(e.steadyState.utilisation.high).toBeCloseTo(Math.min(0.869, e.utilisation.high / rf), 12);
    const perSec = e.steadyState.tokensOrSamplesPerSecPerGpu;
    expect(perSec.expected).toBeCloseTo((312e12 * e.steadyState.utilisation.expected) / e.flops.perTokenOrSample, 6);
    // the whole run: the same steps × the real-run factor × goodput
    expect(1e9 / (e.gpuHours.expected * 3600 * e.gpus)).toBeCloseTo((perSec.expected * rf * e.goodput.expected) / e.gpus, 6);
    // a given utilisation is taken as it is: it is the steps' own
    const given = estimateTraining(base);
    expect(given.steadyState.utilisation).toEqual({ low: 0.5, expected: 0.5, high: 0.5 });
    expect(given.steadyState.tokensOrSamplesPerSecPerGpu.expected).toBeCloseTo((312e12 * 0.5) / given.flops.perTokenOrSample, 6);
  });

  it("the steady state works the communication out again at its faster compute, and caps where a whole run's is capped", () => {
    // 8 H100 PCIe, ZeRO-3: the link binds, so the steps run at the link's rate, not 1 ÷ the real-run factor faster
    const pcie = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "h100-pcie", gpus: 8 });
    expect(pcie.throughputModel.communicationFactor).toBeLessThan(1);
    expect(pcie.steadyState.utilisation.expected).toBeLessThan(pcie.utilisation.expected / pcie.throughputModel.realRunFactor);
    expect(pcie.steadyState.utilisation.expected).toBeGreaterThanOrEqual(pcie.utilisation.expected * (1 - 1e-12));
    // no recomputation lifts the MFU above the model's (× more model FLOPs per hardware FLOP): both bands are capped before it
    const none = estimateTraining({ model: { preset: "llama-3-8b" }, tokens: 1e9, hardware: "a100-80gb-pcie", gpus: 8, activationRecomputation: "none" });
    expect(none.steadyState.utilisation.high).toBeGreaterThanOrEqual(none.utilisation.high);
    // where communication slows the steps, neither end of their band falls below the whole run's (A100 PCIe, one sequence per micro-step)
    const bound = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb-pcie", gpus: 8, microBatchSize: 1 });
    expect(bound.throughputModel.communicationFactor).toBeLessThan(1);
    for (const e of [pcie, none, bound]) {
      const u = e.steadyState.utilisation;
      expect(u.low).toBeLessThanOrEqual(u.expected);
      expect(u.expected).toBeLessThanOrEqual(u.high);
      expect(u.low).toBeGreaterThanOrEqual(e.utilisation.low * (1 - 1e-12));
      expect(u.high).toBeGreaterThanOrEqual(e.utilisation.high * (1 - 1e-12));
    }
  });

  it("an accelerator without a framework table takes the fallback band × the real-run factor of all runs; its steps, the band itself capped at the MAMF", () => {
    const e = estimateTraining({ ...base, hardware: "mi300x", activationRecomputation: undefined, utilisation: undefined, goodput: undefined });
    const f = mfuDefaults.fallback, other = mfuDefaults.realRuns.otherFactor;
    expect(e.throughputModel.frameworkMfu).toBeNull();
    expect(e.throughputModel.realRunFactor).toBe(other);
    expect(e.utilisation.expected).toBeCloseTo(f.expected * other, 12);
    expect(e.utilisation.low).toBeCloseTo(f.low * other, 12);
    expect(e.utilisation.high).toBeCloseTo(f.high * other, 12);
    expect(e.utilisation.source).toContain(`× ${other} real-run factor (all runs`);
    // MI300X BF16 MAMF 0.514 (stas00) is below the band's 0.563
    const s = e.steadyState.utilisation;
    expect(s.low).toBeCloseTo(f.low, 12);
    expect(s.expected).toBeCloseTo(f.expected, 12);
    expect(s.high).toBeCloseTo(0.514, 12);
  });

  it("MFU falls with the GPU count beyond 256 GPUs, as the published large runs do", () => {
    const at = (gpus: number) => estimateTraining({ ...base, model: { preset: "llama-2-70b" }, gpus, utilisation: undefined, goodput: undefined });
    expect(at(256).throughputModel.gpuScaleFactor).toBe(1);
    const big = at(16384);
    expect(big.throughputModel.gpuScaleFactor).toBeCloseTo((16384 / 256) ** -mfuDefaults.atScale.exponent, 12);
    expect(big.utilisation.expected).toBeLessThan(at(256).utilisation.expected);
  });

  it("goodput: interruptions every (GPU-hours per interruption ÷ GPUs) hours, each costing the recovery time (hand)", () => {
    const e = estimateTraining({ ...base, model: { preset: "llama-3.1-405b" }, hardware: "h100-sxm", gpus: 16384, utilisation: undefined, goodput: undefined });
    const mtbf = goodputDefaults.gpuHoursPerInterruption.value / 16384;
    expect(e.goodput.expected).toBeCloseTo(1 - goodputDefaults.lostHoursPerInterruption.expected / mtbf, 12);
    expect(e.goodput.high).toBeCloseTo(1 - goodputDefaults.lostHoursPerInterruption.optimistic / mtbf, 12);
    const p = goodputDefaults.pessimistic;
    expect(e.goodput.low).toBeCloseTo(1 - Math.sqrt((2 * p.checkpointWriteHours) / mtbf) - p.restartHours / mtbf, 12);
    expect(e.goodput.expected).toBeGreaterThan(0.9); // Llama 3: "higher than 90% effective training time" at 16K GPUs
    expect(e.throughputModel.interruptionsPerDay).toBeCloseTo(466 / 54, 1);
    const small = estimateTraining({ ...base, utilisation: undefined, goodput: undefined });
    expect(small.goodput.expected).toBeGreaterThan(0.999);
  });

  it("warns when the run takes longer than a year and names a GPU count that finishes in 90 days", () => {
    const e = estimateTraining({ model: { parameters: 7e9 }, tokens: 2e12, hardware: "h100-sxm" });
    expect(e.wallClockDays.expected).toBeGreaterThan(365);
    const w = e.warnings.find((x) => x.startsWith("the run takes about"));
    const gpus = Number(/about ([\d,]+) h100-sxm would finish in 90 days/.exec(w ?? "")?.[1].replace(/,/g, ""));
    expect(gpus).toBeGreaterThan(e.gpus);
    const check = estimateTraining({ model: { parameters: 7e9 }, tokens: 2e12, hardware: "h100-sxm", gpus });
    expect(check.wallClockDays.expected).toBeLessThanOrEqual(90);
  });

  it("a bare parameter count gets an inferred shape: attention FLOPs and activations are never zero", () => {
    const e = estimateTraining({ model: { parameters: 7e9 }, tokens: 1e9, hardware: "a100-80gb", gpus: 8 });
    expect(e.model.architectureSource).toBe("inferred-from-parameter-count");
    expect(e.memoryPerGpuGb.activations).toBeGreaterThan(0);
    expect(e.flops.attentionFraction).toBeGreaterThan(0);
    for (const p of [1e8, 1e9, 3e10, 4e11]) {
      const x = estimateTraining({ model: { parameters: p }, tokens: 1e9, hardware: "h100-sxm" });
      expect(x.memoryPerGpuGb.activations, String(p)).toBeGreaterThan(0);
    }
  });

  it("cost = GPU-hours × price; energy = GPU-hours × TDP × PUE; CO2 = energy × grid intensity", () => {
    const e = estimateTraining({ ...base, pricePerGpuHourUsd: 2, pue: 1.2, gridKgCo2PerKwh: 0.4 });
    expect(e.costUsd!.expected).toBeCloseTo(e.gpuHours.expected * 2, 6);
    expect(e.energyKwh!.expected).toBeCloseTo((e.gpuHours.expected * 400 * 1.2) / 1000, 6);
    expect(e.co2Kg!.expected).toBeCloseTo(e.energyKwh!.expected * 0.4, 6);
  });

  it("uses the default PUE and grid intensity and lists them as assumptions", () => {
    const e = estimateTraining(base);
    const d = getDefaults();
    expect(e.energyKwh!.expected).toBeCloseTo((e.gpuHours.expected * 400 * d.pue.value * d.powerDrawFraction.value) / 1000, 6);
    const names = e.assumptions.map((a) => a.name);
    for (const n of ["PUE", "grid carbon intensity", "average power draw", "usable memory fraction", "training precision", "optimizer", "ZeRO stage"]) expect(names).toContain(n);
    for (const a of e.assumptions) expect(a.source.length).toBeGreaterThan(3);
  });

  it("lists a band (MFU, goodput) as one assumption: its expected value, its ends, its source once", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 8 });
    const mfu = e.assumptions.filter((a) => a.name.startsWith("compute utilisation (MFU)"));
    expect(mfu).toEqual([{ name: "compute utilisation (MFU)", value: e.utilisation.expected, unit: "fraction of peak", source: e.utilisation.source, band: { low: e.utilisation.low, high: e.utilisation.high } }]);
    const goodput = e.assumptions.filter((a) => a.name.startsWith("goodput"));
    expect(goodput.map((a) => [a.value, a.band])).toEqual([[e.goodput.expected, { low: e.goodput.low, high: e.goodput.high }]]);
    // every other assumption is a single figure
    expect(e.assumptions.filter((a) => a.band !== null)).toHaveLength(2);
  });

  it("prices on-demand at the median catalog listing and spot where published", () => {
    const e = estimateTraining({ ...base, hardware: "a100-40gb", utilisation: 0.5 });
    const listings = listCloudPrices({ accelerator: "a100-40gb" }).map((l) => l.onDemandUsdPerGpuHour).sort((a, b) => a - b);
    expect(e.pricing!.onDemandUsdPerGpuHour).toBe(listings[Math.floor((listings.length - 1) / 2)]);
    expect(e.spotCostUsd!.expected).toBeCloseTo(e.gpuHours.expected * 1.293355, 6); // GCP a2-highgpu-1g spot
    expect(e.costByProvider.length).toBe(listings.length);
    const gcp = estimateTraining({ ...base, hardware: "a100-40gb", provider: "gcp" });
    expect(gcp.pricing!.provider).toBe("gcp");
  });

  it("never shows a spot cost above the on-demand cost beside it: another provider's spot price stands in only where it is cheaper", () => {
    // H100: the median listing (RunPod Secure Cloud, $3.99) publishes no spot price; the only one, GCP's $6.571, is dearer
    const h100 = estimateTraining({ ...base, hardware: "h100-sxm", utilisation: 0.5 });
    expect(h100.pricing!.onDemandUsdPerGpuHour).toBeLessThan(6.571);
    expect(h100.spotCostUsd).toBeNull();
    expect(h100.assumptions.find((a) => a.name === "spot price")?.source).toContain("is above its on-demand");
    // on GCP itself its spot price is the listing's own, below its on-demand price
    const gcp = estimateTraining({ ...base, hardware: "h100-sxm", utilisation: 0.5, provider: "gcp" });
    expect(gcp.spotCostUsd!.expected).toBeCloseTo(gcp.gpuHours.expected * 6.571, 6);
    expect(gcp.spotCostUsd!.expected).toBeLessThan(gcp.costUsd!.expected);
  });

  it("says when no GPU count fits: none-fits, not fewest-that-fit", () => {
    // Llama 3.1 405B pre-trained at 8,192 tokens on H100s: one layer's activations alone pass a GPU at tensorParallel 1
    const e = estimateTraining({ model: { preset: "llama-3.1-405b" }, tokens: 15e12, hardware: "h100-sxm", sequenceLength: 8192 });
    expect(e.fewestGpusToFit).toBeNull();
    expect(e.fits).toBe(false);
    expect(e.gpusChosenBy).toBe("none-fits");
    expect(e.gpus).toBe(1);
    expect(e.warnings.some((w) => w.startsWith("does not fit on h100-sxm at any data-parallel degree"))).toBe(true);
  });

  it("memory per GPU: 16 bytes/parameter of model states + Korthikanti activations; fewest GPUs with ZeRO-3 (hand)", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", method: "full-fine-tune", activationRecomputation: "selective", sequenceLength: 4096, microBatchSize: 1 });
    const states = 16 * P;
    const activations = L * 4096 * (18 * H + 6 * F); // selective: s·b·(18h + 6f) per layer, SwiGLU
    const usable = getAccelerator("a100-80gb")!.memoryBytes.value! * 0.9; // 81,920 MiB as nvidia-smi reports, × vLLM's 0.9
    const dp = Math.ceil(states / (usable - activations));
    expect(dp).toBe(2);
    expect(e.gpus).toBe(dp);
    expect(e.gpusChosenBy).toBe("fewest-that-fit");
    expect(e.fewestGpusToFit).toBe(dp);
    expect(e.fits).toBe(true);
    expect(e.memoryPerGpuGb.activations).toBeCloseTo(activations / 1e9, 9);
    expect(e.memoryPerGpuGb.total).toBeCloseTo((states / dp + activations) / 1e9, 9);
  });

  it("a model that does not fit the requested GPUs is a valid answer: fits=false and the fewest that fit", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 1, zeroStage: 0, method: "full-fine-tune", activationRecomputation: "selective", sequenceLength: 4096 });
    expect(e.fits).toBe(false);
    expect(e.fewestGpusToFit).toBeNull(); // ZeRO-0 replicates the 108 GB of states on every GPU
    expect(e.warnings.join(" ")).toMatch(/fits on \d+ GPUs/);
    const z3 = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 1, zeroStage: 3, method: "full-fine-tune", activationRecomputation: "selective", sequenceLength: 4096, microBatchSize: 1 });
    expect(z3.fits).toBe(false);
    expect(z3.fewestGpusToFit).toBe(2);
  });

  it("ZeRO stages shard optimizer, then gradients, then weights", () => {
    const at = (zeroStage: 0 | 1 | 2 | 3) => estimateTraining({ ...base, zeroStage }).memoryPerGpuGb;
    expect(at(1).optimizerState).toBeCloseTo(at(0).optimizerState / 8, 9);
    expect(at(1).gradients).toBe(at(0).gradients);
    expect(at(2).gradients).toBeCloseTo(at(0).gradients / 8, 9);
    expect(at(3).weights).toBeCloseTo(at(0).weights / 8, 9);
  });

  it("picks enough GPUs to finish by a deadline", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 7 });
    expect(e.gpusChosenBy).toBe("deadline");
    expect(e.gpus).toBe(Math.ceil(e.gpuHours.expected / (7 * 24)));
    expect(e.wallClockDays.expected).toBeLessThanOrEqual(7);
    expect(e.deadlineMet).toBe(true);
  });

  it("a run over a year names the GPUs that finish it in 90 days, and how to ask for them given what the request set", () => {
    const ninety = (w: string[]) => w.find((x) => x.startsWith("the run takes about"));
    const run = { model: { preset: "llama-3-8b" }, tokens: 1e12, hardware: "h100-sxm" } as const;
    // a deadline far away: the fewest GPUs that fit already meet it, in 517 days
    const late = estimateTraining({ ...run, deadlineDays: 3650 });
    expect(late.gpusChosenBy).toBe("fewest-that-fit");
    expect(late.deadlineMet).toBe(true);
    const [, gpus] = /about (\d+) h100-sxm would finish in 90 days/.exec(ninety(late.warnings) ?? "") ?? [];
    expect(ninety(late.warnings)).toMatch(/^the run takes about 517 days \(1\.4 years\) on 4 GPUs, longer than 365 days: about \d+ h100-sxm would finish in 90 days \(give deadlineDays 90 instead of 3650, or gpus\)$/);
    // which is what that deadline picks
    const in90 = estimateTraining({ ...run, deadlineDays: 90 });
    expect(in90.gpus).toBe(Number(gpus));
    expect(in90.warnings.some((w) => w.startsWith("the run takes about"))).toBe(false);
    expect(ninety(estimateTraining({ ...run, gpus: 4 }).warnings)).toMatch(/\(give gpus \d+ instead of 4\)$/);
    expect(ninety(estimateTraining(run).warnings)).toMatch(/\(give gpus or deadlineDays\)$/);
  });

  it("LoRA trains adapters only: a few million trainable parameters, far less memory", () => {
    const lora = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a10g", gpus: 1, method: "lora", lora: { rank: 8, targets: "attention-qv" } });
    expect(lora.model.trainableParameters).toBe(32 * (8 * (4096 + 4096) * 2));
    const qlora = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e8, hardware: "a10g", gpus: 1, method: "qlora" });
    expect(lora.memoryPerGpuGb.optimizerState).toBeCloseTo((lora.model.trainableParameters * 12) / 1e9, 9);
    expect(qlora.memoryPerGpuGb.weights).toBeLessThan(lora.memoryPerGpuGb.weights / 3);
    expect(qlora.memoryPerGpuGb.weights).toBeCloseTo((P * 4.127) / 8 / 1e9 + (lora.model.trainableParameters * 2) / 1e9, 6);
  });

  it("full recomputation runs one more forward pass at the same hardware FLOP/s: MFU × (3 + a) / 4 of the selective runs (hand)", () => {
    const at = (activationRecomputation: "selective" | "full" | "none") =>
      estimateTraining({ ...base, activationRecomputation, utilisation: undefined, goodput: undefined });
    const selective = at("selective"), full = at("full"), none = at("none");
    const a = selective.flops.attentionFraction; // selective recomputes the attention share of the forward pass
    expect(full.flops.hardwareTotal / full.flops.total).toBeCloseTo(4 / 3, 12); // forward + 2 × backward + forward again
    expect(full.utilisation.expected).toBeCloseTo((selective.utilisation.expected * (3 + a)) / 4, 12);
    expect(none.utilisation.expected).toBeCloseTo((selective.utilisation.expected * (3 + a)) / 3, 12);
    expect(full.gpuHours.expected).toBeCloseTo((selective.gpuHours.expected * 4) / (3 + a), 6);
    expect(full.assumptions.find((x) => x.name === "MFU × full recomputation")?.value).toBeCloseTo((3 + a) / 4, 12);
    expect(selective.assumptions.some((x) => x.name.startsWith("MFU × ") && x.name.endsWith("recomputation"))).toBe(false);
    // a utilisation the request gives is taken as it is
    expect(estimateTraining({ ...base, activationRecomputation: "full" }).utilisation.expected).toBe(0.5);
  });

  it("full recomputation keeps every layer's input and one layer's activations (hand)", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 1e9, hardware: "a100-80gb", gpus: 8, activationRecomputation: "full" });
    const sbh = 4096 * H;
    expect(e.memoryPerGpuGb.activations).toBeCloseTo((L * 2 * sbh + 4096 * (18 * H + 6 * F)) / 1e9, 9);
  });

  it("QLoRA recomputes activations by default, as its reference implementation does: a 7B fits one 24 GB GPU", () => {
    const qlora = estimateTraining({ model: { parameters: 7e9 }, method: "qlora", tokens: 5e7, hardware: "a10g" });
    expect(qlora.fits).toBe(true);
    expect(qlora.gpus).toBe(1);
    const mode = qlora.assumptions.find((x) => x.name === "activation recomputation");
    expect(mode?.value).toBe("full");
    expect(mode?.source).toContain("artidoro/qlora");
    // LoRA asked at selective recomputation over 8,192 tokens does not fit: the warning names the cheapest change
    const lora = estimateTraining({ model: { parameters: 7e9 }, method: "lora", tokens: 5e7, hardware: "a10g", activationRecomputation: "selective", sequenceLength: 8192, microBatchSize: 1 });
    expect(lora.fits).toBe(false);
    expect(lora.warnings.join(" ")).toMatch(/(It fits|or) on 1 GPU with activationRecomputation "full"/);
    expect(estimateTraining({ model: { parameters: 7e9 }, method: "lora", tokens: 5e7, hardware: "a10g", activationRecomputation: "full", sequenceLength: 8192, microBatchSize: 1 }).fits).toBe(true);
  });

  it("fine-tuning a language model takes TRL's defaults: gradient checkpointing on, sequences of 1,024 tokens; pre-training keeps selective over the context", () => {
    const fineTune = estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 2e9, hardware: "a100-80gb", gpus: 8 });
    const mode = fineTune.assumptions.find((a) => a.name === "activation recomputation");
    expect(mode?.value).toBe("full");
    expect(mode?.source).toContain("huggingface/trl");
    expect(fineTune.sequenceLength).toBe(1024);
    expect(fineTune.assumptions.find((a) => a.name === "training sequence length")?.source).toContain("SFTConfig");
    // and the per-device batch TRL keeps from Transformers' TrainingArguments: 8 sequences, their activations counted
    const batch = fineTune.assumptions.find((a) => a.name === "micro-batch size per GPU");
    expect(batch?.value).toBe(8);
    expect(batch?.source).toContain("per_device_train_batch_size");
    const one = estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 2e9, hardware: "a100-80gb", gpus: 8, microBatchSize: 1 });
    expect(fineTune.memoryPerGpuGb.activations).toBeGreaterThan(7.9 * one.memoryPerGpuGb.activations);
    // its one more forward pass is counted, as for a request that asks for it
    const asked = estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 2e9, hardware: "a100-80gb", gpus: 8, activationRecomputation: "full", sequenceLength: 1024 });
    expect(fineTune.gpuHours.expected).toBeCloseTo(asked.gpuHours.expected, 6);
    expect(fineTune.assumptions.some((a) => a.name === "MFU × full recomputation")).toBe(true);
    // LoRA too; pre-training, and fine-tuning a network that is not a language model, keep the other defaults
    expect(estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "lora", tokens: 1e8, hardware: "h100-sxm", gpus: 1 }).sequenceLength).toBe(1024);
    const pretrain = estimateTraining({ model: { preset: "llama-3.1-8b" }, tokens: 1e12, hardware: "h100-sxm", gpus: 64 });
    expect(pretrain.sequenceLength).toBe(8192);
    expect(pretrain.assumptions.find((a) => a.name === "activation recomputation")?.value).toBe("selective");
    expect(pretrain.assumptions.find((a) => a.name === "micro-batch size per GPU")?.value).toBe(1);
    const bert = estimateTraining({ model: { preset: "bert-large" }, method: "full-fine-tune", samples: 1e5, hardware: "a100-80gb", gpus: 1 });
    expect(bert.assumptions.find((a) => a.name === "activation recomputation")?.value).toBe("selective");
  });

  it("a fine-tune that names no recomputation: the band's fast end runs at the MFU model's selective recomputation where it fits, as libraries that do not checkpoint run", () => {
    const FAST = "MFU band's fast end × selective recomputation";
    const ask = (extra: Partial<TrainingInput> = {}) => estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 2e9, hardware: "h100-sxm", gpus: 8, ...extra });
    // one sequence per micro-step: the activations fit with selective recomputation as asked
    const one = ask({ microBatchSize: 1 });
    const full = ask({ microBatchSize: 1, activationRecomputation: "full" });
    const selective = ask({ microBatchSize: 1, activationRecomputation: "selective" });
    expect(one.assumptions.find((a) => a.name === "activation recomputation")?.value).toBe("full");
    const fast = one.assumptions.find((a) => a.name === FAST);
    expect(fast?.value).toBeCloseTo(1, 12); // the MFU model's own mode
    expect(fast?.source).toContain("NVIDIA/Megatron-LM/blob/307dcf37f03d44da131ba21999278abe4112d2ad/megatron/training/arguments.py");
    // expected and slow end: the default's (gradient checkpointing); fast end: the same run at selective recomputation
    expect(one.utilisation.expected).toBe(full.utilisation.expected);
    expect(one.utilisation.low).toBe(full.utilisation.low);
    expect(one.utilisation.high).toBeCloseTo(selective.utilisation.high, 12);
    expect(one.utilisation.high).toBeGreaterThan(full.utilisation.high * 1.2);
    expect(one.gpuHours.low).toBeCloseTo(selective.gpuHours.low, 6);
    expect(one.gpuHours.expected).toBe(full.gpuHours.expected);
    expect(one.steadyState.utilisation.high).toBeCloseTo(selective.steadyState.utilisation.high, 12);
    expect(one.steadyState.utilisation.expected).toBe(full.steadyState.utilisation.expected);
    // a mode the request names is the whole band's
    expect(full.assumptions.some((a) => a.name === FAST)).toBe(false);
    // 8 sequences of 4,096 tokens at tensorParallel 1 fit only with full recomputation; with selective, 2 do, in four times the
    // micro-steps (the same tokens per optimizer step): the fast end is that run
    const long = (extra: Partial<TrainingInput> = {}) => ask({ sequenceLength: 4096, tensorParallel: 1, ...extra });
    const trl = long();
    expect(trl.parallelism.microBatchSize).toBe(8);
    expect(long({ activationRecomputation: "selective" }).fits).toBe(false);
    expect(long({ activationRecomputation: "selective", microBatchSize: 4, gradientAccumulationSteps: 2 }).fits).toBe(false);
    const atTwo = long({ activationRecomputation: "selective", microBatchSize: 2, gradientAccumulationSteps: 4 });
    expect(atTwo.fits).toBe(true);
    expect(trl.assumptions.find((a) => a.name === FAST)?.source).toContain("here at 2 per micro-step, the largest divisor of the 8 that fits with it (4× the micro-steps)");
    expect(trl.utilisation.high).toBeCloseTo(atTwo.utilisation.high, 12);
    expect(trl.steadyState.utilisation.high).toBeCloseTo(atTwo.steadyState.utilisation.high, 12);
    // a 70B LoRA at 4,096 tokens on 8 H100s fits with selective recomputation only at tensor parallelism 2 and one sequence per
    // micro-step: where the estimate may raise tensor parallelism (no layout given, NVLink), the fast end does, as the layout rule does
    const lora70 = (extra: Partial<TrainingInput> = {}) => estimateTraining({ model: { preset: "llama-3-70b" }, method: "lora", tokens: 1e9, hardware: "h100-sxm", gpus: 8, sequenceLength: 4096, ...extra });
    const raised = lora70();
    expect(raised.parallelism.tensorParallel).toBe(1);
    expect(raised.assumptions.find((a) => a.name === FAST)?.source).toContain("here at 1 per micro-step, the largest divisor of the 8 that fits with it (8× the micro-steps), at tensor parallelism 2, the smallest degree within a node at which it fits");
    const atTp2 = lora70({ activationRecomputation: "selective", tensorParallel: 2, microBatchSize: 1, gradientAccumulationSteps: 16 });
    expect(atTp2.fits).toBe(true);
    expect(raised.utilisation.high).toBeCloseTo(atTp2.utilisation.high, 12);
    expect(raised.steadyState.utilisation.high).toBeCloseTo(atTp2.steadyState.utilisation.high, 12);
    // a layout the request gives, or GPUs that share only PCIe, keep their tensor parallelism: then nothing fits with selective
    expect(lora70({ tensorParallel: 1 }).assumptions.some((a) => a.name === FAST)).toBe(false);
    expect(lora70({ hardware: "h100-pcie" }).assumptions.some((a) => a.name === FAST)).toBe(false);
    // the fast end is the run that asks for selective recomputation at its micro-batch and degree, with as many more micro-steps:
    // its pipeline bubble at those steps (8 on 2 stages), its gradient synchronisation against selective's backward pass
    const asSelective = (x: TrainingInput, microBatchSize: number, gradientAccumulationSteps: number) => {
      const e = estimateTraining(x);
      const explicit = estimateTraining({ ...x, activationRecomputation: "selective", microBatchSize, gradientAccumulationSteps });
      expect(e.assumptions.some((a) => a.name === FAST)).toBe(true);
      expect(e.utilisation.high).toBeCloseTo(explicit.utilisation.high, 12);
      expect(e.steadyState.utilisation.high).toBeCloseTo(explicit.steadyState.utilisation.high, 12);
    };
    asSelective({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 2e9, hardware: "l40s", gpus: 16, pipelineParallel: 2, zeroStage: 1, sequenceLength: 4096 }, 1, 8);
    asSelective({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 2e9, hardware: "h100-sxm", gpus: 64, zeroStage: 1, microBatchSize: 1 }, 1, 1);
    // where the communication binds the fast end as hard as the default (ZeRO-3 over PCIe at one sequence), nothing is listed
    const bound = { model: { preset: "llama-2-7b" }, method: "lora", tokens: 2e9, hardware: "l40s", gpus: 64, microBatchSize: 1 } satisfies TrainingInput;
    expect(estimateTraining(bound).assumptions.some((a) => a.name === FAST)).toBe(false);
    expect(estimateTraining(bound).utilisation.high).toBe(estimateTraining({ ...bound, activationRecomputation: "full" }).utilisation.high);
    // nor for a run that does not fit as laid out
    const tooBig = estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "lora", tokens: 1e7, hardware: "a10g", gpus: 1, microBatchSize: 16 });
    expect(tooBig.fits).toBe(false);
    expect(tooBig.assumptions.some((a) => a.name === FAST)).toBe(false);
    // QLoRA of a 7B on one 24 GB GPU: TRL's 8 sequences fit only with full recomputation, fewer with selective
    const qlora = (extra: Partial<TrainingInput> = {}) => estimateTraining({ model: { parameters: 7e9 }, method: "qlora", tokens: 5e7, hardware: "a10g", ...extra });
    expect(qlora().assumptions.find((a) => a.name === FAST)?.source).toMatch(/here at [1-4] per micro-step/);
    // where the activations fit only with full recomputation, the band is the default's: one sequence of 8,192 tokens
    const long8k = qlora({ sequenceLength: 8192, microBatchSize: 1 });
    expect(long8k.fits).toBe(true);
    expect(long8k.assumptions.some((a) => a.name === FAST)).toBe(false);
    expect(long8k.utilisation.high).toBeCloseTo(qlora({ sequenceLength: 8192, microBatchSize: 1, activationRecomputation: "full" }).utilisation.high, 12);
    // pre-training's default is the MFU model's own mode
    expect(estimateTraining({ model: { preset: "llama-3.1-8b" }, tokens: 1e12, hardware: "h100-sxm", gpus: 64 }).assumptions.some((a) => a.name === FAST)).toBe(false);
  });

  it("a run that does not fit names only the changes that need fewer GPUs than its own layout on more GPUs", () => {
    // full fine-tune of an 8B on one H100: 129 GB of model states; ZeRO-3 over 2 GPUs fits as asked, so tensorParallel 2 on 2 GPUs is no better
    const e = estimateTraining({ model: { preset: "llama-3.1-8b" }, method: "full-fine-tune", tokens: 1e8, hardware: "h100-sxm", gpus: 1 });
    expect(e.fits).toBe(false);
    expect(e.fewestGpusToFit).toBe(2);
    const warning = e.warnings.find((w) => w.startsWith("does not fit"));
    expect(warning).toBe("does not fit on 1 × h100-sxm; the fewest that fit as asked are 2.");
  });

  it("a fine-tune that does not fit at its default recomputation turns on full recomputation, as fine-tuning stacks do; pre-training is left as asked", () => {
    // Whisper large-v2 on two T4s (16 GB, PCIe: no tensor parallelism to raise): selective does not fit there, full does
    const ask = (input: Partial<TrainingInput>) => estimateTraining({ model: { preset: "whisper-large-v2" }, method: "full-fine-tune", samples: 1e5, hardware: "t4", gpus: 2, ...input });
    const selective = ask({ activationRecomputation: "selective" });
    expect(selective.fits).toBe(false);
    expect(selective.warnings.join(" ")).toMatch(/the fewest that fit as asked are 3\. It fits on 2 GPUs with/);
    const auto = ask({});
    expect(auto.fits).toBe(true);
    expect(auto.parallelism.tensorParallel).toBe(1);
    const mode = auto.assumptions.find((a) => a.name === "activation recomputation");
    expect(mode?.value).toBe("full");
    expect(mode?.source).toContain("gradient_checkpointing=True");
    expect(mode?.source).toContain("on the requested 2 GPUs");
    // the answer is the one asked with full recomputation: its one more forward pass counted
    const full = ask({ activationRecomputation: "full" });
    expect(auto.gpuHours.expected).toBeCloseTo(full.gpuHours.expected, 6);
    expect(auto.gpuHours.expected).toBeGreaterThan(selective.gpuHours.expected);
    expect(auto.memoryPerGpuGb.total).toBeCloseTo(full.memoryPerGpuGb.total, 9);
    // with no GPUs requested: the fewest that fit at selective recomputation, which some count does
    expect(ask({ gpus: undefined }).assumptions.find((a) => a.name === "activation recomputation")?.value).toBe("selective");
    // pre-training is left as asked, the options named in the warning
    const pretrain = estimateTraining({ model: { preset: "llama-3.1-405b" }, tokens: 15e12, hardware: "h100-sxm", gpus: 16384 });
    expect(pretrain.fits).toBe(false);
    expect(pretrain.assumptions.find((a) => a.name === "activation recomputation")?.value).toBe("selective");
    expect(pretrain.warnings.join(" ")).toMatch(/activationRecomputation "full"/);
  });

  it("trains in FP16 by default where the accelerator has no BF16 (T4): QLoRA of a 7B on one T4 is answered, not refused", () => {
    const e = estimateTraining({ model: { preset: "llama-2-7b" }, method: "qlora", tokens: 5e7, hardware: "t4" });
    expect(e.hardware.precision).toBe("fp16");
    expect(e.assumptions.find((x) => x.name === "training precision")?.source).toContain("Micikevicius et al. 2018");
    expect(e.fits).toBe(true);
    expect(e.gpus).toBe(1);
    expect(estimateTraining({ model: { preset: "llama-2-7b" }, method: "qlora", tokens: 5e7, hardware: "a10g" }).hardware.precision).toBe("bf16");
  });

  it("trains in FP32 by default on a CPU that publishes no 16-bit peak", () => {
    const e = estimateTraining({ model: { preset: "bert-base" }, samples: 1e6, epochs: 3, hardware: "cpu-epyc-9654", gpus: 1 });
    expect(e.hardware.precision).toBe("fp32");
    expect(e.assumptions.find((a) => a.name === "training precision")?.source).toContain("neither a BF16 nor an FP16 peak");
  });

  it("when nothing fits, names the fewest GPUs within a node at the request's recomputation, and with full recomputation where fewer", () => {
    const e = estimateTraining({ model: { preset: "llama-3-70b" }, tokens: 1e12, hardware: "h100-sxm", tensorParallel: 1 });
    expect(e.fits).toBe(false);
    const [, same, full] = /It fits on (\d+) GPUs with tensorParallel 8, or on (\d+) GPUs with tensorParallel \d+ and activationRecomputation "full"/.exec(e.warnings.join(" ")) ?? [];
    expect(Number(same)).toBeGreaterThan(Number(full));
    const check = (input: Partial<TrainingInput>) => estimateTraining({ model: { preset: "llama-3-70b" }, tokens: 1e12, hardware: "h100-sxm", ...input });
    expect(check({ tensorParallel: 8, gpus: Number(same) }).fits).toBe(true);
    expect(check({ tensorParallel: 8, gpus: Number(same) - 8 }).fits).toBe(false);
  });

  it("with no layout given, raises tensor parallelism within a node until the run fits, where the GPUs share a GPU-to-GPU link", () => {
    const ask = (input: Partial<TrainingInput>) => estimateTraining({ model: { preset: "llama-2-70b" }, tokens: 2e12, hardware: "a100-80gb", ...input });
    const auto = ask({});
    expect(auto.fits).toBe(true);
    expect(auto.parallelism.tensorParallel).toBe(4);
    expect(auto.gpus).toBe(auto.fewestGpusToFit);
    expect(auto.assumptions.find((a) => a.name === "tensor parallelism")?.source).toContain("Shoeybi et al. 2019");
    // the fewest GPUs over 2, 4, 8: none of the other degrees fits on fewer, and one GPU per layer fits nowhere
    for (const tensorParallel of [2, 8]) expect(ask({ tensorParallel }).fewestGpusToFit ?? Infinity).toBeGreaterThanOrEqual(auto.gpus);
    expect(ask({ tensorParallel: 1 }).fewestGpusToFit).toBeNull();
    // on requested GPUs: the smallest degree that fits there
    const on64 = ask({ gpus: 64 });
    expect(on64.fits).toBe(true);
    expect(on64.parallelism.tensorParallel).toBe(2);
    expect(ask({ gpus: 64, tensorParallel: 1 }).fits).toBe(false);
    // the layout the request gives is kept, fitting or not; GPU-hours do not depend on the layout
    expect(ask({ pipelineParallel: 1 }).parallelism.tensorParallel).toBe(1);
    expect(ask({ tensorParallel: 1, gpus: auto.gpus }).gpuHours.expected).toBeCloseTo(auto.gpuHours.expected, 6);
    // a run that fits on one GPU per layer keeps it
    expect(estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 2e12, hardware: "a100-80gb" }).parallelism.tensorParallel).toBe(1);
    // over PCIe (no GPU-to-GPU link) the layout stays and the warning names the changes instead
    const pcie = estimateTraining({ model: { parameters: 7e9 }, method: "lora", tokens: 5e7, hardware: "a10g", activationRecomputation: "selective", sequenceLength: 8192 });
    expect(pcie.parallelism.tensorParallel).toBe(1);
    expect(pcie.fits).toBe(false);
    // only transformer layers are split: a CNN batch that does not fit stays as asked, with the warning
    const cnn = estimateTraining({ model: { preset: "resnet-50" }, samples: 1e6, hardware: "a100-80gb", microBatchSize: 4096 });
    expect(cnn.fits).toBe(false);
    expect(cnn.parallelism.tensorParallel).toBe(1);
  });

  it("accepts a measured hardware profile: its peak and utilisation band replace the catalog", () => {
    const e = estimateTraining({
      model: { architecture: { family: "mlp", inputs: 784, hiddenLayers: [256, 128], outputs: 10 } },
      samples: 60000, epochs: 5, precision: "fp32",
      hardware: { id: "this-cpu", peakFlopsPerS: { fp32: 1e11 }, memoryBytes: 8e9, memoryBandwidthBytesPerS: 2e10, tdpW: 65, utilisation: { compute: { low: 0.05, expected: 0.08, high: 0.1, source: "bench runs 1–5" } } },
      gpus: 1,
    });
    const macs = 784 * 256 + 256 * 128 + 128 * 10;
    const flops = 3 * 2 * macs * 60000 * 5;
    expect(e.flops.total).toBe(flops);
    expect(e.utilisation.source).toBe("bench runs 1–5");
    expect(e.gpuHours.expected).toBeCloseTo(flops / (1e11 * 0.08 * e.goodput.expected) / 3600, 9);
    expect(e.costUsd).toBeNull();
    expect(e.warnings.join(" ")).toMatch(/no cloud price/);
  });

  it("trains encoders on samples or tokens and whisper on decoder tokens", () => {
    const bert = estimateTraining({ model: { preset: "bert-base" }, samples: 1000, sequenceLength: 128, hardware: "t4", precision: "fp16" });
    expect(bert.tokens).toBe(128_000);
    const bertTokens = estimateTraining({ model: { preset: "bert-base" }, tokens: 128_000, sequenceLength: 128, hardware: "t4", precision: "fp16" });
    expect(bertTokens.flops.total).toBeCloseTo(bert.flops.total, -3);
    const whisper = estimateTraining({ model: { preset: "whisper-small" }, samples: 1000, hardware: "a100-80gb" });
    expect(whisper.tokens).toBe(1000 * 448);
    expect(whisper.flops.total).toBeGreaterThan(6 * 240e6 * 448_000);
  });
});
