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
  /** Most answers one workspace's share keeps (its least recently used go first). */
  maxEntries?: number;
  /** Most bytes one workspace's share keeps, keys (as UTF-16) and answers together. */
  maxBytes?: number;
  /** Most workspaces with a share at once; beyond, the share used least recently is dropped whole. */
  maxWorkspaces?: number;
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

/** One workspace's share of the cache: its own LRU, bounded on its own. */
interface Share {
  entries: Map<string, CachedAnswer>;
  bytes: number;
}

/**
 * Answers shorter than this are always sent as they are: a gzip member's 18 bytes of framing and the
 * client's inflate cost more than they save.
 */
export const MIN_GZIP_BYTES = 1024;

/** The workspace a key was made for (keyFor puts it first); "" for a key made otherwise. */
function workspaceOf(key: string): string {
  const colon = key.indexOf(":");
  if (colon <= 0 || colon > 6) return "";
  const n = Number(key.slice(0, colon));
  return Number.isInteger(n) && n >= 0 && colon + 1 + n <= key.length ? key.slice(colon + 1, colon + 1 + n) : "";
}

/**
 * A bounded, in-memory LRU cache of serialised 200 answers of pure compute routes (the estimates),
 * keyed by everything that determines the answer: the caller's workspace, the data version, the
 * route, the content type (it decides whether the body is parsed) and the exact body text. The
 * estimate routes use it through their cache middleware (routes/estimates/estimates.cache.ts).
 *
 * Each workspace has a share of its own (issue 14, finding 7): `maxEntries` answers and `maxBytes`,
 * evicted least recently used within the share only. So what one workspace asks never evicts
 * another's answers, and a hit never tells one tenant what another asked — with one shared LRU, a
 * workspace could count another's new estimates by watching its own entries fall out. At most
 * `maxWorkspaces` shares are held; past that the share used least recently is dropped whole, which
 * tells a workspace at most that many others were active since it last used the cache, nothing of
 * what they asked.
 */
export class ResponseCache {
  private readonly shares = new Map<string, Share>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxWorkspaces: number;
  private readonly maxKeyBodyLength: number;
  private storedBytes = 0;
  private storedEntries = 0;
  readonly stats = { hits: 0, misses: 0, stores: 0, evictions: 0, gzipEncodings: 0, sharesDropped: 0 };

  constructor(private readonly options: ResponseCacheOptions) {
    this.maxEntries = options.maxEntries ?? 256;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.maxWorkspaces = options.maxWorkspaces ?? 16;
    this.maxKeyBodyLength = options.maxKeyBodyLength ?? 16 * 1024;
  }

  /** The key of a request, or undefined when its body is too long to be worth caching. */
  keyFor(path: string, workspaceId: string, contentType: string | undefined, body: string): string | undefined {
    if (body.length > this.maxKeyBodyLength) return undefined;
    // Length-prefixed fields: no choice of workspace id or content type can collide with another key.
    // The workspace first: it names the key's share (workspaceOf).
    const version = this.options.version();
    const type = contentType ?? "";
    return `${workspaceId.length}:${workspaceId}${version.length}:${version}${path.length}:${path}${type.length}:${type}${body}`;
  }

  /** A stored answer, without counting a hit or a miss or making it recent (see get). */
  peek(key: string): CachedAnswer | undefined {
    return this.shares.get(workspaceOf(key))?.entries.get(key);
  }

  get(key: string): CachedAnswer | undefined {
    const ws = workspaceOf(key);
    const share = this.shares.get(ws);
    const value = share?.entries.get(key);
    if (share === undefined || value === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.touch(ws, share);
    // Most recently used last: Map keeps insertion order. Re-inserted under the key string it was
    // stored with: `key` is this request's copy, and keeping it would move ~200 bytes a hit into
    // the old generation (a full GC every few seconds under a stream of hits).
    share.entries.delete(key);
    share.entries.set(value.key, value);
    return value;
  }

  set(key: string, value: CachedBytes): void {
    const answer: CachedAnswer = { key, bytes: value };
    const size = entrySize(key, answer);
    if (size > this.maxBytes) return;
    const ws = workspaceOf(key);
    let share = this.shares.get(ws);
    if (share === undefined) {
      share = { entries: new Map(), bytes: 0 };
      this.shares.set(ws, share);
      this.dropOldShares();
    } else {
      this.touch(ws, share);
    }
    const previous = share.entries.get(key);
    if (previous !== undefined) {
      share.entries.delete(key);
      this.account(share, -entrySize(key, previous), -1);
    }
    share.entries.set(key, answer);
    this.account(share, size, 1);
    this.stats.stores++;
    this.evict(share);
  }

  /**
   * The gzip encoding of a stored answer (undefined below MIN_GZIP_BYTES): compressed once, on the
   * first hit of a client that accepts it, and kept with the answer (counted in its share's maxBytes)
   * — a hit then sends about a third of the bytes for no compression work.
   */
  gzipOf(key: string, answer: CachedAnswer): CachedBytes | undefined {
    if (answer.bytes.byteLength < MIN_GZIP_BYTES) return undefined;
    if (answer.gzip === undefined) {
      const gzip = new Uint8Array(gzipSync(answer.bytes, { level: 9 })) as CachedBytes;
      if (gzip.byteLength >= answer.bytes.byteLength) return undefined;
      answer.gzip = gzip;
      this.stats.gzipEncodings++;
      const share = this.shares.get(workspaceOf(key));
      if (share !== undefined && share.entries.get(key) === answer) {
        this.account(share, gzip.byteLength, 0);
        this.evict(share);
      }
    }
    return answer.gzip;
  }

  private account(share: Share, bytes: number, entries: number): void {
    share.bytes += bytes;
    this.storedBytes += bytes;
    this.storedEntries += entries;
  }

  /** The share used most recently goes last. */
  private touch(ws: string, share: Share): void {
    this.shares.delete(ws);
    this.shares.set(ws, share);
  }

  /** Drop the least recently used answers of a share until both its bounds hold. */
  private evict(share: Share): void {
    for (const [oldest, oldValue] of share.entries) {
      if (share.entries.size <= this.maxEntries && share.bytes <= this.maxBytes) break;
      share.entries.delete(oldest);
      this.account(share, -entrySize(oldest, oldValue), -1);
      this.stats.evictions++;
    }
  }

  /** Past maxWorkspaces shares, the share used least recently is dropped whole. */
  private dropOldShares(): void {
    for (const [ws, share] of this.shares) {
      if (this.shares.size <= this.maxWorkspaces) break;
      this.shares.delete(ws);
      this.storedBytes -= share.bytes;
      this.storedEntries -= share.entries.size;
      this.stats.sharesDropped++;
    }
  }

  get size(): number {
    return this.storedEntries;
  }

  get bytes(): number {
    return this.storedBytes;
  }

  /** Answers and bytes one workspace's share holds. */
  shareOf(workspaceId: string): { size: number; bytes: number } {
    const share = this.shares.get(workspaceId);
    return { size: share?.entries.size ?? 0, bytes: share?.bytes ?? 0 };
  }

  clear(): void {
    this.shares.clear();
    this.storedBytes = 0;
    this.storedEntries = 0;
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

