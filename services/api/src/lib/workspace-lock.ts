import { sql } from "drizzle-orm";
import type { Database } from "@modelplan/db";

/**
 * Orders the transactions that check a workspace quota and then store into the workspace, so two
 * requests (on two replicas) cannot both pass a check that only one of them fits under. PostgreSQL:
 * a transaction-scoped advisory lock on the workspace id, released at commit or rollback (READ
 * COMMITTED alone would let both count the same rows). SQLite: nothing to do, every write transaction
 * already holds the database's write lock (BEGIN IMMEDIATE). Call it inside `tx.transaction(...)`.
 */
export async function lockWorkspace(tx: Database, workspaceId: string): Promise<void> {
  if (tx.dialect !== "postgres") return;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`workspace:${workspaceId}`}, 0)) AS locked`);
}
