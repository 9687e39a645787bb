/**
 * The measured machines a plan costs beside the catalog's accelerators ("our own box"), read from the
 * workspace's priced hardware profiles and passed to the planner as data (it does no I/O):
 *
 * - each profile as the estimator's accelerator (its measured peak, efficiency band, bandwidth, memory)
 *   at its hourly price, for the use case's candidate models;
 * - the small reference models of the benchmark suite that fit the use case (text classifier, LSTM, CNN,
 *   MLP scorer), served from the box's measured throughput: a whole-machine run of exactly the use case's
 *   configuration is the cost (basis "measured"); another size is the profile's calibrated prediction with
 *   its band (basis "predicted", POST /v1/benchmarks/predict's machinery), said so in the option.
 *
 * Which profiles: the request's `hardwareProfiles` (ids or `local`, each priced), else every priced profile
 * of the workspace (at most MAX_PRICED_PROFILES_IN_PLAN); the scenario's own `hardware.accelerator`, when
 * it names a profile, always (and `local` is resolved to its id).
 */
import { SOFTWARE_GPU_LABEL } from "@modelplan/bench";
import { hourlyCost, type MeasuredHardware, type MeasuredServing, type RequestProfileFields, type Scenario, type UseCase } from "@modelplan/planner";
import type { HardwareProfileRow } from "@modelplan/db";
import { ApiError, invalidFieldsDetail, type ProblemFieldError } from "../../lib/problem";
import { isEmulatedProfile } from "../benchmarks/benchmarks.repository";
import { isMeasuredHardwareRef, resolveMeasuredHardware, resolveProfileRef } from "../benchmarks/measured-hardware";
import { FAMILY_OF, ownModelServing, familyServing, servingRuns, type MeasuredServingContext } from "../benchmarks/measured-serving";
import { pricedProfiles, storedPrice, unpricedProfiles } from "../hardware-prices/hardware-prices.repository";

export type MeasuredPlanContext = MeasuredServingContext;

/** "software GPU emulation (not a GPU)" for a lavapipe/SwiftShader profile, null for real hardware. */
function emulationOf(row: HardwareProfileRow): string | null {
  if (!isEmulatedProfile(row)) return null;
  const d = row.device as { emulation?: unknown };
  const b = row.backendInfo as { emulation?: unknown };
  const label = typeof b.emulation === "string" ? b.emulation : typeof d.emulation === "string" ? d.emulation : null;
  return label ?? SOFTWARE_GPU_LABEL;
}

/** The profile as a plan's measured machine: its accelerator(s), price and the small models' servings. */
async function measuredMachine(ctx: MeasuredPlanContext, row: HardwareProfileRow, scenario: Scenario, useCases: UseCase[]): Promise<MeasuredHardware> {
  const stored = storedPrice(row)!;
  const hourly = hourlyCost(stored.price);
  const notes: string[] = [];
  const accelerator = async (phase: "inference" | "training") => {
    try {
      return await resolveMeasuredHardware(ctx.db, ctx.workspaceId, row.id, phase);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      notes.push(`${phase === "inference" ? "serving" : "training"} of catalog models on ${row.id} is not estimated: ${e.errors?.[0]?.message ?? e.message}`);
      return null;
    }
  };
  const serving = await accelerator("inference");
  const training = await accelerator("training");
  const runs = await servingRuns(ctx.db, row.id);
  const servings: MeasuredServing[] = [];
  for (const useCase of useCases) {
    const profile: RequestProfileFields = { ...useCase.requestProfile, ...(scenario.usage.requestProfile ?? {}) };
    const families = [...new Set(useCase.modelFamilies.flatMap((f) => (FAMILY_OF[f] ? [FAMILY_OF[f]] : [])))];
    for (const family of families) {
      const r = await familyServing(ctx, row, runs, useCase, profile, family);
      if (r.serving) servings.push(r.serving);
      if (r.note) notes.push(r.note);
    }
    // The scenario's own model, when the benchmark has its family: served from the box's measurements of exactly it (or their calibration).
    const r = await ownModelServing(ctx, row, scenario, useCase);
    if (r?.serving) servings.push(r.serving);
    if (r?.note) notes.push(r.note);
  }
  const p = stored.price;
  return {
    profileId: row.id,
    label: `${p.kind === "owned" ? `our own box: ${row.name}` : `${p.provider} ${p.instanceType} (measured: ${row.name})`}${isEmulatedProfile(row) && !/emulation/i.test(row.name) ? ` [${emulationOf(row)}]` : ""}`,
    kind: row.kind as "cpu" | "gpu",
    emulation: emulationOf(row),
    usdPerHour: hourly.usdPerHour,
    pricing: p.kind === "owned" ? "owned" : "on-demand",
    provider: p.kind === "owned" ? "owned" : p.provider,
    priceSource: `hardware profile ${row.id} priced ${stored.setAt}: ${hourly.formula}`,
    servingAccelerator: serving?.accelerator ?? null,
    trainingAccelerator: training?.accelerator ?? null,
    precision: serving?.info.defaultPrecision ?? "fp32",
    servings,
    notes,
  };
}

/**
 * The profiles a plan names — the request's `hardwareProfiles` (`local` resolved) and the scenario's
 * own `hardware.accelerator` when it is a measured profile — with a field error for each that is
 * unknown or has no price. Used by the route's reference check (plans.references.ts: named with the
 * request's schema errors in one 422) and again, authoritatively, when the plan is computed.
 */
export async function planProfiles(
  db: MeasuredPlanContext["db"],
  workspaceId: string,
  requested: readonly (string | undefined)[] | undefined,
  ownAccelerator: unknown,
  fieldPrefix: string[] = [],
): Promise<{ requested: Map<string, HardwareProfileRow>; own: HardwareProfileRow | null; errors: ProblemFieldError[] }> {
  const errors: ProblemFieldError[] = [];
  const field = (...path: (string | number)[]) => [...fieldPrefix, ...path.map(String)].join(".");
  const priced = (row: HardwareProfileRow, path: string) => {
    if (storedPrice(row)) return true;
    errors.push({ path, location: "body", message: `hardware profile '${row.id}' has no price: set one with PUT /v1/hardware-profiles/${row.id}/price before planning with it` });
    return false;
  };
  const resolve = async (ref: string, path: string) => {
    try {
      return (await resolveProfileRef(db, workspaceId, ref, path)).row;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      errors.push(...(e.errors ?? [{ path, location: "body" as const, message: e.message }]));
      return null;
    }
  };
  const rows = new Map<string, HardwareProfileRow>();
  for (const [i, ref] of (requested ?? []).entries()) {
    if (ref === undefined) continue; // an entry the request's schema refused (the reference check reads bodies it refused)
    const row = await resolve(ref, field("hardwareProfiles", i));
    if (row && priced(row, field("hardwareProfiles", i))) rows.set(row.id, row);
  }
  let own: HardwareProfileRow | null = null;
  if (isMeasuredHardwareRef(ownAccelerator)) {
    // The scenario's own hardware is a stored field: named in the API as the scenario's.
    const row = await resolve(ownAccelerator, "hardware.accelerator");
    if (row && priced(row, "hardware.accelerator")) own = row;
  }
  return { requested: rows, own, errors };
}

/**
 * The measured machines of a plan and the scenario as the planner sees it (`local` resolved to its
 * profile id). 422 naming the field for an unknown or unpriced profile.
 */
export async function measuredHardwareForPlan<S extends Scenario>(
  ctx: MeasuredPlanContext,
  scenario: S,
  useCases: UseCase[],
  requested: string[] | undefined,
  fieldPrefix: string[] = [],
): Promise<{ scenario: S; measuredHardware: MeasuredHardware[]; unpricedHardware: { profileId: string; label: string }[] }> {
  const named = await planProfiles(ctx.db, ctx.workspaceId, requested, scenario.hardware?.accelerator, fieldPrefix);
  const { errors } = named;
  if (errors.length) throw new ApiError(422, invalidFieldsDetail(errors), { errors });
  const rows = new Map<string, HardwareProfileRow>();
  if (requested === undefined) for (const row of await pricedProfiles(ctx.db, ctx.workspaceId)) rows.set(row.id, row);
  else for (const [id, row] of named.requested) rows.set(id, row);
  let planned: S = scenario;
  if (named.own) {
    rows.set(named.own.id, named.own);
    planned = { ...scenario, hardware: { ...scenario.hardware!, accelerator: named.own.id } };
  }
  const measuredHardware: MeasuredHardware[] = [];
  for (const row of rows.values()) measuredHardware.push(await measuredMachine(ctx, row, planned, useCases));
  // Every priced profile by default, and the unpriced ones named in a warning (never costed at $0).
  const unpricedHardware = requested === undefined ? (await unpricedProfiles(ctx.db, ctx.workspaceId)).map((r) => ({ profileId: r.id, label: r.name })) : [];
  return { scenario: planned, measuredHardware, unpricedHardware };
}
