/**
 * The response schemas are the domain types, checked by the compiler: each `z.infer` of a response
 * schema equals the type of the value the handler serialises (`npm run typecheck` fails otherwise;
 * vitest runs these as no-ops). Handlers pass domain values to c.json without casts because of it.
 * When a package type gains a field, its schema must gain it too, and the other way round.
 */
import type { z } from "@hono/zod-openapi";
import type * as Bench from "@modelplan/bench";
import type * as Estimator from "@modelplan/estimator";
import type * as Planner from "@modelplan/planner";
import { describe, expectTypeOf, it } from "vitest";
import type { AcceleratorSchema, CloudPriceSchema, HostedModelSchema } from "../src/routes/catalog/catalog.schemas";
import type {
  AssumptionSchema,
  BandSchema,
  HostedAlternativeSchema,
  InferenceEstimateSchema,
  PriceQuoteSchema,
  SourcedBandSchema,
  TrainingEstimateSchema,
  TrainingRequestSchema,
  InferenceRequestSchema,
} from "../src/routes/estimates/estimates.schemas";
import type { UploadRequestSchema } from "../src/routes/benchmarks/benchmarks.schemas";
import type { StoredSuite } from "../src/routes/benchmarks/benchmarks.repository";
import type { HostedApiEstimateSchema } from "../src/routes/estimates/scenario-estimates.schemas";
import type { PlanSchema } from "../src/routes/plans/plans.schemas";
import type { ScenarioSchema } from "../src/routes/scenarios/scenarios.schemas";

describe("response schemas equal the domain types they serialise", () => {
  it("estimates", () => {
    expectTypeOf<z.infer<typeof TrainingEstimateSchema>>().toEqualTypeOf<Estimator.TrainingEstimate>();
    expectTypeOf<z.infer<typeof InferenceEstimateSchema>>().toEqualTypeOf<Estimator.InferenceEstimate>();
    expectTypeOf<z.infer<typeof HostedApiEstimateSchema>>().toEqualTypeOf<Estimator.HostedApiEstimate>();
    expectTypeOf<z.infer<typeof PriceQuoteSchema>>().toEqualTypeOf<Estimator.PriceQuote>();
    expectTypeOf<z.infer<typeof HostedAlternativeSchema>>().toEqualTypeOf<Estimator.HostedAlternative>();
    expectTypeOf<z.infer<typeof BandSchema>>().toEqualTypeOf<Estimator.Band>();
    expectTypeOf<z.infer<typeof SourcedBandSchema>>().toEqualTypeOf<Estimator.SourcedBand>();
    expectTypeOf<z.infer<typeof AssumptionSchema>>().toEqualTypeOf<Estimator.Assumption>();
  });

  it("catalogs", () => {
    expectTypeOf<z.infer<typeof CloudPriceSchema>>().toEqualTypeOf<Estimator.CloudPriceRecord>();
    expectTypeOf<z.infer<typeof HostedModelSchema>>().toEqualTypeOf<Estimator.HostedModelRecord>();
    // An accelerator of the catalog, with its default utilisation bands and its prices added.
    expectTypeOf<Omit<z.infer<typeof AcceleratorSchema>, "computeUtilisation" | "prices">>().toEqualTypeOf<Estimator.AcceleratorRecord>();
    expectTypeOf<z.infer<typeof AcceleratorSchema>["prices"]>().toEqualTypeOf<Estimator.CloudPriceRecord[]>();
  });

  it("plans", () => {
    expectTypeOf<z.infer<typeof PlanSchema>>().toEqualTypeOf<Planner.Plan>();
  });
});

describe("request schemas fit the domain inputs they are passed as", () => {
  it("a validated estimate request is the engine's input, but for the model (toModelInput)", () => {
    expectTypeOf<Omit<z.infer<typeof TrainingRequestSchema>, "model">>().toExtend<Omit<Estimator.TrainingInput, "model">>();
    expectTypeOf<Omit<z.infer<typeof InferenceRequestSchema>, "model">>().toExtend<Omit<Estimator.InferenceInput, "model">>();
  });

  it("an uploaded suite is what storing a suite keeps, its backend what a profile keeps of one", () => {
    expectTypeOf<z.infer<typeof UploadRequestSchema>["backend"]>().toExtend<Bench.ProfileBackend>();
    expectTypeOf<z.infer<typeof UploadRequestSchema>>().toExtend<StoredSuite>();
    // and what the bench CLI measures is one too
    expectTypeOf<Bench.SuiteResult>().toExtend<StoredSuite>();
  });

  it("a stored scenario is the planner's scenario", () => {
    expectTypeOf<z.infer<typeof ScenarioSchema>>().toExtend<Planner.Scenario>();
  });
});
