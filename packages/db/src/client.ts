import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { MIGRATIONS_FOLDER } from "./files";
import * as schema from "./schema/index";

export type AppDatabase = BetterSQLite3Database<typeof schema>;
export type SqliteHandle = Database.Database;

export const DEFAULT_WORKSPACE_ID = "ws_default";
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenedDatabase {
  sqlite: SqliteHandle;
  db: AppDatabase;
  path: string;
}

/**
 * Opens (creating if needed) the SQLite database, sets the pragmas the service relies on (WAL for
 * concurrent readers and crash safety, foreign keys, a busy timeout), applies the committed drizzle-kit
 * migrations and makes sure the default workspace exists.
 */
export interface OpenOptions {
  /** How long a statement waits for another connection's lock before SQLITE_BUSY (ms). Default 5000. */
  busyTimeoutMs?: number;
}

export function openDatabase(dbPath: string, options: OpenOptions = {}): OpenedDatabase {
  if (dbPath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const sqlite = new Database(dbPath);
  sqlite.pragma("journal_mode = WAL");
  // FULL: every acknowledged commit is on disk before the response goes out (issue 6's crash safety).
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  // Applies to every statement and to BEGIN IMMEDIATE, which every write transaction uses: a
  // deferred transaction that reads and then writes cannot wait for the lock (SQLITE_BUSY at once).
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  sqlite
    .prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING")
    .run(DEFAULT_WORKSPACE_ID, "Default workspace", new Date().toISOString());
  return { sqlite, db, path: dbPath };
}
