import { describe, expect, it } from "vitest";
import { buildPlan, HOURS_PER_MONTH, renderPlanMarkdown, type MeasuredHardware } from "../src/index";
import { chatUseCase, fixtureCatalog, scenario } from "./fixtures";

// A measured, priced machine ("our own box") as the service passes it in: the planner costs it from the
// figures given (no I/O), beside the catalog's accelerators and the hosted APIs.
function box(over: Partial<MeasuredHardware> = {}): MeasuredHardware {
  return {
    profileId: "hwp_box",
    label: "our own box: Fixture CPU ×8",
    kind: "cpu",
    emulation: null,
    usdPerHour: 0.5,
    pricing: "owned",
    provider: "owned",
    priceSource: "fixture TCO: $0.5/h",
    servingAccelerator: null,
    trainingAccelerator: null,
    precision: "fp32",
    servings: [
      {
        useCase: "test-chat",
        modelId: "m-small",
        modelLabel: "M-Small",
        parameters: 1e9,
        basis: "measured",
        requestsPerSecPerBox: { low: 40, expected: 50, high: 55 },
        requestLatencyMs: 120,
        batchSize: 16,
        inputTokens: 1000,
        runIds: ["brun_fixture"],
        detail: "measured: fixture run brun_fixture",
        notes: [],
        ownModel: true,
      },
    ],
    notes: [],
    ...over,
  };
}

const SELF_HOST = { model: { strategy: "self-host" as const, preset: "m-small" } };

describe("measured hardware in a plan", () => {
  it("costs the box from its measured capacity at its hourly price, one box per replica", () => {
    const plan = buildPlan(scenario(SELF_HOST), [chatUseCase], fixtureCatalog(), { projectionsOnly: true, measuredHardware: [box()] });
    const o = plan.options.find((x) => x.measured?.profileId === "hwp_box")!;
    expect(o).toMatchObject({ kind: "self-host", pricing: "owned", model: { id: "m-small" }, measured: { basis: "measured", runIds: ["brun_fixture"] } });
    expect(o.capacityRequestsPerSecPerReplica!.expected).toBe(50);
    for (let i = 0; i < 3; i++) expect(o.series.computeCostUsd[i]).toBeCloseTo(o.series.replicas![i] * HOURS_PER_MONTH * 0.5, 9);
    expect(o.notes.join(" ")).toMatch(/Owned hardware: each replica is one box/);
    expect(plan.measuredHardware).toEqual([expect.objectContaining({ profileId: "hwp_box", usdPerHour: 0.5, pricing: "owned", optionIds: [o.id] })]);
  });

  it("runs a self-hosted scenario's own model on the box when it is the cheapest accelerator, and says why", () => {
    const cheap = buildPlan(scenario(SELF_HOST), [chatUseCase], fixtureCatalog(), { projectionsOnly: true, measuredHardware: [box()] });
    const chosen = cheap.options.find((x) => x.id === cheap.workloads[0].chosenOptionId)!;
    expect(chosen.measured?.profileId).toBe("hwp_box");
    expect(cheap.workloads[0].chosenReason).toMatch(/owned, at its TCO per hour, capacity measured on hardware profile hwp_box \(cheapest accelerator for it over the horizon, measured machines included\)/);
    // Priced above the catalog's GPUs, the box stays an option and the catalog's GPU is chosen.
    const dear = buildPlan(scenario(SELF_HOST), [chatUseCase], fixtureCatalog(), { projectionsOnly: true, measuredHardware: [box({ usdPerHour: 50 })] });
    expect(dear.options.some((x) => x.measured?.profileId === "hwp_box")).toBe(true);
    expect(dear.options.find((x) => x.id === dear.workloads[0].chosenOptionId)!.measured).toBeUndefined();
  });

  it("scales a measured capacity by the request's tokens, and keeps the box beside the catalog's best in the document", () => {
    const longer = buildPlan(scenario({ ...SELF_HOST, usage: { requestProfile: { inputTokens: 2000 } } }), [chatUseCase], fixtureCatalog(), { projectionsOnly: true, measuredHardware: [box()] });
    const o = longer.options.find((x) => x.measured?.profileId === "hwp_box")!;
    expect(o.capacityRequestsPerSecPerReplica!.expected).toBeCloseTo(25, 9);
    expect(longer.options.some((x) => x.kind === "self-host" && !x.measured && x.pricing === "on-demand")).toBe(true);
  });

  it("warns about unpriced and emulated profiles instead of costing them at $0 or calling them GPUs", () => {
    const plan = buildPlan(scenario(SELF_HOST), [chatUseCase], fixtureCatalog(), {
      projectionsOnly: true,
      measuredHardware: [box({ profileId: "hwp_emu", emulation: "software GPU emulation (not a GPU)", servings: [] })],
      unpricedHardware: [{ profileId: "hwp_free", label: "Fixture laptop" }],
    });
    const w = plan.warnings.join("\n");
    expect(w).toContain("hardware profile hwp_free (Fixture laptop) is measured but has no price");
    expect(w).toContain("PUT /v1/hardware-profiles/hwp_free/price");
    expect(w).toContain("hwp_emu is software GPU emulation (not a GPU)");
    expect(w).toContain("hwp_emu (our own box: Fixture CPU ×8) is priced but no option could be costed on it");
    expect(plan.options.some((x) => x.measured)).toBe(false);
    const md = renderPlanMarkdown(plan);
    expect(md).toContain("not costed");
  });

  it("shows each option's basis in the report", () => {
    const plan = buildPlan(scenario(SELF_HOST), [chatUseCase], fixtureCatalog(), { projectionsOnly: true, measuredHardware: [box()] });
    const md = renderPlanMarkdown(plan);
    expect(md).toContain("measured on hwp\\_box");
    expect(md).toContain("catalog accelerator (estimator)");
    expect(md).toContain("provider's price per token");
    expect(md).toContain("brun\\_fixture");
  });
});
