import { ApiError } from "./problem";
import type { QuotaName } from "./quotas";

/** The 429 of a full quota: names it, its value and what the workspace holds, and how to make room. */
export function quotaExceeded(name: QuotaName | "maxRunsPerWorkspace", value: number, used: number, what: string, makeRoom: string): ApiError {
  return new ApiError(429, `This workspace holds ${used} ${what}; the quota is ${value} (${name}). ${makeRoom}`, {
    type: "/problems/quota-exceeded",
    title: "Workspace quota exceeded",
    limit: { name, value, used },
  });
}
