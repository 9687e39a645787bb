// @modelplan/db: the data layer. One drizzle file per table (src/schema), the committed migrations,
// the seed data, and the opening of the database. It imports no service code.
export * from "./schema/index";
export { isDatabaseBusy } from "./errors";
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_WORKSPACE_ID, openDatabase, type OpenOptions, type AppDatabase, type OpenedDatabase, type SqliteHandle } from "./client";
export { MIGRATIONS_FOLDER, USE_CASE_CATALOG_FILE } from "./files";
export { loadUseCaseCatalog, type LoadResult, type UseCaseCatalog, type UseCaseCatalogEntry } from "./use-case-catalog";
