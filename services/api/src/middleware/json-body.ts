import { isUtf8 } from "node:buffer";
import type { Context, MiddlewareHandler } from "hono";
import { decodeUtf8, readRequestBody, requestHeader } from "../lib/node-io";
import { problemResponse } from "../lib/problem";
import type { AppBindings } from "../lib/types";

/** Deepest JSON nesting any request body may have; every schema of the API is far shallower. */
export const MAX_JSON_DEPTH = 32;

/** Content types whose bodies are read as JSON. */
export const JSON_TYPES = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * The request body, checked once for every route before any of them runs:
 * - 415 for a body that is compressed or not JSON (with Accept-Post / Accept-Patch);
 * - 413 over `maxBodyBytes` (by its declared length, or as a chunked body is read), closing the
 *   connection since the rest of the body is left unread;
 * - 422 for bytes that are not UTF-8 (RFC 8259 §8.1: JSON text exchanged between systems is UTF-8);
 *   they would otherwise be decoded to U+FFFD and stored changed;
 * - 400 for text that is not JSON, 422 for JSON no schema can accept (findJsonIssue).
 *
 * The text read here is handed to Hono's body cache, so the route's validator (c.req.json()) and
 * any other reader (c.req.text(), e.g. the estimate cache) read it from memory, not from the socket.
 * A body no route reads as JSON (a DELETE's, say) is only held to the size limit.
 */
export function jsonBody({ maxBodyBytes }: { maxBodyBytes: number }): MiddlewareHandler<AppBindings> {
  const tooLarge = (c: Context<AppBindings>) =>
    problemResponse(c, 413, `The request body exceeds the ${maxBodyBytes}-byte limit.`, { headers: { Connection: "close" } });

  return async function jsonBody(c, next) {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = requestHeader(c, "content-length");
    const chunked = requestHeader(c, "transfer-encoding") !== undefined;
    const declared = (length !== undefined && length !== "0") || chunked;
    if (!declared) return next();
    const type = requestHeader(c, "content-type");
    const isBodyMethod = BODY_METHODS.has(method);
    if (isBodyMethod) {
      const encoding = requestHeader(c, "content-encoding");
      if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
        return problemResponse(c, 415, `Content-Encoding '${encoding}' is not accepted; send the JSON body uncompressed.`);
      }
      if (!type || !JSON_TYPES.test(type)) {
        return problemResponse(c, 415, `Send the body as application/json (got ${type ? `'${type}'` : "no Content-Type"}).`, {
          headers: { "Accept-Post": "application/json", "Accept-Patch": "application/json, application/merge-patch+json" },
        });
      }
    } else {
      if (!chunked) return Number.parseInt(length ?? "0", 10) > maxBodyBytes ? tooLarge(c) : next();
      return (await readRequestBody(c, maxBodyBytes)) === "too-large" ? tooLarge(c) : next();
    }

    const bytes = await readRequestBody(c, maxBodyBytes);
    if (bytes === "too-large") return tooLarge(c);
    if (!isUtf8(bytes)) {
      const at = firstInvalidUtf8(bytes);
      return problemResponse(c, 422, "1 field is invalid: (root)", {
        errors: [{ path: "(root)", location: "body", message: `The body is not valid UTF-8 (first bad byte at offset ${at}); send JSON encoded as UTF-8.` }],
      });
    }
    const text = decodeUtf8(bytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return problemResponse(c, 400, "The request body is not valid JSON.");
    }
    const issue = findJsonIssue(parsed);
    if (issue) return problemResponse(c, 422, `1 field is invalid: ${issue.path}`, { errors: [{ ...issue, location: "body" }] });
    // Hono's own body cache (the one its validator and c.req.text() read): a promise of the text.
    // Its declared type says string; Hono stores and reads promises there.
    c.req.bodyCache.text = Promise.resolve(text) as unknown as string;
    return next();
  };
}

/**
 * Finds what no schema can accept and what would break storage: nesting deeper than MAX_JSON_DEPTH
 * (a stack hazard for every recursive consumer) and strings with lone UTF-16 surrogates (SQLite
 * stores UTF-8, where they cannot exist, so they would read back changed).
 */
export function findJsonIssue(value: unknown): { path: string; message: string } | undefined {
  const found = scanJson(value, 0);
  if (!found) return undefined;
  return { path: found.reversedPath.length ? found.reversedPath.reverse().join(".") : "(root)", message: found.message };
}

// Allocation-free on the happy path (it runs on every JSON body); the path is built only on failure.
function scanJson(value: unknown, depth: number): { reversedPath: string[]; message: string } | undefined {
  if (typeof value === "string") {
    return value.isWellFormed() ? undefined : { reversedPath: [], message: "Contains a lone UTF-16 surrogate; send well-formed Unicode." };
  }
  if (value === null || typeof value !== "object") return undefined;
  if (depth >= MAX_JSON_DEPTH) return { reversedPath: [], message: `Nested deeper than ${MAX_JSON_DEPTH} levels.` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const issue = scanJson(value[i], depth + 1);
      if (issue) return (issue.reversedPath.push(String(i)), issue);
    }
    return undefined;
  }
  for (const k in value) {
    if (!k.isWellFormed()) return { reversedPath: [], message: "A key contains a lone UTF-16 surrogate." };
    const issue = scanJson((value as Record<string, unknown>)[k], depth + 1);
    if (issue) return (issue.reversedPath.push(k), issue);
  }
  return undefined;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629 §4); only called on a body isUtf8 refused. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) return i;
    for (let k = 1; k < n; k++) {
      const lo = k === 1 ? (b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80) : 0x80;
      const hi = k === 1 ? (b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf) : 0xbf;
      if (bytes[i + k] < lo || bytes[i + k] > hi) return i;
    }
    i += n;
  }
  return bytes.length;
}
