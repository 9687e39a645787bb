/**
 * Databases for tests, each test app on a fresh one. SQLite (the default): an in-memory database or a
 * temporary file. PostgreSQL: when MODELPLAN_TEST_DATABASE names a server
 * (`postgres://user:password@127.0.0.1:5432/postgres`, a role that may CREATE DATABASE), every call
 * creates a database of its own from a template that holds the migrations and the use-case catalog
 * (built once per migration set), and drops it when the test closes it.
 *
 * MODELPLAN_TEST_DIALECT=postgres (set by vitest.config.ts's `postgres` project) runs the API suite
 * on PostgreSQL; tests of PostgreSQL itself (multi-replica, dialect drift) use `postgresTestServer()`,
 * which skips them loudly when no server is configured and fails them under CI=true.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe } from "vitest";
import { MIGRATIONS_POSTGRES_FOLDER, USE_CASE_CATALOG_FILE, loadUseCaseCatalog, openDatabase, redactUrl, type DatabaseLocation, type Dialect } from "@modelplan/db";

/** The PostgreSQL server tests may create databases on, if any. */
export const POSTGRES_TEST_SERVER = process.env.MODELPLAN_TEST_DATABASE || undefined;

/** The dialect the API suite runs on in this process. */
export const TEST_DIALECT: Dialect = process.env.MODELPLAN_TEST_DIALECT === "postgres" ? "postgres" : "sqlite";

if (TEST_DIALECT === "postgres" && !POSTGRES_TEST_SERVER) {
  throw new Error("MODELPLAN_TEST_DIALECT=postgres needs MODELPLAN_TEST_DATABASE=postgres://user:password@host:5432/postgres");
}

export interface TestDatabase {
  location: DatabaseLocation;
  /** A DATABASE_URL / MODELPLAN_DB value naming it (for child processes and loadConfig). */
  url: string;
  /** Removes it (drops the PostgreSQL database, deletes the SQLite file). Close every connection first. */
  drop(): Promise<void>;
}

let admin: pg.Pool | undefined;
function adminPool(): pg.Pool {
  admin ??= new pg.Pool({ connectionString: POSTGRES_TEST_SERVER, max: 2 });
  return admin;
}

function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_TEST_SERVER!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The template's name: one per set of migrations and catalog, so a schema change builds a new one,
 * and per role (only its owner, or a superuser, may copy a database that is not marked a template).
 */
function templateName(): string {
  const h = createHash("sha256");
  h.update(`${new URL(POSTGRES_TEST_SERVER!).username}\n`);
  for (const f of fs.readdirSync(MIGRATIONS_POSTGRES_FOLDER).sort()) if (f.endsWith(".sql")) h.update(fs.readFileSync(path.join(MIGRATIONS_POSTGRES_FOLDER, f)));
  h.update(fs.readFileSync(USE_CASE_CATALOG_FILE));
  return `modelplan_tpl_${h.digest("hex").slice(0, 12)}`;
}

let template: Promise<string> | undefined;

/** Builds the template once (an advisory lock keeps two test processes from building it together). */
function ensureTemplate(): Promise<string> {
  template ??= (async () => {
    const name = templateName();
    const client = await adminPool().connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('modelplan test template'))");
      try {
        const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (exists.rowCount === 0) {
          const building = `${name}_building`;
          await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
          await client.query(`CREATE DATABASE "${building}"`);
          const { readUseCaseCatalog } = await import("../../services/api/src/routes/use-cases/use-cases.catalog");
          const d = await openDatabase(databaseUrl(building), { poolMax: 1, seed: async (db) => void (await loadUseCaseCatalog(db, readUseCaseCatalog())) });
          await d.close();
          await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
          // Templates of older migrations are of no use any more.
          const old = await client.query<{ datname: string }>(
            "SELECT datname FROM pg_database WHERE datname LIKE 'modelplan_tpl_%' AND datname <> $1 AND pg_get_userbyid(datdba) = current_user",
            [name],
          );
          for (const r of old.rows) await client.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => undefined);
        }
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('modelplan test template'))");
      }
    } finally {
      client.release();
    }
    return name;
  })();
  return template;
}

let counter = 0;

/** A fresh, empty PostgreSQL database (migrated, with the catalog) on the test server. */
export async function freshPostgresDatabase(): Promise<TestDatabase> {
  if (!POSTGRES_TEST_SERVER) throw new Error("no PostgreSQL test server: set MODELPLAN_TEST_DATABASE");
  const from = await ensureTemplate();
  const name = `modelplan_t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  // A template must have no other session while it is copied: retry the rare collision with a
  // test process that is creating its own copy at the same moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminPool().query(`CREATE DATABASE "${name}" TEMPLATE "${from}"`);
      break;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  const url = databaseUrl(name);
  return {
    location: { dialect: "postgres", url },
    url,
    drop: async () => {
      // FORCE ends the test's own leftover sessions; it may not end an autovacuum worker that happens to
      // be on the new database (a superuser's process: "must be a member of the role whose process is
      // being terminated"), which leaves within moments. Retried; a database still there after that is
      // left to the throw-away test cluster rather than failing the test it served.
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          await adminPool().query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          return;
        } catch (err) {
          if (!/must be a member of the role|being accessed by other users/.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
        }
      }
      console.warn(`test database ${name} could not be dropped: left on the test cluster`);
    },
  };
}

/**
 * A fresh database of the suite's dialect: PostgreSQL under MODELPLAN_TEST_DIALECT=postgres, else
 * SQLite — `:memory:`, or with `file: true` a temporary file (for servers and child processes).
 */
export async function freshTestDatabase(opts: { file?: boolean; prefix?: string } = {}): Promise<TestDatabase> {
  if (TEST_DIALECT === "postgres") return freshPostgresDatabase();
  if (!opts.file) return { location: { dialect: "sqlite", path: ":memory:" }, url: ":memory:", drop: async () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `modelplan-${opts.prefix ?? "test-db"}-`));
  const file = path.join(dir, "test.db");
  return { location: { dialect: "sqlite", path: file }, url: file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `describe` for tests that need a PostgreSQL server: runs them when MODELPLAN_TEST_DATABASE is set;
 * otherwise skips them, saying so on stderr, or fails them when CI=true (CI must run them).
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (POSTGRES_TEST_SERVER) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      throw new Error(`${name}: CI=true but MODELPLAN_TEST_DATABASE is not set (.ci/postgres.sh sets it)`);
    });
    return;
  }
  console.warn(`SKIPPED (no PostgreSQL): ${name} — set MODELPLAN_TEST_DATABASE=postgres://user:password@127.0.0.1:5432/postgres to run it`);
  describe.skip(name, body);
}

/** The test server's URL without its password, for messages. */
export function describeTestServer(): string {
  return POSTGRES_TEST_SERVER ? redactUrl(POSTGRES_TEST_SERVER) : "(none)";
}
