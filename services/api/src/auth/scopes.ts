/** Scopes of API keys, weakest first: admin ⊇ write ⊇ read. */
export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** The name of the bearer-key security scheme in the OpenAPI document (lib/openapi.ts). */
export const SECURITY_SCHEME = "bearerAuth";

export function scopeAllows(granted: Scope, needed: Scope): boolean {
  return SCOPES.indexOf(granted) >= SCOPES.indexOf(needed);
}

/**
 * The `security` of a route that needs a key with this scope, declared next to its createRoute:
 * `security: requireScope("write")`. It is both what the authentication middleware enforces
 * (auth/route-scopes.ts reads it back from the app's OpenAPI registry) and what the document tells
 * clients (OpenAPI 3.1 lets a security requirement list the roles it needs).
 */
export function requireScope(scope: Scope): [{ [SECURITY_SCHEME]: [Scope] }] {
  return [{ [SECURITY_SCHEME]: [scope] }];
}

/** The `security` of a route anyone may call, without a key. */
export const PUBLIC_ROUTE: [] = [];
