/**
 * The errors the SDK throws. Every one carries the request id, so that a failure can be found in the
 * service's logs: the `X-Request-Id` the service answered with, or, when no answer came, the one the
 * SDK sent (it sends one with every attempt).
 */
import type { components } from "./schema.js";

/** An RFC 9457 problem document, as every modelplan error answer carries. */
export type Problem = components["schemas"]["Problem"];

/** What every SDK error has in common. */
export abstract class ModelplanError extends Error {
  /** The request id of the last attempt: quote it when reporting a problem. */
  readonly requestId: string;
  /** HTTP method of the request. */
  readonly method: string;
  /** URL of the request. */
  readonly url: string;

  protected constructor(message: string, request: { method: string; url: string; requestId: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.method = request.method;
    this.url = request.url;
    this.requestId = request.requestId;
  }
}

/** The service answered with an error status: carries the problem document and the response. */
export class ModelplanApiError extends ModelplanError {
  readonly status: number;
  readonly problem: Problem;
  readonly response: Response;

  constructor(problem: Problem, response: Response, request?: { method: string; url: string; requestId?: string }) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`, {
      method: request?.method ?? "",
      url: request?.url ?? response.url,
      // The service's id; else (an answer from a proxy) the one the SDK sent.
      requestId: problem.requestId || response.headers.get("x-request-id") || request?.requestId || "",
    });
    this.name = "ModelplanApiError";
    this.status = problem.status;
    this.problem = problem;
    this.response = response;
  }

  /** Seconds the service asked to wait before retrying (429, 503), when it said. */
  get retryAfterSec(): number | undefined {
    const ms = parseRetryAfterMs(this.response.headers.get("retry-after"), Date.now());
    return ms === undefined ? undefined : Math.ceil(ms / 1000);
  }
}

/** No answer came: the connection failed, was reset, or the service is not running. */
export class ModelplanNetworkError extends ModelplanError {
  /** Attempts made (1 + retries). */
  readonly attempts: number;
  /** The system error code when one is known (ECONNREFUSED, ECONNRESET, ENOTFOUND, …). */
  readonly code: string | undefined;

  constructor(message: string, details: { method: string; url: string; requestId: string; attempts: number; code?: string; cause?: unknown }) {
    super(message, details, { cause: details.cause });
    this.name = "ModelplanNetworkError";
    this.attempts = details.attempts;
    this.code = details.code;
  }
}

/** An attempt took longer than the timeout (`timeoutMs`); a kind of network error. */
export class ModelplanTimeoutError extends ModelplanNetworkError {
  readonly timeoutMs: number;

  constructor(details: { method: string; url: string; requestId: string; attempts: number; timeoutMs: number }) {
    super(`${details.method} ${details.url} timed out after ${details.timeoutMs} ms (request id ${details.requestId})`, { ...details, code: "ETIMEDOUT" });
    this.name = "ModelplanTimeoutError";
    this.timeoutMs = details.timeoutMs;
  }
}

/** A Retry-After header (delay in seconds, or an HTTP date) in milliseconds from `nowMs`. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
