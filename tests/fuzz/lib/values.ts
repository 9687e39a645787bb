/**
 * Values the fuzzer puts into requests, and how they are written on the wire. Generated bodies are
 * plain JSON values plus three markers that JSON.stringify cannot express or that depend on state:
 * raw JSON tokens (NaN, 1e999), very deep nesting (rendered without recursion), and references to ids
 * the server handed out earlier in the run.
 */

/** A JSON token written verbatim, e.g. `NaN`, `1e999`, `-0`, `9007199254740993`. */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON() {
    return { $raw: this.text };
  }
}

/** `depth` levels of `[` or `{"a":` around a `1`, rendered iteratively. */
export class DeepNest {
  constructor(readonly depth: number, readonly kind: "array" | "object") {}
  toJSON() {
    return { $deep: this.depth, kind: this.kind };
  }
}

/** An id harvested from an earlier 2xx response (index into the run's id pool, modulo its size). */
export class PoolRef {
  /** `hint`: the field's name without its Id/Ids suffix (`scenario`), to pick ids of that collection. */
  constructor(readonly index: number, readonly fallback: string, readonly hint?: string) {}
  toJSON() {
    return { $poolRef: this.index };
  }
}

/** Strings that break naive Unicode handling: lone surrogates, bidi controls, zero-width, emoji, NUL. */
export const ODD_STRINGS: readonly string[] = [
  "\ud800", // lone high surrogate
  "a\udc00b", // lone low surrogate inside text
  "\udfff\ud800", // reversed pair
  "\u202eevil\u202c", // RTL override
  "\u200f\u05e9\u05dc\u05d5\u05dd", // RLM + Hebrew
  "\u0645\u0631\u062d\u0628\u0627", // Arabic
  "\u200b\u200c\u200d\u2060\ufeff", // zero-width characters and BOM
  "\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66", // family emoji (ZWJ sequence)
  "\ud83c\udff3\ufe0f\u200d\ud83c\udf08", // flag sequence
  "e\u0301\u0301\u0301\u0301", // stacked combining marks
  "\u0000", // NUL
  "a\u0000b",
  "\u001b[31mred\u001b[0m", // terminal escapes
  "\r\n\t",
  "\u2028\u2029", // JS line separators
  "\uffff\ufffe", // non-characters
  "\ud83d\ude00".repeat(40), // 40 astral code points = 80 UTF-16 units
  "Ω≈ç√∫˜µ≤≥÷",
  "𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐",
  "' OR '1'='1' --",
  "\"; DROP TABLE scenarios; --",
  "%00%2e%2e%2f",
  "../../../../etc/passwd",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  " ",
  "   padded   ",
];

/** True when `s` has no lone surrogate (String.prototype.isWellFormed, ES2024). */
export function isWellFormed(s: string): boolean {
  return !/\p{Surrogate}/u.test(s);
}

/** Renders a generated value as JSON text, expanding the markers. `resolve` maps PoolRefs to ids. */
export function renderJson(value: unknown, resolve: (ref: PoolRef) => string = (r) => r.fallback): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof PoolRef) return JSON.stringify(resolve(value));
  if (value instanceof DeepNest) {
    return value.kind === "array" ? `${"[".repeat(value.depth)}1${"]".repeat(value.depth)}` : `${'{"a":'.repeat(value.depth)}1${"}".repeat(value.depth)}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => renderJson(v, resolve)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${renderJson(v, resolve)}`)
      .join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return String(value); // NaN / Infinity: invalid JSON on purpose
  return JSON.stringify(value) ?? "null";
}

/** Replaces PoolRefs by ids (for the oracle's copy of what was sent). Leaves other markers in place. */
export function resolveRefs(value: unknown, resolve: (ref: PoolRef) => string): unknown {
  if (value instanceof PoolRef) return resolve(value);
  if (value instanceof RawJson || value instanceof DeepNest) return value;
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, resolve));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveRefs(v, resolve)]));
  }
  return value;
}

/**
 * Percent-encodes any JS string for a URL, including lone surrogates (written as their WTF-8 bytes,
 * which are invalid UTF-8: exactly what a hostile client could send). encodeURIComponent throws on them.
 */
export function pctEncode(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += encodeURIComponent(s[i] + s[i + 1]);
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
      continue;
    }
    out += encodeURIComponent(s[i]);
  }
  return out;
}

/**
 * A header value node's HTTP client accepts (tab, 0x20-0x7e, 0x80-0xff): characters above 0xff are
 * sent as their UTF-8 bytes (read as latin1), control characters are dropped.
 */
export function headerSafe(s: string): string {
  const bytes = Buffer.from(s.replace(/[\ud800-\udfff]/g, "\ufffd"), "utf8").toString("latin1");
  return bytes.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");
}
