import { randomUUID } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { requestIdFrom } from "../middleware/request-id";
import type { Logger } from "./logger";
import { rawHeader } from "./node-io";
import { buildProblem, type ProblemStatus } from "./problem";
import type { AppOpenAPI } from "./types";

/**
 * The Node HTTP server of the app. Two kinds of request never reach the app, and both are answered
 * with problem+json carrying a request id (X-Request-Id and `requestId`) and logged, like every other
 * refusal (issue 14, finding 7):
 *
 * - Requests Node's parser refuses (`clientError`): headers over Node's 16 KiB limit (431), a request
 *   that times out before its headers arrive (408), malformed HTTP (400). The connection is closed.
 * - Requests @hono/node-server cannot turn into a URL: an invalid `Host` (`example.com:99999`,
 *   `1.2.3.4.5` followed by a bad port…), no `Host` at all (Node's own check is turned off so this
 *   path answers it), an invalid absolute-form target: 400.
 */
/**
 * How long an idle kept-alive connection stays open: 65 s (Node's default is 5 s), longer than a load
 * balancer's usual 60 s idle timeout (AWS ALB's default), so the server is not the side that closes a
 * connection a client is about to reuse, the race that loses a request sent on it (seen as
 * "connection-dropped" by the fuzzer on a loaded machine). Node requires headersTimeout above it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(app: AppOpenAPI, logger: Logger): Server {
  // Set synchronously around each call of the listener: @hono/node-server builds the request's URL,
  // and calls errorHandler when that throws, before its first await.
  let current: IncomingMessage | undefined;
  const listener = getRequestListener(app.fetch, {
    errorHandler: (err) => {
      const incoming = current;
      const requestId = requestIdFrom(incoming ? rawHeader(incoming.rawHeaders, "x-request-id") : undefined);
      const reason = err instanceof Error ? err.message : String(err);
      const host = incoming ? rawHeader(incoming.rawHeaders, "host") : undefined;
      const detail =
        host === undefined
          ? "The request has no Host header."
          : `The request's Host header or target is not a valid URL authority: Host '${host.slice(0, 200)}' (${reason}).`;
      const path = incoming?.url?.startsWith("/") ? incoming.url.split("?")[0] : "/";
      logger.warn({ requestId, method: incoming?.method, path, status: 400, host: host?.slice(0, 200), reason }, "request refused before routing");
      const problem = buildProblem(400, detail, path, requestId);
      return new Response(JSON.stringify(problem), {
        status: 400,
        headers: { "Content-Type": "application/problem+json", "X-Request-Id": requestId, Connection: "close" },
      });
    },
  });
  const server = createServer({ requireHostHeader: false, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout: KEEP_ALIVE_TIMEOUT_MS + 1_000 }, (incoming, outgoing) => {
    current = incoming;
    try {
      return listener(incoming, outgoing);
    } finally {
      current = undefined;
    }
  });
  server.on("clientError", (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => answerClientError(err, socket, logger));
  return server;
}

/** Node's parser refused a request: answers it as problem+json on the raw socket and closes it. */
export function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex, logger: Logger): void {
  // The client is gone, or an answer is already on its way: nothing can be written.
  if (err.code === "ECONNRESET" || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const status: ProblemStatus = err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const detail =
    status === 431
      ? "The request's header section exceeds the server's limit (16 KiB): send fewer or shorter headers."
      : status === 408
        ? "The request's headers did not arrive in time."
        : `The request is not valid HTTP/1.1 (${err.code ?? "parse error"}).`;
  const requestId = randomUUID();
  const target = /^[A-Z]{1,16} (\/[\x21-\x7e]{0,200})/.exec(err.rawPacket?.subarray(0, 256).toString("latin1") ?? "")?.[1];
  const path = target?.split("?")[0] ?? "/";
  logger.warn({ requestId, path, status, code: err.code }, "request refused before routing");
  const body = JSON.stringify(buildProblem(status, detail, path, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}
