import { gzipSync } from "node:zlib";
import Negotiator from "negotiator";

/** Response header saying whether a cacheable answer was served from the cache. */
export const CACHE_HEADER = "X-Cache";

/**
 * `hit`: served from the cache; `miss`: computed for this request and stored; `bypass`: computed
 * and not stored (the answer depends on state that can change, e.g. a measured hardware profile).
 */
export type CacheOutcome = "hit" | "miss" | "bypass";

export interface ResponseCacheOptions {
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

/**
 * A bounded, in-memory LRU cache of serialised 200 answers of pure compute routes (the estimates),
 * keyed by everything that determines the answer: the data version, the route, the content type
 * (it decides whether the body is parsed), the exact body text — and the caller's workspace, so
 * that a hit never tells one tenant what another asked. The estimate routes use it through their
 * cache middleware (routes/estimates/estimates.cache.ts).
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxKeyBodyLength: number;
  private storedBytes = 0;
  readonly stats = { hits: 0, misses: 0, stores: 0, evictions: 0, gzipEncodings: 0 };

  constructor(private readonly options: ResponseCacheOptions) {
    this.maxEntries = options.maxEntries ?? 2048;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxKeyBodyLength = options.maxKeyBodyLength ?? 16 * 1024;
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

