import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Plan, UseCase } from "@modelplan/planner";
import type { Database, PlanRow } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
import { PLAN_SCHEMA_VERSION } from "@modelplan/planner";
import { PlanRequestSchema, type PlanRequest, type PlanSummary, type StoredPlan, type StoredPlanAnyVersion } from "./plans.schemas";

export function newPlanId(): string {
  return `pln_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

/** Catalog entries of the given slugs and the catalog version they were loaded from. */
export async function loadUseCases(d: Database, slugs: string[]): Promise<{ items: UseCase[]; catalogVersion: string }> {
  if (slugs.length === 0) return { items: [], catalogVersion: await latestCatalogVersion(d) };
  const { useCases } = d.tables;
  const rows = await d.db.select({ entry: useCases.entry, catalogVersion: useCases.catalogVersion }).from(useCases).where(inArray(useCases.slug, [...new Set(slugs)]));
  const versions = rows.map((r) => r.catalogVersion).sort();
  return { items: rows.map((r) => r.entry as UseCase), catalogVersion: versions.at(-1) ?? (await latestCatalogVersion(d)) };
}

async function latestCatalogVersion(d: Database): Promise<string> {
  const { useCases } = d.tables;
  const [row] = await d.db.select({ v: useCases.catalogVersion }).from(useCases).orderBy(desc(useCases.catalogVersion)).limit(1);
  return row?.v ?? "unknown";
}

export function planUrl(id: string): string {
  return `/v1/plans/${id}`;
}

/** Options of the scenario's newest stored plan, or null when it has none. */
export async function findLatestPlanOptions(d: Database, workspaceId: string, scenarioId: string): Promise<{ planId: string; options: PlanRequest } | null> {
  const { plans } = d.tables;
  const [row] = await d.db
    .select({ id: plans.id, options: plans.options })
    .from(plans)
    .where(and(eq(plans.workspaceId, workspaceId), eq(plans.scenarioId, scenarioId)))
    .orderBy(desc(plans.createdAt), desc(plans.id))
    .limit(1);
  return row ? { planId: row.id, options: PlanRequestSchema.parse(row.options ?? {}) } : null;
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

export async function insertPlan(d: Database, workspaceId: string, dto: StoredPlan): Promise<void> {
  const summary = summarise(dto.id, dto, dto.plan);
  await d.db
    .insert(d.tables.plans)
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
    });
}

export function toStoredPlan(row: PlanRow): StoredPlanAnyVersion {
  return {
    id: row.id,
    scenarioId: row.scenarioId,
    scenarioVersion: row.scenarioVersion,
    catalogVersion: row.catalogVersion,
    estimatorCatalogVersion: row.estimatorCatalogVersion,
    options: PlanRequestSchema.parse(row.options ?? {}),
    createdAt: row.createdAt,
    reportUrl: `${planUrl(row.id)}/report`,
    plan: storedDocument(row.plan),
  };
}

/** The plan document as stored: the current Plan (written by insertPlan from the planner), or an older version kept as it was. */
function storedDocument(raw: unknown): StoredPlanAnyVersion["plan"] {
  if (isCurrentPlan(raw)) return raw;
  if (isLegacyPlan(raw)) return raw;
  throw new Error("A stored plan document has an unknown kind or schema version.");
}

function isCurrentPlan(raw: unknown): raw is Plan {
  return typeof raw === "object" && raw !== null && "kind" in raw && raw.kind === "modelplan.plan" && "schemaVersion" in raw && raw.schemaVersion === PLAN_SCHEMA_VERSION;
}

function isLegacyPlan(raw: unknown): raw is { kind: "modelplan.plan"; schemaVersion: 1; [key: string]: unknown } {
  return typeof raw === "object" && raw !== null && "kind" in raw && raw.kind === "modelplan.plan" && "schemaVersion" in raw && raw.schemaVersion === 1;
}

export async function findPlan(d: Database, workspaceId: string, id: string): Promise<PlanRow | undefined> {
  const { plans } = d.tables;
  const [row] = await d.db.select().from(plans).where(and(eq(plans.workspaceId, workspaceId), eq(plans.id, id))).limit(1);
  return row;
}

/** Newest first, keyset pagination over (createdAt, id); summaries only (the documents are large). */
export async function listPlanSummaries(
  d: Database,
  workspaceId: string,
  scenarioId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: PlanSummary[]; nextCursor: string | null }> {
  const { plans } = d.tables;
  const keyset = { sort: plans.createdAt, id: plans.id, descending: true, keyOf: (r: { createdAt: string; id: string }) => [r.createdAt, r.id] as const };
  const { rows, nextCursor } = await keysetPage(page, keyset, ({ after, orderBy, limit }) =>
    d.db
      .select({ id: plans.id, createdAt: plans.createdAt, summary: plans.summary })
      .from(plans)
      .where(and(eq(plans.workspaceId, workspaceId), eq(plans.scenarioId, scenarioId), after))
      .orderBy(...orderBy)
      .limit(limit),
  );
  return { items: rows.map((r) => r.summary as PlanSummary), nextCursor };
}
