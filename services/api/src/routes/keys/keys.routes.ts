import { createRoute, z } from "@hono/zod-openapi";
import { requireScope, SCOPES } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";

const tags = ["API keys"];
const authErrors = [401, 403] as const;

export const ScopeSchema = z
  .enum(SCOPES)
  .openapi({ description: "read: GET and compute-only POSTs; write: also create/change/delete; admin: also manage keys.", example: "write" });

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ description: "Key id (not the secret).", example: "key_4b1f0c9e8d7a6b5c4d3e" }),
    workspaceId: z.string().openapi({ description: "Workspace the key acts in.", example: "acme" }),
    name: z.string().openapi({ description: "Label chosen at creation.", example: "ci-benchmarks" }),
    prefix: z.string().openapi({ description: "First characters of the secret, to recognise it.", example: "mp_Xy12a" }),
    scope: ScopeSchema,
    createdAt: z.string().openapi({ description: "Creation time, ISO 8601.", example: "2026-11-22T09:00:00.000Z" }),
    revokedAt: z.string().nullable().openapi({ description: "Revocation time, or null while active.", example: null }),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret. Shown only in this response; only its hash is stored.", example: "mp_Xy12aBcD3eFgH4iJkL5mNoP6qRsT7uVw" }),
}).openapi("CreatedApiKey");

export const CreateApiKeyBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: "Label for the key.", example: "ci-benchmarks" }),
    scope: ScopeSchema,
  })
  .strict()
  .openapi("CreateApiKey");

export const KeyIdParamSchema = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Key id.", example: "key_4b1f0c9e8d7a6b5c4d3e" }),
});

export const createKey = createRoute({
  method: "post",
  path: "/v1/keys",
  security: requireScope("admin"),
  operationId: "createApiKey",
  tags,
  summary: "Create an API key",
  description: "Creates a key in the caller's workspace (admin scope). The secret is returned once.",
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } } },
  responses: {
    201: {
      description: "Created; store the `key` now.",
      headers: { "Cache-Control": { description: "`no-store`: the answer carries the secret, which no cache may keep.", schema: { type: "string", example: "no-store" } } },
      content: { "application/json": { schema: CreatedApiKeySchema } },
    },
    ...problemResponses(...authErrors, ...commonErrors),
  },
});

export const listKeys = createRoute({
  method: "get",
  path: "/v1/keys",
  security: requireScope("admin"),
  operationId: "listApiKeys",
  tags,
  summary: "List API keys",
  description: "Keys of the caller's workspace, newest first, without their secrets (admin scope).",
  responses: {
    200: {
      description: "The keys.",
      content: { "application/json": { schema: z.object({ items: z.array(ApiKeySchema).openapi({ description: "Keys, newest first." }) }).openapi("ApiKeyList") } },
    },
    ...problemResponses(...authErrors, ...commonErrors),
  },
});

export const revokeKey = createRoute({
  method: "delete",
  path: "/v1/keys/{id}",
  security: requireScope("admin"),
  operationId: "revokeApiKey",
  tags,
  summary: "Revoke an API key",
  description: "Revokes a key of the caller's workspace at once (admin scope). Revoking twice is harmless.",
  request: { params: KeyIdParamSchema },
  responses: {
    204: { description: "Revoked." },
    ...problemResponses(404, ...authErrors, ...commonErrors),
  },
});

export type CreateKeyRoute = typeof createKey;
export type ListKeysRoute = typeof listKeys;
export type RevokeKeyRoute = typeof revokeKey;
