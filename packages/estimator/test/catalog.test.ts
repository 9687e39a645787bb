import { describe, expect, it } from "vitest";
import {
  ACTIVATION_RECOMPUTATIONS,
  CATALOG_VERSION,
  CATALOG_VERSIONS,
  getAccelerator,
  getDefaults,
  getPreset,
  listAccelerators,
  listCloudPrices,
  listHostedModels,
  listPresets,
} from "../src";
import { catalogPeak, fitAtScale, fitRealRuns } from "../src/training/calibration";
import type { SourcedFigure } from "../src";

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

function expectSourcedOrMarkedMissing(f: SourcedFigure<unknown>, where: string): void {
  if (f.value === null) {
    expect(f.source, `${where}: a missing figure has no source`).toBeNull();
    expect(f.note, `${where}: a missing figure says why`).toMatch(/\w/);
  } else {
    expect(f.source, `${where}: source`).toMatch(/\w{3}/);
    expect(f.date, `${where}: date`).toMatch(DATE);
  }
}

describe("accelerator catalog", () => {
  it("holds the required accelerators and a CPU entry", () => {
    for (const id of ["v100-sxm-32gb", "t4", "l4", "a10g", "l40s", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "mi300x"]) {
      expect(getAccelerator(id), id).toBeDefined();
    }
    expect(listAccelerators().some((a) => a.kind === "cpu")).toBe(true);
  });

  it("gives every figure a source and date, or marks it missing with a note", () => {
    for (const a of listAccelerators()) {
      for (const [p, f] of Object.entries(a.peakFlopsPerS)) expectSourcedOrMarkedMissing(f, `${a.id}.${p}`);
      expectSourcedOrMarkedMissing(a.memoryBytes, `${a.id}.memoryBytes`);
      expectSourcedOrMarkedMissing(a.memoryBandwidthBytesPerS, `${a.id}.memoryBandwidthBytesPerS`);
      expectSourcedOrMarkedMissing(a.tdpW, `${a.id}.tdpW`);
      expectSourcedOrMarkedMissing(a.interconnect, `${a.id}.interconnect`);
    }
  });

  it("stores dense (not sparsity) figures: H100 SXM BF16 is half of the 1,979 TFLOPS sparsity figure", () => {
    const h100 = getAccelerator("h100-sxm")!;
    expect(Math.abs((h100.peakFlopsPerS.bf16.value as number) / (1979e12 / 2) - 1)).toBeLessThan(0.001);
    expect(getAccelerator("l4")!.peakFlopsPerS.fp8.value).toBe(485e12 / 2);
    expect(getAccelerator("l40s")!.peakFlopsPerS.bf16.value).toBe(362.05e12); // the datasheet's dense figure, not half its 733* sparsity one
    expect(getAccelerator("v100-sxm-32gb")!.peakFlopsPerS.bf16.value).toBeNull(); // Volta: FP16 tensor cores only
  });

  it("has memory and bandwidth for every accelerator (the engine needs them)", () => {
    for (const a of listAccelerators()) {
      expect(a.memoryBytes.value, a.id).toBeGreaterThan(0);
      expect(a.memoryBandwidthBytesPerS.value, a.id).toBeGreaterThan(0);
    }
  });

  it("gives a GPU's memory as its driver reports it: the MiB (or bytes) its source quotes, the datasheet figure in the note", () => {
    for (const a of listAccelerators().filter((x) => x.kind === "gpu")) {
      const bytes = a.memoryBytes.value!;
      const mib = bytes / 2 ** 20;
      const quoted = Number.isInteger(mib) && a.memoryBytes.source!.includes(`${mib}MiB`);
      expect(quoted || a.memoryBytes.source!.includes(String(bytes)), `${a.id}: ${bytes} bytes quoted in its source`).toBe(true);
      // more than the datasheet's GB read as 10^9 bytes, less than 8% more
      const datasheetGb = Number(/The datasheet figure: (\d+) GB/.exec(a.memoryBytes.note ?? "")?.[1]);
      expect(bytes / (datasheetGb * 1e9), a.id).toBeGreaterThan(1);
      expect(bytes / (datasheetGb * 1e9), a.id).toBeLessThan(1.08);
    }
  });
});

describe("price catalogs", () => {
  it("prices only catalog accelerators, with positive prices, a source and a date", () => {
    const ids = new Set(listAccelerators().map((a) => a.id));
    for (const p of listCloudPrices()) {
      expect(ids.has(p.accelerator), p.accelerator).toBe(true);
      expect(p.onDemandUsdPerGpuHour).toBeGreaterThan(0);
      if (p.spotUsdPerGpuHour !== null) expect(p.spotUsdPerGpuHour).toBeLessThan(p.onDemandUsdPerGpuHour);
      expect(p.source).toMatch(/\w{3}/);
      expect(p.date).toMatch(DATE);
    }
  });

  it("filters cloud prices by accelerator and provider", () => {
    const aws = listCloudPrices({ provider: "aws" });
    expect(aws.length).toBeGreaterThan(0);
    expect(aws.every((p) => p.provider === "aws")).toBe(true);
    expect(listCloudPrices({ accelerator: "mi300x" })).toHaveLength(0);
  });

  it("lists at least 15 hosted models across at least 5 providers, from the litellm snapshot", () => {
    const models = listHostedModels();
    expect(models.length).toBeGreaterThanOrEqual(15);
    expect(new Set(models.map((m) => m.provider)).size).toBeGreaterThanOrEqual(5);
    for (const m of models) {
      expect(m.source).toContain("8442b939");
      expect(m.date).toBe("2026-07-24");
      expect(m.outputUsdPerMillionTokens).toBeGreaterThanOrEqual(m.inputUsdPerMillionTokens);
    }
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
  });
});

describe("presets and defaults", () => {
  it("has at least 20 presets with a published count, its source and date", () => {
    expect(listPresets().length).toBeGreaterThanOrEqual(20);
    for (const p of listPresets()) {
      expect(p.publishedParameters.value).toBeGreaterThan(0);
      expect(p.publishedParameters.source).toMatch(/\w{3}/);
      expect(p.publishedParameters.date).toMatch(DATE);
      expect(p.architectureSource).toMatch(/\w{3}/);
    }
    expect(getPreset("mixtral-8x7b")?.architecture).toMatchObject({ moe: { experts: 8, activeExperts: 2 } });
  });

  it("covers LLMs, encoders, vision and speech families", () => {
    const families = new Set(listPresets().map((p) => p.architecture.family));
    for (const f of ["decoder", "encoder", "encoder-decoder", "cnn"]) expect(families.has(f as never), f).toBe(true);
  });

  it("sources every efficiency table and default, for accelerators the catalog has", () => {
    const d = getDefaults();
    for (const t of d.training.mfu.frameworkTables) {
      expect(t.source).toMatch(/llm-foundry .* at commit [0-9a-f]{40}/);
      for (const id of t.accelerators) expect(getAccelerator(id), id).toBeDefined();
      for (const p of t.points) expect(p.mfu > 0 && p.mfu < 1).toBe(true);
    }
    for (const c of d.training.mfu.atScale.calibration) {
      expect(getAccelerator(c.accelerator), c.id).toBeDefined();
      expect(c.quote.length, c.id).toBeGreaterThan(20);
    }
    for (const r of d.inference.serving.mamf) {
      expect(r.mamfEfficiency > 0 && r.mamfEfficiency <= 1).toBe(true);
      expect(r.source).toMatch(/ml-engineering .* at commit [0-9a-f]{40}/);
      for (const id of r.accelerators) expect(getAccelerator(id), id).toBeDefined();
    }
    const s = d.inference.serving;
    for (const v of [d.pue, d.gridIntensityKgCo2PerKwh, d.usableMemoryFraction, d.powerDrawFraction, d.peakToAverage, d.replicaTargetUtilisation, d.maxRunDaysWarning, s.kvCacheFillFactor, s.kvBlockTokens, s.linkEfficiency, s.gpusPerNode, s.interNodeBandwidthBytesPerSPerGpu, s.minConcurrentSequencesWarning, d.training.goodput.gpuHoursPerInterruption]) {
      expect(v.source).toMatch(/\w{3}/);
    }
  });

  it("names a recomputation mode the estimator knows in every recomputation default, with its source", () => {
    const t = getDefaults().training;
    for (const v of [t.activationRecomputation, t.qloraActivationRecomputation, t.fineTuneActivationRecomputation, t.recomputationBandFastEnd]) {
      expect(ACTIVATION_RECOMPUTATIONS).toContain(v.value);
      expect(v.source).toMatch(/github\.com\/|Korthikanti/);
    }
  });

  it("stores the GPU-count law, real-run factors and band that the calibration runs give (scripts/calibrate-mfu.ts)", () => {
    const mfu = getDefaults().training.mfu;
    expect(mfu.atScale.exponent).toBe(fitAtScale(mfu).exponent);
    const real = fitRealRuns(mfu, catalogPeak(listAccelerators()));
    expect(mfu.realRuns.families.map((f) => ({ name: f.name, factor: f.factor }))).toEqual(real.families);
    expect([mfu.realRuns.otherFactor, mfu.realRuns.lowFactor, mfu.realRuns.highFactor]).toEqual([real.otherFactor, real.lowFactor, real.highFactor]);
  });

  it("versions the catalogs", () => {
    expect(CATALOG_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(Object.values(CATALOG_VERSIONS)).toContain(CATALOG_VERSION);
  });
});
