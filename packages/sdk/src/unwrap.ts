import { ModelplanApiError, type Problem } from "./errors.js";
import { requestBehind } from "./transport.js";

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "status" in value && "title" in value && "detail" in value;
}

/**
 * Awaits an SDK call and returns its data, or throws `ModelplanApiError` with the problem document
 * (one is made from the status when the answer carries none, e.g. from a proxy).
 *
 * @example
 * const page = await unwrap(client.GET("/v1/use-cases", { params: { query: { domain: "health" } } }));
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const sent = requestBehind(response);
    const problem: Problem = isProblem(error)
      ? error
      : {
          type: "about:blank",
          title: response.statusText || "Error",
          status: response.status,
          detail: typeof error === "string" && error ? error : `HTTP ${response.status}`,
          instance: new URL(response.url || sent?.url || "http://invalid/").pathname,
          requestId: response.headers.get("x-request-id") ?? sent?.requestId ?? "",
        };
    throw new ModelplanApiError(problem, response, sent);
  }
  return data as T;
}
