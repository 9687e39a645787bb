import { describe, expectTypeOf, it } from "vitest";
import type { z } from "@hono/zod-openapi";
import type { Plan, PlannerOptions, Quantization, Scenario as PlannerScenario, TrainingMethod } from "@modelplan/planner";
import { PlanSchema } from "../src/routes/plans/plan-document.schemas";
import type { PlanRequest } from "../src/routes/plans/plans.schemas";
import type { Scenario } from "../src/routes/scenarios/scenarios.schemas";

// Type-level checks (run by `npm run typecheck`): the API's plan schema serialises exactly the planner's
// Plan, and a stored scenario and plan options are what the planner takes, so handlers need no casts.
describe("plan schemas match the planner's types", () => {
  it("PlanSchema infers Plan", () => {
    expectTypeOf<z.infer<typeof PlanSchema>>().toEqualTypeOf<Plan>();
  });
  it("a stored scenario is a planner scenario and the plan request is planner options", () => {
    expectTypeOf<Scenario>().toExtend<PlannerScenario>();
    expectTypeOf<PlanRequest>().toExtend<PlannerOptions>();
  });
  it("a scenario's own-model quantization and training method are the planner's and the estimator's tuples, not copies", () => {
    type OwnModel = Extract<Scenario["model"], { strategy: "self-host" | "fine-tune" | "train-from-scratch" }>;
    expectTypeOf<NonNullable<OwnModel["quantization"]>>().toEqualTypeOf<Quantization>();
    expectTypeOf<NonNullable<OwnModel["trainingMethod"]>>().toEqualTypeOf<TrainingMethod>();
  });
});
