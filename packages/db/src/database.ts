import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type BetterSqlite3 from "better-sqlite3";
import * as pg from "./pg-schema/index";
import * as sqlite from "./schema/index";

export const DIALECTS = ["sqlite", "postgres"] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The SQLite tables (src/schema, one file per table). */
export const sqliteTables = {
  workspaces: sqlite.workspaces,
  useCases: sqlite.useCases,
  scenarios: sqlite.scenarios,
  idempotencyKeys: sqlite.idempotencyKeys,
  apiKeys: sqlite.apiKeys,
  estimates: sqlite.estimates,
  plans: sqlite.plans,
  hardwareProfiles: sqlite.hardwareProfiles,
  benchmarkJobs: sqlite.benchmarkJobs,
  benchmarkRuns: sqlite.benchmarkRuns,
};

/** The PostgreSQL tables (src/pg-schema): the same names, columns and types (test/dialects.test.ts). */
export const postgresTables = {
  workspaces: pg.workspaces,
  useCases: pg.useCases,
  scenarios: pg.scenarios,
  idempotencyKeys: pg.idempotencyKeys,
  apiKeys: pg.apiKeys,
  estimates: pg.estimates,
  plans: pg.plans,
  hardwareProfiles: pg.hardwareProfiles,
  benchmarkJobs: pg.benchmarkJobs,
  benchmarkRuns: pg.benchmarkRuns,
};

/**
 * The tables as the repositories see them, whatever the dialect. Typed as the PostgreSQL tables; the
 * row of every table is the same type in both dialects (checked at compile time below), and the SQLite
 * tables stand in for them at run time on a SQLite database.
 */
export type Tables = typeof postgresTables;
export type TableName = keyof Tables;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** `npm run typecheck` fails here when a table's row differs between the dialects (a column added to one file only). */
type RowsAgree = { [K in TableName]: Equal<(typeof sqliteTables)[K]["$inferSelect"], Tables[K]["$inferSelect"]> & Equal<(typeof sqliteTables)[K]["$inferInsert"], Tables[K]["$inferInsert"]> };
const rowsAgree: RowsAgree = {
  workspaces: true,
  useCases: true,
  scenarios: true,
  idempotencyKeys: true,
  apiKeys: true,
  estimates: true,
  plans: true,
  hardwareProfiles: true,
  benchmarkJobs: true,
  benchmarkRuns: true,
};
void rowsAgree;

/**
 * drizzle's query builder, as far as it is the same for both dialects: select, insert (with
 * onConflictDoNothing / onConflictDoUpdate), update and delete, each awaited (better-sqlite3 runs the
 * statement synchronously when it is awaited; node-postgres sends it), `.returning()` for what a
 * statement changed (SQLite has RETURNING since 3.35). What is not the same is left out of the type
 * (raw `execute`, `transaction`: use Database's) or must be guarded by `dialect` (`.for("update")`,
 * PostgreSQL only).
 */
export type QueryBuilder = Pick<PgDatabase<PgQueryResultHKT>, "select" | "selectDistinct" | "insert" | "update" | "delete" | "$with" | "with">;

/**
 * The data-access interface every repository uses, for SQLite (better-sqlite3, one connection, the
 * embedded default) and for PostgreSQL (node-postgres pool, several replicas). All of it is async.
 */
export interface Database {
  readonly dialect: Dialect;
  /** drizzle's query builder over `tables`. */
  readonly db: QueryBuilder;
  /** This database's tables: pass these to `db` (never import a dialect's table file directly). */
  readonly tables: Tables;
  /** Where it is, for logs: the SQLite path, or the PostgreSQL URL without its password. */
  readonly description: string;
  /**
   * Runs `fn` in one transaction and commits, or rolls back when it throws. The body sends every
   * statement through `tx`: on PostgreSQL the outer database is another pooled connection, outside the
   * transaction; on SQLite a statement through it while the transaction is open is refused
   * (TransactionInterleavingError). SQLite: BEGIN IMMEDIATE (the write lock is taken first, so the
   * busy timeout applies), one transaction at a time on the connection; the body should await only
   * `tx` (no other I/O), which keeps the write lock short. PostgreSQL: READ COMMITTED. A transaction
   * begun through `tx` joins it.
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /** Rows of a raw SQL statement (drizzle's `sql` template; keep it to SQL both dialects accept). */
  execute<Row extends Record<string, unknown>>(query: SQL): Promise<Row[]>;
  /** A round trip to the database (`SELECT 1`); throws when it does not answer within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  /** The SQLite connection, for the few hot paths that use better-sqlite3 directly; null on PostgreSQL. */
  readonly sqlite: BetterSqlite3.Database | null;
  /** False once close() was called. */
  isOpen(): boolean;
  /** Closes the connection (SQLite) or the pool (PostgreSQL). */
  close(): Promise<void>;
}
