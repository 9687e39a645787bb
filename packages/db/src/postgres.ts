import pg from "pg";
import type { SQL } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { postgresTables, type Database, type QueryBuilder } from "./database";
import { MIGRATIONS_POSTGRES_FOLDER } from "./files";
import { redactUrl } from "./location";

export interface PostgresOptions {
  /** PostgreSQL's lock_timeout for every statement (ms): past it the statement fails (a 503). Default 5000. */
  lockTimeoutMs?: number;
  /** Connections this process keeps at most (node-postgres pool `max`). Default 10. */
  poolMax?: number;
  /** How long opening a connection (or waiting for a free one) may take (ms). Default 5000. */
  connectTimeoutMs?: number;
  /** Shown in pg_stat_activity (`application_name`). */
  applicationName?: string;
  /** Told when another replica holds the migration lock and this one waits for it. */
  onMigrationLockWait?: () => void;
  /** An idle pooled connection failed (the server restarted, a network cut): the pool replaces it. */
  onPoolError?: (err: Error) => void;
}

/**
 * Key of the session advisory lock (pg_advisory_lock) that makes one replica at a time migrate and seed:
 * the others wait for it, then find the migrations applied. An arbitrary constant ("modelpla").
 */
export const MIGRATION_LOCK_KEY = 0x6d6f64656c706c61n;

type Drizzle = Pick<NodePgDatabase, "transaction" | "execute"> & QueryBuilder;

class PostgresDatabase implements Database {
  readonly dialect = "postgres" as const;
  readonly tables = postgresTables;
  readonly sqlite = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly drizzleDb: Drizzle,
    readonly description: string,
    private readonly inTransaction: boolean,
  ) {}

  get db(): QueryBuilder {
    return this.drizzleDb;
  }

  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.drizzleDb.transaction((tx) => fn(new PostgresDatabase(this.pool, tx, this.description, true)));
  }

  async execute<Row extends Record<string, unknown>>(query: SQL): Promise<Row[]> {
    const result = await this.drizzleDb.execute<Row>(query);
    // drizzle types the rows as Assume<Row, QueryResultRow>, which is Row for every Row this accepts.
    return result.rows as Row[];
  }

  isOpen(): boolean {
    return !this.pool.ended;
  }

  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.pool.query("SELECT 1"),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.inTransaction) return;
    if (!this.pool.ended) await this.pool.end();
  }
}

/**
 * Opens a pool on the PostgreSQL database of `url`, then, holding the migration advisory lock so
 * that replicas starting together migrate one at a time, applies the committed migrations
 * (migrations-postgres/) and runs `seed` (the default workspace, the use-case catalog). Fails with the
 * driver's one-line reason when the database cannot be reached or refuses the credentials.
 */
export async function openPostgresDatabase(url: string, options: PostgresOptions = {}, seed?: (d: Database) => Promise<void>): Promise<Database> {
  const lockTimeoutMs = Math.max(0, Math.floor(options.lockTimeoutMs ?? 5000));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? "modelplan",
    // Every session: a lock wait past lock_timeout fails the statement (answered 503 with Retry-After);
    // a transaction left idle (a bug, a stalled client) is ended rather than holding its locks.
    options: `-c lock_timeout=${lockTimeoutMs} -c idle_in_transaction_session_timeout=60000`,
  });
  pool.on("error", (err) => options.onPoolError?.(err));
  const database = new PostgresDatabase(pool, drizzle({ client: pool }), redactUrl(url), false);
  try {
    const client = await pool.connect();
    try {
      // Waiting for another replica's migrations is not a lock timeout.
      await client.query("SET lock_timeout = 0");
      const got = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY.toString()]);
      if (!got.rows[0].locked) {
        options.onMigrationLockWait?.();
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
      }
      try {
        await client.query("RESET lock_timeout");
        // On the locked session itself, so the lock covers exactly these statements.
        const onClient = drizzle({ client });
        await migrate(onClient, { migrationsFolder: MIGRATIONS_POSTGRES_FOLDER });
        if (seed) await seed(new PostgresDatabase(pool, onClient, database.description, false));
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return database;
}
