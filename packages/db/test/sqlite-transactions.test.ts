/**
 * SQLite transactions (sqlite.ts): one connection, so an open transaction must only see its own
 * body's statements. The body's `tx` runs inside it; anything sent through the outer database while it
 * is open is refused (TransactionInterleavingError) instead of silently joining — and being committed or
 * rolled back with — a transaction it does not belong to.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDatabase, TransactionInterleavingError, type SqliteBackedDatabase } from "../src";

let open: SqliteBackedDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

function database(): SqliteBackedDatabase {
  open = openSqliteDatabase(":memory:");
  return open;
}

async function workspaceNames(d: SqliteBackedDatabase): Promise<string[]> {
  const rows = await d.db.select({ name: d.tables.workspaces.name }).from(d.tables.workspaces);
  return rows.map((r) => r.name).sort();
}

const workspace = (id: string) => ({ id, name: id, createdAt: "2026-12-06T00:00:00.000Z" });

describe("SQLite transactions", () => {
  it("commits what the body wrote through tx, and rolls all of it back when the body throws", async () => {
    const d = database();
    await d.transaction(async (tx) => {
      await tx.db.insert(tx.tables.workspaces).values(workspace("ws_a"));
      await tx.execute(sql`UPDATE workspaces SET name = 'renamed' WHERE id = 'ws_a'`);
    });
    await expect(
      d.transaction(async (tx) => {
        await tx.db.insert(tx.tables.workspaces).values(workspace("ws_b"));
        throw new Error("the body fails");
      }),
    ).rejects.toThrow("the body fails");
    expect(await workspaceNames(d)).toEqual(["renamed"]);
  });

  it("refuses a statement sent through the outer database while a transaction is open, and the transaction is unharmed", async () => {
    const d = database();
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const afterInsert = new Promise<void>((r) => (inserted = r));
    // A body that (wrongly) awaits something other than the database while its transaction is open.
    const tx = d.transaction(async (t) => {
      await t.db.insert(t.tables.workspaces).values(workspace("ws_in_tx"));
      inserted();
      await paused;
    });
    await afterInsert;
    // Another request's write meanwhile: refused, not run inside the open transaction.
    await expect(d.db.insert(d.tables.workspaces).values(workspace("ws_outside"))).rejects.toBeInstanceOf(TransactionInterleavingError);
    await expect(d.execute(sql`SELECT 1 AS one`)).rejects.toBeInstanceOf(TransactionInterleavingError);
    release();
    await tx;
    expect(await workspaceNames(d)).toEqual(["ws_in_tx"]);
    // Once it has committed, the outer database works again.
    await d.db.update(d.tables.workspaces).set({ name: "after" }).where(eq(d.tables.workspaces.id, "ws_in_tx"));
    expect(await workspaceNames(d)).toEqual(["after"]);
  });

  it("a body that uses the outer database instead of tx is refused (as it would be wrong on PostgreSQL: another connection)", async () => {
    const d = database();
    await expect(d.transaction(async () => d.db.insert(d.tables.workspaces).values(workspace("ws_wrong")))).rejects.toBeInstanceOf(TransactionInterleavingError);
    expect(await workspaceNames(d)).toEqual([]);
  });

  it("a transaction begun inside another through tx joins it; transactions of separate callers run one after another", async () => {
    const d = database();
    const order: string[] = [];
    await Promise.all([
      d.transaction(async (tx) => {
        order.push("first begins");
        await tx.transaction(async (inner) => {
          await inner.db.insert(inner.tables.workspaces).values(workspace("ws_nested"));
        });
        await tx.db.insert(tx.tables.workspaces).values(workspace("ws_first"));
        order.push("first ends");
      }),
      d.transaction(async (tx) => {
        order.push("second begins");
        await tx.db.insert(tx.tables.workspaces).values(workspace("ws_second"));
        order.push("second ends");
      }),
    ]);
    expect(order).toEqual(["first begins", "first ends", "second begins", "second ends"]);
    expect(await workspaceNames(d)).toEqual(["ws_first", "ws_nested", "ws_second"]);
  });
});
