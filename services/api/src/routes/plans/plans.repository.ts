import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Plan, UseCase } from "@modelplan/planner";
import { plans, useCases, type PlanRow, type AppDatabase } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
import type { PlanSummary, StoredPlan } from "./plans.schemas";

export function newPlanId(): string {
  return `pln_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

/** Catalog entries of the given slugs and the catalog version they were loaded from. */
export function loadUseCases(db: AppDatabase, slugs: string[]): { items: UseCase[]; catalogVersion: string } {
  if (slugs.length === 0) return { items: [], catalogVersion: latestCatalogVersion(db) };
  const rows = db.select({ entry: useCases.entry, catalogVersion: useCases.catalogVersion }).from(useCases).where(inArray(useCases.slug, [...new Set(slugs)])).all();
  const versions = rows.map((r) => r.catalogVersion).sort();
  return { items: rows.map((r) => r.entry as UseCase), catalogVersion: versions.at(-1) ?? latestCatalogVersion(db) };
}

function latestCatalogVersion(db: AppDatabase): string {
  const row = db.select({ v: useCases.catalogVersion }).from(useCases).orderBy(desc(useCases.catalogVersion)).limit(1).get();
  return row?.v ?? "unknown";
}

export function planUrl(id: string): string {
  return `/v1/plans/${id}`;
}

export function summarise(id: string, stored: Omit<StoredPlan, "plan" | "reportUrl" | "options">, plan: Plan): PlanSummary {
  const r = plan.results;
  return {
    id,
    scenarioId: stored.scenarioId,
    scenarioVersion: stored.scenarioVersion,
    catalogVersion: stored.catalogVersion,
    estimatorCatalogVersion: stored.estimatorCatalogVersion,
    createdAt: stored.createdAt,
    horizonMonths: plan.horizonMonths,
    cheapestNow: r.cheapestNow.label,
    cheapestAtHorizon: r.cheapestAtHorizon.label,
    breakEvenMonth: r.breakEvenMonth,
    runOutMonth: r.runOutMonth,
    runwayMonths: r.runwayMonths,
    grossMarginPctAtMetricMonth: r.grossMarginPctAtMetricMonth,
    totalComputeCostUsd: r.totalComputeCostUsd,
    url: planUrl(id),
  };
}

export function insertPlan(db: AppDatabase, workspaceId: string, dto: StoredPlan): void {
  const summary = summarise(dto.id, dto, dto.plan as Plan);
  db.insert(plans)
    .values({
      id: dto.id,
      workspaceId,
      scenarioId: dto.scenarioId,
      scenarioVersion: dto.scenarioVersion,
      catalogVersion: dto.catalogVersion,
      estimatorCatalogVersion: dto.estimatorCatalogVersion,
      options: dto.options,
      summary,
      plan: dto.plan,
      createdAt: dto.createdAt,
    })
    .run();
}

export function toStoredPlan(row: PlanRow): StoredPlan {
  return {
    id: row.id,
    scenarioId: row.scenarioId,
    scenarioVersion: row.scenarioVersion,
    catalogVersion: row.catalogVersion,
    estimatorCatalogVersion: row.estimatorCatalogVersion,
    options: row.options as StoredPlan["options"],
    createdAt: row.createdAt,
    reportUrl: `${planUrl(row.id)}/report`,
    plan: row.plan as StoredPlan["plan"],
  };
}

export function findPlan(db: AppDatabase, workspaceId: string, id: string): PlanRow | undefined {
  return db.select().from(plans).where(and(eq(plans.workspaceId, workspaceId), eq(plans.id, id))).get();
}

/** Newest first, keyset pagination over (createdAt, id); summaries only (the documents are large). */
export function listPlanSummaries(
  db: AppDatabase,
  workspaceId: string,
  scenarioId: string,
  page: { limit: number; cursor?: string },
): { items: PlanSummary[]; nextCursor: string | null } {
  const keyset = { sort: plans.createdAt, id: plans.id, descending: true, keyOf: (r: { createdAt: string; id: string }) => [r.createdAt, r.id] as const };
  const { rows, nextCursor } = keysetPage(page, keyset, ({ after, orderBy, limit }) =>
    db
      .select({ id: plans.id, createdAt: plans.createdAt, summary: plans.summary })
      .from(plans)
      .where(and(eq(plans.workspaceId, workspaceId), eq(plans.scenarioId, scenarioId), after))
      .orderBy(...orderBy)
      .limit(limit)
      .all(),
  );
  return { items: rows.map((r) => r.summary as PlanSummary), nextCursor };
}
