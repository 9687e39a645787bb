import type { ApiKeyRow } from "@modelplan/db";
import { countActiveKeys, createApiKey, listApiKeys, revokeApiKey } from "../../auth/api-keys.repository";
import { quotaExceeded } from "../../lib/quota-exceeded";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import type { CreateKeyRoute, ListKeysRoute, RevokeKeyRoute } from "./keys.routes";

/** Row → DTO: never the hash. */
export function toApiKeyDto(row: ApiKeyRow) {
  return { id: row.id, workspaceId: row.workspaceId, name: row.name, prefix: row.prefix, scope: row.scope, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

export const createKey: AppRouteHandler<CreateKeyRoute> = async (c) => {
  const { name, scope } = c.req.valid("json");
  const db = c.get("db");
  const workspaceId = c.get("workspaceId");
  const max = c.get("limits").quotas.maxKeysPerWorkspace;
  // A key's requests draw from its workspace's rate limit anyway; the cap bounds the key table.
  // Counted in the transaction that inserts the key (two replicas cannot both pass it).
  const { row, key } = await createApiKey(db, { workspaceId, scope, name }, c.get("now")(), async (tx) => {
    const held = await countActiveKeys(tx, workspaceId);
    if (held >= max) throw quotaExceeded("maxKeysPerWorkspace", max, held, "active API keys", "Revoke keys (DELETE /v1/keys/{id}) first.");
  });
  // The one answer that carries a secret: no cache (browser, proxy) may keep it (RFC 9111 §5.2.2.5).
  return c.json({ ...toApiKeyDto(row), key }, 201, { "Cache-Control": "no-store" });
};

export const listKeys: AppRouteHandler<ListKeysRoute> = async (c) => {
  return c.json({ items: (await listApiKeys(c.get("db"), c.get("workspaceId"))).map(toApiKeyDto) }, 200);
};

export const revokeKey: AppRouteHandler<RevokeKeyRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await revokeApiKey(c.get("db"), id, c.get("now")(), c.get("workspaceId"));
  if (!row) throw ApiError.notFound("API key", id);
  return c.body(null, 204);
};
