import { trainingMfu } from "@modelplan/estimator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "./helpers/test-app";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

type Figure = { value: number | null; source: string | null; date?: string; note?: string };
type Accelerator = { id: string; kind: string; peakFlopsPerS: Record<string, Figure>; memoryBytes: Figure; prices: { provider: string; onDemandUsdPerGpuHour: number }[]; computeUtilisation: { precision: string; expected: number; source: string }[] };

describe("GET /v1/hardware", () => {
  it("lists the accelerators with sourced figures, utilisation bands and prices", async () => {
    const res = await t.call("GET", "/v1/hardware");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { catalogVersion: string; items: Accelerator[] };
    expect(body.catalogVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    const ids = body.items.map((a) => a.id);
    for (const id of ["t4", "l4", "a10g", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "mi300x"]) expect(ids).toContain(id);
    const h100 = body.items.find((a) => a.id === "h100-sxm")!;
    expect(h100.peakFlopsPerS.bf16.value).toBeGreaterThan(9e14);
    expect(h100.peakFlopsPerS.bf16.source).toMatch(/h100/);
    expect(h100.prices.length).toBeGreaterThan(3);
    // the training MFU of a reference 7B run on 8 GPUs: the llm-foundry H100 table × the Hopper real-run factor
    expect(h100.computeUtilisation.find((b) => b.precision === "bf16")?.expected).toBe(trainingMfu("h100-sxm", "bf16", 7e9, 8).band.expected);
  });

  it("filters by kind", async () => {
    const body = (await (await t.call("GET", "/v1/hardware?kind=cpu")).json()) as { items: Accelerator[] };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((a) => a.kind === "cpu")).toBe(true);
    const bad = await expectProblem(await t.call("GET", "/v1/hardware?kind=fpga"), 422);
    expect(bad.errors?.[0]).toMatchObject({ path: "kind", location: "query" });
  });

  it("gets one accelerator; a figure without a source is null with a note", async () => {
    const res = await t.call("GET", "/v1/hardware/a10g");
    expect(res.status).toBe(200);
    const a10g = (await res.json()) as Accelerator;
    expect(a10g.peakFlopsPerS.fp32).toMatchObject({ value: null, source: null });
    expect(a10g.peakFlopsPerS.fp32.note).toMatch(/no/);
    expect(a10g.memoryBytes).toMatchObject({ value: 23_028 * 2 ** 20, note: expect.stringContaining("datasheet") }); // nvidia-smi memory.total, the datasheet figure in the note
    await expectProblem(await t.call("GET", "/v1/hardware/tpu-v99"), 404);
  });
});

describe("GET /v1/hosted-models", () => {
  it("lists at least 15 hosted models with prices, source and date, filterable by provider", async () => {
    const body = (await (await t.call("GET", "/v1/hosted-models")).json()) as { items: { id: string; provider: string; source: string; date: string }[] };
    expect(body.items.length).toBeGreaterThanOrEqual(15);
    expect(body.items.every((m) => m.source.includes("litellm") && m.date === "2026-07-24")).toBe(true);
    const anthropic = (await (await t.call("GET", "/v1/hosted-models?provider=anthropic")).json()) as { items: { provider: string }[] };
    expect(anthropic.items.length).toBeGreaterThan(0);
    expect(anthropic.items.every((m) => m.provider === "anthropic")).toBe(true);
  });
});

describe("GET /v1/model-presets", () => {
  type Preset = { id: string; family: string; publishedParameters: { value: number; source: string }; computedParameters: number; architecture: { family: string } };

  it("lists at least 20 presets whose computed count is within 2% of the published one", async () => {
    const body = (await (await t.call("GET", "/v1/model-presets")).json()) as { items: Preset[] };
    expect(body.items.length).toBeGreaterThanOrEqual(20);
    for (const p of body.items) expect(Math.abs(p.computedParameters / p.publishedParameters.value - 1), p.id).toBeLessThan(0.02);
  });

  it("filters by family and gets one preset", async () => {
    const cnn = (await (await t.call("GET", "/v1/model-presets?family=cnn")).json()) as { items: Preset[] };
    expect(cnn.items.map((p) => p.id)).toContain("resnet-50");
    expect(cnn.items.every((p) => p.family === "cnn")).toBe(true);
    const res = await t.call("GET", "/v1/model-presets/llama-3-8b");
    expect(res.status).toBe(200);
    const p = (await res.json()) as Preset;
    expect(p.architecture).toMatchObject({ family: "decoder", layers: 32, hidden: 4096, kvHeads: 8 });
    expect(p.computedParameters).toBe(8_030_261_248);
    await expectProblem(await t.call("GET", "/v1/model-presets/gpt-9"), 404);
  });
});
