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
      .optional()
      .openapi({ description: "For validation problems: one entry per invalid field." }),
  })
  .openapi("Problem");

export type Problem = z.infer<typeof ProblemSchema>;
export type ProblemFieldError = z.infer<typeof ProblemFieldErrorSchema>;

/** The catalogue of problem types this API can answer with. */
export const PROBLEM_TYPES = {
  400: { slug: "bad-request", title: "Bad request" },
  401: { slug: "unauthorized", title: "Authentication required" },
  403: { slug: "forbidden", title: "Forbidden" },
  404: { slug: "not-found", title: "Resource not found" },
  405: { slug: "method-not-allowed", title: "Method not allowed" },
  409: { slug: "conflict", title: "Conflict" },
  412: { slug: "precondition-failed", title: "Precondition failed" },
  413: { slug: "payload-too-large", title: "Request body too large" },
  415: { slug: "unsupported-media-type", title: "Unsupported media type" },
  422: { slug: "validation-error", title: "Request validation failed" },
  428: { slug: "precondition-required", title: "Precondition required" },
  429: { slug: "rate-limited", title: "Too many requests" },
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

  constructor(
    status: ProblemStatus,
    detail: string,
    options: { errors?: ProblemFieldError[]; headers?: Record<string, string>; type?: string; title?: string } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
    this.type = options.type;
    this.title = options.title;
  }

  static notFound(what: string, id: string) {
    return new ApiError(404, `${what} '${id}' was not found.`);
  }

  /** A 422 naming one field. */
  static invalidField(path: string, message: string, location: ProblemFieldError["location"] = "body") {
    return new ApiError(422, `1 field is invalid: ${path}`, { errors: [{ path, location, message }] });
  }
}

export function buildProblem(
  status: ProblemStatus,
  detail: string,
  instance: string,
  requestId: string,
  extra: { errors?: ProblemFieldError[]; type?: string; title?: string } = {},
): Problem {
  const known = PROBLEM_TYPES[status];
  return {
    type: extra.type ?? `/problems/${known.slug}`,
    title: extra.title ?? known.title,
    status,
    detail,
    instance,
    requestId,
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
}

/**
 * Renders a problem+json response. It goes through `c.body`, so the headers set earlier on the
 * request (X-Request-Id, RateLimit-*) are on it too.
 */
export function problemResponse(
  c: Context<AppBindings>,
  status: ProblemStatus,
  detail: string,
  extra: { errors?: ProblemFieldError[]; headers?: Record<string, string>; type?: string; title?: string } = {},
): Response {
  const body = buildProblem(status, detail, c.req.path, c.get("requestId") ?? "unknown", extra);
  return c.body(JSON.stringify(body), status, { "Content-Type": "application/problem+json", ...(extra.headers ?? {}) });
}

/** Turns a zod error into field errors, e.g. `useCases.2` / `audience.horizonMonths`. */
export function fieldErrorsFromZod(error: ZodError, location: ProblemFieldError["location"]): ProblemFieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(root)",
    location,
    message: issue.message,
  }));
}

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: "Malformed request (e.g. the body is not valid JSON, or a bad cursor).",
  401: "Missing or invalid API key.",
  403: "The API key lacks the scope this operation needs.",
  404: "No such resource in this workspace.",
  405: "The path exists but not with this method.",
  409: "The request conflicts with the current state (e.g. an Idempotency-Key still in flight).",
  412: "If-Match does not match the current version of the resource.",
  413: "The request body exceeds the limit.",
  415: "The request body is not JSON.",
  422: "One or more fields are invalid; `errors` names each of them.",
  428: "This operation requires an If-Match header.",
  429: "Rate limit exceeded; retry after the Retry-After delay.",
  500: "Unexpected server error; quote the requestId when reporting it.",
  503: "The service is shutting down or overloaded, or its database is busy or unreachable; retry after the Retry-After delay.",
};

/** One shared set of error responses, spread into every route definition. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: typeof problemContent }>;
  for (const s of statuses) out[s] = { description: DESCRIPTIONS[s], content: problemContent };
  return out;
}

/** Errors any authenticated route can produce (bad JSON, auth, validation, limits, server errors). */
export const commonErrors = [400, 401, 403, 413, 415, 422, 429, 500, 503] as const;
