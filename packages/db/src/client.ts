import type { Database } from "./database";
import { describeLocation, parseDatabaseUrl, type DatabaseLocation } from "./location";
import { openPostgresDatabase, type PostgresOptions } from "./postgres";
import { openSqliteDatabase } from "./sqlite";

export const DEFAULT_WORKSPACE_ID = "ws_default";

export interface OpenOptions extends Omit<PostgresOptions, "lockTimeoutMs"> {
  /**
   * How long a statement waits for another connection's lock before it fails (a 503 in the service), ms:
   * SQLite's busy_timeout, PostgreSQL's lock_timeout. Default 5000.
   */
  lockTimeoutMs?: number;
  /**
   * Runs once the migrations are applied: on PostgreSQL while this process still holds the migration
   * lock, so replicas starting together load seed data one at a time (the use-case catalog).
   */
  seed?: (d: Database) => Promise<void>;
}

/**
 * Opens the database of `location` (a DATABASE_URL string is parsed first): SQLite (the embedded
 * default; created when missing) or PostgreSQL; applies the dialect's committed migrations, makes sure
 * the default workspace exists and runs `seed`.
 */
export async function openDatabase(location: DatabaseLocation | string, options: OpenOptions = {}): Promise<Database> {
  const where = typeof location === "string" ? parseDatabaseUrl(location) : location;
  const seed = async (d: Database) => {
    await d.db
      .insert(d.tables.workspaces)
      .values({ id: DEFAULT_WORKSPACE_ID, name: "Default workspace", createdAt: new Date().toISOString() })
      .onConflictDoNothing();
    await options.seed?.(d);
  };
  if (where.dialect === "postgres") {
    return openPostgresDatabase(where.url, { ...options, lockTimeoutMs: options.lockTimeoutMs }, seed);
  }
  const database = openSqliteDatabase(where.path, { busyTimeoutMs: options.lockTimeoutMs });
  try {
    await seed(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

export { describeLocation };
