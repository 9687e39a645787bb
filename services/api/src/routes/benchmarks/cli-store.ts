/**
 * Where `npm run bench` (services/api/scripts/bench.ts) stores a suite: the service's own database,
 * opened the way the server opens it, through the benchmarks repository — the one place the CLI touches
 * the data layer.
 */
import type { SuiteStore } from "@modelplan/bench";
import { describeLocation, openDatabase, type DatabaseLocation } from "@modelplan/db";
import { ensureWorkspace } from "../../auth/api-keys.repository";
import { storeSuiteResult } from "./benchmarks.repository";
import { DEFAULT_BENCHMARK_LIMITS } from "./limits";

/** A store writing to the service's database at `location()` (opened per call, closed after). */
export function databaseStore(location: () => DatabaseLocation, now: () => Date = () => new Date()): SuiteStore {
  return {
    describe: (workspace) => `the service's database ${describeLocation(location())} (workspace ${workspace})`,
    async store(result, workspace) {
      const db = await openDatabase(location());
      try {
        const at = now();
        await ensureWorkspace(db, workspace, at);
        // One session of calibration (one timestamp), source "local": measured on this machine.
        // The service's cap on runs per profile holds for the CLI too: a profile the service could not fit in time is refused here.
        const max = DEFAULT_BENCHMARK_LIMITS.maxRunsPerProfile;
        const refuse = async (stored: number) =>
          stored + result.runs.length > max
            ? new Error(`the profile holds ${stored} runs; ${result.runs.length} more would exceed the limit of ${max} runs per profile: delete runs or the profile first (DELETE /v1/hardware-profiles/{id})`)
            : undefined;
        const stored = await storeSuiteResult(db, workspace, result, result.runs, "local", `cli ${result.startedAt}`, at.toISOString(), refuse);
        return { profileId: stored.profileId, stored: stored.runIds.length };
      } finally {
        await db.close();
      }
    },
  };
}
