// One replica-sizing rule for every serving estimate: inference estimates, scenario estimates and
// plans size their fleet with it, so the same traffic gets the same fleet everywhere.
import { getDefaults } from "./catalog";
import type { Band } from "./types";

/** Share of a replica's capacity the fleet may use at the modelled peak (defaults.json replicaTargetUtilisation). */
export const REPLICA_TARGET_UTILISATION: number = getDefaults().replicaTargetUtilisation.value;

/** Where the target utilisation comes from (a modelplan choice, labelled as one). */
export const REPLICA_SIZING_SOURCE: string = getDefaults().replicaTargetUtilisation.source;

/**
 * Replicas for a peak: max(minReplicas, ⌈peak / (capacity per replica × target utilisation)⌉).
 * The tolerance keeps an exact multiple (2.0000000001 from float division) at 2 replicas.
 */
export function replicasForPeak(peakRequestsPerSec: number, capacityRequestsPerSecPerReplica: number, targetUtilisation = REPLICA_TARGET_UTILISATION, minReplicas = 1): number {
  if (!(capacityRequestsPerSecPerReplica > 0)) return Number.POSITIVE_INFINITY;
  if (!(peakRequestsPerSec > 0)) return minReplicas;
  return Math.max(minReplicas, Math.ceil(peakRequestsPerSec / (capacityRequestsPerSecPerReplica * targetUtilisation) - 1e-9));
}

/** The replica band: the low count comes from the high capacity. */
export function replicasBand(peakRequestsPerSec: number, capacity: Band, targetUtilisation = REPLICA_TARGET_UTILISATION): Band {
  return {
    low: replicasForPeak(peakRequestsPerSec, capacity.high, targetUtilisation),
    expected: replicasForPeak(peakRequestsPerSec, capacity.expected, targetUtilisation),
    high: replicasForPeak(peakRequestsPerSec, capacity.low, targetUtilisation),
  };
}
