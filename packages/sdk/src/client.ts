/**
 * createClient: an openapi-fetch client over the modelplan API whose every call goes through the SDK's
 * transport (request ids, Idempotency-Key on POSTs, timeouts, retries, typed network errors), with
 * `paginate()` over the cursor-paginated lists.
 */
import createFetchClient, { type FetchResponse, type MaybeOptionalInit, type Middleware } from "openapi-fetch";
import type { paths } from "./schema.js";
import { paginator, type Paginate } from "./paginate.js";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, mergeRetry, send, type FetchLike, type RequestControls, type RetryOptions } from "./transport.js";

export interface ClientOptions {
  /** Base URL of the service, e.g. "http://127.0.0.1:8787". */
  baseUrl: string;
  /** API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Custom fetch (proxies, tests). Called once per attempt with a Request. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Timeout of each attempt in ms, the answer's body included; 0 for none. Default 60000. */
  timeoutMs?: number;
  /** Retries of 429 and 503 (honouring Retry-After) and of network failures that are safe to repeat; `false` turns them off. Default: 2 retries. */
  retry?: RetryOptions | false;
}

type Method = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type Media = `${string}/${string}`;
type RequiredKeysOfHelper<T> = { [K in keyof T]: {} extends Pick<T, K> ? never : K }[keyof T];
type RequiredKeysOf<T> = RequiredKeysOfHelper<T> extends undefined ? never : RequiredKeysOfHelper<T>;
/** openapi-fetch's init argument (optional when nothing in it is required), with the SDK's per-call controls typed. */
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & RequestControls & { [key: string]: unknown })?] : [Init & RequestControls & { [key: string]: unknown }];

type PathsWithMethod<Paths, M extends Method> = { [P in keyof Paths]: Paths[P] extends { [K in M]: any } ? P : never }[keyof Paths];
type TypedMethod<Paths extends {}, M extends Method> = <Path extends PathsWithMethod<Paths, M>, Init extends MaybeOptionalInit<Paths[Path], M & keyof Paths[Path]>>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<FetchResponse<Extract<Paths[Path][M & keyof Paths[Path]], Record<string | number, any>>, Init, Media>>;
type ClientMethod<M extends Method> = TypedMethod<paths, M>;

/** The typed client: openapi-fetch's methods (each also taking `timeoutMs`, `retry` and `signal`), middleware and `paginate`. */
export interface ModelplanClient {
  GET: ClientMethod<"get">;
  PUT: ClientMethod<"put">;
  POST: ClientMethod<"post">;
  DELETE: ClientMethod<"delete">;
  OPTIONS: ClientMethod<"options">;
  HEAD: ClientMethod<"head">;
  PATCH: ClientMethod<"patch">;
  TRACE: ClientMethod<"trace">;
  /** Registers openapi-fetch middleware (it sees each call once, around all its attempts). */
  use(...middleware: Middleware[]): void;
  /** Unregisters middleware. */
  eject(...middleware: Middleware[]): void;
  /**
   * Every item of a cursor-paginated list, fetching page after page as the loop asks for more.
   *
   * @example
   * for await (const useCase of client.paginate("/v1/use-cases", { query: { domain: "health" } })) console.log(useCase.slug);
   */
  paginate: Paginate;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

export function createClient(options: ClientOptions): ModelplanClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`;
  const baseFetch: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry = mergeRetry(DEFAULT_RETRY, options.retry);
  const inner = createFetchClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ""), headers });

  // Each call's own `timeoutMs`, `retry` and `fetch` become the transport openapi-fetch sends it with.
  const withControls =
    (call: (url: string, init?: Record<string, unknown>) => Promise<unknown>) =>
    (url: string, init: Record<string, unknown> = {}) => {
      const { timeoutMs: callTimeoutMs, retry: callRetry, fetch: callFetch, ...rest } = init;
      const settings = {
        fetch: typeof callFetch === "function" ? (callFetch as FetchLike) : baseFetch,
        timeoutMs: typeof callTimeoutMs === "number" ? callTimeoutMs : timeoutMs,
        retry: mergeRetry(retry, callRetry as RetryOptions | false | undefined),
      };
      return call(url, { ...rest, fetch: (request: Request) => send(request, settings) });
    };

  const client = {
    use: (...m: Middleware[]) => inner.use(...m),
    eject: (...m: Middleware[]) => inner.eject(...m),
  } as Record<string, unknown>;
  for (const method of METHODS) {
    const call = inner[method] as unknown as (url: string, init?: Record<string, unknown>) => Promise<unknown>;
    client[method] = withControls(call);
  }
  const typed = client as unknown as ModelplanClient;
  typed.paginate = paginator(typed);
  return typed;
}
