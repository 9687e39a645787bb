import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

/** Table name → digest of its rows (order-independent). */
export type TableDigests = Map<string, string>;

/**
 * Digests every table of the database (all rows, all columns), so that two snapshots are equal exactly
 * when no stored data changed. Tables matching `ignore` are left out (e.g. rate-limit buckets that a
 * rejected request may legitimately update).
 */
export function snapshotTables(sqlite: Database.Database, ignore?: RegExp): TableDigests {
  const out: TableDigests = new Map();
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    if (ignore?.test(t)) continue;
    const rows = (sqlite.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)));
    rows.sort();
    const h = createHash("sha1");
    for (const r of rows) h.update(r).update("\n");
    out.set(t, `${rows.length}:${h.digest("hex")}`);
  }
  return out;
}

/**
 * Cheap "did anything change?" marker plus the full digests. The marker combines total_changes() of
 * the server's own connection (every row inserted, updated or deleted through it) with
 * `PRAGMA data_version` (which moves when another connection commits), so equal markers mean no row
 * was written; digests are only computed when the marker moved.
 */
export interface ChangeDetector {
  marker(): string;
  digests(): TableDigests;
}

export function changeDetector(sqlite: Database.Database, ignore?: RegExp): ChangeDetector {
  const changes = sqlite.prepare("SELECT total_changes()").pluck();
  return {
    marker: () => `${String(changes.get())}/${String(sqlite.pragma("data_version", { simple: true }))}`,
    digests: () => snapshotTables(sqlite, ignore),
  };
}

/** The rows of every table, sorted, for readable comparisons in tests. */
export function dumpTables(sqlite: Database.Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    const rows = sqlite.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).all();
    out[t] = rows.map((r) => JSON.stringify(r)).sort().map((r) => JSON.parse(r) as unknown);
  }
  return out;
}
