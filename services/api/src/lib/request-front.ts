import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { rateLimitHeaders } from "../auth/middleware";
import { JSON_TYPES, logRequest, requestGuards, requestIdFrom, setAdmission, type RequestGuards } from "./create-app";
import { decodeUtf8, rawHeader, readIncomingBody } from "./node-io";
import { buildProblem } from "./problem";
import { cachedGzip, cachedHitHeaders } from "./response-cache";
import type { AppOpenAPI } from "./types";

/** A Host header @hono/node-server builds a URL from unchanged (anything else goes to it, to be judged there). */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;
/** A Content-Length of a non-empty body (Node's parser has checked it is one decimal number). */
const NONZERO_LENGTH = /^[1-9]\d{0,15}$/;

/**
 * The Node request listener of the server: answers estimate-cache hits itself, straight from Node's
 * request, and hands everything else to the app through @hono/node-server.
 *
 * A hit is the service's most frequent cheap answer (a planner re-asking the same estimate), and
 * most of its cost was the framework around it: @hono/node-server's request and response wrappers,
 * Hono's routing, context and middleware chain — about half of the ~100 µs of server time a hit
 * took on this machine (`npx tsx scripts/load.ts` reports it per row). Here a hit runs the app's own
 * checks, in the app's order, with the app's state (requestGuards: one caller resolver, one set of
 * rate-limit buckets, one cache): request id, authentication and scope, rate limit, body read, cache
 * lookup — and is written with exactly the headers and bytes the app would send.
 *
 * Whatever is not a plain hit goes to the app unchanged, before anything is consumed, or with what
 * was done handed over: a request that fails authentication or the rate limit (a refused take
 * consumes no token) is handed over untouched and refused by the app; one admitted and then missed
 * carries its admission (caller, rate-limit take, request id; setAdmission) and its body, already
 * read (readIncomingBody keeps it), so the app neither authenticates it nor counts it twice.
 *
 * @hono/node-server's own clean-up of unread request bodies is off (autoCleanupIncoming): it listens
 * for the end of the body, which has already passed for a body read here. Node itself discards an
 * unread body after the answer, and the app closes the connection when it answers before reading
 * one (create-app.ts).
 */
export function nodeRequestListener(app: AppOpenAPI): FrontListener {
  const appListener = getRequestListener(app.fetch, { autoCleanupIncoming: false }) as RequestListener;
  const guards = requestGuards(app);
  const cache = guards.responseCache;
  const stats: FrontStats = { answered: 0, handedOver: 0 };
  const toApp: RequestListener = (incoming, outgoing) => {
    stats.handedOver++;
    return appListener(incoming, outgoing);
  };
  const listener: RequestListener = (incoming, outgoing) => {
    if (!cache || incoming.method !== "POST" || incoming.url === undefined || !cache.covers(incoming.url)) return appListener(incoming, outgoing);
    answerHit(guards, incoming, outgoing, toApp).then(
      (answered) => {
        if (answered) stats.answered++;
      },
      (err: unknown) => failed(guards, incoming, outgoing, err),
    );
  };
  return Object.assign(listener, { stats });
}

/** Requests to the cached routes: answered by the front (hits), and handed to the app. */
export interface FrontStats {
  answered: number;
  handedOver: number;
}

export type FrontListener = RequestListener & { stats: FrontStats };

/** Answers a plain hit (true), or hands the request to the app (false). */
async function answerHit(guards: RequestGuards, incoming: IncomingMessage, outgoing: ServerResponse, toApp: RequestListener): Promise<boolean> {
  const started = performance.now();
  const cache = guards.responseCache!;
  const raw = incoming.rawHeaders;
  const path = incoming.url!;
  // Only a plain JSON body of declared length: every other shape has its own answer in the app.
  const type = rawHeader(raw, "content-type");
  const length = rawHeader(raw, "content-length");
  const host = rawHeader(raw, "host");
  if (
    type === undefined ||
    !JSON_TYPES.test(type) ||
    length === undefined ||
    !NONZERO_LENGTH.test(length) ||
    Number(length) > guards.maxBodyBytes ||
    rawHeader(raw, "transfer-encoding") !== undefined ||
    rawHeader(raw, "content-encoding") !== undefined ||
    host === undefined ||
    !PLAIN_HOST.test(host)
  ) {
    return handOver(incoming, outgoing, toApp);
  }
  const caller = guards.resolveCaller("POST", path, rawHeader(raw, "authorization"));
  if (caller === undefined || !caller.ok) return handOver(incoming, outgoing, toApp);
  const rate = guards.limiter.take("POST", path, caller.principal, incoming.socket?.remoteAddress ?? "local");
  if (rate !== undefined && !rate.allowed) return handOver(incoming, outgoing, toApp);
  const requestId = requestIdFrom(rawHeader(raw, "x-request-id"));
  setAdmission(incoming, { requestId, caller, rate });

  let body: Buffer | "too-large";
  try {
    body = await readIncomingBody(incoming, guards.maxBodyBytes);
  } catch {
    return handOver(incoming, outgoing, toApp); // the app answers the broken-off body (400, Connection: close)
  }
  const key = body === "too-large" ? undefined : cache.keyFor(path, caller.workspaceId, type, decodeUtf8(body));
  if (key === undefined || cache.peek(key) === undefined) return handOver(incoming, outgoing, toApp);
  const answer = cache.get(key)!; // counts the hit and makes it the most recent

  const gzip = cachedGzip(cache, key, answer, rawHeader(raw, "accept-encoding"));
  const bytes = gzip ?? answer.bytes;
  const headers = ["X-Request-Id", requestId, ...(rate ? rateLimitHeaders(rate) : []), ...cachedHitHeaders(gzip !== undefined, bytes.byteLength)];
  outgoing.writeHead(200, headers);
  outgoing.end(bytes);
  if (guards.logger.isLevelEnabled("info")) logRequest(guards.logger, requestId, "POST", path, 200, started);
  return true;
}

function handOver(incoming: IncomingMessage, outgoing: ServerResponse, toApp: RequestListener): false {
  toApp(incoming, outgoing); // @hono/node-server's listener answers its own errors
  return false;
}

/** An unexpected error of the front itself: logged, and a 500 problem when nothing was sent yet. */
function failed(guards: RequestGuards, incoming: IncomingMessage, outgoing: ServerResponse, err: unknown): void {
  const requestId = requestIdFrom(undefined);
  guards.logger.error({ requestId, err }, "unhandled error in the request front");
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  const problem = buildProblem(500, "An unexpected error occurred. Quote the requestId when reporting it.", incoming.url ?? "/", requestId);
  outgoing.writeHead(500, { "X-Request-Id": requestId, "Content-Type": "application/problem+json", Connection: "close" });
  outgoing.end(JSON.stringify(problem));
}
