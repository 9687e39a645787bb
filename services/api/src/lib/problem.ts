import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ZodError } from "zod";
import type { AppBindings } from "./types";

/**
 * RFC 9457 problem details. Every error the API returns has this shape, served as
 * `application/problem+json`; validation problems add `errors[]`, one entry per bad field.
 */
export const ProblemFieldErrorSchema = z
  .object({
    path: z.string().openapi({ description: "The offending field, dot-separated (array indices as numbers).", example: "audience.usersAtLaunch" }),
    location: z
      .enum(["body", "query", "path", "header"])
      .openapi({ description: "Where the field was sent.", example: "body" }),
    message: z.string().openapi({ description: "What is wrong with it and what is allowed.", example: "Too small: expected number to be >=0" }),
  })
  .openapi("ProblemFieldError");

/** Most entries a problem's `errors` lists; the rest are counted in `errorsOmitted`. */
export const MAX_PROBLEM_ERRORS = 100;
/** Longest `message` of one field error, and longest `detail`, in characters (longer ones are cut, saying so). */
export const MAX_PROBLEM_TEXT = 1000;

export const ProblemLimitSchema = z
  .object({
    name: z.string().openapi({ description: "The limit's name, as documented (docs/security.md) and configured.", example: "maxPlansPerWorkspace" }),
    value: z.number().openapi({ description: "The limit.", example: 500 }),
    used: z.number().optional().openapi({ description: "What the workspace holds or has in progress now.", example: 500 }),
  })
  .openapi("ProblemLimit", { description: "The limit a request ran into (quotas, caps): its name, its value and what is used." });

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: "URI reference identifying the problem type.", example: "/problems/validation-error" }),
    title: z.string().openapi({ description: "Short, human-readable summary of the problem type.", example: "Request validation failed" }),
    status: z.number().int().openapi({ description: "The HTTP status code.", example: 422 }),
    detail: z.string().openapi({ description: "Explanation specific to this occurrence.", example: "1 field is invalid: audience.usersAtLaunch" }),
    instance: z.string().openapi({ description: "The request path that produced the problem.", example: "/v1/scenarios" }),
    requestId: z.string().openapi({ description: "Request id, also sent as the X-Request-Id header; quote it when reporting issues.", example: "b7c1e2b4-3d0a-4f8e-9d55-0e6f1a2b3c4d" }),
    errors: z
      .array(ProblemFieldErrorSchema)
      .max(MAX_PROBLEM_ERRORS)
      .optional()
      .openapi({ description: `For validation problems: one entry per invalid field, the first ${MAX_PROBLEM_ERRORS} of them (errorsOmitted counts the rest).` }),
    errorsOmitted: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: `Present when more than ${MAX_PROBLEM_ERRORS} fields are invalid: how many entries \`errors\` leaves out.`, example: 79_900 }),
    limit: ProblemLimitSchema.optional(),
  })
  .openapi("Problem");

export type Problem = z.infer<typeof ProblemSchema>;
export type ProblemFieldError = z.infer<typeof ProblemFieldErrorSchema>;
export type ProblemLimit = z.infer<typeof ProblemLimitSchema>;
/** What a problem may carry beyond its status and detail. */
export type ProblemExtra = { errors?: ProblemFieldError[]; type?: string; title?: string; limit?: ProblemLimit };

/** The catalogue of problem types this API can answer with. */
export const PROBLEM_TYPES = {
  400: { slug: "bad-request", title: "Bad request" },
  401: { slug: "unauthorized", title: "Authentication required" },
  403: { slug: "forbidden", title: "Forbidden" },
  404: { slug: "not-found", title: "Resource not found" },
  405: { slug: "method-not-allowed", title: "Method not allowed" },
  408: { slug: "request-timeout", title: "Request timeout" },
  409: { slug: "conflict", title: "Conflict" },
  412: { slug: "precondition-failed", title: "Precondition failed" },
  413: { slug: "payload-too-large", title: "Request body too large" },
  415: { slug: "unsupported-media-type", title: "Unsupported media type" },
  422: { slug: "validation-error", title: "Request validation failed" },
  428: { slug: "precondition-required", title: "Precondition required" },
  429: { slug: "rate-limited", title: "Too many requests" },
  431: { slug: "header-fields-too-large", title: "Request header fields too large" },
  500: { slug: "internal-error", title: "Internal server error" },
  503: { slug: "unavailable", title: "Service unavailable" },
} as const;

export type ProblemStatus = keyof typeof PROBLEM_TYPES;

/**
 * The one error class of the API. Handlers and domain adapters throw it; the app's onError turns it
 * into a problem+json response.
 */
export class ApiError extends Error {
  readonly status: ProblemStatus;
  readonly errors?: ProblemFieldError[];
  readonly headers?: Record<string, string>;
  readonly type?: string;
  readonly title?: string;
  readonly limit?: ProblemLimit;

  constructor(status: ProblemStatus, detail: string, options: ProblemExtra & { headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
    this.type = options.type;
    this.title = options.title;
    this.limit = options.limit;
  }

  static notFound(what: string, id: string) {
    return new ApiError(404, `${what} '${id}' was not found.`);
  }

  /** A 422 naming one field. */
  static invalidField(path: string, message: string, location: ProblemFieldError["location"] = "body") {
    return new ApiError(422, `1 field is invalid: ${path}`, { errors: [{ path, location, message }] });
  }
}

/** Cuts a text to MAX_PROBLEM_TEXT characters, saying how much was left out. */
export function capText(text: string, max = MAX_PROBLEM_TEXT): string {
  if (text.length <= max) return text;
  const keep = text.slice(0, max);
  return `${keep.isWellFormed() ? keep : keep.slice(0, -1)}… (${text.length - max} more characters)`;
}

/**
 * The problem document. Bounded whatever the request: at most MAX_PROBLEM_ERRORS field errors
 * (`errorsOmitted` counts the rest) and texts cut at MAX_PROBLEM_TEXT characters, so a body with
 * 80,000 unknown keys is answered in a few KiB rather than echoed back.
 */
export function buildProblem(status: ProblemStatus, detail: string, instance: string, requestId: string, extra: ProblemExtra = {}): Problem {
  const known = PROBLEM_TYPES[status];
  const errors = extra.errors;
  return {
    type: extra.type ?? `/problems/${known.slug}`,
    title: extra.title ?? known.title,
    status,
    detail: capText(detail),
    instance: capText(instance),
    requestId,
    ...(errors ? { errors: errors.slice(0, MAX_PROBLEM_ERRORS).map((e) => ({ path: capText(e.path, 200), location: e.location, message: capText(e.message) })) } : {}),
    ...(errors && errors.length > MAX_PROBLEM_ERRORS ? { errorsOmitted: errors.length - MAX_PROBLEM_ERRORS } : {}),
    ...(extra.limit ? { limit: extra.limit } : {}),
  };
}

/** "3 fields are invalid: a, b, c" — naming at most 20 of them. */
export function invalidFieldsDetail(errors: readonly ProblemFieldError[]): string {
  const names = [...new Set(errors.map((e) => e.path))];
  const shown = names.slice(0, 20).join(", ");
  return `${names.length} field${names.length === 1 ? " is" : "s are"} invalid: ${shown}${names.length > 20 ? `, and ${names.length - 20} more` : ""}`;
}

/**
 * Renders a problem+json response. It goes through `c.body`, so the headers set earlier on the
 * request (X-Request-Id, RateLimit-*) are on it too.
 */
export function problemResponse(c: Context<AppBindings>, status: ProblemStatus, detail: string, extra: ProblemExtra & { headers?: Record<string, string> } = {}): Response {
  const body = buildProblem(status, detail, c.req.path, c.get("requestId") ?? "unknown", extra);
  return c.body(JSON.stringify(body), status, { "Content-Type": "application/problem+json", ...(extra.headers ?? {}) });
}

/**
 * Turns a zod error into field errors, e.g. `useCases.2` / `audience.horizonMonths`; an object's
 * unknown keys are named one by one (zod lists them all in one message).
 */
export function fieldErrorsFromZod(error: ZodError, location: ProblemFieldError["location"]): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const issue of error.issues) {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: [...at, key].join("."), location, message: "Unknown field: this object has no such property." });
    } else {
      out.push({ path: at.length ? at.join(".") : "(root)", location, message: issue.message });
    }
  }
  return out;
}

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: "Malformed request (e.g. the body is not valid JSON, or a bad cursor).",
  401: "Missing or invalid API key.",
  403: "The API key lacks the scope this operation needs; or, on /v1, a Host that is not loopback while the service runs open, or a browser write from another Origin.",
  404: "No such resource in this workspace.",
  405: "The path exists but not with this method.",
  408: "The request's headers did not arrive in time (answered by the HTTP server before routing).",
  409: "The request conflicts with the current state (e.g. an Idempotency-Key still in flight).",
  412: "If-Match does not match the current version of the resource.",
  413: "The request body exceeds the limit.",
  415: "The request body is not JSON.",
  422: "One or more fields are invalid; `errors` names each of them.",
  428: "This operation requires an If-Match header.",
  429: "Rate limit exceeded (retry after the Retry-After delay), or a workspace quota is full (`type: /problems/quota-exceeded`, `limit` names it: delete something first).",
  431: "The request's headers exceed the server's 16 KiB limit (answered by the HTTP server before routing).",
  500: "Unexpected server error; quote the requestId when reporting it.",
  503: "The service is shutting down or overloaded, or its database is busy or unreachable; retry after the Retry-After delay.",
};

/** One shared set of error responses, spread into every route definition. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: typeof problemContent }>;
  for (const s of statuses) out[s] = { description: DESCRIPTIONS[s], content: problemContent };
  return out;
}

/**
 * Errors any authenticated route can produce (bad JSON, auth, Host and Origin checks, validation,
 * limits, server errors, a busy or unreachable database), and those the HTTP server answers before
 * routing (408, 431).
 */
export const commonErrors = [400, 401, 403, 408, 413, 415, 422, 429, 431, 500, 503] as const;
