// The PostgreSQL dialect's tables: one file per table, each the twin of the SQLite file of the same
// name in ../schema (which documents what each column means). test/dialects.test.ts holds the two
// sets equal, column by column; drizzle-kit reads this index (drizzle.postgres.config.ts).
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
