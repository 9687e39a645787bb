/**
 * A scenario estimate on a measured profile (`"hardware": "local"` or `"hwp_…"`) whose own model is one of
 * the benchmark's small models (an embedding classifier, an MLP, an LSTM over tokens): the box's measured
 * throughput of exactly that configuration is the serving cost — no extrapolation — beside the
 * estimator's answer on the profile. Another size is the profile's calibrated prediction, said so.
 */
import { hourlyCost, kwhPerMillion, usdPerMillion, type Scenario, type UseCase } from "@modelplan/planner";
import type { Context } from "hono";
import { callerGoneSignal } from "../../lib/caller-signal";
import type { AppBindings } from "../../lib/types";
import { benchmarkLimits } from "../benchmarks/limits";
import { resolveProfileRef } from "../benchmarks/measured-hardware";
import { ownModelServing } from "../benchmarks/measured-serving";
import { storedPrice } from "../hardware-prices/hardware-prices.repository";
import type { MeasuredOwnServing } from "./scenario-estimates.schemas";

/** The own model's measured serving on the profile (null when the model is no benchmark configuration), and what to warn. */
export async function measuredOwnServing(
  c: Context<AppBindings>,
  scenario: Scenario,
  useCase: UseCase | undefined,
  ref: string,
  field: string,
): Promise<{ serving: MeasuredOwnServing | null; warnings: string[] }> {
  if (!useCase) return { serving: null, warnings: [] };
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const row = (await resolveProfileRef(db, workspaceId, ref, field)).row;
  const ctx = { db, workspaceId, limits: benchmarkLimits(db), signal: callerGoneSignal(c) };
  const r = await ownModelServing(ctx, row, scenario, useCase);
  if (!r) return { serving: null, warnings: [] };
  if (!r.serving) return { serving: null, warnings: r.note ? [r.note] : [] };
  const s = r.serving;
  const stored = storedPrice(row);
  const hourly = stored ? hourlyCost(stored.price) : null;
  return {
    warnings: [],
    serving: {
      profileId: row.id,
      useCase: s.useCase,
      model: s.modelLabel,
      parameters: s.parameters,
      basis: s.basis === "measured" ? "measured" : "predicted",
      requestsPerSecPerBox: s.requestsPerSecPerBox,
      requestLatencyMs: s.requestLatencyMs,
      batchSize: s.batchSize,
      usdPerHour: hourly?.usdPerHour ?? null,
      usdPerMillionRequests: hourly ? usdPerMillion(hourly.usdPerHour, s.requestsPerSecPerBox) : null,
      kwhPerMillionRequests: hourly ? kwhPerMillion(hourly.kwhPerHour, s.requestsPerSecPerBox) : null,
      runIds: s.runIds,
      detail: s.detail,
      notes: [...s.notes, ...(hourly ? [] : [`hardware profile ${row.id} has no price, so this serving has no cost: PUT /v1/hardware-profiles/${row.id}/price`])],
    },
  };
}
