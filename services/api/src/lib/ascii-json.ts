import type { Context } from "hono";
import { AsciiJsonWriter } from "./ascii-json-writer";
import { asJson } from "./raw-json";

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;
const escapes = new Map<string, string>();
const escapeChar = (ch: string) => {
  let escaped = escapes.get(ch);
  if (escaped === undefined) {
    escaped = `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    if (escapes.size < 4096) escapes.set(ch, escaped);
  }
  return escaped;
};

/**
 * JSON text with every character outside printable ASCII written as a \u escape (RFC 8259 §7: the
 * same value to any JSON parser). An estimate's text is ASCII but for a few characters of its
 * sources and formulas (en dashes, ×, ·), and those few send every JavaScript reader down the slow
 * path for the whole 9 KB answer: TextDecoder (fetch's `text()`) takes ~30 µs for it as UTF-8 and
 * ~3 µs as ASCII (`npx tsx scripts/decode-cost.ts`). The estimate routes answer so.
 */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeChar) : json;
}

/**
 * The bytes of ASCII text (as asciiJson writes it), in memory of their own. One character is one
 * byte, so this is a copy (Latin-1 write), not an encoding pass: ~2 µs for a 20 KB answer against
 * ~11 µs through TextEncoder.
 */
export function asciiBytes(ascii: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.allocUnsafeSlow(ascii.length);
  bytes.write(ascii, 0, "latin1");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const writer = new AsciiJsonWriter((json) => asciiBytes(asciiJson(json)));

/**
 * The value as ASCII-only JSON (asciiJson), as bytes in memory of their own: exactly
 * asciiBytes(asciiJson(JSON.stringify(value))), written by AsciiJsonWriter (ascii-json-writer.ts),
 * which keeps each string's escaped bytes from one answer to the next.
 */
export function asciiJsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  const bytes = writer.bytes(value);
  if (bytes === undefined) throw new TypeError("The value has no JSON text (undefined, a function or a symbol).");
  return bytes;
}

/**
 * The bytes each answer of asciiJsonResponse was built from, by response: a middleware that keeps
 * answers (the estimate cache) reads them here instead of reading the body back — which makes
 * @hono/node-server build a full WHATWG Response and a web stream over the bytes (~50 µs a
 * request in the load script). Responses no longer referenced drop out with their bytes.
 */
const answerBytes = new WeakMap<Response, Uint8Array<ArrayBuffer>>();

/** The bytes of an answer built by asciiJsonResponse; undefined for any other response. */
export function bytesOfAnswer(res: Response): Uint8Array<ArrayBuffer> | undefined {
  return answerBytes.get(res);
}

/**
 * A 200 JSON answer of `value`, written as ASCII-only JSON (asciiJson), typed like `c.json(value)`
 * so the route's declared response schema still checks the value. Its bytes stay readable through
 * bytesOfAnswer.
 */
export function asciiJsonResponse<T>(c: Context, value: T) {
  const bytes = asciiJsonBytes(value);
  const res = c.body(bytes, 200, { "Content-Type": "application/json" });
  answerBytes.set(res, bytes);
  return asJson<T>(res);
}
