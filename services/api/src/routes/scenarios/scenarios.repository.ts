import { randomUUID } from "node:crypto";
import { and, count, eq, sql, type SQL } from "drizzle-orm";
import type { Database, ScenarioRow } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
import type { Scenario, ScenarioInput } from "./scenarios.schemas";

export function newScenarioId(): string {
  return `scn_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

/** A stored scenario's input: the JSON column holds what insertScenario / updateScenario wrote, a validated ScenarioInput. */
export function scenarioSpec(row: ScenarioRow): ScenarioInput {
  return row.spec as ScenarioInput;
}

/** Row → response DTO (dates stay ISO strings). */
export function toScenarioDto(row: ScenarioRow): Scenario {
  const spec = scenarioSpec(row);
  return { id: row.id, workspaceId: row.workspaceId, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt, ...spec, name: row.name };
}

/**
 * One prepared query per database: building the query with drizzle on every read was a third of a
 * scenario read's time (profiled with scripts/load.ts).
 */
const findScenarioQueries = new WeakMap<Database, ReturnType<typeof prepareFindScenario>>();

function prepareFindScenario(d: Database) {
  const { scenarios } = d.tables;
  return d.db
    .select()
    .from(scenarios)
    .where(and(eq(scenarios.workspaceId, sql.placeholder("workspaceId")), eq(scenarios.id, sql.placeholder("id"))))
    .prepare("find_scenario");
}

export async function findScenario(d: Database, workspaceId: string, id: string): Promise<ScenarioRow | undefined> {
  let query = findScenarioQueries.get(d);
  if (!query) findScenarioQueries.set(d, (query = prepareFindScenario(d)));
  const [row] = await query.execute({ workspaceId, id });
  return row;
}

/**
 * The scenario, locked until the end of the transaction `tx` so that a concurrent update waits
 * (PostgreSQL `FOR UPDATE`; a SQLite write transaction holds the database's write lock already).
 */
export async function findScenarioForUpdate(tx: Database, workspaceId: string, id: string): Promise<ScenarioRow | undefined> {
  if (tx.dialect === "sqlite") return findScenario(tx, workspaceId, id);
  const { scenarios } = tx.tables;
  const [row] = await tx.db
    .select()
    .from(scenarios)
    .where(and(eq(scenarios.workspaceId, workspaceId), eq(scenarios.id, id)))
    .for("update");
  return row;
}

/** Scenarios the workspace stores. */
export async function countScenarios(d: Database, workspaceId: string): Promise<number> {
  const { scenarios } = d.tables;
  const [row] = await d.db.select({ n: count() }).from(scenarios).where(eq(scenarios.workspaceId, workspaceId));
  return row?.n ?? 0;
}

export async function insertScenario(d: Database, workspaceId: string, input: ScenarioInput, now: Date): Promise<ScenarioRow> {
  const ts = now.toISOString();
  const row: ScenarioRow = { id: newScenarioId(), workspaceId, name: input.name, spec: input, version: 1, createdAt: ts, updatedAt: ts };
  await d.db.insert(d.tables.scenarios).values(row);
  return row;
}

/** Compare-and-set on the version: returns the new row, or undefined when someone else changed it first. */
export async function updateScenarioIfVersion(d: Database, current: ScenarioRow, input: ScenarioInput, now: Date): Promise<ScenarioRow | undefined> {
  const { scenarios } = d.tables;
  const next: ScenarioRow = { ...current, name: input.name, spec: input, version: current.version + 1, updatedAt: now.toISOString() };
  const changed = await d.db
    .update(scenarios)
    .set({ name: next.name, spec: next.spec, version: next.version, updatedAt: next.updatedAt })
    .where(and(eq(scenarios.id, current.id), eq(scenarios.workspaceId, current.workspaceId), eq(scenarios.version, current.version)))
    .returning({ id: scenarios.id });
  return changed.length === 1 ? next : undefined;
}

export async function deleteScenarioIfVersion(d: Database, current: ScenarioRow): Promise<boolean> {
  const { scenarios } = d.tables;
  const deleted = await d.db
    .delete(scenarios)
    .where(and(eq(scenarios.id, current.id), eq(scenarios.workspaceId, current.workspaceId), eq(scenarios.version, current.version)))
    .returning({ id: scenarios.id });
  return deleted.length === 1;
}

export type ScenarioSort = "-updatedAt" | "updatedAt" | "name" | "-name";

/** Keyset pagination over (sort key, id); the cursor also records the sort so a foreign cursor is refused. */
export function listScenarioRows(
  d: Database,
  workspaceId: string,
  opts: { limit: number; cursor?: string; name?: string; sort: ScenarioSort },
): Promise<{ rows: ScenarioRow[]; nextCursor: string | null }> {
  const { scenarios } = d.tables;
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
    d.db
      .select()
      .from(scenarios)
      .where(and(...where, after))
      .orderBy(...orderBy)
      .limit(limit),
  );
}
