import { ApiError, fieldErrorsFromZod, invalidFieldsDetail } from "../../lib/problem";
import { assertIfMatch, etagFor, parseIfMatch } from "../../lib/etag";
import { withIdempotency } from "../../lib/idempotency";
import type { AppRouteHandler } from "../../lib/types";
import { assertScenarioReferences, scenarioReferenceErrors } from "./scenarios.references";
import { quotaExceeded } from "../../lib/quota-exceeded";
import { lockWorkspace } from "../../lib/workspace-lock";
import {
  countScenarios,
  deleteScenarioIfVersion,
  findScenario,
  findScenarioForUpdate,
  insertScenario,
  listScenarioRows,
  scenarioSpec,
  toScenarioDto,
  updateScenarioIfVersion,
} from "./scenarios.repository";
import type { CreateScenarioRoute, DeleteScenarioRoute, GetScenarioRoute, ListScenariosRoute, UpdateScenarioRoute } from "./scenarios.routes";
import { MERGED_PATCH_FIELDS, ScenarioInputSchema, type ScenarioInput, type ScenarioPatch } from "./scenarios.schemas";

/** Applies a scenario merge patch (see ScenarioPatchSchema) and drops the fields set to null. */
export function mergeScenarioPatch(current: ScenarioInput, patch: ScenarioPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if ((MERGED_PATCH_FIELDS as readonly string[]).includes(key) && value !== null) {
      const inner: Record<string, unknown> = { ...(merged[key] as Record<string, unknown>) };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null) delete inner[k];
        else if (v !== undefined) inner[k] = v;
      }
      merged[key] = inner;
    } else if (value === null) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

export const createScenario: AppRouteHandler<CreateScenarioRoute> = async (c) => {
  const input = c.req.valid("json");
  const { "idempotency-key": key } = c.req.valid("header");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const now = c.get("now")();
  const { quotas, idempotencyTtlMs } = c.get("limits");
  // What the scenario names was checked with its schema (scenarioReferences, the route's validation hook).
  const result = await withIdempotency(db, { workspaceId, operation: "createScenario", key, body: input, now, ttlMs: idempotencyTtlMs }, async (tx) => {
    // Counted with the workspace locked (lib/workspace-lock.ts): two replicas cannot both pass the quota.
    await lockWorkspace(tx, workspaceId);
    const held = await countScenarios(tx, workspaceId);
    if (held >= quotas.maxScenariosPerWorkspace) {
      throw quotaExceeded("maxScenariosPerWorkspace", quotas.maxScenariosPerWorkspace, held, "scenarios", "Delete scenarios (DELETE /v1/scenarios/{id}) first.");
    }
    const row = await insertScenario(tx, workspaceId, input, now);
    return { status: 201, body: toScenarioDto(row), headers: { ETag: etagFor(row.version), Location: `/v1/scenarios/${row.id}` } };
  });
  const headers: Record<string, string> = { ...result.headers };
  if (result.replayed) headers["Idempotent-Replayed"] = "true";
  return c.json(result.body, 201, headers);
};

export const listScenarios: AppRouteHandler<ListScenariosRoute> = async (c) => {
  const { limit, cursor, name, sort } = c.req.valid("query");
  const { rows, nextCursor } = await listScenarioRows(c.get("db"), c.get("workspaceId"), { limit, cursor, name, sort });
  return c.json({ items: rows.map(toScenarioDto), nextCursor }, 200);
};

export const getScenario: AppRouteHandler<GetScenarioRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await findScenario(c.get("db"), c.get("workspaceId"), id);
  if (!row) throw ApiError.notFound("Scenario", id);
  return c.json(toScenarioDto(row), 200, { ETag: etagFor(row.version) });
};

/** JSON text with object keys sorted: two scenarios are the same when their canonical texts are. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Whether a validated scenario is the one stored (key order aside: PostgreSQL's jsonb reorders keys). */
export function sameScenario(stored: ScenarioInput, next: ScenarioInput): boolean {
  return canonicalJson(stored) === canonicalJson(next);
}

/**
 * Read, check If-Match, merge and compare-and-set in one transaction, the row locked from the read
 * (PostgreSQL FOR UPDATE; SQLite's write transaction): a patch without If-Match is merged into the
 * current row even while other replicas write it, and one with If-Match fails with 412 when the
 * version it names is no longer the current one. A patch that changes nothing (`{}`, or the values
 * already stored) writes nothing: the version, updatedAt and so every client's ETag stay as they are.
 */
export const updateScenario: AppRouteHandler<UpdateScenarioRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { "if-match": ifMatch } = c.req.valid("header");
  const condition = parseIfMatch(ifMatch);
  const patch = c.req.valid("json");
  const updated = await c.get("db").transaction(async (tx) => {
    const current = await findScenarioForUpdate(tx, c.get("workspaceId"), id);
    if (!current) throw ApiError.notFound("Scenario", id);
    assertIfMatch(condition, current.version);
    const merged = mergeScenarioPatch(scenarioSpec(current), patch);
    const parsed = ScenarioInputSchema.safeParse(merged);
    if (!parsed.success) {
      // The patch's own references were checked with its schema; those of the stored part are named with the schema's findings.
      const errors = fieldErrorsFromZod(parsed.error, "body");
      const refused = new Set(errors.map((e) => e.path));
      errors.push(...(await scenarioReferenceErrors(tx, c.get("workspaceId"), merged)).filter((e) => !refused.has(e.path)));
      throw new ApiError(422, `The patched scenario is invalid: ${invalidFieldsDetail(errors)}`, { errors });
    }
    await assertScenarioReferences(tx, c.get("workspaceId"), parsed.data);
    if (sameScenario(scenarioSpec(current), parsed.data)) return current;
    const next = await updateScenarioIfVersion(tx, current, parsed.data, c.get("now")());
    if (!next) throw new ApiError(412, "The scenario changed while this update was being applied; read it again and retry.");
    return next;
  });
  return c.json(toScenarioDto(updated), 200, { ETag: etagFor(updated.version) });
};

export const deleteScenario: AppRouteHandler<DeleteScenarioRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { "if-match": ifMatch } = c.req.valid("header");
  const condition = parseIfMatch(ifMatch);
  await c.get("db").transaction(async (tx) => {
    const current = await findScenarioForUpdate(tx, c.get("workspaceId"), id);
    if (!current) throw ApiError.notFound("Scenario", id);
    assertIfMatch(condition, current.version);
    if (!(await deleteScenarioIfVersion(tx, current))) throw new ApiError(412, "The scenario changed while it was being deleted; read it again and retry.");
  });
  return c.body(null, 204);
};
