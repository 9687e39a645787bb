import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { Context } from "hono";
import { admitCaller, applyRateCheck, authenticator, callerResolver, rateLimiter, RequestRateLimiter, type CallerCheck, type RateCheck } from "../auth/middleware";
import { BodyReadError, decodeUtf8, readRequestBody, requestHeader, setResponseHeader } from "./node-io";
import { sendCached, type ResponseCache } from "./response-cache";
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
/** Content types whose bodies are read as JSON. */
export const JSON_TYPES = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The request id of an answer: the client's X-Request-Id when well-formed, else a new UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

/** The request log line (written at level info). */
export function logRequest(logger: AppDeps["logger"], requestId: string, method: string, path: string, status: number, startedMs: number): void {
  logger.info({ requestId, method, path, status, ms: Math.round((performance.now() - startedMs) * 100) / 100 }, "request");
}

/**
 * What the Node-level front (request-front.ts) checked before handing a request to the app: its
 * request id, caller and rate-limit take. The app's front applies them instead of checking again,
 * so a request is authenticated once and takes its rate-limit token once.
 */
export interface Admission {
  requestId: string;
  caller: Extract<CallerCheck, { ok: true }>;
  rate: RateCheck | undefined;
}

const admissionKey = Symbol("modelplan.admission");

/** Hands an admitted request's checks to the app (on Node's request object). */
export function setAdmission(incoming: object, admission: Admission): void {
  (incoming as { [admissionKey]?: Admission })[admissionKey] = admission;
}

function admissionOf(c: Context<AppBindings>): Admission | undefined {
  return (c.env as { incoming?: { [admissionKey]?: Admission } } | undefined)?.incoming?.[admissionKey];
}

/**
 * The checks an app's front runs, shared with the Node-level front of the server that serves it
 * (request-front.ts): one caller resolver, one rate-limit state, one response cache.
 */
export interface RequestGuards {
  resolveCaller: ReturnType<typeof callerResolver>;
  limiter: RequestRateLimiter;
  responseCache: ResponseCache | undefined;
  maxBodyBytes: number;
  logger: AppDeps["logger"];
}

const guardsByApp = new WeakMap<object, RequestGuards>();

/** The guards of an app built by createBaseApp (createApp). */
export function requestGuards(app: AppOpenAPI): RequestGuards {
  const guards = guardsByApp.get(app);
  if (!guards) throw new Error("requestGuards: the app was not built by createBaseApp");
  return guards;
}

const noop = async () => {};

/** What the request-handling front of the app found out about the body, for the answer's headers. */
interface BodyState {
  /** The request declared a body (Content-Length ≠ 0 or Transfer-Encoding). */
  declared: boolean;
  /** It was read to the end. */
  read: boolean;
}

/**
 * The app factory used by the server and the tests: owns request ids, body limits, content-type checks,
 * the error handler, 404/405, and the injected dependencies. Routes are mounted by the caller
 * (see app.ts) so that this file stays generic.
 *
 * Every request passes one front middleware that does, in this order: request id, dependencies,
 * authentication, rate limiting, 415 for a body that is not JSON or is compressed, 413 over the body
 * limit, the response cache (when one is configured for the path), 400 for malformed JSON and 422
 * for hostile JSON, the route, 405 (instead of a 404) for a path that exists with other methods;
 * and after the answer, `Connection: close` when the body was left unread, and the request log
 * line. A request that the server's Node-level front (request-front.ts) admitted and handed over
 * brings its request id, caller and rate-limit take (its Admission), applied instead of checked
 * again, and its body already read. It is one
 * middleware rather than eight because each layer of Hono's middleware chain costs an async frame
 * on every request, and reads the body from Node's IncomingMessage rather than a WHATWG stream
 * (see node-io.ts).
 */
export function createBaseApp(deps: AppDeps): AppOpenAPI {
  const app = createRouter();
  const now = deps.now ?? (() => new Date());
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024;
  const { logger } = deps;
  const responseCache = deps.responseCache ?? undefined;
  const resolveCaller = callerResolver(deps.authMode ?? "auto", deps.sqlite);
  const limiter = new RequestRateLimiter(deps.rateLimits ?? DEFAULT_RATE_LIMITS);
  guardsByApp.set(app, { resolveCaller, limiter, responseCache, maxBodyBytes, logger });
  const authenticate = authenticator(resolveCaller);
  const limitRate = rateLimiter(limiter);
  const notAllowed = methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      problemResponse(c as Context<AppBindings>, 405, `${c.req.method} is not supported on ${c.req.path}; allowed: ${methods.join(", ")}.`, {
        headers: { Allow: methods.join(", ") },
      }),
  });

  const tooLarge = (c: Context<AppBindings>) =>
    // The rest of the body is not read: close the connection so a keep-alive client does not send
    // its next request into a socket the server is about to drop.
    problemResponse(c, 413, `The request body exceeds the ${maxBodyBytes}-byte limit.`, { headers: { Connection: "close" } });

  /** 415 / 413 / cache hit / 400 / 422, or undefined when the route should run. */
  async function checkBody(c: Context<AppBindings>, body: BodyState): Promise<Response | undefined> {
    const method = c.req.method;
    // @hono/node-server gives GET and HEAD no body; Hono's bodyLimit let them through unread.
    if (method === "GET" || method === "HEAD") return undefined;
    const length = requestHeader(c, "content-length");
    const chunked = requestHeader(c, "transfer-encoding") !== undefined;
    const type = requestHeader(c, "content-type");
    const isBodyMethod = BODY_METHODS.has(method);
    if (isBodyMethod && body.declared) {
      const encoding = requestHeader(c, "content-encoding");
      if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
        return problemResponse(c, 415, `Content-Encoding '${encoding}' is not accepted; send the JSON body uncompressed.`);
      }
      if (!type || !JSON_TYPES.test(type)) {
        return problemResponse(c, 415, `Send the body as application/json (got ${type ? `'${type}'` : "no Content-Type"}).`, {
          headers: { "Accept-Post": "application/json", "Accept-Patch": "application/json, application/merge-patch+json" },
        });
      }
    }
    const isJson = isBodyMethod && type !== undefined && JSON_TYPES.test(type) && length !== "0";
    if (!isJson) {
      // A body no route reads as JSON (a DELETE's, say) is only held to the size limit: by its
      // declared length, or by reading it when it is chunked.
      if (!body.declared) return undefined;
      if (!chunked) return Number.parseInt(length ?? "0", 10) > maxBodyBytes ? tooLarge(c) : undefined;
      if ((await readRequestBody(c, maxBodyBytes)) === "too-large") return tooLarge(c);
      body.read = true;
      return undefined;
    }

    const bytes = await readRequestBody(c, maxBodyBytes);
    if (bytes === "too-large") return tooLarge(c);
    body.read = true;
    const text = decodeUtf8(bytes);

    // A cached answer is looked up on the exact body text, before parsing: only a 200 computed from
    // the same text (so one that passed every check below) is ever stored.
    if (method === "POST" && responseCache?.covers(c.req.path)) {
      const key = responseCache.keyFor(c.req.path, c.get("workspaceId"), type, text);
      if (key !== undefined) {
        const hit = responseCache.get(key);
        if (hit) return sendCached(c, responseCache, key, hit, requestHeader(c, "accept-encoding"));
        c.set("responseCacheSlot", { cache: responseCache, key });
      }
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return problemResponse(c, 400, "The request body is not valid JSON.");
    }
    const issue = findJsonIssue(parsed);
    if (issue) return problemResponse(c, 422, `1 field is invalid: ${issue.path}`, { errors: [{ ...issue, location: "body" }] });
    // The route's validator reads the body through c.req.json(): hand it this parse, and the text to
    // any other reader, so the body is neither read from the socket nor parsed a second time.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    (c.req as { json: () => Promise<unknown> }).json = () => Promise.resolve(parsed);
    return undefined;
  }

  app.use("*", async (c, next) => {
    const started = performance.now();
    const admission = admissionOf(c);
    const requestId = admission?.requestId ?? requestIdFrom(requestHeader(c, "x-request-id"));
    c.set("requestId", requestId);
    setResponseHeader(c, "X-Request-Id", requestId);
    c.set("db", deps.db);
    c.set("sqlite", deps.sqlite);
    c.set("logger", logger);
    c.set("now", now);
    const length = requestHeader(c, "content-length");
    const body: BodyState = { declared: (length !== undefined && length !== "0") || requestHeader(c, "transfer-encoding") !== undefined, read: false };

    try {
      let refused: Response | undefined;
      if (admission) {
        admitCaller(c, admission.caller);
        if (admission.rate) refused = applyRateCheck(c, admission.rate);
      } else refused = authenticate(c) ?? limitRate(c);
      if (refused) c.res = refused;
      else {
        const answered = await checkBody(c, body);
        if (answered) c.res = answered;
        else await next();
        // A path that exists with other methods: Hono's methodNotAllowed turns the 404 into a 405
        // with Allow (run only here, on the 404s, rather than wrapped around every request).
        if (c.res.status === 404 && !c.error) await notAllowed(c, noop);
      }
    } catch (err) {
      // What the chain below throws is answered where it is thrown; this is for the checks above.
      c.error = err instanceof Error ? err : new Error(String(err));
      c.res = await onError(err, c);
    }

    // An answer sent before the request body was read (404, 405, 401, 413...) leaves bytes on the
    // socket that the server will drain and drop: tell a keep-alive client not to reuse it.
    if (body.declared && !body.read) c.res.headers.set("Connection", "close");
    if (logger.isLevelEnabled("info")) logRequest(logger, requestId, c.req.method, c.req.path, c.res.status, started);
  });

  app.notFound((c) => problemResponse(c as Context<AppBindings>, 404, `No route matches ${c.req.method} ${c.req.path}.`));

  const onError = (err: unknown, c: Context<AppBindings>): Response => {
    if (err instanceof ApiError) {
      return problemResponse(c, err.status, err.message, { errors: err.errors, headers: err.headers, type: err.type, title: err.title });
    }
    if (err instanceof BodyReadError) {
      // The client broke off mid-body; it will most likely not see this answer.
      return problemResponse(c, 400, "The request body was not received completely.", { headers: { Connection: "close" } });
    }
    if (err instanceof HTTPException) {
      const status = (err.status in PROBLEM_TYPES ? err.status : 400) as ProblemStatus;
      const detail =
        status === 400 && /json/i.test(err.message)
          ? "The request body is not valid JSON."
          : status === 415
            ? "Send the body as application/json."
            : err.message || PROBLEM_TYPES[status].title;
      return problemResponse(c, status, detail);
    }
    logger.error({ requestId: c.get("requestId"), err }, "unhandled error");
    return problemResponse(c, 500, "An unexpected error occurred. Quote the requestId when reporting it.");
  };
  app.onError((err, c) => onError(err, c as Context<AppBindings>));

  return app;
}
