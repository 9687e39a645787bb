// The estimator against the issue-12 targets on the published cases (packages/estimator/validation),
// estimated with defaults only. A kind below its target fails here — except the misses listed in
// KNOWN_MISSES, which are expected to fail and say why; when the model improves so that one of them
// meets its target, its `it.fails` fails and the entry must go.
import { describe, expect, it } from "vitest";
import { estimateInference, estimateTraining, trackRecord, trackRecordLines } from "../src";
import { publishedCases } from "../validation/published";
import { runValidation, servingCaseInput, TARGETS, type ValidationKind } from "../validation/run";
import type { ServingCase, TrainingRunCase } from "../validation/cases";

const KNOWN_MISSES: Partial<Record<ValidationKind, string>> = {
  "training-gpu-hours":
    "median |error| 26% on 69 runs and benchmarks, 26% on the 59 held out (target 10%). Pre-training, 45 runs: 22% (24% on the 35 held out): the real-run factor comes from Meta's runs (LLaMA, Llama 3), which realise more of the framework MFU than other teams' runs — 28 of the 35 held-out runs took longer than estimated (median signed error -18%; Falcon2-11B -50%, StarCoderBase -37%, StableLM-3B -31%, Granite 3.0 8B -26%); within Meta's own runs, Llama 3 8B realises 0.36 of the framework MFU and Llama 3.1 405B 0.95, and nothing a user gives tells them apart; the two Llama 3.2 runs also count their distillation teachers' forward passes; the five MoE runs (Phi-3.5-MoE, Granite 3.0 1B-A400M and 3B-A800M, JetMoE-8B, OLMoE-1B-7B) took 1.1–2.3× the GPU-hours estimated for a dense model of their active size; MLPerf's ResNet-50 runs are estimated 26% (A100) and 51% (H100) high. Fine-tuning, 24 benchmarks and runs: 47%, a throughput benchmark scored against the estimate's steady state (its training steps alone) — NVIDIA's FP8 benchmarks (NeMo 24.07, Megatron Bridge 26.06) run 1.6–2× faster than the steps estimated from llm-foundry's FP8 table, NeMo AutoModel's BF16 LoRA rows land within -5% to +36%, the DGX Cloud TRL/PEFT LoRA recipe runs 1.3–2.2× slower at 16–512 GPUs (3.2× at 8), and Hugging Face's 2023 FSDP full fine-tunes of Llama 2 70B and StarCoder, whole runs, took 12× and 5× the estimate: the training library decides a fine-tune's time more than anything the estimate is given",
  "serving-throughput":
    "79% of the 280 throughput cases within ±20% or the band (TensorRT-LLM 0.6–1.0's 98: 92%, TensorRT-LLM 0.9.0's 84: 81%, LMDeploy's 60: 87%): the continuous-batching model (70% of the maximum achievable matmul FLOPS, MBU 0.7) describes TensorRT-LLM and LMDeploy at moderate batches, and other engines run large batches slower than that — vLLM on 8 MI300X is estimated 10–18% high at batch 2 and up to 100% at 128 (AMD's ROCm build, 2025; 12 of 28 pass) and 29–91% high at batch 2–256 (Oracle's run, 2024; none of 10 pass), LMDeploy 0.1 on A100 5%, 8% and 17% high at batch 16, 32 and 64: a cost per sequence and step that the model does not have; TensorRT-LLM 0.9.0's Mistral 7B and Falcon 180B at 2,048 output tokens on H200 and H100 are estimated up to 2.7× high (Mistral 7B measured about as fast as Llama 2 7B at the same batch, although its 8 KV heads read a quarter of the KV cache); TensorRT-LLM 0.17's Llama 3.1 70B FP8 on one H100, whose weights nearly fill it, is estimated 23–41% low at four of its seven lengths: TensorRT-LLM gives the KV cache 90–95% of the memory left after the weights and reserves each request's full cache, where the estimate keeps vLLM's 90% of the GPU (those two rules as documented overshoot five of the same column's seven two-A100 rows by 23–58%, so they are not the default); the same column's 70B on one H200 at 128/4,096 is 48% high",
  "serving-batch1-decode":
    "89% of the 74 batch-1 cases within ±15% (median 7.2%; held out 93%: gpt-fast 29 of 31, LMDeploy 20 of 20, torchao on H100 3 of 4, vLLM on MI300X 4 of 5): llama.cpp on the L40S runs 33–38% faster than estimated (its band and per-layer cost come from the table's A100 and H100 rows, where its kernels stream a smaller share of HBM bandwidth than the L40S's F16 and Q4_K_M rows imply of its GDDR6); its F16 Llama 3 8B on A100 SXM runs 19% slower; gpt-fast's Llama 3.1 405B int8 at 8 GPUs runs 23% slower and its Llama 3.1 70B bf16 at 2 GPUs 16% slower; torchao's FP8 weight-only Llama 3.1 8B on H100 24% slower; vLLM's Llama 3.1 405B on 8 MI300X at 128/128 (Oracle) 21% slower",
};

/** Why the training band covers fewer than 90% of the runs (its own expected failure, as above). */
const KNOWN_BAND_MISS =
  "the band covers 57 of 69 runs and benchmarks (83%; 47 of the 59 held out): it is the spread of Meta's runs around their family's factor, with a fine-tune's fast end at selective recomputation where its activations fit, and misses Phi-1.5 (-65%), BioMedLM (-56%), the two Granite 3.0 MoE runs (-57%, -53%), the two distilled Llama 3.2 runs (-77%, -59%) and 6 of the 24 fine-tuning cases (NVIDIA's two FP8 full fine-tunes of 70B models, +71% and +56% against the steady state, which NVIDIA ran with a distributed optimizer at tensor 4 × pipeline 4 where the estimate gathers ZeRO-3's weights every micro-step; the DGX Cloud LoRA recipe at 8 and 16 GPUs, -68% and -54%; the two Hugging Face FSDP full fine-tunes, -92% and -80%)";

const SOURCE = { title: "fixture", url: "https://example.org/fixture", locator: "-", quote: "a fixture of the runner's own test", published: "2026-01" };

const trainingFixture: TrainingRunCase[] = [
  { id: "fixture-7b", model: { name: "Llama 2 7B", preset: "llama-2-7b", parameters: 6.7e9 }, tokens: 1e11, hardware: "a100-80gb", gpus: 64, precision: "bf16", published: { gpuHours: 10_000 }, sources: [SOURCE] },
  { id: "fixture-wall-clock", model: { name: "Llama 2 7B", preset: "llama-2-7b", parameters: 6.7e9 }, tokens: 1e11, hardware: "a100-80gb", gpus: 64, precision: "bf16", published: { wallClockDays: 10 }, sources: [SOURCE], usedForDefaults: true },
];
const servingFixture: ServingCase[] = [
  { id: "fixture-throughput", kind: "throughput-at-saturation", model: { name: "Llama 3 8B", preset: "llama-3-8b", parameters: 8e9 }, hardware: "h100-sxm", gpus: 1, weights: "fp8", inputTokens: 128, outputTokens: 128, framework: "fixture", published: { outputTokensPerSec: 20_000 }, sources: [SOURCE] },
  { id: "fixture-batch1", kind: "batch1-decode", model: { name: "Llama 3 8B", preset: "llama-3-8b", parameters: 8e9 }, hardware: "a100-80gb", gpus: 1, weights: "fp16", inputTokens: 100, outputTokens: 100, batchSize: 1, framework: "fixture", published: { msPerOutputToken: 12 }, sources: [SOURCE] },
  { id: "fixture-batch1-with-prefill", kind: "batch1-decode", model: { name: "Llama 3 8B", preset: "llama-3-8b", parameters: 8e9 }, hardware: "a100-80gb", gpus: 1, weights: "fp16", inputTokens: 2048, outputTokens: 100, batchSize: 1, framework: "fixture", published: { msPerOutputToken: 14, includesPrefill: true }, sources: [SOURCE] },
];

describe("the validation runner (its own fixture cases)", () => {
  const record = runValidation(trainingFixture, servingFixture);
  const byId = new Map(record.cases.map((c) => [c.id, c]));

  it("compares GPU-hours, or wall-clock days × GPUs × 24, with the estimate's band", () => {
    const a = byId.get("fixture-7b")!;
    expect(a.published).toBe(10_000);
    expect(a.errorPct).toBeCloseTo((100 * (a.predicted!.expected - 10_000)) / 10_000, 9);
    expect(a.bandCovers).toBe(a.predicted!.low <= 10_000 && 10_000 <= a.predicted!.high);
    expect(byId.get("fixture-wall-clock")!.published).toBe(10 * 24 * 64);
  });

  it("says which way the misses go: the median signed error and the share of estimates below the published figure", () => {
    const training = record.kinds.find((k) => k.kind === "training-gpu-hours")!;
    const errors = ["fixture-7b", "fixture-wall-clock"].map((id) => byId.get(id)!.errorPct!);
    expect(training.medianErrorPct).toBeCloseTo((errors[0] + errors[1]) / 2, 9);
    expect(training.medianAbsErrorPct).toBeCloseTo((Math.abs(errors[0]) + Math.abs(errors[1])) / 2, 9);
    expect(training.belowPublishedPct).toBe((100 * errors.filter((e) => e < 0).length) / 2);
    expect(training.heldOut.belowPublishedPct).toBe(errors[0] < 0 ? 100 : 0);
  });

  it("a fine-tuning benchmark: its method and adapter go to the estimate, its throughput gives the GPU-hours of the case's tokens, compared at the estimate's steady state", () => {
    const lora: TrainingRunCase = {
      id: "fixture-lora-throughput",
      model: { name: "Llama 3 8B", preset: "llama-3-8b", parameters: 8e9 },
      tokens: 1e9,
      sequenceLength: 4096,
      method: "lora",
      lora: { rank: 16, targets: "all-linear" },
      framework: "a fine-tuning library",
      hardware: "h100-sxm",
      gpus: 8,
      precision: "bf16",
      published: { tokensPerSecPerGpu: 5_000 },
      sources: [SOURCE],
    };
    const r = runValidation([lora], []).cases[0];
    expect(r.published).toBeCloseTo(1e9 / (5_000 * 3600), 9);
    expect(r.framework).toBe("a fine-tuning library");
    const e = estimateTraining({ model: { preset: "llama-3-8b" }, tokens: 1e9, sequenceLength: 4096, method: "lora", lora: { rank: 16, targets: "all-linear" }, hardware: "h100-sxm", gpus: 8, precision: "bf16" });
    // a benchmark measures the training steps alone: the case's tokens at the steady-state rate, not the whole run's GPU-hours
    const steady = e.steadyState.tokensOrSamplesPerSecPerGpu;
    expect(r.predicted!.expected).toBeCloseTo(1e9 / (steady.expected * 3600), 9);
    expect(r.predicted!.low).toBeCloseTo(1e9 / (steady.high * 3600), 9);
    expect(r.predicted!.high).toBeCloseTo(1e9 / (steady.low * 3600), 9);
    expect(r.predicted!.expected).toBeLessThan(e.gpuHours.expected);
    expect(r.unit).toBe("GPU-hours of training steps (steady state)");
    expect(e.method).toBe("lora");
    // a run published as GPU-hours (or wall-clock days) is compared with the whole run's
    const run = runValidation([{ ...lora, id: "fixture-lora-run", published: { gpuHours: 50 } }], []).cases[0];
    expect(run.predicted!.expected).toBeCloseTo(e.gpuHours.expected, 9);
    expect(run.unit).toBe("GPU-hours");
  });

  it("keeps what a training estimate says about itself in the case's note, as for serving", () => {
    // a 70B full fine-tune on one GPU does not fit as asked: scored all the same, and the note says so
    const tight: TrainingRunCase = { ...trainingFixture[0], id: "fixture-does-not-fit", model: { name: "Llama 2 70B", preset: "llama-2-70b", parameters: 70e9 }, method: "full-fine-tune", tokens: 1e8, gpus: 1 };
    const r = runValidation([tight], []).cases[0];
    const e = estimateTraining({ model: { preset: "llama-2-70b" }, method: "full-fine-tune", tokens: 1e8, hardware: "a100-80gb", gpus: 1, precision: "bf16" });
    expect(e.fits).toBe(false);
    expect(r.predicted!.expected).toBeCloseTo(e.gpuHours.expected, 9);
    expect(r.note).toBe(e.warnings.join("; "));
    expect(r.note).toContain("does not fit");
    // and none where the estimate has nothing to say
    expect(runValidation([{ ...trainingFixture[0], tokens: 1e9, gpus: 8 }], []).cases[0].note).toBeNull();
  });

  it("gives the figures per accelerator and per serving engine, most cases first", () => {
    // two H100 runs, one estimated well below what it took and one well above, and one more A100 run
    const h100Runs: TrainingRunCase[] = [
      { ...trainingFixture[0], id: "fixture-h100-long", hardware: "h100-sxm", published: { gpuHours: 1e6 } },
      { ...trainingFixture[0], id: "fixture-h100-short", hardware: "h100-sxm", published: { gpuHours: 1 } },
    ];
    const a100Run: TrainingRunCase = { ...trainingFixture[0], id: "fixture-a100-third", published: { gpuHours: 20_000 } };
    const otherEngine: ServingCase = { ...servingFixture[0], id: "fixture-other-engine", hardware: "a100-80gb", weights: "fp16", framework: "another engine" };
    const grouped = runValidation([...trainingFixture, a100Run, ...h100Runs], [...servingFixture, otherEngine]);
    const kind = (k: ValidationKind) => grouped.kinds.find((x) => x.kind === k)!;
    const training = kind("training-gpu-hours");
    expect(training.byHardware.map((g) => [g.key, g.n])).toEqual([["a100-80gb", 3], ["h100-sxm", 2]]);
    const [long, short] = h100Runs.map((r) => grouped.cases.find((c) => c.id === r.id)!);
    expect(long.errorPct!).toBeLessThan(-90);
    expect(short.errorPct!).toBeGreaterThan(1000);
    const h100 = training.byHardware[1];
    // the median of two is their mean; one of two below the published GPU-hours; neither band reaches
    expect(h100.medianAbsErrorPct).toBeCloseTo((Math.abs(long.errorPct!) + Math.abs(short.errorPct!)) / 2, 9);
    expect(h100.medianErrorPct).toBeCloseTo((long.errorPct! + short.errorPct!) / 2, 9);
    expect(h100.belowPublishedPct).toBe(50);
    expect(h100.coveragePct).toBe(0);
    expect(h100.passPct).toBe(0);
    // the A100 group's median of three is its middle case
    const a100Errors = grouped.cases.filter((c) => c.hardware === "a100-80gb" && c.kind === "training-gpu-hours").map((c) => Math.abs(c.errorPct!)).sort((a, b) => a - b);
    expect(training.byHardware[0].medianAbsErrorPct).toBeCloseTo(a100Errors[1], 9);
    // these fixture runs name no training library
    expect(training.byFramework).toEqual([]);
    expect(long.framework).toBeNull();
    const throughput = kind("serving-throughput");
    expect(throughput.byHardware.map((g) => [g.key, g.n])).toEqual([["a100-80gb", 1], ["h100-sxm", 1]]);
    expect(throughput.byFramework.map((g) => [g.key, g.n])).toEqual([["another engine", 1], ["fixture", 1]]);
    expect(kind("serving-batch1-decode").byFramework.map((g) => [g.key, g.n])).toEqual([["fixture", 2]]);
  });

  it("reports the cases whose sources set a default apart from the held-out ones", () => {
    const training = record.kinds.find((k) => k.kind === "training-gpu-hours")!;
    expect(training.n).toBe(2);
    expect(training.heldOut.n).toBe(1);
    expect(training.usedForDefaults.n).toBe(1);
  });

  it("serving: tokens/s per GPU from the replica's total, batch-1 decode in ms per output token", () => {
    const t = byId.get("fixture-throughput")!;
    expect(t.unit).toBe("output tokens/s per GPU");
    expect(t.published).toBe(20_000);
    expect(t.passes).toBe(Math.abs(t.errorPct!) <= 20 || t.bandCovers);
    const b = byId.get("fixture-batch1")!;
    expect(b.unit).toBe("ms per output token");
    expect(b.passes).toBe(Math.abs(b.errorPct!) <= 15);
    // a figure that counts the prompt's prefill (output tokens ÷ end-to-end time) is compared with the request's latency per output token
    const withPrefill = byId.get("fixture-batch1-with-prefill")!;
    const e = estimateInference(servingCaseInput(servingFixture.find((c) => c.id === "fixture-batch1-with-prefill")!));
    expect(withPrefill.predicted!.expected).toBeCloseTo(e.requestLatencyMs.expected / 100, 9);
    expect(withPrefill.predicted!.expected).toBeGreaterThan(e.decodeMsPerToken!.expected);
  });
});

describe("issue-12 targets on the published cases, defaults only", () => {
  const record = trackRecord();
  const kind = (k: ValidationKind) => record.kinds.find((x) => x.kind === k)!;

  it("has the cases issue 12 asks for: ≥ 20 training runs and ≥ 15 serving figures", () => {
    expect(kind("training-gpu-hours").n).toBeGreaterThanOrEqual(20);
    expect(kind("serving-throughput").n + kind("serving-batch1-decode").n).toBeGreaterThanOrEqual(15);
  });

  const training = TARGETS["training-gpu-hours"];
  (KNOWN_MISSES["training-gpu-hours"] ? it.fails : it)(`training GPU-hours: ${training.description}${KNOWN_MISSES["training-gpu-hours"] ? ` (known miss: ${KNOWN_MISSES["training-gpu-hours"]})` : ""}`, () => {
    const k = kind("training-gpu-hours");
    expect(k.medianAbsErrorPct!).toBeLessThanOrEqual(training.medianAbsErrorPct);
    expect(k.coveragePct!).toBeGreaterThanOrEqual(training.coveragePct);
  });

  // the band alone: a known miss too since 13 runs of other teams joined (it covered 93% of the 27 before), and far more with the fine-tuning cases
  it.fails(`training GPU-hours: the band covers ≥ 90% of the runs (known miss: ${KNOWN_BAND_MISS})`, () => {
    expect(kind("training-gpu-hours").coveragePct!).toBeGreaterThanOrEqual(training.coveragePct);
  });

  for (const k of ["serving-throughput", "serving-batch1-decode"] as const) {
    const t = TARGETS[k];
    (KNOWN_MISSES[k] ? it.fails : it)(`${k}: ${t.description}${KNOWN_MISSES[k] ? ` (known miss: ${KNOWN_MISSES[k]})` : ""}`, () => {
      expect(kind(k).passPct!).toBeGreaterThanOrEqual(t.passPct);
    });
  }

  it("Llama-3-70B at 20 req/s on H100 with defaults: GPUs within 1.5× of the cheapest gpusPerReplica", () => {
    const c = record.checks[0];
    expect(c.ratio).toBeLessThanOrEqual(1.5);
    expect(c.met).toBe(true);
  });

  it("an MoE training estimate on the published MFU model says how the published MoE runs compared with it", () => {
    const moeRuns = record.cases.filter((c) => ["phi-3.5-moe-pretrain", "granite-3.0-1b-a400m-pretrain", "granite-3.0-3b-a800m-pretrain", "jetmoe-8b-pretrain", "olmoe-1b-7b-pretrain"].includes(c.id));
    expect(moeRuns).toHaveLength(5);
    const run = { tokens: 1e11, hardware: "h100-sxm", gpus: 64 };
    const moe = estimateTraining({ model: { preset: "mixtral-8x7b" }, ...run }).warnings.filter((w) => w.startsWith("mixture-of-experts training"));
    expect(moe).toHaveLength(1);
    expect(moe[0]).toContain(`the ${moeRuns.length} published MoE runs of the track record`);
    for (const c of moeRuns) expect(moe[0]).toContain(`${c.model} ${(c.published / c.predicted!.expected).toFixed(1)}×`);
    // not for a dense model, nor where the caller gives the utilisation (which then includes the MoE's overheads)
    expect(estimateTraining({ model: { preset: "llama-2-7b" }, ...run }).warnings.some((w) => w.startsWith("mixture-of-experts"))).toBe(false);
    const given = estimateTraining({ model: { preset: "mixtral-8x7b" }, ...run, utilisation: { low: 0.2, expected: 0.3, high: 0.4 } });
    expect(given.warnings.some((w) => w.startsWith("mixture-of-experts"))).toBe(false);
  });

  it("every estimate cites the track record in one line", () => {
    const lines = trackRecordLines("a100-80gb");
    const t = kind("training-gpu-hours");
    expect(lines.training).toMatch(new RegExp(`^estimator median error on ${t.n} published training runs`));
    const longer = record.cases.filter((c) => c.kind === "training-gpu-hours" && c.errorPct! < 0).length;
    expect(longer).toBe(Math.round((t.belowPublishedPct! * t.n) / 100));
    expect(lines.training).toContain(`, ${longer} of ${t.n} took longer than estimated (held out: `);
    expect(lines.inference).toMatch(new RegExp(`^estimator median error on ${kind("serving-throughput").n} published serving throughputs`));

  });

  it("the line then quotes the estimate's own accelerator, or says no published case ran on it", () => {
    const pct = (x: number | null) => `${x!.toFixed(0)}%`;
    for (const hardware of ["a100-80gb", "h100-sxm"]) {
      const runs = record.cases.filter((c) => c.kind === "training-gpu-hours" && c.hardware === hardware);
      const g = kind("training-gpu-hours").byHardware.find((x) => x.key === hardware)!;
      expect(g.n).toBe(runs.length);
      const longer = runs.filter((c) => c.errorPct! < 0).length;
      const expected = `; on ${hardware}: ${runs.length} runs, median ${pct(g.medianAbsErrorPct)}, band covers ${pct(g.coveragePct)}, ${longer} of ${runs.length} took longer; GET /v1/validation`;
      expect(trackRecordLines(hardware).training!.endsWith(expected)).toBe(true);
      expect(estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 2e9, hardware, gpus: 8 }).trackRecord).toBe(trackRecordLines(hardware).training);
    }
    const mi300x = record.cases.filter((c) => c.kind === "serving-throughput" && c.hardware === "mi300x");
    expect(mi300x.length).toBeGreaterThan(0);
    const g = kind("serving-throughput").byHardware.find((x) => x.key === "mi300x")!;
    const passing = mi300x.filter((c) => c.passes).length;
    expect(g.passPct).toBeCloseTo((100 * passing) / mi300x.length, 9);
    const line = estimateInference({ model: { preset: "llama-3-70b" }, hardware: "mi300x", gpusPerReplica: 2, workload: { requestsPerSecondPeak: 1 } }).trackRecord!;
    const batch1 = record.cases.filter((c) => c.kind === "serving-batch1-decode" && c.hardware === "mi300x");
    const g1 = kind("serving-batch1-decode").byHardware.find((x) => x.key === "mi300x")!;
    expect(line).toContain(
      `; on mi300x: ${mi300x.length} throughputs, median ${pct(g.medianAbsErrorPct)}, ${pct(g.passPct)} within ±20% or the band, ${mi300x.filter((c) => c.errorPct! < 0).length} of ${mi300x.length} estimated below; ${batch1.length} batch-1 decodes, median ${pct(g1.medianAbsErrorPct)}; GET /v1/validation`,
    );
    // an accelerator no published case ran on
    expect(record.cases.some((c) => c.hardware === "l4")).toBe(false);
    expect(trackRecordLines("l4").training).toContain("; no published run on l4; GET /v1/validation");
    expect(trackRecordLines("l4").inference).toContain("; no published serving case on l4; GET /v1/validation");
  });

  it("a fine-tune's line gives the fine-tuning cases apart: how many, their median error and how many times the estimate they took", () => {
    const tuned = new Set(publishedCases().training.filter((c) => c.method !== undefined && c.method !== "pre-train").map((c) => c.id));
    const ft = record.cases.filter((c) => tuned.has(c.id));
    expect(ft.length).toBeGreaterThan(0);
    const ratios = ft.map((c) => c.published / c.predicted!.expected);
    const abs = ft.map((c) => Math.abs(c.errorPct!)).sort((a, b) => a - b);
    const mid = abs.length / 2;
    const median = abs.length % 2 ? abs[Math.floor(mid)] : (abs[mid - 1] + abs[mid]) / 2;
    const part = `; of them ${ft.length} fine-tuning runs and benchmarks: median ${median.toFixed(0)}%; they took ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(1)}× the estimated GPU-hours (a throughput benchmark: of its training steps, against the steady state), depending on the training library; on a100-80gb: `;
    for (const method of ["full-fine-tune", "lora", "qlora"] as const) {
      expect(estimateTraining({ model: { preset: "llama-2-7b" }, method, tokens: 2e9, hardware: "a100-80gb", gpus: 8 }).trackRecord).toContain(part);
    }
    // a pre-training estimate's line does not
    expect(estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 2e11, hardware: "a100-80gb", gpus: 64 }).trackRecord).not.toContain("fine-tuning");
  });

  it("an accelerator given by its figures is not the catalog one of the same id: no published case ran on it", () => {
    const mine = { id: "h100-sxm", peakFlopsPerS: { bf16: 1e14 }, memoryBytes: 8e10, memoryBandwidthBytesPerS: 2e12 };
    const t = estimateTraining({ model: { preset: "llama-2-7b" }, tokens: 2e9, hardware: mine, gpus: 8 }).trackRecord!;
    expect(t).toContain("; no published run on an accelerator given by its figures; GET /v1/validation");
    expect(t).not.toContain("on h100-sxm");
    const s = estimateInference({ model: { preset: "llama-2-7b" }, hardware: mine, workload: { requestsPerSecondPeak: 1 } }).trackRecord!;
    expect(s).toContain("; no published serving case on an accelerator given by its figures; GET /v1/validation");
  });

  it("keeps one line per catalog accelerator, frozen, and none for other ids", () => {
    expect(trackRecordLines("l4")).toBe(trackRecordLines("l4"));
    expect(trackRecordLines(null)).toBe(trackRecordLines(null));
    expect(Object.isFrozen(trackRecordLines("a100-80gb"))).toBe(true);
    // an id outside the catalog is written each time (callers choose ids; the kept set stays the catalog's)
    expect(trackRecordLines("no-such-accelerator")).not.toBe(trackRecordLines("no-such-accelerator"));
    expect(trackRecordLines("no-such-accelerator").training).toContain("no published run on no-such-accelerator");
  });
});
