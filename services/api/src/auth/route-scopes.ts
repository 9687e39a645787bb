import { TrieRouter } from "hono/router/trie-router";
import type { AppOpenAPI } from "../lib/types";
import { SCOPES, SECURITY_SCHEME, type Scope } from "./scopes";

/** What an operation needs: a key with this scope, or nothing (null: public). */
export type RouteScope = Scope | null;

/** The scope of a request to a path no operation declares (a 404 or a 405): any valid key. */
const UNDECLARED: Scope = "read";

/**
 * The scope each operation declares next to its createRoute (`security: requireScope("write")`),
 * read back from the app's OpenAPI registry, so the document and the enforcement cannot disagree.
 * Throws when an operation under `prefix` declares none: every API route must say what it needs.
 */
export function routeScopes(app: AppOpenAPI, prefix = "/v1/"): (method: string, path: string) => RouteScope {
  const router = new TrieRouter<RouteScope>();
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== "route" || !def.route.path.startsWith(prefix)) continue;
    const { method, path, security, operationId } = def.route;
    router.add(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ":$1"), declaredScope(security, operationId ?? `${method} ${path}`));
  }
  return (method, path) => {
    // Hono answers HEAD with the GET route.
    const [matches] = router.match(method === "HEAD" ? "GET" : method, path);
    return matches.length ? matches[0][0] : UNDECLARED;
  };
}

function declaredScope(security: Record<string, string[]>[] | undefined, operation: string): RouteScope {
  if (security === undefined) throw new Error(`${operation} declares no scope: add security: requireScope(...) or PUBLIC_ROUTE to its createRoute`);
  if (security.length === 0) return null;
  const needed = security[0][SECURITY_SCHEME]?.[0];
  const scope = SCOPES.find((s) => s === needed);
  if (security.length !== 1 || scope === undefined) throw new Error(`${operation}: security must be requireScope(...) or PUBLIC_ROUTE`);
  return scope;
}
