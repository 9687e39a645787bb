import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";

/**
 * Request and response plumbing that goes straight to Node's IncomingMessage / ServerResponse when
 * the app runs under @hono/node-server (`c.env.incoming` / `c.env.outgoing`), and through Hono's
 * web-standard objects otherwise (`app.request` in tests). Profiling the load script showed why:
 * touching `c.req.raw.body` makes @hono/node-server build a full WHATWG Request (AbortController,
 * web stream over the socket) — ~25 µs a request — and a header set with `c.header()` makes every
 * answer build and re-read a WHATWG Headers object — ~10–15 µs for the four headers every answer
 * carries. Both paths send the same bytes.
 */
export interface NodeEnv {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

function nodeEnv(c: Context): NodeEnv | undefined {
  return c.env as NodeEnv | undefined;
}

/**
 * A request header as `Headers.get` answers it (case-insensitive, repeated headers joined with
 * ", "), read from Node's raw header list when there is one: asking `c.req.header()` makes
 * @hono/node-server build a WHATWG Headers object of every header first.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeEnv(c)?.incoming;
  return incoming ? rawHeader(incoming.rawHeaders, name) : c.req.header(name);
}

/** A header of Node's raw header list (`name` in lower case), as requestHeader answers it. */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i];
    if (key.length === name.length && key.toLowerCase() === name) value = value === undefined ? raw[i + 1] : `${value}, ${raw[i + 1]}`;
  }
  return value;
}

/**
 * Sets a header on the answer, whatever response the route ends up returning (including a problem
 * built later by the error handler). A later header of the same name set on the Response wins, as
 * with `c.header()`.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeEnv(c)?.outgoing;
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/** The request body could not be read: the client went away or broke the framing mid-body. */
export class BodyReadError extends Error {}

/**
 * Reads the whole request body, refusing more than `maxBytes`: returns the bytes, or `"too-large"`
 * as soon as the limit is passed (the rest is left unread; the caller answers 413 and closes the
 * connection). A declared Content-Length over the limit is refused without reading anything.
 */
export async function readRequestBody(c: Context, maxBytes: number): Promise<Uint8Array | "too-large"> {
  const length = requestHeader(c, "content-length");
  const chunked = requestHeader(c, "transfer-encoding") !== undefined;
  if (length !== undefined && !chunked && Number.parseInt(length, 10) > maxBytes) return "too-large";
  const incoming = nodeEnv(c)?.incoming;
  if (incoming) return new Promise((resolve, reject) => new IncomingBodyReader(incoming, maxBytes, resolve, reject));
  return readWebBody(c.req.raw.body, maxBytes);
}

/**
 * Whether the request's body is still (partly) on the socket after the answer: declared, and not
 * read to its end. Under app.request (no socket) always false.
 */
export function bodyLeftUnread(c: Context): boolean {
  const incoming = nodeEnv(c)?.incoming;
  if (!incoming || incoming.readableEnded) return false;
  return (incoming.headers["content-length"] ?? "0") !== "0" || incoming.headers["transfer-encoding"] !== undefined;
}

/**
 * Collects one request body from Node's stream. A class with bound methods rather than closures:
 * this runs on every request with a body.
 */
class IncomingBodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly incoming: IncomingMessage,
    private readonly maxBytes: number,
    private readonly resolve: (body: Buffer | "too-large") => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
    incoming.on("data", this.onData);
    incoming.on("end", this.onEnd);
    // A client that goes away mid-body makes Node destroy the message with an "aborted" error.
    incoming.on("error", this.onError);
  }

  private done(): void {
    this.incoming.off("data", this.onData);
    this.incoming.off("end", this.onEnd);
    this.incoming.off("error", this.onError);
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.done();
      this.incoming.pause();
      this.resolve("too-large");
      return;
    }
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    this.done();
    this.resolve(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size));
  }

  private onError(err: Error): void {
    this.done();
    this.reject(new BodyReadError(`the request body could not be read: ${err.message}`));
  }
}

async function readWebBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | "too-large"> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (err) {
      throw new BodyReadError(`the request body could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (step.done) break;
    size += step.value.length;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      return "too-large";
    }
    chunks.push(step.value);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

/** UTF-8 text of a body as fetch's `Request.text()` decodes it: a leading BOM dropped, bad bytes as U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  // Buffer#toString is the fast path; it keeps a BOM, which TextDecoder (like Request.text()) drops.
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8.decode(bytes);
  return Buffer.isBuffer(bytes) ? bytes.toString("utf8") : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}
