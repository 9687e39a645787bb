/**
 * A JSON writer that produces exactly the bytes of `asciiJson(JSON.stringify(value))` (ascii-json.ts)
 * — the same text, every character outside printable ASCII as a \u escape — straight into a byte
 * buffer, with each string's escaped bytes kept for the next answer.
 *
 * Why: an estimate's answer is ~20 KB of which ~15 KB are the text of its assumptions and sources,
 * the same strings answer after answer, with a few en dashes and × signs that make V8's
 * JSON.stringify build a two-byte string; stringifying it and then escaping and copying it cost
 * more than computing the estimate. This writes the same bytes in about a third of that time
 * (`npx tsx services/api/scripts/bench-ascii-json.ts`; figures in docs/performance.md).
 *
 * An answer's strings are new string objects each time (its sources are built per estimate), and a
 * new string is found in a map only after hashing all of it. So the strings of the previous answer
 * are kept in the order they were written too: an answer with the same texts in the same places (the
 * next estimate of a what-if sweep) compares each string with the one at its place, which costs no
 * hash, and takes its bytes from there.
 *
 * Follows JSON.stringify's rules (ECMA-262 §25.5.2): toJSON(key) first; strings escaped as
 * JSON.stringify escapes them (lone surrogates included); non-finite numbers as null; undefined,
 * functions and symbols left out of objects and written as null in arrays; an object's own
 * enumerable string keys in their order. Anything else — a class instance, a boxed primitive, a
 * BigInt, a cycle, a text over the buffer — goes to JSON.stringify itself, which answers or throws
 * as it would have.
 */

/** JSON text to its ASCII bytes, every character outside printable ASCII escaped (ascii-json.ts's asciiBytes(asciiJson(json))). */
export type AsciiEscape = (json: string) => Uint8Array<ArrayBuffer>;

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

/** Strings longer than this are escaped each time rather than kept (an estimate's longest source text is ~1,300 characters). */
const MAX_KEPT_STRING_LENGTH = 8192;
/** Most strings kept, and most bytes of them; when either is passed the whole set is dropped and refilled. */
const MAX_KEPT_STRINGS = 8192;
const MAX_KEPT_BYTES = 2 * 1024 * 1024;
/** Most strings of the previous answer kept by their place in it. */
const MAX_PLACES = 4096;
/** Deepest nesting written here; deeper values (or a cycle) go to JSON.stringify. */
const MAX_DEPTH = 128;

const OBJECT_PROTOTYPE = Object.prototype;
const NULL = Uint8Array.of(0x6e, 0x75, 0x6c, 0x6c);
const TRUE = Uint8Array.of(0x74, 0x72, 0x75, 0x65);
const FALSE = Uint8Array.of(0x66, 0x61, 0x6c, 0x73, 0x65);

/** The escaped bytes of strings (with their quotes) and of keys (with their colon), by text. */
class EscapedStrings {
  private readonly kept = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(
    private readonly escape: AsciiEscape,
    private readonly suffix: string,
  ) {}

  of(text: string): Uint8Array {
    let escaped = this.kept.get(text);
    if (escaped !== undefined) return escaped;
    escaped = this.escape(JSON.stringify(text) + this.suffix);
    if (text.length > MAX_KEPT_STRING_LENGTH) return escaped;
    if (this.kept.size >= MAX_KEPT_STRINGS || this.bytes >= MAX_KEPT_BYTES) {
      this.kept.clear();
      this.bytes = 0;
    }
    this.kept.set(text, escaped);
    this.bytes += escaped.byteLength + 2 * text.length;
    return escaped;
  }
}

export class AsciiJsonWriter {
  private readonly buffer: Uint8Array;
  private at = 0;
  private busy = false;
  private readonly strings: EscapedStrings;
  private readonly keys: EscapedStrings;
  /** The strings of the previous answer in the order they were written, and their escaped bytes. */
  private readonly placed: string[] = [];
  private readonly placedBytes: Uint8Array[] = [];
  /** How many strings this answer has written so far. */
  private place = 0;

  /** `bufferBytes`: the longest answer written here (longer ones go to JSON.stringify). */
  constructor(
    private readonly escape: AsciiEscape,
    bufferBytes = 256 * 1024,
  ) {
    this.buffer = new Uint8Array(bufferBytes);
    this.strings = new EscapedStrings(escape, "");
    this.keys = new EscapedStrings(escape, ":");
  }

  /** The value's JSON as asciiJson writes it, in bytes of their own (undefined where JSON.stringify gives undefined). */
  bytes(value: unknown): Uint8Array<ArrayBuffer> | undefined {
    // A toJSON that serialises through this writer again: the nested call takes the plain path.
    if (this.busy) return this.fallback(value);
    this.busy = true;
    this.at = 0;
    this.place = 0;
    try {
      if (!this.value(value, "", 0)) return undefined;
      return this.buffer.slice(0, this.at);
    } catch (err) {
      if (err !== UNSUPPORTED) throw err;
      return this.fallback(value);
    } finally {
      // only the strings of this answer stay kept by their place
      if (this.placed.length > this.place) this.placed.length = this.placedBytes.length = Math.min(this.place, MAX_PLACES);
      this.busy = false;
    }
  }

  private fallback(value: unknown): Uint8Array<ArrayBuffer> | undefined {
    const json = JSON.stringify(value) as string | undefined;
    return json === undefined ? undefined : this.escape(json);
  }

  /** Writes a value; false (nothing written) for what JSON leaves out: undefined, a function, a symbol. */
  private value(input: unknown, key: string | number, depth: number): boolean {
    let v = input;
    if ((typeof v === "object" && v !== null) || typeof v === "function") {
      // toJSON read once, as JSON.stringify reads it (SerializeJSONProperty)
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") {
        // A function with toJSON would be serialised through it; not worth following here.
        if (typeof v === "function") throw UNSUPPORTED;
        v = (toJSON as (key: string) => unknown).call(v, String(key));
      }
    }
    switch (typeof v) {
      case "string":
        this.put(this.string(v));
        return true;
      case "number":
        if (Number.isFinite(v)) this.ascii(String(v));
        else this.put(NULL);
        return true;
      case "boolean":
        this.put(v ? TRUE : FALSE);
        return true;
      case "undefined":
      case "function":
      case "symbol":
        return false;
      case "bigint":
        throw UNSUPPORTED;
    }
    if (v === null) {
      this.put(NULL);
      return true;
    }
    if (depth >= MAX_DEPTH) throw UNSUPPORTED;
    if (Array.isArray(v)) {
      this.byte(0x5b); // [
      // the length read once, as JSON.stringify reads it (SerializeJSONArray): a toJSON or a getter that grows the array writes no more
      const length = v.length;
      for (let i = 0; i < length; i++) {
        if (i > 0) this.byte(0x2c); // ,
        if (!this.value(v[i], i, depth + 1)) this.put(NULL);
      }
      this.byte(0x5d); // ]
      return true;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== OBJECT_PROTOTYPE && proto !== null) throw UNSUPPORTED;
    const object = v as Record<string, unknown>;
    this.byte(0x7b); // {
    let first = true;
    // Object.keys, as JSON.stringify takes them (EnumerableOwnProperties, once): for…in would ask a
    // Proxy about each key more than once, and could be answered differently
    for (const k of Object.keys(object)) {
      const start = this.at;
      if (!first) this.byte(0x2c);
      this.put(this.keys.of(k));
      if (this.value(object[k], k, depth + 1)) first = false;
      else this.at = start; // left out: the key and its comma are taken back
    }
    this.byte(0x7d); // }
    return true;
  }

  /** A string's escaped bytes: from the previous answer's string at the same place if it is the same text, else from the kept strings. */
  private string(text: string): Uint8Array {
    const place = this.place++;
    if (place >= MAX_PLACES) return this.strings.of(text);
    if (this.placed[place] === text) return this.placedBytes[place];
    const escaped = this.strings.of(text);
    if (text.length <= MAX_KEPT_STRING_LENGTH) {
      this.placed[place] = text;
      this.placedBytes[place] = escaped;
    }
    return escaped;
  }

  private put(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.at + n > this.buffer.length) throw UNSUPPORTED;
    const buffer = this.buffer;
    const at = this.at;
    // Most pieces are a few bytes: a loop beats the native call of set() for them.
    if (n < 32) for (let i = 0; i < n; i++) buffer[at + i] = bytes[i];
    else buffer.set(bytes, at);
    this.at = at + n;
  }

  private byte(b: number): void {
    if (this.at >= this.buffer.length) throw UNSUPPORTED;
    this.buffer[this.at++] = b;
  }

  /** Text known to be ASCII (a number's digits). */
  private ascii(text: string): void {
    const n = text.length;
    if (this.at + n > this.buffer.length) throw UNSUPPORTED;
    for (let i = 0; i < n; i++) this.buffer[this.at + i] = text.charCodeAt(i);
    this.at += n;
  }
}
