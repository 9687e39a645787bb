import { randomUUID } from "node:crypto";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { estimates, type EstimateRow, type AppDatabase } from "@modelplan/db";
import { decodeCursor, encodeCursor } from "../../lib/pagination";
import type { ScenarioEstimate } from "./scenario-estimates.schemas";

export function newEstimateId(): string {
  return `est_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

export function toEstimateDto(row: EstimateRow): ScenarioEstimate {
  return row.result as ScenarioEstimate;
}

export function insertEstimate(db: AppDatabase, workspaceId: string, dto: ScenarioEstimate): EstimateRow {
  const row: EstimateRow = {
    id: dto.id,
    workspaceId,
    scenarioId: dto.scenarioId,
    scenarioVersion: dto.scenarioVersion,
    strategy: dto.strategy,
    catalogVersion: dto.catalogVersion,
    result: dto,
    createdAt: dto.createdAt,
  };
  db.insert(estimates).values(row).run();
  return row;
}

/** One stored estimate of a workspace's scenario, or undefined. */
export function findEstimateRow(db: AppDatabase, workspaceId: string, scenarioId: string, id: string): EstimateRow | undefined {
  return db
    .select()
    .from(estimates)
    .where(and(eq(estimates.workspaceId, workspaceId), eq(estimates.scenarioId, scenarioId), eq(estimates.id, id)))
    .get();
}

/** Newest first, keyset pagination over (createdAt, id). */
export function listEstimateRows(
  db: AppDatabase,
  workspaceId: string,
  scenarioId: string,
  opts: { limit: number; cursor?: string },
): { rows: EstimateRow[]; nextCursor: string | null } {
  const where = [eq(estimates.workspaceId, workspaceId), eq(estimates.scenarioId, scenarioId)];
  if (opts.cursor) {
    const [createdAt, id] = decodeCursor(opts.cursor, 2).map(String);
    where.push(or(lt(estimates.createdAt, createdAt), and(eq(estimates.createdAt, createdAt), lt(estimates.id, id)))!);
  }
  const rows = db.select().from(estimates).where(and(...where)).orderBy(desc(estimates.createdAt), desc(estimates.id)).limit(opts.limit + 1).all();
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > opts.limit ? encodeCursor([last.createdAt, last.id]) : null };
}
