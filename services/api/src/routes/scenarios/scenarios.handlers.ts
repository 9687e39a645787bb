import { ApiError, fieldErrorsFromZod } from "../../lib/problem";
import { assertIfMatch, etagFor } from "../../lib/etag";
import { withIdempotency } from "../../lib/idempotency";
import type { AppRouteHandler } from "../../lib/types";
import { assertScenarioReferences } from "./scenarios.references";
import {
  deleteScenarioIfVersion,
  findScenario,
  insertScenario,
  listScenarioRows,
  toScenarioDto,
  updateScenarioIfVersion,
} from "./scenarios.repository";
import type { CreateScenarioRoute, DeleteScenarioRoute, GetScenarioRoute, ListScenariosRoute, UpdateScenarioRoute } from "./scenarios.routes";
import { ScenarioInputSchema, type Scenario, type ScenarioInput, type ScenarioPatch } from "./scenarios.schemas";

const MERGED_OBJECTS = ["audience", "usage", "funding", "funnel"] as const;

/** Applies a scenario merge patch (see ScenarioPatchSchema) and drops the fields set to null. */
export function mergeScenarioPatch(current: ScenarioInput, patch: ScenarioPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if ((MERGED_OBJECTS as readonly string[]).includes(key) && value !== null) {
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

export const createScenario: AppRouteHandler<CreateScenarioRoute> = (c) => {
  const input = c.req.valid("json");
  const { "idempotency-key": key } = c.req.valid("header");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const now = c.get("now")();
  const result = withIdempotency(db, { workspaceId, operation: "createScenario", key, body: input, now }, () => {
    assertScenarioReferences(db, input);
    const row = insertScenario(db, workspaceId, input, now);
    return { status: 201, body: toScenarioDto(row), headers: { ETag: etagFor(row.version), Location: `/v1/scenarios/${row.id}` } };
  });
  const headers: Record<string, string> = { ...result.headers };
  if (result.replayed) headers["Idempotent-Replayed"] = "true";
  return c.json(result.body as Scenario, 201, headers);
};

export const listScenarios: AppRouteHandler<ListScenariosRoute> = (c) => {
  const { limit, cursor, name, sort } = c.req.valid("query");
  const { rows, nextCursor } = listScenarioRows(c.get("db"), c.get("workspaceId"), { limit, cursor, name, sort });
  return c.json({ items: rows.map(toScenarioDto), nextCursor }, 200);
};

export const getScenario: AppRouteHandler<GetScenarioRoute> = (c) => {
  const { id } = c.req.valid("param");
  const row = findScenario(c.get("db"), c.get("workspaceId"), id);
  if (!row) throw ApiError.notFound("Scenario", id);
  return c.json(toScenarioDto(row), 200, { ETag: etagFor(row.version) });
};

export const updateScenario: AppRouteHandler<UpdateScenarioRoute> = (c) => {
  const { id } = c.req.valid("param");
  const { "if-match": ifMatch } = c.req.valid("header");
  const patch = c.req.valid("json");
  const db = c.get("db");
  const updated = db.transaction(() => {
    const current = findScenario(db, c.get("workspaceId"), id);
    if (!current) throw ApiError.notFound("Scenario", id);
    assertIfMatch(ifMatch, current.version);
    const parsed = ScenarioInputSchema.safeParse(mergeScenarioPatch(current.spec as ScenarioInput, patch));
    if (!parsed.success) {
      const errors = fieldErrorsFromZod(parsed.error, "body");
      throw new ApiError(422, `The patched scenario is invalid: ${[...new Set(errors.map((e) => e.path))].join(", ")}`, { errors });
    }
    assertScenarioReferences(db, parsed.data);
    const next = updateScenarioIfVersion(db, current, parsed.data, c.get("now")());
    if (!next) throw new ApiError(412, "The scenario changed while this update was being applied; read it again and retry.");
    return next;
  }, { behavior: "immediate" });
  return c.json(toScenarioDto(updated), 200, { ETag: etagFor(updated.version) });
};

export const deleteScenario: AppRouteHandler<DeleteScenarioRoute> = (c) => {
  const { id } = c.req.valid("param");
  const { "if-match": ifMatch } = c.req.valid("header");
  const db = c.get("db");
  db.transaction(() => {
    const current = findScenario(db, c.get("workspaceId"), id);
    if (!current) throw ApiError.notFound("Scenario", id);
    assertIfMatch(ifMatch, current.version);
    if (!deleteScenarioIfVersion(db, current)) throw new ApiError(412, "The scenario changed while it was being deleted; read it again and retry.");
  }, { behavior: "immediate" });
  return c.body(null, 204);
};
