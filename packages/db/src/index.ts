// @modelplan/db: the data layer. One drizzle file per table and dialect (src/schema for SQLite,
// src/pg-schema for PostgreSQL), the committed migrations of both, the seed data, and the opening of
// the database behind one async interface (Database). It imports no service code.
export type { ApiKeyRow, BenchmarkJobRow, BenchmarkRunRow, EstimateRow, HardwareProfileRow, PlanRow, ScenarioRow, UseCaseRow, WorkspaceRow } from "./schema/index";
export { DIALECTS, postgresTables, sqliteTables, type Database, type Dialect, type QueryBuilder, type TableName, type Tables } from "./database";
export { DEFAULT_WORKSPACE_ID, openDatabase, type OpenOptions } from "./client";
export { isDatabaseUnavailable, isUniqueViolation } from "./errors";
export { DatabaseUrlError, describeLocation, parseDatabaseUrl, redactUrl, type DatabaseLocation } from "./location";
export { MIGRATION_LOCK_KEY } from "./postgres";
export { DEFAULT_BUSY_TIMEOUT_MS, openSqliteDatabase, TransactionInterleavingError, type SqliteBackedDatabase } from "./sqlite";
export { MIGRATIONS_FOLDER, MIGRATIONS_POSTGRES_FOLDER, USE_CASE_CATALOG_FILE } from "./files";
export { loadUseCaseCatalog, type LoadResult, type UseCaseCatalog, type UseCaseCatalogEntry } from "./use-case-catalog";
