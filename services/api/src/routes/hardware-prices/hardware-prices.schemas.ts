import { z } from "@hono/zod-openapi";
import { HARDWARE_PRICE_KINDS, HOURS_PER_YEAR, POWER_BASES } from "@modelplan/planner";

// Schemas of a measured profile's price (PUT/DELETE /v1/hardware-profiles/{id}/price) and of what its
// measured throughput costs (GET /v1/hardware-profiles/{id}/costs).

const num = (description: string, example: number) => z.number().openapi({ description, example });
/** A query integer: decimal digits only (z.coerce would take "0x10", "1e1" or " 5" through Number()). */
const queryInt = (min: number, max: number) => z.preprocess((v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v), z.number().int().min(min).max(max)).optional();

const PowerInSchema = z
  .object({
    watts: z.number().min(1).max(1_000_000).openapi({ description: "Power the box draws while it computes, W.", example: 350 }),
    basis: z.enum(POWER_BASES).openapi({ description: "measured: at the wall (a power meter, the BMC/IPMI, nvidia-smi power.draw under load); rated: the nameplate, TDP or power-supply rating (an upper bound).", example: "measured" }),
    source: z.string().max(500).optional().openapi({ description: "Where the figure comes from.", example: "wall meter during `npm run bench -- --suite quick`" }),
  })
  .strict();

const pueField = z.number().min(1).max(5).optional().openapi({ description: "Power usage effectiveness of the room (facility energy / IT energy). Default: the estimator's 1.58 (Uptime Institute Global Data Center Survey 2023 average); an office closet with no cooling is about 1.0.", example: 1.2 });

export const CloudInstancePriceInputSchema = z
  .object({
    kind: z.literal("cloud-instance").openapi({ description: "A cloud instance type with its price per hour.", example: "cloud-instance" }),
    provider: z.string().min(1).max(64).openapi({ description: "Cloud provider (as the price catalog names it: GET /v1/hardware lists its prices).", example: "aws" }),
    instanceType: z.string().min(1).max(128).openapi({ description: "Instance type (the catalog's SKU).", example: "g5.xlarge" }),
    usdPerHour: z.number().min(0.0001).max(100_000).optional().openapi({ description: "Price per hour of the whole instance, USD. Omitted: the price catalog's on-demand price of this provider and instance type (422 when the catalog has none). Given: it wins, and `source` is required.", example: 1.006 }),
    source: z.string().min(1).max(500).optional().openapi({ description: "Where `usdPerHour` comes from (the provider's price page and date, or your contract); required with usdPerHour.", example: "https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1), read 2026-11-20" }),
    date: z.string().max(10).regex(/^\d{4}-\d{2}-\d{2}$/).optional().openapi({ description: "When the price was read, YYYY-MM-DD (with usdPerHour).", example: "2026-11-20" }),
    power: PowerInSchema.optional().openapi({ description: "Optional, for energy figures only (the provider pays for the power)." }),
    pue: pueField,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.usdPerHour !== undefined && v.source === undefined) ctx.addIssue({ code: "custom", path: ["source"], message: "a price given with usdPerHour needs its source (price page and date, or contract)" });
  })
  .openapi("CloudInstancePriceInput");

export const OwnedHardwarePriceInputSchema = z
  .object({
    kind: z.literal("owned").openapi({ description: "Owned hardware, priced by its total cost of ownership per hour.", example: "owned" }),
    purchaseUsd: z.number().min(0).max(1e9).openapi({ description: "What the box cost to buy, USD.", example: 2400 }),
    depreciationYears: z.number().min(0.25).max(30).openapi({ description: `Years it is written off over (straight line, ${HOURS_PER_YEAR} h a year).`, example: 3 }),
    power: PowerInSchema.openapi({ description: "The box's power draw (measured at the wall, or rated)." }),
    pue: pueField,
    electricityUsdPerKwh: z.number().min(0).max(10).openapi({ description: "Electricity price, USD per kWh.", example: 0.17 }),
    hostingUsdPerMonth: z.number().min(0).max(1e7).openapi({ description: "Hosting per month, USD: rack space, colocation, connectivity (0 for a box in your own office, said so explicitly).", example: 40 }),
  })
  .strict()
  .openapi("OwnedHardwarePriceInput");

export const ProfilePriceRequestSchema = z
  .discriminatedUnion("kind", [CloudInstancePriceInputSchema, OwnedHardwarePriceInputSchema])
  .openapi("HardwareProfilePriceRequest", {
    description: "The price of one hour of the measured machine: a cloud instance type (catalog price, or your quote with its source), or owned hardware with its TCO parts.",
    example: { kind: "owned", purchaseUsd: 2400, depreciationYears: 3, power: { watts: 120, basis: "measured", source: "wall meter under load" }, pue: 1.0, electricityUsdPerKwh: 0.17, hostingUsdPerMonth: 0 },
  });

const PowerSchema = z
  .object({
    watts: num("Power draw, W.", 350),
    basis: z.enum(POWER_BASES).openapi({ description: "measured or rated.", example: "measured" }),
    source: z.string().nullable().openapi({ description: "Where the figure comes from.", example: "wall meter under load" }),
  })
  .openapi("PowerDraw");

const CloudInstancePriceSchema = z
  .object({
    kind: z.literal("cloud-instance").openapi({ description: "A cloud instance type.", example: "cloud-instance" }),
    provider: z.string().openapi({ description: "Cloud provider.", example: "aws" }),
    instanceType: z.string().openapi({ description: "Instance type.", example: "g5.xlarge" }),
    usdPerHour: num("Price per hour of the instance, USD.", 1.006),
    source: z.string().openapi({ description: "The price page (the catalog entry's source, or the caller's).", example: "AWS EC2 On-Demand pricing https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1)" }),
    date: z.string().nullable().openapi({ description: "When the price was read.", example: "2026-11-09" }),
    fromCatalog: z.boolean().openapi({ description: "true: the price catalog's figure; false: given by the caller.", example: true }),
    power: PowerSchema.nullable().openapi({ description: "Power draw, for energy figures (null: not given)." }),
    pue: z.number().nullable().openapi({ description: "PUE applied to the power (null without power).", example: 1.2 }),
    pueSource: z.string().nullable().openapi({ description: "Where the PUE comes from.", example: "given" }),
  })
  .openapi("CloudInstancePrice");

const OwnedHardwarePriceSchema = z
  .object({
    kind: z.literal("owned").openapi({ description: "Owned hardware.", example: "owned" }),
    purchaseUsd: num("Purchase price, USD.", 2400),
    depreciationYears: num("Depreciation period, years.", 3),
    power: PowerSchema,
    pue: num("PUE applied.", 1.0),
    pueSource: z.string().openapi({ description: "Where the PUE comes from (given, or the default's source).", example: "given" }),
    electricityUsdPerKwh: num("Electricity, USD per kWh.", 0.17),
    hostingUsdPerMonth: num("Hosting, USD per month.", 0),
  })
  .openapi("OwnedHardwarePrice");

const HourlyCostSchema = z
  .object({
    usdPerHour: num("What one hour of the box costs, USD.", 0.112),
    parts: z
      .object({
        depreciationUsdPerHour: num("Purchase / (years × 8,760 h).", 0.0913),
        energyUsdPerHour: num("Power × PUE / 1000 × electricity price.", 0.0204),
        hostingUsdPerHour: num("Hosting per month / 730 h.", 0),
      })
      .nullable()
      .openapi({ description: "Owned hardware: the three parts of the hourly TCO (null for a cloud instance)." }),
    kwhPerHour: z.number().nullable().openapi({ description: "Facility energy per hour, kWh (power × PUE); null without a power figure.", example: 0.12 }),
    formula: z.string().openapi({ description: "The arithmetic with its figures.", example: "$2400 / (3 y × 8760 h) = $0.0913/h depreciation + 120 W (measured) × PUE 1 / 1000 × $0.1700/kWh = $0.0204/h energy + $0.0000/month / 730 h = $0.0000/h hosting = $0.1117/h" }),
  })
  .openapi("HourlyCost");

export const ProfilePriceSchema = z
  .object({
    profileId: z.string().openapi({ description: "The priced hardware profile.", example: "hwp_5e40c6399133dc9c0a1b" }),
    price: z.discriminatedUnion("kind", [CloudInstancePriceSchema, OwnedHardwarePriceSchema]).openapi({ description: "The price as stored: the request with the catalog's figures and the defaults resolved." }),
    hourly: HourlyCostSchema,
    setAt: z.string().openapi({ description: "When the price was set (ISO 8601).", example: "2026-11-22T09:00:00.000Z" }),
  })
  .openapi("HardwareProfilePrice", { description: "What an hour of a measured machine costs: the basis of its cost per request, per training run and per kWh." });

/** A low / expected / high band (unnamed, so each use carries its own description). */
const RangeSchema = z.object({
  low: num("Low end.", 0.6),
  expected: num("Expected.", 0.7),
  high: num("High end.", 0.9),
});

export const CostsQuerySchema = z.object({
  samplesPerRequest: queryInt(1, 1_000_000).openapi({ param: { name: "samplesPerRequest", in: "query" }, description: "Samples one request carries (a review: 1; a recommendation request scoring 100 candidates: 100). Default 1.", example: 1 }),
  trainingSamples: queryInt(1, 1e12).openapi({ param: { name: "trainingSamples", in: "query" }, description: "Samples per epoch of a training run to cost (omitted: cost per million training samples only).", example: 1_000_000 }),
  epochs: queryInt(1, 10_000).openapi({ param: { name: "epochs", in: "query" }, description: "Epochs of that training run. Default 1.", example: 3 }),
});

const RunCostFields = {
  runId: z.string().openapi({ description: "The stored run.", example: "brun_1a2b3c4d5e6f7a8b9c0d1e2f" }),
  family: z.string().openapi({ description: "Reference model family.", example: "text-classifier" }),
  modelKey: z.string().openapi({ description: "The configuration measured.", example: "text-classifier-v5000-s64-e64-h64-c4" }),
  batchSize: z.number().int().openapi({ description: "Batch measured.", example: 64 }),
  workers: z.number().int().openapi({ description: "Workers that ran at once (the whole machine).", example: 2 }),
  samplesPerS: RangeSchema.openapi({ description: "Measured samples per second of the whole machine: expected = as measured (median step), low/high = at the run's p90/p10 step time." }),
  stepTimeMs: z
    .object({ medianMs: num("Median step, ms.", 0.8), p90Ms: num("90th percentile step, ms.", 1.1) })
    .openapi({ description: "The run's step time (one batch)." }),
};

export const ProfileCostsSchema = z
  .object({
    profileId: z.string().openapi({ description: "The profile.", example: "hwp_5e40c6399133dc9c0a1b" }),
    name: z.string().openapi({ description: "The machine.", example: "Intel(R) Xeon(R) Processor ×2 · wasm" }),
    hourly: HourlyCostSchema,
    samplesPerRequest: z.number().int().openapi({ description: "Samples per request used.", example: 1 }),
    basis: z.string().openapi({
      description: "What the figures rest on.",
      example: "measured throughput of the profile's whole-machine runs (no extrapolation): cost = USD per hour ÷ (samples per second × 3,600)",
    }),
    inference: z
      .array(
        z
          .object({
            ...RunCostFields,
            requestLatencyMs: num("A request's latency at this batch: it waits for the batch in progress and is computed in the next one (2 × the median step), ms.", 1.6),
            usdPerMillionRequests: RangeSchema.openapi({ description: "USD per million requests (low: at the fast end of the rate)." }),
            kwhPerMillionRequests: RangeSchema.nullable().openapi({ description: "Facility kWh per million requests (null without a power figure)." }),
          })
          .openapi("MeasuredInferenceCost"),
      )
      .openapi({ description: "Every whole-machine inference-throughput run: the benchmark is the cost." }),
    training: z
      .array(
        z
          .object({
            ...RunCostFields,
            usdPerMillionSamples: RangeSchema.openapi({ description: "USD per million training samples (one optimiser step per batch)." }),
            kwhPerMillionSamples: RangeSchema.nullable().openapi({ description: "Facility kWh per million training samples." }),
            run: z
              .object({
                samples: num("Samples per epoch.", 1_000_000),
                epochs: num("Epochs.", 3),
                hours: RangeSchema.openapi({ description: "Hours on this box." }),
                usd: RangeSchema.openapi({ description: "Cost, USD." }),
                kwh: RangeSchema.nullable().openapi({ description: "Facility energy, kWh." }),
              })
              .nullable()
              .openapi({ description: "The training run of `trainingSamples` × `epochs` at this rate (null without trainingSamples)." }),
          })
          .openapi("MeasuredTrainingCost"),
      )
      .openapi({ description: "Every whole-machine training run." }),
    notes: z.array(z.string()).openapi({ description: "What was left out, and why.", example: ["12 per-core runs are not costed: a per-core run measures one core while the others idle; the box's throughput is its whole-machine run's"] }),
  })
  .openapi("HardwareProfileCosts", { description: "What the measured machine's measured throughput costs: per million requests, per million training samples, per training run, and in energy." });
