// The published cases of packages/estimator/validation are evidence a user must be able to open: every case names
// catalog hardware (and a catalog preset when it names one), carries the source's exact words, a dated source and a
// URL that does not move (a GitHub blob at a commit, an arXiv abstract, a model card). This checks the data, not the
// estimator; the runner that compares predictions lives apart.
import { describe, expect, it } from "vitest";
import trainingJson from "../validation/training-runs.json";
import servingJson from "../validation/serving-cases.json";
import { getAccelerator, getPreset, LORA_TARGETS, SERVING_ENGINES, TRAINING_METHODS, WEIGHT_QUANTIZATIONS } from "../src";

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;
const KEBAB = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
const PRECISIONS = ["fp32", "tf32", "bf16", "fp16", "fp8"];
const WEIGHTS: readonly string[] = WEIGHT_QUANTIZATIONS;
const KV = ["fp16", "bf16", "fp8", "int8"];
const KINDS = ["throughput-at-saturation", "batch1-decode"];

interface RawSource {
  title: string;
  url: string;
  locator: string;
  quote: string;
  published: string;
}
interface RawModel {
  name: string;
  preset?: string;
  parameters: number;
  activeParameters?: number;
}

function checkSources(id: string, sources: readonly RawSource[]): void {
  expect(sources.length, `${id}: at least one source`).toBeGreaterThan(0);
  for (const s of sources) {
    expect(s.title, `${id}: title`).toMatch(/\w{3}/);
    expect(s.locator, `${id}: locator`).toMatch(/\w{2}/);
    expect(s.quote.length, `${id}: quote`).toBeGreaterThanOrEqual(20);
    expect(s.published, `${id}: published ${s.published}`).toMatch(DATE);
    expect(s.url, `${id}: url`).toMatch(/^https:\/\//);
    if (s.url.startsWith("https://github.com/")) {
      // a blob at a commit, never a branch: the words must still be there when a user opens it
      expect(s.url, `${id}: GitHub URL at a commit`).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
    }
  }
}

function checkModel(id: string, m: RawModel): void {
  expect(m.name, `${id}: model name`).toMatch(/\w/);
  expect(m.parameters, `${id}: parameters`).toBeGreaterThan(1e7);
  if (m.preset !== undefined) expect(getPreset(m.preset), `${id}: preset ${m.preset}`).toBeDefined();
  if (m.activeParameters !== undefined) expect(m.activeParameters, `${id}: active < total`).toBeLessThan(m.parameters);
}

describe("published training runs", () => {
  const cases = trainingJson.cases;

  it("holds at least 20 runs with unique kebab-case ids", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(KEBAB);
    expect(trainingJson.collected).toMatch(DATE);
  });

  it("names catalog hardware, a known precision and a published time for every run", () => {
    for (const c of cases) {
      expect(getAccelerator(c.hardware), `${c.id}: hardware ${c.hardware}`).toBeDefined();
      expect(PRECISIONS, `${c.id}: precision`).toContain(c.precision);
      // token models give their tokens; image models their samples per epoch and epochs
      const run: { tokens?: number; samples?: number; epochs?: number } = c;
      const ft: { id: string; method?: string; lora?: { rank?: number; targets?: string }; framework?: string } = c;
      if (run.samples !== undefined) {
        expect(run.samples * (run.epochs ?? 0), `${c.id}: samples × epochs`).toBeGreaterThan(1e6);
        expect(run.tokens, `${c.id}: tokens or samples, not both`).toBeUndefined();
      } else if (ft.method === undefined || ft.method === "pre-train") expect(run.tokens, `${c.id}: tokens`).toBeGreaterThan(1e9);
      else expect(run.tokens, `${c.id}: tokens`).toBeGreaterThan(0);
      if (c.gpus !== null) expect(Number.isInteger(c.gpus) && c.gpus > 0, `${c.id}: gpus`).toBe(true);
      // fine-tuning: a known method; an adapter only for LoRA and QLoRA; a named library if any
      if (ft.method !== undefined) expect(TRAINING_METHODS, `${c.id}: method`).toContain(ft.method);
      if (ft.lora !== undefined) {
        expect(["lora", "qlora"], `${c.id}: lora only with a LoRA method`).toContain(ft.method);
        if (ft.lora.targets !== undefined) expect(LORA_TARGETS, `${c.id}: lora targets`).toContain(ft.lora.targets);
        if (ft.lora.rank !== undefined) expect(Number.isInteger(ft.lora.rank) && ft.lora.rank > 0, `${c.id}: lora rank`).toBe(true);
      }
      if (ft.framework !== undefined) expect(ft.framework.trim().length, `${c.id}: framework`).toBeGreaterThan(0);
      const p: { gpuHours?: number; wallClockDays?: number; tokensPerSecPerGpu?: number } = c.published;
      const hasHours = typeof p.gpuHours === "number" && p.gpuHours > 0;
      const hasDays = typeof p.wallClockDays === "number" && p.wallClockDays > 0 && c.gpus !== null;
      // a throughput is measured on a stated number of GPUs, over the case's (nominal) tokens
      const hasThroughput = typeof p.tokensPerSecPerGpu === "number" && p.tokensPerSecPerGpu > 0 && c.gpus !== null && typeof run.tokens === "number";
      expect(hasHours || hasDays || hasThroughput, `${c.id}: gpuHours, wallClockDays with gpus, or tokensPerSecPerGpu with gpus and tokens`).toBe(true);
      // a whole run's time or a benchmark's throughput, not both (the runner would take the run's)
      expect(hasThroughput && (hasHours || hasDays), `${c.id}: a run's time or a throughput`).toBe(false);
      checkModel(c.id, c.model);
      checkSources(c.id, c.sources);
    }
  });
});

describe("published serving figures", () => {
  const cases = servingJson.cases;

  it("holds at least 15 figures with unique kebab-case ids", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(KEBAB);
    expect(servingJson.collected).toMatch(DATE);
  });

  it("gives every figure catalog hardware, its shape and the published number its kind needs", () => {
    for (const c of cases) {
      expect(KINDS, `${c.id}: kind`).toContain(c.kind);
      expect(getAccelerator(c.hardware), `${c.id}: hardware ${c.hardware}`).toBeDefined();
      expect(WEIGHTS, `${c.id}: weights`).toContain(c.weights);
      if ("engine" in c && c.engine !== undefined) expect(SERVING_ENGINES as readonly string[], `${c.id}: engine`).toContain(c.engine);
      if ("kvCache" in c && c.kvCache !== undefined) expect(KV, `${c.id}: kvCache`).toContain(c.kvCache);
      expect(Number.isInteger(c.gpus) && c.gpus > 0, `${c.id}: gpus`).toBe(true);
      expect(c.inputTokens, `${c.id}: inputTokens`).toBeGreaterThan(0);
      expect(c.outputTokens, `${c.id}: outputTokens`).toBeGreaterThan(0);
      const p: { outputTokensPerSecPerGpu?: number; outputTokensPerSec?: number; msPerOutputToken?: number; includesPrefill?: boolean } = c.published;
      if (c.kind === "batch1-decode") {
        expect("batchSize" in c ? c.batchSize : undefined, `${c.id}: batch 1`).toBe(1);
        expect(p.msPerOutputToken, `${c.id}: msPerOutputToken`).toBeGreaterThan(0);
        // both given: the one derived from the other (to the rounding of the printed figure, 1%)
        if (p.outputTokensPerSec !== undefined) expect(Math.abs(p.msPerOutputToken! * p.outputTokensPerSec - 1000) / 1000, `${c.id}: msPerOutputToken = 1000 / outputTokensPerSec`).toBeLessThan(0.01);
      } else {
        expect((p.outputTokensPerSecPerGpu ?? p.outputTokensPerSec ?? 0) > 0, `${c.id}: throughput`).toBe(true);
        // only a batch-1 figure is compared per output token, so only it can count a prefill
        expect(p.includesPrefill, `${c.id}: includesPrefill on a throughput case`).toBeUndefined();
      }
      checkModel(c.id, c.model);
      checkSources(c.id, c.sources);
    }
  });

  it("covers what the issue asks for: several input/output lengths, batch-1 decode, MoE and FP8", () => {
    const shapes = new Set(cases.filter((c) => c.kind === "throughput-at-saturation").map((c) => `${c.inputTokens}/${c.outputTokens}`));
    expect(shapes.size).toBeGreaterThanOrEqual(4);
    expect(cases.filter((c) => c.kind === "batch1-decode").length).toBeGreaterThanOrEqual(3);
    const moe = cases.filter((c) => {
      const m: RawModel = c.model;
      return m.activeParameters !== undefined || (m.preset !== undefined && getPreset(m.preset)?.architecture.family === "decoder" && "moe" in (getPreset(m.preset)?.architecture ?? {}));
    });
    expect(moe.length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.weights === "fp8").length).toBeGreaterThanOrEqual(5);
  });
});
