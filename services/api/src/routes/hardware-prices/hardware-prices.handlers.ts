import { getDefaults, listCloudPrices } from "@modelplan/estimator";
import { hourlyCost, kwhPerMillion, rateBand, trainingRunCost, usdPerMillion, type HardwarePrice } from "@modelplan/planner";
import type { BenchRun } from "@modelplan/bench";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import { chooseLocalProfile, findProfile, okRunsWithFigures } from "../benchmarks/benchmarks.repository";
import type { DeleteHardwareProfilePriceRoute, GetHardwareProfileCostsRoute, SetHardwareProfilePriceRoute } from "./hardware-prices.routes";
import { clearProfilePrice, setProfilePrice, storedPrice, toPriceDto } from "./hardware-prices.repository";
import type { z } from "@hono/zod-openapi";
import type { ProfileCostsSchema, ProfilePriceRequestSchema } from "./hardware-prices.schemas";

type PriceRequest = z.infer<typeof ProfilePriceRequestSchema>;
type ProfileCosts = z.infer<typeof ProfileCostsSchema>;

/** The request's price with the catalog's figure and the defaults resolved (422 naming the field otherwise). */
export function resolvePrice(input: PriceRequest): HardwarePrice {
  const pueDefault = getDefaults().pue;
  const power = (p: { watts: number; basis: "measured" | "rated"; source?: string } | undefined) => (p ? { watts: p.watts, basis: p.basis, source: p.source ?? null } : null);
  if (input.kind === "owned") {
    return {
      kind: "owned",
      purchaseUsd: input.purchaseUsd,
      depreciationYears: input.depreciationYears,
      power: power(input.power)!,
      pue: input.pue ?? pueDefault.value,
      pueSource: input.pue !== undefined ? "given" : `default: ${pueDefault.source}`,
      electricityUsdPerKwh: input.electricityUsdPerKwh,
      hostingUsdPerMonth: input.hostingUsdPerMonth,
    };
  }
  const pue = input.power ? { pue: input.pue ?? pueDefault.value, pueSource: input.pue !== undefined ? "given" : `default: ${pueDefault.source}` } : { pue: null, pueSource: null };
  if (input.usdPerHour !== undefined) {
    return { kind: "cloud-instance", provider: input.provider, instanceType: input.instanceType, usdPerHour: input.usdPerHour, source: input.source!, date: input.date ?? null, fromCatalog: false, power: power(input.power), ...pue };
  }
  const listing = listCloudPrices().find((l) => l.provider === input.provider && l.sku === input.instanceType);
  if (!listing) {
    const ofProvider = listCloudPrices()
      .filter((l) => l.provider === input.provider)
      .map((l) => l.sku);
    throw ApiError.invalidField(
      "instanceType",
      `the price catalog has no ${input.provider} instance '${input.instanceType}'${ofProvider.length ? ` (its ${input.provider} instances: ${ofProvider.join(", ")})` : ` (providers in the catalog: ${[...new Set(listCloudPrices().map((l) => l.provider))].join(", ")})`}: give usdPerHour with its source`,
    );
  }
  const gpus = listing.gpusPerInstance ?? 1;
  return {
    kind: "cloud-instance",
    provider: listing.provider,
    instanceType: listing.sku,
    usdPerHour: listing.onDemandUsdPerGpuHour * gpus,
    source: `${listing.source}${gpus > 1 ? ` (${gpus} GPUs × $${listing.onDemandUsdPerGpuHour}/GPU-hour: the whole instance)` : ""}`,
    date: listing.date,
    fromCatalog: true,
    power: power(input.power),
    ...pue,
  };
}

export const setHardwareProfilePrice: AppRouteHandler<SetHardwareProfilePriceRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const profile = id === "local" ? undefined : await findProfile(db, workspaceId, id);
  if (!profile) throw ApiError.notFound("Hardware profile", id);
  const stored = { price: resolvePrice(body), setAt: c.get("now")().toISOString() };
  if (!(await setProfilePrice(db, workspaceId, profile.id, stored))) throw ApiError.notFound("Hardware profile", id);
  return c.json(toPriceDto(profile.id, stored), 200);
};

export const deleteHardwareProfilePrice: AppRouteHandler<DeleteHardwareProfilePriceRoute> = async (c) => {
  const { id } = c.req.valid("param");
  if (id === "local" || !(await clearProfilePrice(c.get("db"), c.get("workspaceId"), id))) throw ApiError.notFound("Hardware profile", id);
  return c.body(null, 204);
};

type OkRun = BenchRun & { id: string; stepTime: NonNullable<BenchRun["stepTime"]>; samplesPerS: number };

export const getHardwareProfileCosts: AppRouteHandler<GetHardwareProfileCostsRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const query = c.req.valid("query");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const local = id === "local" ? await chooseLocalProfile(db, workspaceId) : null;
  const profile = local ? local.row : await findProfile(db, workspaceId, id);
  if (!profile) throw local ? new ApiError(404, `No "local" hardware profile: ${local.reason}.`) : ApiError.notFound("Hardware profile", id);
  const stored = storedPrice(profile);
  if (!stored) throw new ApiError(409, `Hardware profile '${profile.id}' has no price: set one with PUT /v1/hardware-profiles/${profile.id}/price (a cloud instance type, or owned hardware with its purchase price, depreciation, power, PUE, electricity and hosting).`);
  const hourly = hourlyCost(stored.price);
  const samplesPerRequest = query.samplesPerRequest ?? 1;
  const runs = (await okRunsWithFigures(db, profile.id)).filter((r): r is OkRun => r.stepTime !== undefined && (r.samplesPerS ?? 0) > 0);
  const whole = runs.filter((r) => r.scope === "whole-machine");
  const perCore = runs.length - whole.length;
  const common = (r: OkRun) => ({
    runId: r.id,
    family: r.family,
    modelKey: r.modelKey,
    batchSize: r.batchSize,
    workers: r.workers,
    samplesPerS: rateBand(r.samplesPerS, r.stepTime),
    stepTimeMs: { medianMs: r.stepTime.medianMs, p90Ms: r.stepTime.p90Ms },
  });
  const byThroughput = (a: OkRun, b: OkRun) => a.family.localeCompare(b.family) || a.modelKey.localeCompare(b.modelKey) || a.batchSize - b.batchSize;
  const inference = whole
    .filter((r) => r.phase === "inference")
    .sort(byThroughput)
    .map((r) => {
      const base = common(r);
      const requests = { low: base.samplesPerS.low / samplesPerRequest, expected: base.samplesPerS.expected / samplesPerRequest, high: base.samplesPerS.high / samplesPerRequest };
      return { ...base, requestLatencyMs: 2 * r.stepTime.medianMs, usdPerMillionRequests: usdPerMillion(hourly.usdPerHour, requests), kwhPerMillionRequests: kwhPerMillion(hourly.kwhPerHour, requests) };
    });
  const training = whole
    .filter((r) => r.phase === "training")
    .sort(byThroughput)
    .map((r) => {
      const base = common(r);
      const epochs = query.epochs ?? 1;
      const run = query.trainingSamples !== undefined ? { samples: query.trainingSamples, epochs, ...trainingRunCost(hourly, base.samplesPerS, query.trainingSamples, epochs) } : null;
      return { ...base, usdPerMillionSamples: usdPerMillion(hourly.usdPerHour, base.samplesPerS), kwhPerMillionSamples: kwhPerMillion(hourly.kwhPerHour, base.samplesPerS), run };
    });
  const notes: string[] = [];
  if (perCore > 0) notes.push(`${perCore} per-core run${perCore === 1 ? " is" : "s are"} not costed: a per-core run measures one core while the others idle; the box's throughput is its whole-machine run's (POST /v1/benchmarks/predict with scope whole-machine predicts a configuration not measured on the whole machine)`);
  if (hourly.kwhPerHour === null) notes.push("no power figure was given with the price: energy is not computed");
  if (whole.length === 0) notes.push("the profile has no whole-machine runs to cost");
  const body: ProfileCosts = {
    profileId: profile.id,
    name: profile.name,
    hourly,
    samplesPerRequest,
    basis: "measured throughput of the profile's whole-machine runs, no extrapolation: USD per million = USD per hour ÷ (samples per second ÷ samples per request × 3,600) × 10⁶; kWh likewise from power × PUE",
    inference,
    training,
    notes,
  };
  return c.json(body, 200);
};
