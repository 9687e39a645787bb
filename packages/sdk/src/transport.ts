/**
 * The fetch under every SDK call: request id and Idempotency-Key headers, a timeout per attempt, the
 * caller's AbortSignal, bounded retries of 429 and 503 that honour Retry-After, and network failures
 * turned into ModelplanNetworkError. openapi-fetch builds the Request; this sends it.
 */
import { ModelplanNetworkError, ModelplanTimeoutError, parseRetryAfterMs } from "./errors.js";

/** A fetch that takes a Request (globalThis.fetch, or a test's wrapper around it). */
export type FetchLike = (input: Request) => Promise<Response>;

/** How failed attempts are retried. */
export interface RetryOptions {
  /** Retries after the first attempt; 0 turns retrying off. Default 2. */
  maxRetries?: number;
  /** Backoff before the first retry when the answer gives no Retry-After, in ms; doubled each retry, with jitter. Default 500. */
  initialDelayMs?: number;
  /** Longest backoff, in ms. Default 8000. */
  maxDelayMs?: number;
  /** Longest Retry-After the SDK waits for, in ms; an answer asking for longer is returned as it is. Default 60000. */
  maxRetryAfterMs?: number;
  /** Statuses retried. Default [429, 503]: the service refused the request before acting on it. */
  statuses?: readonly number[];
}

/** Options of one call, beside openapi-fetch's own (`params`, `body`, `headers`, `signal`, …). */
export interface RequestControls {
  /** Timeout of each attempt in ms, the answer's body included; 0 for none. Default: the client's (60000). */
  timeoutMs?: number;
  /** Retry policy of this call, merged over the client's; `false` sends it once. */
  retry?: RetryOptions | false;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  statuses: Object.freeze([429, 503]),
});

export interface TransportSettings {
  fetch: FetchLike;
  timeoutMs: number;
  retry: Readonly<Required<RetryOptions>> | false;
}

/** The retry policy that results from a client's and a call's options. */
export function mergeRetry(base: Readonly<Required<RetryOptions>> | false, override: RetryOptions | false | undefined): Readonly<Required<RetryOptions>> | false {
  if (override === false) return false;
  if (override === undefined) return base;
  return { ...(base || DEFAULT_RETRY), ...withoutUndefined(override) };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Methods that a repeat cannot make do more than once. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
/** Statuses whose answers carry no body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The request behind each answer the transport returned: method, URL and the X-Request-Id sent (for ModelplanApiError). */
export interface SentRequest {
  method: string;
  url: string;
  requestId: string;
}
const requestOf = new WeakMap<Response, SentRequest>();
export function requestBehind(response: Response): SentRequest | undefined {
  return requestOf.get(response);
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** Sends a request with the settings' timeout and retries. Rejects with the caller's abort reason, or a ModelplanNetworkError. */
export async function send(request: Request, settings: TransportSettings): Promise<Response> {
  const method = request.method.toUpperCase();
  const url = request.url;
  const callerSignal = request.signal;
  const givenId = request.headers.get("x-request-id");
  const baseId = givenId ?? newId();
  // A POST is sent with an Idempotency-Key (the caller's, or a new one kept for every retry), so that a
  // service that saw the first attempt replays its answer instead of acting twice.
  const idempotencyKey = method === "POST" ? (request.headers.get("idempotency-key") ?? newId()) : undefined;
  const retry = settings.retry;
  const maxRetries = retry ? Math.max(0, Math.floor(retry.maxRetries)) : 0;

  for (let attempt = 1; ; attempt++) {
    callerSignal.throwIfAborted();
    // Attempts share the id's stem, so that the service's log lines of one call are found together.
    const requestId = givenId ?? (attempt === 1 ? baseId : `${baseId}-r${attempt - 1}`);
    const headers = new Headers(request.headers);
    headers.set("x-request-id", requestId);
    if (idempotencyKey !== undefined) headers.set("idempotency-key", idempotencyKey);

    const timeout = new AbortController();
    const timer = settings.timeoutMs > 0 ? setTimeout(() => timeout.abort(), settings.timeoutMs) : undefined;
    let response: Response;
    try {
      const raw = await settings.fetch(new Request(request.clone(), { headers, signal: AbortSignal.any([callerSignal, timeout.signal]) }));
      response = await readWhole(raw);
    } catch (error) {
      if (callerSignal.aborted) throw callerSignal.reason;
      const failure = timeout.signal.aborted
        ? new ModelplanTimeoutError({ method, url, requestId, attempts: attempt, timeoutMs: settings.timeoutMs })
        : networkError(error, { method, url, requestId, attempts: attempt });
      if (retry && attempt <= maxRetries && networkRetryable(method, failure)) {
        await sleep(backoffMs(retry, attempt), callerSignal);
        continue;
      }
      throw failure;
    } finally {
      clearTimeout(timer);
    }

    if (retry && attempt <= maxRetries && retry.statuses.includes(response.status)) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), Date.now());
      if (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs) {
        await sleep(retryAfterMs ?? backoffMs(retry, attempt), callerSignal);
        continue;
      }
    }
    requestOf.set(response, { method, url, requestId });
    return response;
  }
}

/**
 * A network failure is retried when repeating the request cannot act twice: an idempotent method, or a
 * connection that was refused (nothing was sent). A POST or PATCH whose connection broke after it was
 * sent is not repeated: the service may have acted on it.
 */
function networkRetryable(method: string, failure: ModelplanNetworkError): boolean {
  return IDEMPOTENT_METHODS.has(method) || failure.code === "ECONNREFUSED";
}

/** Exponential backoff with jitter: the n-th retry waits between half and all of initial·2ⁿ⁻¹ (capped). */
function backoffMs(retry: Required<RetryOptions>, attempt: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
  return ceiling * (0.5 + Math.random() * 0.5);
}

function networkError(error: unknown, details: { method: string; url: string; requestId: string; attempts: number }): ModelplanNetworkError {
  const code = errorCode(error);
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new ModelplanNetworkError(`${details.method} ${details.url} failed: ${reason || code || "network error"} (request id ${details.requestId})`, {
    ...details,
    code,
    cause: error,
  });
}

/** The system error code of a failed fetch (undici puts it on `cause`). */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

/** The answer with its body read in full (so that the timeout covers it), as a Response again. */
async function readWhole(response: Response): Promise<Response> {
  if (response.body === null) return response;
  const bytes = await response.arrayBuffer();
  const copy = new Response(NULL_BODY_STATUSES.has(response.status) ? null : bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(copy, "url", { value: response.url });
  Object.defineProperty(copy, "redirected", { value: response.redirected });
  return copy;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
