import { gzipSync } from "node:zlib";
import type { Context } from "hono";
import Negotiator from "negotiator";
import { setResponseHeader } from "./node-io";

/** Response header saying whether a cacheable answer was served from the cache. */
export const CACHE_HEADER = "X-Cache";

/**
 * `hit`: served from the cache; `miss`: computed for this request and stored; `bypass`: computed
 * and not stored (the answer depends on state that can change, e.g. a measured hardware profile).
 */
export type CacheOutcome = "hit" | "miss" | "bypass";

export interface ResponseCacheOptions {
  /** Paths of the POST routes whose 200 answers are pure functions of the request body. */
  paths: readonly string[];
  /** Version of the data the answers are computed from; part of every key, read on every lookup. */
  version: () => string;
  /** Most answers kept (least recently used go first). */
  maxEntries?: number;
  /** Most bytes kept, keys (as UTF-16) and answers together. */
  maxBytes?: number;
  /** Bodies longer than this (in UTF-16 code units) are not cached: their keys would crowd out the rest. */
  maxKeyBodyLength?: number;
}

/** Stored answers: bytes with memory of their own. */
export type CachedBytes = Uint8Array<ArrayBuffer>;

/** A stored answer, and its gzip encoding once a client that accepts gzip has asked for it. */
export interface CachedAnswer {
  /** The key it is stored under. */
  key: string;
  bytes: CachedBytes;
  gzip?: CachedBytes;
}

/**
 * Answers shorter than this are always sent as they are: a gzip member's 18 bytes of framing and the
 * client's inflate cost more than they save.
 */
export const MIN_GZIP_BYTES = 1024;

/** The cache slot of a request that missed: where the route stores its answer. */
export interface ResponseCacheSlot {
  cache: ResponseCache;
  key: string;
}

/**
 * A bounded, in-memory LRU cache of serialised 200 answers of pure compute routes (the estimates),
 * keyed by everything that determines the answer: the data version, the route, the content type
 * (it decides whether the body is parsed), the exact body text — and the caller's workspace, so
 * that a hit never tells one tenant what another asked. Lookup happens after authentication, scope
 * checks, rate limiting and the body checks (see create-app.ts), and before the body is parsed;
 * only a route's successful answer is stored, so whatever was refused (400, 422) is refused again.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly paths: ReadonlySet<string>;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxKeyBodyLength: number;
  private storedBytes = 0;
  readonly stats = { hits: 0, misses: 0, stores: 0, evictions: 0, gzipEncodings: 0 };

  constructor(private readonly options: ResponseCacheOptions) {
    this.paths = new Set(options.paths);
    this.maxEntries = options.maxEntries ?? 2048;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxKeyBodyLength = options.maxKeyBodyLength ?? 16 * 1024;
  }

  /** Whether POSTs to this path are cached (no other method is: the routes answer only POST). */
  covers(path: string): boolean {
    return this.paths.has(path);
  }

  /** The key of a request, or undefined when its body is too long to be worth caching. */
  keyFor(path: string, workspaceId: string, contentType: string | undefined, body: string): string | undefined {
    if (body.length > this.maxKeyBodyLength) return undefined;
    // Length-prefixed fields: no choice of workspace id or content type can collide with another key.
    const version = this.options.version();
    const type = contentType ?? "";
    return `${version.length}:${version}${path.length}:${path}${workspaceId.length}:${workspaceId}${type.length}:${type}${body}`;
  }

  /** A stored answer, without counting a hit or a miss or making it recent (see get). */
  peek(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  get(key: string): CachedAnswer | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    // Most recently used last: Map keeps insertion order. Re-inserted under the key string it was
    // stored with: `key` is this request's copy, and keeping it would move ~200 bytes a hit into
    // the old generation (a full GC every few seconds under a stream of hits).
    this.entries.delete(key);
    this.entries.set(value.key, value);
    return value;
  }

  set(key: string, value: CachedBytes): void {
    const answer: CachedAnswer = { key, bytes: value };
    const size = entrySize(key, answer);
    if (size > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.storedBytes -= entrySize(key, previous);
    }
    this.entries.set(key, answer);
    this.storedBytes += size;
    this.stats.stores++;
    this.evict();
  }

  /**
   * The gzip encoding of a stored answer (undefined below MIN_GZIP_BYTES): compressed once, on the
   * first hit of a client that accepts it, and kept with the answer (counted in maxBytes) — a hit
   * then sends about a third of the bytes for no compression work.
   */
  gzipOf(key: string, answer: CachedAnswer): CachedBytes | undefined {
    if (answer.bytes.byteLength < MIN_GZIP_BYTES) return undefined;
    if (answer.gzip === undefined) {
      const gzip = new Uint8Array(gzipSync(answer.bytes, { level: 9 })) as CachedBytes;
      if (gzip.byteLength >= answer.bytes.byteLength) return undefined;
      answer.gzip = gzip;
      this.stats.gzipEncodings++;
      if (this.entries.get(key) === answer) {
        this.storedBytes += gzip.byteLength;
        this.evict();
      }
    }
    return answer.gzip;
  }

  /** Drop the least recently used answers until both bounds hold. */
  private evict(): void {
    for (const [oldest, oldValue] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.storedBytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.storedBytes -= entrySize(oldest, oldValue);
      this.stats.evictions++;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.storedBytes;
  }

  clear(): void {
    this.entries.clear();
    this.storedBytes = 0;
  }
}

function entrySize(key: string, value: CachedAnswer): number {
  return key.length * 2 + value.bytes.byteLength + (value.gzip?.byteLength ?? 0);
}

/** Response header of every answer of a cached route: its encoding depends on Accept-Encoding. */
export const VARY_HEADER_VALUE = "Accept-Encoding";

const ENCODINGS = ["gzip", "identity"];
const acceptsGzipMemo = new Map<string, boolean>();

/**
 * Whether a request's Accept-Encoding lets the answer be gzip-encoded (RFC 9110 §12.5.3, q-values
 * included, by `negotiator`), and gzip is preferred over sending it as it is. Memoised per header
 * value: clients send a handful of distinct values (Node's fetch, and so the SDK: "gzip, deflate").
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined || acceptEncoding === "") return false;
  let yes = acceptsGzipMemo.get(acceptEncoding);
  if (yes === undefined) {
    yes = new Negotiator({ headers: { "accept-encoding": acceptEncoding } }).encoding(ENCODINGS) === "gzip";
    if (acceptsGzipMemo.size >= 256) acceptsGzipMemo.clear();
    acceptsGzipMemo.set(acceptEncoding, yes);
  }
  return yes;
}

/**
 * Sends a freshly computed 200 JSON answer of a cacheable route as ASCII-only JSON (asciiJson), and
 * stores it when `storable`. The bytes sent are the bytes stored, so a later hit is byte-identical
 * to this answer.
 */
export function sendComputed(c: Context, json: string, storable: boolean): Response {
  const bytes = utf8Bytes(asciiJson(json));
  const slot = c.get("responseCacheSlot") as ResponseCacheSlot | undefined;
  let outcome: CacheOutcome = "bypass";
  if (slot && storable) {
    slot.cache.set(slot.key, bytes);
    outcome = "miss";
  }
  setResponseHeader(c, CACHE_HEADER, outcome);
  return c.body(bytes, 200, { "Content-Type": "application/json", Vary: VARY_HEADER_VALUE });
}

/**
 * Sends a stored answer: gzip-encoded when the client accepts it (and the answer is large enough),
 * as stored otherwise. Both carry Vary: Accept-Encoding.
 */
export function sendCached(c: Context, cache: ResponseCache, key: string, answer: CachedAnswer, acceptEncoding: string | undefined): Response {
  setResponseHeader(c, CACHE_HEADER, "hit");
  const gzip = cachedGzip(cache, key, answer, acceptEncoding);
  const pairs = hitContentHeaders(gzip !== undefined);
  const headers: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) headers[pairs[i]] = pairs[i + 1];
  return c.body(gzip ?? answer.bytes, 200, headers);
}

/** The content headers of a hit, as name/value pairs: its type, its encoding when gzip, and Vary. */
function hitContentHeaders(gzip: boolean): string[] {
  return gzip
    ? ["Content-Type", "application/json", "Content-Encoding", "gzip", "Vary", VARY_HEADER_VALUE]
    : ["Content-Type", "application/json", "Vary", VARY_HEADER_VALUE];
}

/**
 * The headers of a hit, in the order the app sends them after those of every answer (X-Request-Id
 * and RateLimit-*), as name/value pairs: for the Node-level front (request-front.ts), which writes
 * a hit without the app. Content-Length is the body's.
 */
export function cachedHitHeaders(gzip: boolean, contentLength: number): string[] {
  return [CACHE_HEADER, "hit", ...hitContentHeaders(gzip), "Content-Length", String(contentLength)];
}

/** The gzip bytes a hit is sent as, when the client accepts gzip and the answer is large enough. */
export function cachedGzip(cache: ResponseCache, key: string, answer: CachedAnswer, acceptEncoding: string | undefined): CachedBytes | undefined {
  return acceptsGzip(acceptEncoding) ? cache.gzipOf(key, answer) : undefined;
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;
const escapeChar = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * JSON text with every character outside printable ASCII written as a \u escape (RFC 8259 §7: the
 * same value to any JSON parser). An estimate's text is ASCII but for a few characters of its
 * sources and formulas (en dashes, ×, ·), and those few send every JavaScript reader down the slow
 * path for the whole 9 KB answer: TextDecoder (fetch's `text()`) takes ~30 µs for it as UTF-8 and
 * ~3 µs as ASCII (`npx tsx scripts/decode-cost.ts`). The answers of the cached routes are sent so.
 */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeChar) : json;
}

const encoder = new TextEncoder();
const scratch = new Uint8Array(256 * 1024);

/**
 * UTF-8 bytes of a string, in memory of their own (not a slice of Buffer's shared pool: they may be
 * kept for a long time). One encoding pass into a scratch buffer and a copy: for a two-byte string
 * (text with characters beyond Latin-1) Buffer.from's length pass plus encoding pass cost ~60% more.
 */
export function utf8Bytes(text: string): CachedBytes {
  if (text.length * 3 > scratch.length) return new Uint8Array(Buffer.from(text, "utf8")) as CachedBytes;
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.slice(0, written);
}
