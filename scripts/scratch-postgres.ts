// A PostgreSQL database of one measurement run, created on a server the run was given (--database-url;
// its role needs CREATEDB) and dropped at the end: used by scripts/load.ts and scripts/load-replicas.ts.
import pg from "pg";

export interface ScratchPostgresDatabase {
  /** The server's URL with this database as its path. */
  url: string;
  name: string;
  /** DROP DATABASE IF EXISTS; call once every connection to it is closed. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createScratchPostgresDatabase(serverUrl: string): Promise<ScratchPostgresDatabase> {
  const name = `modelplan_load_${process.pid}_${Date.now().toString(36)}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}"`) };
}
