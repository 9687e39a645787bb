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

  it("states a floor for every use case that some catalog model can meet", () => {
    for (const u of useCases) {
      const f = u.qualityFloor!;
      expect(f.reasoning.length, u.slug).toBeGreaterThan(40);
      if (f.benchmark === null) continue;
      const scores = [...Object.values(quality.hosted), ...u.suggestedPresets.map((p) => quality.presets[p])].flatMap((r) => r?.scores ?? []).filter((s) => s.benchmark === f.benchmark);
      expect(scores.some((s) => s.value >= f.minimum!), u.slug).toBe(true);
    }
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
    // Llama 3.2 1B (1067 on the LMArena snapshot), the cheapest self-hosted model, is listed below the floor
    expect(plan.results.belowQualityFloor.find((b) => b.label.startsWith("Llama 3.2 1B"))).toMatchObject({ score: 1067, reason: "below-floor" });
  });
});
