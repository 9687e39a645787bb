/**
 * Post a suite result to a modelplan service (`bench --server URL --api-key KEY`) through the SDK, so
 * a team can measure many machines into one service. The service stores the runs under the hardware
 * profile of this machine's fingerprint (POST /v1/benchmarks/results) and recomputes each run's exact
 * FLOPs from its configuration.
 */
import { createClient, unwrap, type components } from "@modelplan/sdk";
import type { SuiteResult } from "./results";

export interface PostOptions {
  server: string;
  apiKey?: string;
  /** Custom fetch (tests). */
  fetch?: typeof globalThis.fetch;
}

export interface PostedResult {
  hardwareProfileId: string;
  runIds: string[];
  stored: number;
}

export async function postSuiteResult(result: SuiteResult, opts: PostOptions): Promise<PostedResult> {
  const client = createClient({ baseUrl: opts.server, apiKey: opts.apiKey, fetch: opts.fetch });
  const body = result as unknown as components["schemas"]["BenchmarkUpload"];
  return unwrap(client.POST("/v1/benchmarks/results", { body }));
}
