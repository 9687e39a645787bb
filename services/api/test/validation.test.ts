import { trackRecordLines } from "@modelplan/estimator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/test-app";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe("GET /v1/validation", () => {
  it("returns the estimator's live track record: every case, and per kind the median error, coverage and target, held-out apart", async () => {
    const res = await t.call("GET", "/v1/validation");
    expect(res.status).toBe(200);
    const r = (await res.json()) as {
      reproduce: string;
      kinds: { kind: string; n: number; medianAbsErrorPct: number; medianErrorPct: number; belowPublishedPct: number; coveragePct: number; target: string; met: boolean; heldOut: { n: number }; usedForDefaults: { n: number } }[];
      cases: { id: string; kind: string; published: number; predicted: { low: number; expected: number; high: number } | null; errorPct: number; bandCovers: boolean; heldOut: boolean }[];
      checks: { met: boolean; ratio: number }[];
    };
    expect(r.reproduce).toBe("npx tsx packages/estimator/validation/run.ts");
    const training = r.kinds.find((k) => k.kind === "training-gpu-hours")!;
    expect(training.n).toBeGreaterThanOrEqual(20);
    expect(training.heldOut.n + training.usedForDefaults.n).toBe(training.n);
    const cases = r.cases.filter((c) => c.kind === "training-gpu-hours");
    expect(cases).toHaveLength(training.n);
    for (const c of cases) {
      expect(c.predicted).not.toBeNull();
      expect(c.errorPct).toBeCloseTo((100 * (c.predicted!.expected - c.published)) / c.published, 6);
      expect(c.bandCovers).toBe(c.predicted!.low <= c.published && c.published <= c.predicted!.high);
    }
    // which way the misses go, from the same cases
    expect(training.belowPublishedPct).toBeCloseTo((100 * cases.filter((c) => c.errorPct < 0).length) / cases.length, 9);
    const sorted = cases.map((c) => c.errorPct).sort((a, b) => a - b);
    const mid = sorted.length / 2;
    expect(training.medianErrorPct).toBeCloseTo(sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2, 9);
    expect(r.kinds.map((k) => k.kind)).toEqual(["training-gpu-hours", "serving-throughput", "serving-batch1-decode"]);
    expect(r.checks[0].met).toBe(true);
  });

  it("gives each kind's figures per accelerator and per serving engine, from the same cases", async () => {
    const r = (await (await t.call("GET", "/v1/validation")).json()) as {
      kinds: { kind: string; n: number; byHardware: { key: string; n: number; passPct: number }[]; byFramework: { key: string; n: number }[] }[];
      cases: { kind: string; hardware: string; framework: string | null; passes: boolean }[];
    };
    for (const k of r.kinds) {
      const cases = r.cases.filter((c) => c.kind === k.kind);
      expect(k.byHardware.reduce((sum, g) => sum + g.n, 0)).toBe(k.n);
      for (const g of k.byHardware) {
        const mine = cases.filter((c) => c.hardware === g.key);
        expect(mine).toHaveLength(g.n);
        expect(g.passPct).toBeCloseTo((100 * mine.filter((c) => c.passes).length) / mine.length, 9);
      }
      // every case that names an engine or library is in its group; those that name none in no group
      expect(k.byFramework.reduce((sum, g) => sum + g.n, 0)).toBe(cases.filter((c) => c.framework !== null).length);
      for (const g of k.byFramework) expect(cases.filter((c) => c.framework === g.key)).toHaveLength(g.n);
      if (k.kind !== "training-gpu-hours") expect(cases.every((c) => c.framework !== null)).toBe(true);
    }
  });

  it("the OpenAPI examples of the cited line are the lines the estimator writes today", async () => {
    const doc = (await (await t.call("GET", "/openapi.json")).json()) as { components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> } };
    const example = (schema: string) => doc.components.schemas[schema].properties.trackRecord.example;
    expect(example("TrainingEstimate")).toBe(trackRecordLines("a100-80gb").training);
    expect(example("InferenceEstimate")).toBe(trackRecordLines("h100-sxm").inference);
  });

  it("is cited in one line by every training and inference estimate", async () => {
    const v = (await (await t.call("GET", "/v1/validation")).json()) as { kinds: { kind: string; n: number; byHardware: { key: string; n: number }[] }[] };
    const training = v.kinds.find((k) => k.kind === "training-gpu-hours")!;
    const n = training.n;
    const e = (await (await t.call("POST", "/v1/estimates/training", { model: { parameters: 7e9 }, tokens: 2e9, hardware: "a100-80gb", gpus: 8 })).json()) as { trackRecord: string };
    expect(e.trackRecord).toMatch(new RegExp(`^estimator median error on ${n} published training runs`));
    // then the runs on the estimate's own accelerator
    const onA100 = training.byHardware.find((g) => g.key === "a100-80gb")!.n;
    expect(e.trackRecord).toContain(`; on a100-80gb: ${onA100} runs, median `);
  });
});
