import { randomUUID } from "node:crypto";
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { UseCase } from "@modelplan/planner";
import type { Database } from "@modelplan/db";
import { keysetPage } from "../../lib/pagination";
import { quotaExceeded } from "../../lib/quota-exceeded";
import type { WorkspaceQuotas } from "../../lib/quotas";
import { lockWorkspace } from "../../lib/workspace-lock";
import { planUrl } from "./plan-summary";
import { PlanRequestSchema, type PlanRequest, type PlanSummary, type StoredPlanAnyVersion } from "./plans.schemas";

export { planUrl } from "./plan-summary";

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

/** What a workspace's stored plans take: how many, and their documents' bytes as stored. */
export async function planUsage(d: Database, workspaceId: string): Promise<{ plans: number; bytes: number }> {
  const { plans } = d.tables;
  const [row] = await d.db
    .select({ n: count(), bytes: sql<number>`coalesce(sum(${plans.storedBytes}), 0)`.mapWith(Number) })
    .from(plans)
    .where(eq(plans.workspaceId, workspaceId));
  return { plans: row?.n ?? 0, bytes: row?.bytes ?? 0 };
}

/** Throws the quota's 429 when the workspace cannot store one more plan of `bytes` (0: before computing it). */
export async function assertPlanQuota(d: Database, workspaceId: string, quotas: WorkspaceQuotas, bytes = 0): Promise<void> {
  const used = await planUsage(d, workspaceId);
  const makeRoom = "Delete plans (DELETE /v1/plans/{id}) or scenarios first.";
  if (used.plans >= quotas.maxPlansPerWorkspace) throw quotaExceeded("maxPlansPerWorkspace", quotas.maxPlansPerWorkspace, used.plans, "plans", makeRoom);
  if (used.bytes + bytes > quotas.maxPlanBytesPerWorkspace) {
    throw quotaExceeded("maxPlanBytesPerWorkspace", quotas.maxPlanBytesPerWorkspace, used.bytes + bytes, "bytes of stored plans (gzip-compressed, this plan included)", makeRoom);
  }
}

/** A computed plan as stored: its metadata, summary and the gzip of its StoredPlan JSON. */
export interface NewPlanRow {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  catalogVersion: string;
  estimatorCatalogVersion: string;
  options: PlanRequest;
  summary: PlanSummary;
  gzip: Uint8Array;
  createdAt: string;
}

/**
 * Stores a computed plan, checking in the same transaction that its scenario still exists (it may
 * have been deleted while the plan was computed: false) and that the workspace's plan quotas hold
 * (429 otherwise; the workspace locked meanwhile, so two replicas cannot both pass the check).
 */
export function insertPlan(d: Database, workspaceId: string, row: NewPlanRow, quotas: WorkspaceQuotas): Promise<boolean> {
  return d.transaction(async (tx) => {
    const { plans, scenarios } = tx.tables;
    await lockWorkspace(tx, workspaceId);
    const [scenario] = await tx.db
      .select({ id: scenarios.id })
      .from(scenarios)
      .where(and(eq(scenarios.workspaceId, workspaceId), eq(scenarios.id, row.scenarioId)))
      .limit(1);
    if (!scenario) return false;
    await assertPlanQuota(tx, workspaceId, quotas, row.gzip.byteLength);
    await tx.db.insert(plans).values({
      id: row.id,
      workspaceId,
      scenarioId: row.scenarioId,
      scenarioVersion: row.scenarioVersion,
      catalogVersion: row.catalogVersion,
      estimatorCatalogVersion: row.estimatorCatalogVersion,
      options: row.options,
      summary: row.summary,
      plan: null,
      documentGzip: Buffer.from(row.gzip.buffer, row.gzip.byteOffset, row.gzip.byteLength),
      storedBytes: row.gzip.byteLength,
      createdAt: row.createdAt,
    });
    return true;
  });
}

/** A stored plan's metadata and its document as stored: gzip (new rows), or the JSON text of rows written before. */
export interface PlanRecord {
  meta: Omit<StoredPlanAnyVersion, "plan">;
  document: { gzip: Uint8Array } | { planJson: string };
}

/** One stored plan of the workspace, its document not parsed (it may be megabytes). */
export async function findPlanRecord(d: Database, workspaceId: string, id: string): Promise<PlanRecord | undefined> {
  const { plans } = d.tables;
  const [row] = await d.db
    .select({
      id: plans.id,
      scenarioId: plans.scenarioId,
      scenarioVersion: plans.scenarioVersion,
      catalogVersion: plans.catalogVersion,
      estimatorCatalogVersion: plans.estimatorCatalogVersion,
      options: plans.options,
      createdAt: plans.createdAt,
      documentGzip: plans.documentGzip,
      // The text as stored: drizzle (and node-postgres) would parse the JSON column.
      planJson: sql<string | null>`CAST(${plans.plan} AS TEXT)`,
    })
    .from(plans)
    .where(and(eq(plans.workspaceId, workspaceId), eq(plans.id, id)))
    .limit(1);
  if (!row) return undefined;
  const meta = {
    id: row.id,
    scenarioId: row.scenarioId,
    scenarioVersion: row.scenarioVersion,
    catalogVersion: row.catalogVersion,
    estimatorCatalogVersion: row.estimatorCatalogVersion,
    options: PlanRequestSchema.parse(row.options ?? {}),
    createdAt: row.createdAt,
    reportUrl: `${planUrl(row.id)}/report`,
  };
  if (row.documentGzip) return { meta, document: { gzip: row.documentGzip } };
  if (row.planJson === null) throw new Error(`plan ${row.id} has no document`);
  return { meta, document: { planJson: row.planJson } };
}

/**
 * The StoredPlan JSON of a row written before documents were stored compressed: its metadata and the
 * stored document text spliced together, so the document is never parsed on the event loop.
 */
export function splicedPlanJson(record: PlanRecord & { document: { planJson: string } }): string {
  return `${JSON.stringify(record.meta).slice(0, -1)},"plan":${record.document.planJson}}`;
}

/** Deletes one plan of the workspace; false when it has none of that id. */
export async function deletePlan(d: Database, workspaceId: string, id: string): Promise<boolean> {
  const { plans } = d.tables;
  const deleted = await d.db
    .delete(plans)
    .where(and(eq(plans.workspaceId, workspaceId), eq(plans.id, id)))
    .returning({ id: plans.id });
  return deleted.length === 1;
}

/** Whether the workspace has a plan of that id (no document read). */
export async function planExists(d: Database, workspaceId: string, id: string): Promise<boolean> {
  const { plans } = d.tables;
  const [row] = await d.db
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.workspaceId, workspaceId), eq(plans.id, id)))
    .limit(1);
  return row !== undefined;
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
