import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import type { Context } from "hono";
import { authMiddleware, rateLimitMiddleware } from "../auth/middleware";
import { ApiError, buildProblem, fieldErrorsFromZod, type ProblemFieldError, type ProblemStatus, PROBLEM_TYPES } from "./problem";
import type { AppBindings, AppDeps, AppOpenAPI } from "./types";

type Location = ProblemFieldError["location"];
const TARGET_LOCATION: Record<string, Location> = { json: "body", form: "body", query: "query", param: "path", header: "header", cookie: "header" };

/** Renders a problem+json response. */
export function problemResponse(
  c: Context<AppBindings>,
  status: ProblemStatus,
  detail: string,
  extra: { errors?: ProblemFieldError[]; headers?: Record<string, string>; type?: string; title?: string } = {},
): Response {
  const body = buildProblem(status, detail, c.req.path, c.get("requestId") ?? "unknown", extra);
  // c.body keeps the headers set earlier on the context (X-Request-Id, rate-limit headers...).
  return c.body(JSON.stringify(body), status, { "Content-Type": "application/problem+json", ...(extra.headers ?? {}) });
}

/**
 * A router whose validation failures become 422 problem+json naming every bad field — never a raw
 * ZodError. Every route module builds its router with this.
 */
export function createRouter(): AppOpenAPI {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) {
        const location = TARGET_LOCATION[result.target] ?? "body";
        const errors = fieldErrorsFromZod(result.error, location);
        const names = [...new Set(errors.map((e) => e.path))];
        return problemResponse(c as Context<AppBindings>, 422, `${names.length} field${names.length === 1 ? " is" : "s are"} invalid: ${names.join(", ")}`, { errors });
      }
    },
  });
}

/** Defaults of config.ts (100 req/s, burst 200; 30 benchmark submissions/hour, burst 5). */
export const DEFAULT_RATE_LIMITS = {
  requests: { capacity: 200, refillPerSec: 100 },
  benchmarks: { capacity: 5, refillPerSec: 30 / 3600 },
};

/** Deepest JSON nesting any request body may have; every schema of the API is far shallower. */
export const MAX_JSON_DEPTH = 32;

/**
 * Finds what no schema can accept and what would break storage: nesting deeper than MAX_JSON_DEPTH
 * (a stack hazard for every recursive consumer) and strings with lone UTF-16 surrogates (SQLite
 * stores UTF-8, where they cannot exist, so they would read back changed).
 */
export function findJsonIssue(value: unknown): { path: string; message: string } | undefined {
  const found = scanJson(value, 0);
  if (!found) return undefined;
  return { path: found.reversedPath.length ? found.reversedPath.reverse().join(".") : "(root)", message: found.message };
}

// Allocation-free on the happy path (it runs on every JSON body); the path is built only on failure.
function scanJson(value: unknown, depth: number): { reversedPath: string[]; message: string } | undefined {
  if (typeof value === "string") {
    return value.isWellFormed() ? undefined : { reversedPath: [], message: "Contains a lone UTF-16 surrogate; send well-formed Unicode." };
  }
  if (value === null || typeof value !== "object") return undefined;
  if (depth >= MAX_JSON_DEPTH) return { reversedPath: [], message: `Nested deeper than ${MAX_JSON_DEPTH} levels.` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const issue = scanJson(value[i], depth + 1);
      if (issue) return (issue.reversedPath.push(String(i)), issue);
    }
    return undefined;
  }
  for (const k in value) {
    if (!k.isWellFormed()) return { reversedPath: [], message: "A key contains a lone UTF-16 surrogate." };
    const issue = scanJson((value as Record<string, unknown>)[k], depth + 1);
    if (issue) return (issue.reversedPath.push(k), issue);
  }
  return undefined;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const JSON_TYPES = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The app factory used by the server and the tests: owns request ids, body limits, content-type checks,
 * the error handler, 404/405, and the injected dependencies. Routes are mounted by the caller
 * (see app.ts) so that this file stays generic.
 */
export function createBaseApp(deps: AppDeps): AppOpenAPI {
  const app = createRouter();
  const now = deps.now ?? (() => new Date());
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024;

  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", async (c, next) => {
    c.set("db", deps.db);
    c.set("sqlite", deps.sqlite);
    c.set("logger", deps.logger);
    c.set("now", now);
    const started = performance.now();
    await next();
    // An answer sent before the request body was read (404, 405, 401, 413...) leaves bytes on the
    // socket that the server will drain and drop: tell a keep-alive client not to reuse it.
    const hasBody = (c.req.header("content-length") ?? "0") !== "0" || c.req.header("transfer-encoding") !== undefined;
    if (hasBody && !c.req.raw.bodyUsed) c.res.headers.set("Connection", "close");
    deps.logger.info(
      { requestId: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 100) / 100 },
      "request",
    );
  });
  app.use("*", authMiddleware(deps.authMode ?? "auto", deps.sqlite));
  app.use("*", rateLimitMiddleware(deps.rateLimits ?? DEFAULT_RATE_LIMITS));
  app.use("*", methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      problemResponse(c as Context<AppBindings>, 405, `${c.req.method} is not supported on ${c.req.path}; allowed: ${methods.join(", ")}.`, {
        headers: { Allow: methods.join(", ") },
      }),
  }));
  app.use("*", async (c, next) => {
    if (BODY_METHODS.has(c.req.method)) {
      const length = c.req.header("content-length");
      const hasBody = (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
      const type = c.req.header("content-type");
      const encoding = c.req.header("content-encoding");
      if (hasBody && encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
        return problemResponse(c, 415, `Content-Encoding '${encoding}' is not accepted; send the JSON body uncompressed.`);
      }
      if (hasBody && (!type || !JSON_TYPES.test(type))) {
        return problemResponse(c, 415, `Send the body as application/json (got ${type ? `'${type}'` : "no Content-Type"}).`, {
          headers: { "Accept-Post": "application/json", "Accept-Patch": "application/json, application/merge-patch+json" },
        });
      }
    }
    await next();
  });
  app.use(
    "*",
    bodyLimit({
      maxSize: maxBodyBytes,
      // The rest of the body is not read: close the connection so a keep-alive client does not send
      // its next request into a socket the server is about to drop.
      onError: (c) =>
        problemResponse(c as Context<AppBindings>, 413, `The request body exceeds the ${maxBodyBytes}-byte limit.`, { headers: { Connection: "close" } }),
    }),
  );
  app.use("*", async (c, next) => {
    if (BODY_METHODS.has(c.req.method) && JSON_TYPES.test(c.req.header("content-type") ?? "")) {
      if (c.req.header("content-length") !== "0") {
        let body: unknown;
        try {
          // c.req.json() caches the parsed body, so the route's validator does not parse it again.
          body = await c.req.json();
        } catch {
          return problemResponse(c, 400, "The request body is not valid JSON.");
        }
        const issue = findJsonIssue(body);
        if (issue) return problemResponse(c, 422, `1 field is invalid: ${issue.path}`, { errors: [{ ...issue, location: "body" }] });
      }
    }
    await next();
  });

  app.notFound((c) => problemResponse(c as Context<AppBindings>, 404, `No route matches ${c.req.method} ${c.req.path}.`));

  app.onError((err, c) => {
    const ctx = c as Context<AppBindings>;
    if (err instanceof ApiError) {
      return problemResponse(ctx, err.status, err.message, { errors: err.errors, headers: err.headers, type: err.type, title: err.title });
    }
    if (err instanceof HTTPException) {
      const status = (err.status in PROBLEM_TYPES ? err.status : 400) as ProblemStatus;
      const detail =
        status === 400 && /json/i.test(err.message)
          ? "The request body is not valid JSON."
          : status === 415
            ? "Send the body as application/json."
            : err.message || PROBLEM_TYPES[status].title;
      return problemResponse(ctx, status, detail);
    }
    deps.logger.error({ requestId: ctx.get("requestId"), err }, "unhandled error");
    return problemResponse(ctx, 500, "An unexpected error occurred. Quote the requestId when reporting it.");
  });

  return app;
}
