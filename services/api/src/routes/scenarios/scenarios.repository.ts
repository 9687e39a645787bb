import { randomUUID } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { scenarios, type ScenarioRow, type AppDatabase } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
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

/** Scenarios the workspace stores. */
export function countScenarios(db: AppDatabase, workspaceId: string): number {
  return db.select({ n: sql<number>`count(*)` }).from(scenarios).where(eq(scenarios.workspaceId, workspaceId)).get()?.n ?? 0;
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
  const byName = opts.sort.endsWith("name");
  const keyset = {
    sort: byName ? scenarios.name : scenarios.updatedAt,
    id: scenarios.id,
    descending: opts.sort.startsWith("-"),
    keyOf: (r: ScenarioRow) => [byName ? r.name : r.updatedAt, r.id] as const,
    tag: opts.sort,
  };
  const where: (SQL | undefined)[] = [eq(scenarios.workspaceId, workspaceId)];
  if (opts.name) {
    const pattern = `%${opts.name.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql`lower(${scenarios.name}) LIKE ${pattern} ESCAPE '\\'`);
  }
  return keysetPage(opts, keyset, ({ after, orderBy, limit }) =>
    db
      .select()
      .from(scenarios)
      .where(and(...where, after))
      .orderBy(...orderBy)
      .limit(limit)
      .all(),
  );
}
