import { gzipSync } from "node:zlib";
import Negotiator from "negotiator";

/** Response header saying whether a cacheable answer was served from the cache. */
export const CACHE_HEADER = "X-Cache";

/**
 * `hit`: served from the cache; `miss`: computed for this request (and stored if the same request
 * was asked before: see ResponseCacheOptions.admission); `bypass`: computed and never stored (the
 * answer depends on state that can change, e.g. a measured hardware profile).
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
  /**
   * When an answer is stored: on the `second-request` for its key (the default) or on the
   * `first-request`. See ResponseCache.
   */
  admission?: CacheAdmission;
}

/** When a computed answer is stored (ResponseCacheOptions.admission). */
export type CacheAdmission = "first-request" | "second-request";

/**
 * Slots of a share's doorkeeper (second-request admission): a direct-mapped table of the 32-bit hashes
 * of keys asked once, 16 KB per share. A key whose slot another key took since is asked once more
 * before it is stored.
 */
const DOORKEEPER_SLOTS = 4096;

/** Stored answers: bytes with memory of their own. */
export type CachedBytes = Uint8Array<ArrayBuffer>;

/** A stored answer, and its gzip encoding once a client that accepts gzip has asked for it. */
export interface CachedAnswer {
  /** The key it is stored under. */
  key: string;
  bytes: CachedBytes;
  gzip?: CachedBytes;
}

/** One workspace's share of the cache: its own LRU, bounded on its own, and its own doorkeeper. */
interface Share {
  entries: Map<string, CachedAnswer>;
  bytes: number;
  /** second-request admission: the marks (keyMark) of keys asked once, by slot; null under first-request */
  seen: Uint32Array | null;
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
 *
 * An answer is stored the second time its key is asked, not the first (`admission`, default
 * `second-request`): "cache on second hit", as CDNs admit objects because most are asked once only
 * (Maggs & Sitaraman 2015, 'Algorithmic Nuggets in Content Delivery', ACM SIGCOMM CCR 45(3); the
 * doorkeeper of TinyLFU, Einziger et al. 2017, ACM ToS 13(4)). A what-if sweep sends a new body for
 * every request: stored at once, each of its answers would push out an answer that is asked again,
 * and would itself be dropped a few hundred answers later — old enough by then to have left V8's
 * young generation, so every one cost a full collection's work (docs/performance.md). A share's
 * doorkeeper remembers the keys its workspace asked, so it tells nothing of other workspaces.
 */
export class ResponseCache {
  private readonly shares = new Map<string, Share>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxWorkspaces: number;
  private readonly maxKeyBodyLength: number;
  private readonly admission: CacheAdmission;
  private storedBytes = 0;
  private storedEntries = 0;
  readonly stats = { hits: 0, misses: 0, stores: 0, notAdmitted: 0, evictions: 0, gzipEncodings: 0, sharesDropped: 0 };

  constructor(private readonly options: ResponseCacheOptions) {
    this.maxEntries = options.maxEntries ?? 256;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.maxWorkspaces = options.maxWorkspaces ?? 16;
    this.maxKeyBodyLength = options.maxKeyBodyLength ?? 16 * 1024;
    this.admission = options.admission ?? "second-request";
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

  /** Stores an answer computed for `key` if it is admitted (see `admission`); whether it was stored. */
  set(key: string, value: CachedBytes): boolean {
    const answer: CachedAnswer = { key, bytes: value };
    const size = entrySize(key, answer);
    if (size > this.maxBytes) return false;
    const ws = workspaceOf(key);
    let share = this.shares.get(ws);
    if (share === undefined) {
      share = { entries: new Map(), bytes: 0, seen: this.admission === "second-request" ? new Uint32Array(DOORKEEPER_SLOTS) : null };
      this.shares.set(ws, share);
      this.dropOldShares();
    } else {
      this.touch(ws, share);
    }
    const previous = share.entries.get(key);
    if (previous === undefined && share.seen !== null && !askedBefore(share.seen, key)) {
      this.stats.notAdmitted++;
      return false;
    }
    if (previous !== undefined) {
      share.entries.delete(key);
      this.account(share, -entrySize(key, previous), -1);
    }
    share.entries.set(key, answer);
    this.account(share, size, 1);
    this.stats.stores++;
    this.evict(share);
    return true;
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

/** A key's 32-bit FNV-1a hash, never 0 (an empty doorkeeper slot). */
function keyMark(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) || 1;
}

/** Whether the doorkeeper holds the key's mark (it was asked before); if not, its mark takes the slot. */
function askedBefore(seen: Uint32Array, key: string): boolean {
  const mark = keyMark(key);
  const slot = mark & (DOORKEEPER_SLOTS - 1);
  if (seen[slot] === mark) return true;
  seen[slot] = mark;
  return false;
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

