/**
 * The OpenAPI document as the fuzzer sees it: every operation with its parameters, request body and
 * declared responses, plus a matcher that tells which operation a concrete request path reaches.
 * Nothing here knows about specific routes: new routes in the document are picked up automatically.
 */
import { deref, type JsonSchema } from "./json-schema";

export interface OpenApiDocument {
  openapi: string;
  security?: Record<string, unknown>[];
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonSchema;
  example?: unknown;
}

export interface ResponseSpec {
  /** Media type → schema (undefined when the response has no content). */
  content: Record<string, JsonSchema | undefined>;
  headers: string[];
}

export interface Operation {
  operationId: string;
  method: string;
  /** Path template, e.g. `/v1/scenarios/{id}`. */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; content: Record<string, JsonSchema> };
  /** Declared responses by status code (`4XX`/`default` ranges resolved by declaredResponse). */
  responses: Record<string, ResponseSpec>;
  /** False when the operation declares no security requirement (`security: []`). */
  requiresAuth: boolean;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Lists every operation of the document, with `$ref`s of parameters and bodies resolved. */
export function listOperations(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = ((item.parameters ?? []) as unknown[]).map((p) => deref(doc, p as JsonSchema) as Record<string, unknown>);
    for (const method of HTTP_METHODS) {
      const raw = item[method] as Record<string, unknown> | undefined;
      if (!raw) continue;
      const own = ((raw.parameters ?? []) as unknown[]).map((p) => deref(doc, p as JsonSchema) as Record<string, unknown>);
      const byKey = new Map<string, Record<string, unknown>>();
      for (const p of [...shared, ...own]) byKey.set(`${p.in}:${String(p.name).toLowerCase()}`, p);
      const parameters: Parameter[] = [...byKey.values()].map((p) => ({
        name: String(p.name),
        in: p.in as Parameter["in"],
        required: p.in === "path" ? true : p.required === true,
        schema: (p.schema as JsonSchema) ?? {},
        example: p.example ?? (typeof p.schema === "object" && p.schema ? (p.schema as Record<string, unknown>).example : undefined),
      }));
      let body: Operation["body"];
      if (raw.requestBody) {
        const rb = deref(doc, raw.requestBody as JsonSchema) as Record<string, unknown>;
        const content: Record<string, JsonSchema> = {};
        for (const [type, media] of Object.entries((rb.content ?? {}) as Record<string, { schema?: JsonSchema }>)) content[type] = media.schema ?? {};
        body = { required: rb.required === true, content };
      }
      const responses: Record<string, ResponseSpec> = {};
      for (const [status, r] of Object.entries((raw.responses ?? {}) as Record<string, unknown>)) {
        const resp = deref(doc, r as JsonSchema) as Record<string, unknown>;
        const content: Record<string, JsonSchema | undefined> = {};
        for (const [type, media] of Object.entries((resp.content ?? {}) as Record<string, { schema?: JsonSchema }>)) content[type] = media.schema;
        responses[status] = { content, headers: Object.keys((resp.headers ?? {}) as object) };
      }
      const security = (raw.security ?? doc.security ?? []) as Record<string, unknown>[];
      ops.push({
        operationId: String(raw.operationId ?? `${method.toUpperCase()} ${path}`),
        requiresAuth: security.length > 0 && !security.some((r) => Object.keys(r).length === 0),
        method: method.toUpperCase(),
        path,
        parameters,
        body,
        responses,
      });
    }
  }
  return ops;
}

/** The declared response for a status (exact code first, then `4XX`-style ranges, then `default`). */
export function declaredResponse(op: Operation, status: number): ResponseSpec | undefined {
  return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
}

function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
}

export interface RouteMatch {
  /** The operation that answers this method on this path, if the document has one. */
  operation?: Operation;
  /** Whether any documented operation exists on this path (with another method). */
  pathExists: boolean;
}

/**
 * Which documented operation a concrete request reaches. `pathname` is the URL path as the server
 * sees it after URL normalisation (dot segments removed, percent-encoding kept); a `{param}` segment
 * matches any non-empty segment; a trailing slash is ignored (Hono's non-strict routing). Literal
 * segments win over parameters, as in the router.
 */
export function matchRoute(ops: Operation[], method: string, pathname: string): RouteMatch {
  const segs = segmentsOf(pathname);
  const candidates: { op: Operation; literals: number }[] = [];
  for (const op of ops) {
    const tpl = segmentsOf(op.path);
    if (tpl.length !== segs.length) continue;
    let literals = 0;
    let ok = true;
    for (let i = 0; i < tpl.length; i++) {
      if (/^\{[^}]+\}$/.test(tpl[i])) {
        if (segs[i] === "") ok = false;
      } else if (tpl[i] === segs[i]) literals++;
      else ok = false;
      if (!ok) break;
    }
    if (ok) candidates.push({ op, literals });
  }
  if (!candidates.length) return { pathExists: false };
  const best = Math.max(...candidates.map((c) => c.literals));
  const top = candidates.filter((c) => c.literals === best);
  const hit = top.find((c) => c.op.method === method.toUpperCase()) ?? candidates.find((c) => c.op.method === method.toUpperCase());
  return { operation: hit?.op, pathExists: true };
}

/** The request body schema of an operation for a media type (JSON types fall back to application/json). */
export function bodySchema(op: Operation, mediaType = "application/json"): JsonSchema | undefined {
  if (!op.body) return undefined;
  return op.body.content[mediaType] ?? op.body.content["application/json"] ?? Object.values(op.body.content)[0];
}
