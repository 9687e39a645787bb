/**
 * Post a suite result to a modelplan service (`bench --server URL --api-key KEY`), so a team can
 * measure many machines into one service.
 */
import type { SuiteResult } from "./results";

export interface PostOptions {
  server: string;
  apiKey: string;
}

/** Returns a one-line description of what the service stored. */
export async function postSuiteResult(_result: SuiteResult, opts: PostOptions): Promise<string> {
  // The service route that accepts uploaded results (and its SDK types) does not exist yet.
  throw new Error(`cannot post to ${opts.server}: the service has no benchmark-results route yet (the results were not sent)`);
}
