import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { estimates, type EstimateRow, type AppDatabase } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
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
  page: { limit: number; cursor?: string },
): { rows: EstimateRow[]; nextCursor: string | null } {
  const keyset = { sort: estimates.createdAt, id: estimates.id, descending: true, keyOf: (r: EstimateRow) => [r.createdAt, r.id] as const };
  return keysetPage(page, keyset, ({ after, orderBy, limit }) =>
    db
      .select()
      .from(estimates)
      .where(and(eq(estimates.workspaceId, workspaceId), eq(estimates.scenarioId, scenarioId), after))
      .orderBy(...orderBy)
      .limit(limit)
      .all(),
  );
}
