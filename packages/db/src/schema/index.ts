// One drizzle file per table; this index is what drizzle-kit and the service import.
export * from "./workspaces";
export * from "./use-cases";
export * from "./scenarios";
export * from "./idempotency-keys";
export * from "./api-keys";
export * from "./estimates";
export * from "./plans";
export * from "./hardware-profiles";
export * from "./benchmark-jobs";
export * from "./benchmark-runs";
