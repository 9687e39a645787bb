/**
 * The two dialects' table files (src/schema for SQLite, src/pg-schema for PostgreSQL) describe the
 * same tables: the same columns with the same nullability, defaults, kinds of value, primary keys,
 * indexes and foreign keys. A column, index or constraint added to one file only fails here (and a
 * column's TypeScript type differing fails `npm run typecheck`, src/database.ts).
 */
import { getTableConfig as pgConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { postgresTables, sqliteTables, type TableName } from "../src/database";

/** What a column holds, named the same for both dialects. */
function kind(sqlType: string, columnType: string): string {
  const t = sqlType.toLowerCase();
  // SQLite keeps JSON as text (mode "json"); PostgreSQL as json.
  if (columnType === "SQLiteTextJson" || t === "json" || t === "jsonb") return "json";
  if (t === "text") return "text";
  if (t === "integer") return "integer";
  if (t === "real" || t === "double precision") return "float";
  if (t === "blob" || t === "bytea") return "bytes";
  return `unknown:${t}`;
}

interface Shape {
  columns: Record<string, { kind: string; notNull: boolean; default: unknown; primary: boolean }>;
  primaryKey: string[];
  indexes: Record<string, { columns: string[]; unique: boolean }>;
  foreignKeys: string[];
}

function fkText(columns: string[], table: string, foreign: string[], onDelete: string | undefined): string {
  return `(${columns.join(",")}) -> ${table}(${foreign.join(",")}) on delete ${onDelete ?? "no action"}`;
}

function sqliteShape(table: SQLiteTable): Shape {
  const c = sqliteConfig(table);
  return {
    columns: Object.fromEntries(c.columns.map((col) => [col.name, { kind: kind(col.getSQLType(), col.columnType), notNull: col.notNull, default: col.default, primary: col.primary }])),
    primaryKey: c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name)),
    indexes: Object.fromEntries(
      c.indexes.map((i) => [i.config.name, { columns: i.config.columns.map((col) => ("name" in col ? col.name : String(col))), unique: i.config.unique }]),
    ),
    foreignKeys: c.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        return fkText(
          r.columns.map((col) => col.name),
          sqliteConfig(r.foreignTable).name,
          r.foreignColumns.map((col) => col.name),
          fk.onDelete,
        );
      })
      .sort(),
  };
}

function pgShape(table: PgTable): Shape {
  const c = pgConfig(table);
  return {
    columns: Object.fromEntries(c.columns.map((col) => [col.name, { kind: kind(col.getSQLType(), col.columnType), notNull: col.notNull, default: col.default, primary: col.primary }])),
    primaryKey: c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name)),
    indexes: Object.fromEntries(
      c.indexes.map((i) => [i.config.name, { columns: i.config.columns.map((col) => ("name" in col ? String(col.name) : String(col))), unique: i.config.unique }]),
    ),
    foreignKeys: c.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        return fkText(
          r.columns.map((col) => col.name),
          pgConfig(r.foreignTable).name,
          r.foreignColumns.map((col) => col.name),
          fk.onDelete,
        );
      })
      .sort(),
  };
}

describe("the SQLite and PostgreSQL table files agree", () => {
  const names = Object.keys(sqliteTables) as TableName[];

  it("declare the same tables", () => {
    expect(Object.keys(postgresTables).sort()).toEqual([...names].sort());
    for (const n of names) expect(pgConfig(postgresTables[n]).name).toBe(sqliteConfig(sqliteTables[n]).name);
  });

  it.each(names)("%s: same columns (kind, null, default, key), indexes and foreign keys", (n) => {
    const lite = sqliteShape(sqliteTables[n]);
    const pg = pgShape(postgresTables[n]);
    for (const col of Object.values(lite.columns)) expect(col.kind).not.toMatch(/^unknown/);
    expect(pg).toEqual(lite);
  });

  it("notices a difference (the comparison is not vacuous)", () => {
    const lite = sqliteShape(sqliteTables.plans);
    const pg = pgShape(postgresTables.plans);
    delete pg.columns.stored_bytes;
    expect(pg).not.toEqual(lite);
    expect(sqliteShape(sqliteTables.scenarios)).not.toEqual(pgShape(postgresTables.plans));
  });
});
