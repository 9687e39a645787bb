import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from "drizzle-orm";
import { scenarios, type ScenarioRow, type AppDatabase } from "@modelplan/db";
import { decodeCursor, encodeCursor, invalidCursor } from "../../lib/pagination";
import type { Scenario, ScenarioInput } from "./scenarios.schemas";

export function newScenarioId(): string {
  return `scn_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

/** Row → response DTO (dates stay ISO strings). */
export function toScenarioDto(row: ScenarioRow): Scenario {
  const spec = row.spec as ScenarioInput;
  return { id: row.id, workspaceId: row.workspaceId, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt, ...spec, name: row.name };
}

/**
 * One prepared query per database: building the query with drizzle on every read was a third of a
 * scenario read's time (profiled with scripts/load.ts).
 */
const findScenarioQueries = new WeakMap<AppDatabase, ReturnType<typeof prepareFindScenario>>();

function prepareFindScenario(db: AppDatabase) {
  return db
    .select()
    .from(scenarios)
    .where(and(eq(scenarios.workspaceId, sql.placeholder("workspaceId")), eq(scenarios.id, sql.placeholder("id"))))
    .prepare();
}

export function findScenario(db: AppDatabase, workspaceId: string, id: string): ScenarioRow | undefined {
  let query = findScenarioQueries.get(db);
  if (!query) findScenarioQueries.set(db, (query = prepareFindScenario(db)));
  return query.get({ workspaceId, id });
}

export function insertScenario(db: AppDatabase, workspaceId: string, input: ScenarioInput, now: Date): ScenarioRow {
  const ts = now.toISOString();
  const row: ScenarioRow = { id: newScenarioId(), workspaceId, name: input.name, spec: input, version: 1, createdAt: ts, updatedAt: ts };
  db.insert(scenarios).values(row).run();
  return row;
}

/** Compare-and-set on the version: returns the new row, or undefined when someone else changed it first. */
export function updateScenarioIfVersion(
  db: AppDatabase,
  current: ScenarioRow,
  input: ScenarioInput,
  now: Date,
): ScenarioRow | undefined {
  const next: ScenarioRow = { ...current, name: input.name, spec: input, version: current.version + 1, updatedAt: now.toISOString() };
  const res = db
    .update(scenarios)
    .set({ name: next.name, spec: next.spec, version: next.version, updatedAt: next.updatedAt })
    .where(and(eq(scenarios.id, current.id), eq(scenarios.workspaceId, current.workspaceId), eq(scenarios.version, current.version)))
    .run();
  return res.changes === 1 ? next : undefined;
}

export function deleteScenarioIfVersion(db: AppDatabase, current: ScenarioRow): boolean {
  const res = db
    .delete(scenarios)
    .where(and(eq(scenarios.id, current.id), eq(scenarios.workspaceId, current.workspaceId), eq(scenarios.version, current.version)))
    .run();
  return res.changes === 1;
}

export type ScenarioSort = "-updatedAt" | "updatedAt" | "name" | "-name";

/** Keyset pagination over (sort key, id); the cursor also records the sort so a foreign cursor is refused. */
export function listScenarioRows(
  db: AppDatabase,
  workspaceId: string,
  opts: { limit: number; cursor?: string; name?: string; sort: ScenarioSort },
): { rows: ScenarioRow[]; nextCursor: string | null } {
  const descending = opts.sort.startsWith("-");
  const column = opts.sort.endsWith("name") ? scenarios.name : scenarios.updatedAt;
  const where: SQL[] = [eq(scenarios.workspaceId, workspaceId)];
  if (opts.name) {
    const pattern = `%${opts.name.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql`lower(${scenarios.name}) LIKE ${pattern} ESCAPE '\\'`);
  }
  if (opts.cursor) {
    const [sort, value, id] = decodeCursor(opts.cursor, 3).map(String);
    if (sort !== opts.sort) throw invalidCursor();
    const cmp = descending ? lt : gt;
    where.push(or(cmp(column, value), and(eq(column, value), cmp(scenarios.id, id)))!);
  }
  const order = descending ? [desc(column), desc(scenarios.id)] : [asc(column), asc(scenarios.id)];
  const rows = db.select().from(scenarios).where(and(...where)).orderBy(...order).limit(opts.limit + 1).all();
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > opts.limit ? encodeCursor([opts.sort, opts.sort.endsWith("name") ? last.name : last.updatedAt, last.id]) : null;
  return { rows: page, nextCursor };
}
