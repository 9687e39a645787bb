import type { Context } from "hono";
import { asJson } from "./raw-json";

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;
const escapeChar = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

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

const encoder = new TextEncoder();
const scratch = new Uint8Array(256 * 1024);

/**
 * UTF-8 bytes of a string, in memory of their own (not a slice of Buffer's shared pool: they may be
 * kept for a long time, e.g. by the estimate cache). One encoding pass into a scratch buffer and a
 * copy: for a two-byte string (text with characters beyond Latin-1) Buffer.from's length pass plus
 * encoding pass cost ~60% more.
 */
export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  if (text.length * 3 > scratch.length) return new Uint8Array(Buffer.from(text, "utf8"));
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.slice(0, written);
}

/**
 * A 200 JSON answer of `value`, written as ASCII-only JSON (asciiJson), typed like `c.json(value)`
 * so the route's declared response schema still checks the value.
 */
export function asciiJsonResponse<T>(c: Context, value: T) {
  return asJson<T>(c.body(utf8Bytes(asciiJson(JSON.stringify(value))), 200, { "Content-Type": "application/json" }));
}
