/**
 * A raw HTTP/1.1 client on node:http: full control over the request line, headers (including none),
 * body bytes and chunking, which fetch does not give (it refuses bodies on GET, lone surrogates...).
 */
import http from "node:http";
import zlib from "node:zlib";

export interface RawRequest {
  method: string;
  /** Path plus query string, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked (two chunks) instead of Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as the server meant it: inflated when it was sent with a Content-Encoding. */
  body: Buffer;
  text: string;
  /** Bytes on the wire (before inflating). */
  wireBytes: number;
  ms: number;
  /**
   * Set when the request was first sent on a kept-alive connection that the server then closed
   * without having announced it (no `Connection: close` on the previous response): the label of the
   * request answered last on that connection. The request was retried on a fresh connection.
   */
  droppedAfter?: string;
}

/**
 * A body as a client that sent Accept-Encoding reads it: gzip, deflate and br inflated (RFC 9110 §8.4;
 * the codings in the order applied, so undone from the last). An unknown coding is an error.
 */
export function decodeBody(wire: Buffer, contentEncoding: string | undefined): Buffer {
  if (!contentEncoding || wire.length === 0) return wire;
  let body = wire;
  for (const coding of contentEncoding.split(",").map((c) => c.trim().toLowerCase()).filter(Boolean).reverse()) {
    if (coding === "identity") continue;
    if (coding === "gzip" || coding === "x-gzip") body = zlib.gunzipSync(body);
    else if (coding === "deflate") body = zlib.inflateSync(body);
    else if (coding === "br") body = zlib.brotliDecompressSync(body);
    else throw new Error(`unknown content coding '${coding}'`);
  }
  return body;
}

export class HttpClient {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly host: string;
  readonly port: number;

  constructor(baseUrl: string, readonly timeoutMs = 15_000) {
    const u = new URL(baseUrl);
    this.host = u.hostname.replace(/^\[|\]$/g, "");
    this.port = Number(u.port);
  }

  private readonly lastOnSocket = new WeakMap<object, string>();

  /** Sends a request; `label` names it if a later request finds its connection dropped. */
  async send(req: RawRequest, label = `${req.method} ${req.path.slice(0, 120)}`): Promise<RawResponse> {
    try {
      return await this.sendOnce(req, label, this.agent);
    } catch (err) {
      const e = err as Error & { reusedSocketLabel?: string };
      if (e.reusedSocketLabel === undefined) throw err;
      const res = await this.sendOnce(req, label, false);
      return { ...res, droppedAfter: e.reusedSocketLabel };
    }
  }

  private sendOnce(req: RawRequest, label: string, agent: http.Agent | false): Promise<RawResponse> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body && !req.chunked) headers["content-length"] = String(req.body.length);
      if (req.chunked) headers["transfer-encoding"] = "chunked";
      let settled = false;
      const r = http.request({ host: this.host, port: this.port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => {
          if (!settled) {
            settled = true;
            reject(err);
          }
        });
        res.on("end", () => {
          settled = true;
          if (r.socket) this.lastOnSocket.set(r.socket, label);
          let body: Buffer;
          const wire = Buffer.concat(chunks);
          try {
            body = decodeBody(wire, res.headers["content-encoding"]);
          } catch (err) {
            reject(new Error(`the ${res.headers["content-encoding"]} body of a ${res.statusCode} answer could not be decoded: ${(err as Error).message}`));
            return;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8"), wireBytes: wire.length, ms: performance.now() - started });
        });
      });
      r.setTimeout(this.timeoutMs, () => r.destroy(new Error(`no response within ${this.timeoutMs} ms`)));
      // The server may answer (413, 415) and close before the whole body is written: a write error
      // after the response started is not a failure of the request.
      r.on("error", (err) => {
        if (!settled) {
          settled = true;
          const previous = r.reusedSocket && r.socket ? this.lastOnSocket.get(r.socket) : undefined;
          reject(previous !== undefined && /hang up|ECONNRESET|EPIPE/i.test(`${err.message} ${(err as NodeJS.ErrnoException).code}`) ? Object.assign(err, { reusedSocketLabel: previous }) : err);
        }
      });
      if (req.body && req.chunked) {
        const mid = Math.floor(req.body.length / 2);
        r.write(req.body.subarray(0, mid));
        r.end(req.body.subarray(mid));
      } else {
        r.end(req.body);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
