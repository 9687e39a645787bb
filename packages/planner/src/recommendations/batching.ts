// The batching recommendation's search: the largest batch factor whose self-hosted workloads all stay
// within their use cases' p95 latency targets. Pure.
import type { PlannerCatalog } from "../catalog";
import { fmtNum } from "../format";
import type { Projection } from "../projection";
import type { UseCase } from "../types";
import { tryVariant } from "./variants";

/**
 * Batch-size multipliers the batching recommendation tries, largest first (modelplan choice). The
 * serving estimate already runs the largest batch that meets the use case's latency target, so a larger
 * batch is offered only where it still meets it (a measured box, a workload with latency to spare).
 */
export const BATCH_FACTORS = [2, 1.5, 1.25] as const;

/** Latency of one self-hosted workload's chosen deployment in a re-run, against its use case's p95 target. */
export interface WorkloadLatency {
  useCase: string;
  /** Expected end-to-end latency of one request at the re-run's batch, ms (null when the estimate gives none). */
  latencyMs: number | null;
  p95TargetMs: number;
}

/** The latency of every workload served by a self-hosted (or fine-tuned, trained, measured) option of a projection. */
export function selfHostedLatencies(p: Projection): WorkloadLatency[] {
  const out: WorkloadLatency[] = [];
  for (const st of p.states) {
    const build = st.builds.get(st.workload.chosenOptionId);
    if (!build || build.option.kind === "hosted") continue;
    out.push({ useCase: st.spec.useCase.slug, latencyMs: build.capacity?.requestLatencyMs ?? null, p95TargetMs: st.spec.useCase.latencyTarget.p95Ms });
  }
  return out;
}

/** True unless a workload's latency is known to exceed its p95 target. */
export function withinLatencyTargets(latencies: WorkloadLatency[]): boolean {
  return latencies.every((l) => l.latencyMs === null || l.latencyMs <= l.p95TargetMs);
}

/**
 * The plan re-run at the largest factor of BATCH_FACTORS whose self-hosted workloads all stay within
 * their p95 latency targets; null when no factor does (then batching is not recommended: a saving that
 * breaks the use case's requirement is no saving).
 */
export function largestBatchWithinLatency(
  base: Projection,
  useCases: UseCase[],
  catalog: PlannerCatalog,
): { factor: number; variant: Projection; latencies: WorkloadLatency[] } | null {
  for (const factor of BATCH_FACTORS) {
    const variant = tryVariant(base, useCases, catalog, { adjustments: { ...base.adjustments, servingBatchFactor: factor } });
    if (!variant) continue;
    const latencies = selfHostedLatencies(variant);
    if (withinLatencyTargets(latencies)) return { factor, variant, latencies };
  }
  return null;
}

export function batchingLatencyCaveat(latencies: WorkloadLatency[]): string {
  const known = latencies.flatMap((l) => (l.latencyMs === null ? [] : [`about ${fmtNum(l.latencyMs)} ms against the ${l.p95TargetMs} ms p95 target of '${l.useCase}'`]));
  if (known.length === 0) return "The serving estimate gives no latency at the larger batch; check it against the use case's p95 target before relying on the saving.";
  return `Per-request latency at the larger batch: ${known.join("; ")}.`;
}
