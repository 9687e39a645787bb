import { DEFAULT_WORKSPACE_ID } from "@modelplan/db";
import type { Context, MiddlewareHandler } from "hono";
import { requestHeader } from "../lib/node-io";
import { problemResponse } from "../lib/problem";
import type { AppBindings, Principal } from "../lib/types";
import { hashKey, type keyLookups } from "./api-keys.repository";
import type { AuthGate } from "./auth-policy";
import type { RouteScope } from "./route-scopes";
import { scopeAllows } from "./scopes";

const BEARER = /^Bearer\s+([\x21-\x7e]{1,200})\s*$/i;
const OPEN_PRINCIPAL: Principal = Object.freeze({ keyId: null, scope: "admin", open: true });

export interface AuthenticateOptions {
  /** Whether the service is open (decided at start-up; auth/auth-policy.ts). */
  gate: AuthGate;
  /** The key table's lookups (reused between requests). */
  keys: ReturnType<typeof keyLookups>;
  /** The scope the operation a request goes to declares (auth/route-scopes.ts). */
  scopeOf: (method: string, path: string) => RouteScope;
}

/**
 * Authenticates `Authorization: Bearer <key>` and checks the key's scope against the one the
 * operation declares: sets the caller's workspace and principal, or answers 401 (with the
 * WWW-Authenticate challenge) or 403. While the service is open (the gate: decided at start-up from
 * AUTH and the bind address, closed for good once a key exists — never reopened by revoking keys), a
 * request without a key runs in the default workspace with every scope. Public operations
 * (PUBLIC_ROUTE) pass without a key.
 */
export function authenticate({ gate, keys, scopeOf }: AuthenticateOptions): MiddlewareHandler<AppBindings> {
  return async function authenticate(c, next) {
    const needed = scopeOf(c.req.method, c.req.path);
    if (needed === null) return next();
    const header = requestHeader(c, "authorization");
    if (header === undefined) {
      if (await gate.open()) {
        c.set("workspaceId", DEFAULT_WORKSPACE_ID);
        c.set("principal", OPEN_PRINCIPAL);
        return next();
      }
      return unauthorized(c, "This service requires an API key: send 'Authorization: Bearer <key>'.", false);
    }
    const m = BEARER.exec(header);
    if (!m) return unauthorized(c, "The Authorization header must be 'Bearer <api key>'.", true);
    const key = await keys.activeKeyByHash(hashKey(m[1]));
    if (!key) return unauthorized(c, "The API key is unknown or revoked.", true);
    if (!scopeAllows(key.scope, needed)) return problemResponse(c, 403, `This operation needs a key with scope '${needed}'; this key has '${key.scope}'.`);
    c.set("workspaceId", key.workspaceId);
    c.set("principal", { keyId: key.id, scope: key.scope, open: false });
    return next();
  };
}

function unauthorized(c: Context<AppBindings>, detail: string, invalidToken: boolean): Response {
  const challenge = invalidToken ? 'Bearer realm="modelplan", error="invalid_token"' : 'Bearer realm="modelplan"';
  return problemResponse(c, 401, detail, { headers: { "WWW-Authenticate": challenge } });
}
