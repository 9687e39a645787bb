import { describe, it, expect } from "vitest";
import { listHostedModels, listPresets } from "@modelplan/estimator";
import catalogFile from "@modelplan/db/seed/use-cases.json";
import { buildPlan, estimatorCatalog, qualityCatalog } from "../src/index";
import { QUALITY_BENCHMARKS, type UseCase } from "../src/types";
import { chatUseCase, fixtureCatalog, scenario, visionUseCase } from "./fixtures";

const quality = qualityCatalog();
const useCases = catalogFile.items as UseCase[];

describe("quality catalog (packages/planner/data/quality-scores.json)", () => {
  it("covers every hosted model and every preset of the estimator's catalogs", () => {
    expect(Object.keys(quality.hosted).sort()).toEqual(listHostedModels().map((h) => h.id).sort());
    expect(Object.keys(quality.presets).sort()).toEqual(listPresets().map((p) => p.id).sort());
  });

  it("gives every score its benchmark, leaderboard row, date and source, and every missing score a note", () => {
    for (const [id, rec] of [...Object.entries(quality.hosted), ...Object.entries(quality.presets)]) {
      if (rec.scores.length === 0) expect(rec.note?.length ?? 0, id).toBeGreaterThan(40);
      for (const s of rec.scores) {
        expect(QUALITY_BENCHMARKS, id).toContain(s.benchmark);
        expect(quality.benchmarks[s.benchmark], id).toBeDefined();
        expect(s.entry.length, id).toBeGreaterThan(2);
        expect(s.date, id).toMatch(/^\d{4}(-\d{2}-\d{2})?$/);
        expect(s.source, id).toMatch(/github\.com\/[\w-]+\/[\w-]+/);
        if (s.benchmark === "lmarena-text-elo") {
          expect(Number.isInteger(s.value), id).toBe(true);
          expect(s.source, id).toContain(`row '${s.entry}'`);
        }
      }
    }
  });

  it("reads every LMArena score from the one snapshot the benchmark names", () => {
    const arena = quality.benchmarks["lmarena-text-elo"]!;
    expect(arena.source).toContain("lmarena/arena-catalog");
    for (const [id, rec] of [...Object.entries(quality.hosted), ...Object.entries(quality.presets)]) {
      for (const s of rec.scores.filter((x) => x.benchmark === "lmarena-text-elo")) {
        expect(s.date, id).toBe(arena.date);
        expect(s.source.startsWith(arena.source), id).toBe(true);
      }
    }
  });

  it("scores the Claude 4.x models the snapshot ranks by their exact row, and leaves the others unscored", () => {
    const arena = (id: string) => quality.hosted[id]!.scores.find((s) => s.benchmark === "lmarena-text-elo");
    expect(arena("claude-sonnet-4-5")).toMatchObject({ entry: "claude-sonnet-4-5-20250929", value: 1427 });
    expect(arena("claude-haiku-4-5")).toMatchObject({ entry: "claude-haiku-4-5-20251001", value: 1384 });
    expect(arena("claude-opus-4-1")).toMatchObject({ entry: "claude-opus-4-1-20250805", value: 1413 });
    // no row of the same model (Opus 4.5 and Gemini 3 Pro are other models; GPT-5 is ranked only at high effort)
    for (const id of ["claude-opus-4-7", "gemini/gemini-3.1-pro-preview", "gpt-5"]) expect(arena(id), id).toBeUndefined();
  });

  it("states a floor for every use case that some catalog model can meet", () => {
    for (const u of useCases) {
      const f = u.qualityFloor!;
      expect(f.reasoning.length, u.slug).toBeGreaterThan(40);
      if (f.benchmark === null) continue;
      const scores = [...Object.values(quality.hosted), ...u.suggestedPresets.map((p) => quality.presets[p])].flatMap((r) => r?.scores ?? []).filter((s) => s.benchmark === f.benchmark);
      expect(scores.some((s) => s.value >= f.minimum!), u.slug).toBe(true);
    }
  });

  it("counts Claude Sonnet 4.5 as meeting the coding floor instead of listing it as unscored", () => {
    const s = scenario({ useCases: ["code-completion"], model: { strategy: "hosted-api", hostedModel: "claude-sonnet-4-5" }, audience: { usersAtLaunch: 5000, monthlyGrowthPct: 8, horizonMonths: 12 }, usage: { requestsPerUserPerDay: 20 } });
    const plan = buildPlan(s, useCases, estimatorCatalog(), { projectionsOnly: true });
    const sonnet = plan.options.find((o) => o.id === "code-completion/hosted:claude-sonnet-4-5")!;
    expect(sonnet.quality).toMatchObject({ benchmark: "lmarena-text-elo", score: 1427, meetsFloor: true });
    expect(plan.results.belowQualityFloor.some((b) => b.label.includes("Claude Sonnet 4.5"))).toBe(false);
  });
});

describe("cost at equal quality", () => {
  // The fixture chat use case with a floor of 1100: H-Cheap (1000) and M-Small (1050) fall below it;
  // H-Pricey (1300) and M-Big (1150) meet it.
  const floored: UseCase = { ...chatUseCase, qualityFloor: { benchmark: "lmarena-text-elo", minimum: 1100, reasoning: "fixture floor between the cheap and the pricey models" } };
  const uc = [floored, visionUseCase];

  it("leaves options below the floor out of the cheapest, and lists them", () => {
    const s = scenario({ audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 3 } });
    const plan = buildPlan(s, uc, fixtureCatalog(), { projectionsOnly: true });
    const w = plan.workloads[0];
    // Without the floor H-Cheap ($425.83/month) is the cheapest; with it, the cheapest that meets the floor:
    // H-Pricey $4,866.67 vs M-Big self-hosted: 1 replica × 730 h × $2 + half an engineer-month.
    for (const id of w.cheapestByMonth) expect(plan.options.find((o) => o.id === id)!.quality.meetsFloor, id).toBe(true);
    expect(w.belowFloorOptionIds).toContain("test-chat/hosted:h-cheap");
    expect(w.belowFloorOptionIds.some((id) => id.includes(":m-small:"))).toBe(true);
    expect(plan.results.cheapestNow.meetsQualityFloor).toBe(true);
    expect(plan.results.cheapestNow.optionId).not.toBe("test-chat/hosted:h-cheap");
    expect(plan.results.belowQualityFloor.map((b) => b.label)).toEqual(expect.arrayContaining(["Hosted API: H-Cheap (acme)", "M-Small (self-hosted or fine-tuned)"]));
    const hCheap = plan.options.find((o) => o.id === "test-chat/hosted:h-cheap")!;
    expect(hCheap.quality).toMatchObject({ benchmark: "lmarena-text-elo", score: 1000, meetsFloor: false });
    // the scenario still runs on its own choice (H-Cheap), with a warning
    expect(plan.results.chosen.optionIds).toEqual(["test-chat/hosted:h-cheap"]);
    expect(plan.warnings.join(" ")).toContain("below the use case's floor of 1100");
    const noFloor = buildPlan(s, [chatUseCase, visionUseCase], fixtureCatalog(), { projectionsOnly: true });
    expect(noFloor.results.cheapestNow.optionId).toBe("test-chat/hosted:h-cheap");
  });

  it("never recommends a model below the floor", () => {
    const s = scenario({ model: { strategy: "hosted-api", hostedModel: "h-pricey" }, audience: { usersAtLaunch: 1000, monthlyGrowthPct: 0, horizonMonths: 3 } });
    const withFloor = buildPlan(s, uc, fixtureCatalog());
    expect(withFloor.recommendations.some((r) => r.change.includes("h-cheap"))).toBe(false);
    const without = buildPlan(s, [chatUseCase, visionUseCase], fixtureCatalog());
    expect(without.recommendations.some((r) => r.change.includes("h-cheap"))).toBe(true);
  });

  it("falls back to the cheapest overall, and says so, when no option meets the floor", () => {
    const impossible: UseCase = { ...chatUseCase, qualityFloor: { benchmark: "lmarena-text-elo", minimum: 2000, reasoning: "fixture: a floor no model meets" } };
    const plan = buildPlan(scenario(), [impossible, visionUseCase], fixtureCatalog(), { projectionsOnly: true });
    expect(plan.results.cheapestNow.meetsQualityFloor).toBe(false);
    expect(plan.results.cheapestNow.optionId).toBe("test-chat/hosted:h-cheap");
    expect(plan.warnings.join(" ")).toContain("no option has a published score meeting the quality floor");
  });

  it("meets the support bot's floor with the cheapest option on the real catalogs", () => {
    const support = useCases.find((u) => u.slug === "smart-customer-service")!;
    expect(support.qualityFloor).toMatchObject({ benchmark: "lmarena-text-elo", minimum: 1150 });
    const s = scenario({ useCases: ["smart-customer-service"], model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" }, audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 }, usage: { requestsPerUserPerDay: 6 } });
    const plan = buildPlan(s, useCases, estimatorCatalog(), { projectionsOnly: true });
    for (const h of [plan.results.cheapestNow, plan.results.cheapestAtHorizon]) {
      expect(h.meetsQualityFloor).toBe(true);
      const o = plan.options.find((x) => x.id === h.optionId)!;
      expect(o.quality.score!).toBeGreaterThanOrEqual(1150);
    }
    // Llama 3.2 1B (1057 on the 2025-12-11 LMArena snapshot), the cheapest self-hosted model, is listed below the floor
    expect(plan.results.belowQualityFloor.find((b) => b.label.startsWith("Llama 3.2 1B"))).toMatchObject({ score: 1057, reason: "below-floor" });
  });

});
