import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database, EstimateRow } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
import type { ScenarioEstimate } from "./scenario-estimates.schemas";

export function newEstimateId(): string {
  return `est_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

export function toEstimateDto(row: EstimateRow): ScenarioEstimate {
  return row.result as ScenarioEstimate;
}

export async function insertEstimate(d: Database, workspaceId: string, dto: ScenarioEstimate): Promise<EstimateRow> {
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
  await d.db.insert(d.tables.estimates).values(row);
  return row;
}

/** One stored estimate of a workspace's scenario, or undefined. */
export async function findEstimateRow(d: Database, workspaceId: string, scenarioId: string, id: string): Promise<EstimateRow | undefined> {
  const { estimates } = d.tables;
  const [row] = await d.db
    .select()
    .from(estimates)
    .where(and(eq(estimates.workspaceId, workspaceId), eq(estimates.scenarioId, scenarioId), eq(estimates.id, id)))
    .limit(1);
  return row;
}

/** Newest first, keyset pagination over (createdAt, id). */
export function listEstimateRows(
  d: Database,
  workspaceId: string,
  scenarioId: string,
  page: { limit: number; cursor?: string },
): Promise<{ rows: EstimateRow[]; nextCursor: string | null }> {
  const { estimates } = d.tables;
  const keyset = { sort: estimates.createdAt, id: estimates.id, descending: true, keyOf: (r: EstimateRow) => [r.createdAt, r.id] as const };
  return keysetPage(page, keyset, ({ after, orderBy, limit }) =>
    d.db
      .select()
      .from(estimates)
      .where(and(eq(estimates.workspaceId, workspaceId), eq(estimates.scenarioId, scenarioId), after))
      .orderBy(...orderBy)
      .limit(limit),
  );
}
