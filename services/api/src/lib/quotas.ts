/**
 * What one workspace may keep stored (issue 14, finding 6); its benchmark runs are bounded by
 * `maxRunsPerWorkspace` among the benchmark limits (routes/benchmarks/limits.ts). Checked when something new is stored,
 * inside the transaction that stores it; beyond a quota the answer is 429 problem+json of type
 * /problems/quota-exceeded naming the quota, with `limit` { name, value, used } (quota-exceeded.ts). No Retry-After: a quota
 * frees up when the workspace deletes something, not with time.
 */
export interface WorkspaceQuotas {
  /** Scenarios one workspace stores. */
  maxScenariosPerWorkspace: number;
  /** Plans one workspace stores. */
  maxPlansPerWorkspace: number;
  /** Bytes of stored plan documents (as stored: gzip-compressed) one workspace keeps. */
  maxPlanBytesPerWorkspace: number;
  /** Active API keys one workspace holds (the keys CLI, an operator's tool, is not held to it). */
  maxKeysPerWorkspace: number;
}

export const DEFAULT_QUOTAS: Readonly<WorkspaceQuotas> = Object.freeze({
  maxScenariosPerWorkspace: 1000,
  maxPlansPerWorkspace: 500,
  maxPlanBytesPerWorkspace: 256 * 1024 * 1024,
  maxKeysPerWorkspace: 20,
});

export type QuotaName = keyof WorkspaceQuotas;
