import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { sqliteTables, type Database, type QueryBuilder, type Tables } from "./database";
import { MIGRATIONS_FOLDER } from "./files";

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface SqliteOptions {
  /** How long a statement waits for another connection's lock before SQLITE_BUSY (ms). Default 5000. */
  busyTimeoutMs?: number;
}

/** A SQLite Database, with its connection (openSqliteDatabase opens it synchronously, for scripts and tests). */
export type SqliteBackedDatabase = Database & { readonly dialect: "sqlite"; readonly sqlite: BetterSqlite3.Database };

/** A statement ran while another request's transaction was open on the connection (a bug: see Database.transaction). */
export class TransactionInterleavingError extends Error {
  constructor() {
    super("a statement ran inside another request's open SQLite transaction: a transaction body awaited something other than the database");
    this.name = "TransactionInterleavingError";
  }
}

/**
 * better-sqlite3 (one connection per process; synchronous, so a statement awaited in a repository has
 * run by the time the await resumes) behind the async Database interface.
 *
 * A transaction's body gets its own view of the connection (`fn(tx)`), whose statements go through a
 * second drizzle instance on the same connection. While a transaction is open, a statement sent through
 * this object instead — another request's, or the body's own when it uses the outer database rather than
 * `tx` — is refused with TransactionInterleavingError: it would otherwise run inside, and commit or roll
 * back with, a transaction it does not belong to. PostgreSQL has the same rule by construction (the outer
 * database is another pooled connection), so a body that works on one dialect works on the other.
 * (Explicit rather than AsyncLocalStorage: on Node 20 that turns on promise hooks for every promise of
 * the process, a cost on every request.)
 */
class SqliteDatabase implements Database {
  readonly dialect = "sqlite" as const;
  readonly tables: Tables;
  readonly db: QueryBuilder;
  /** Transactions of this connection, one after another. */
  private queue: Promise<void> = Promise.resolve();
  private txOpen = false;
  private readonly inTransaction: SqliteTransaction;

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    private readonly drizzleDb: BetterSQLite3Database,
    transactionDb: BetterSQLite3Database,
    readonly description: string,
  ) {
    // The one place the dialects meet: drizzle's SQLite builder and tables stand in for the PostgreSQL
    // types of the shared QueryBuilder. They build the same statements for what QueryBuilder exposes;
    // test/dialects.test.ts holds the tables equal and the API suite runs on both databases.
    this.db = drizzleDb as unknown as QueryBuilder;
    this.tables = sqliteTables as unknown as Tables;
    this.inTransaction = new SqliteTransaction(this, transactionDb);
  }

  /** drizzle's logger hook runs before every statement sent through `db`: refuse one while a transaction is open. */
  checkStatement(): void {
    if (this.txOpen) throw new TransactionInterleavingError();
  }

  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((r) => (release = r));
    await previous;
    try {
      // IMMEDIATE: the write lock is taken here, where busy_timeout applies; a deferred transaction
      // that reads and then writes fails at once (SQLITE_BUSY) when another process holds it.
      this.sqlite.exec("BEGIN IMMEDIATE");
      this.txOpen = true;
      try {
        const result = await fn(this.inTransaction);
        this.sqlite.exec("COMMIT");
        return result;
      } catch (err) {
        if (this.sqlite.inTransaction) this.sqlite.exec("ROLLBACK");
        throw err;
      } finally {
        this.txOpen = false;
      }
    } finally {
      release();
    }
  }

  execute<Row extends Record<string, unknown>>(query: SQL): Promise<Row[]> {
    return executeOn<Row>(this.drizzleDb, query);
  }

  isOpen(): boolean {
    return this.sqlite.open;
  }

  async ping(): Promise<void> {
    this.sqlite.prepare("SELECT 1").get();
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.sqlite.open) this.sqlite.close();
  }
}

/** The connection as seen by an open transaction's body: its statements run inside that transaction. */
class SqliteTransaction implements Database {
  readonly dialect = "sqlite" as const;
  readonly db: QueryBuilder;

  constructor(
    private readonly outer: SqliteDatabase,
    private readonly drizzleDb: BetterSQLite3Database,
  ) {
    this.db = drizzleDb as unknown as QueryBuilder;
  }

  get tables(): Tables {
    return this.outer.tables;
  }
  get description(): string {
    return this.outer.description;
  }
  get sqlite(): BetterSqlite3.Database {
    return this.outer.sqlite;
  }

  /** A transaction begun inside another joins it. */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    return fn(this);
  }

  execute<Row extends Record<string, unknown>>(query: SQL): Promise<Row[]> {
    return executeOn<Row>(this.drizzleDb, query);
  }

  isOpen(): boolean {
    return this.outer.isOpen();
  }

  ping(): Promise<void> {
    return this.outer.ping();
  }

  /** The transaction's owner closes the connection, not its body. */
  close(): Promise<void> {
    return Promise.reject(new Error("close() inside a transaction: close the database, not the transaction"));
  }
}

async function executeOn<Row extends Record<string, unknown>>(drizzleDb: BetterSQLite3Database, query: SQL): Promise<Row[]> {
  try {
    return drizzleDb.all<Row>(query);
  } catch (err) {
    // A statement that returns no rows (DDL, a write without RETURNING): better-sqlite3 runs it with run().
    if (!(err instanceof TypeError && /does not return data/.test(err.message))) throw err;
    drizzleDb.run(query);
    return [];
  }
}

/**
 * Opens (creating if needed) the SQLite database, sets the pragmas the service relies on (WAL for
 * concurrent readers and crash safety, foreign keys, a busy timeout) and applies the committed
 * drizzle-kit migrations (migrations/).
 */
export function openSqliteDatabase(dbPath: string, options: SqliteOptions = {}): SqliteBackedDatabase {
  if (dbPath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const sqlite = new BetterSqlite3(dbPath);
  try {
    sqlite.pragma("journal_mode = WAL");
    // FULL: every acknowledged commit is on disk before the response goes out (issue 6's crash safety).
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    // Applies to every statement and to BEGIN IMMEDIATE, which every write transaction uses.
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    let database: SqliteDatabase | undefined;
    const drizzleDb = drizzle({ client: sqlite, logger: { logQuery: () => database?.checkStatement() } });
    migrate(drizzleDb, { migrationsFolder: MIGRATIONS_FOLDER });
    database = new SqliteDatabase(sqlite, drizzleDb, drizzle({ client: sqlite }), dbPath);
    return database;
  } catch (err) {
    sqlite.close();
    throw err;
  }
}
