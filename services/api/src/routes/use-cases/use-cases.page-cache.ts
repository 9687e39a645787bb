import type { UseCaseRef } from "./use-cases.repository";

/**
 * The bytes of catalog pages already rendered, keyed by what decides them: the rows of the page (each
 * slug with the content hash of its stored entry, in order) and its next cursor. The page's query
 * still runs on every request — filters, order and paging are SQLite's — but it reads slugs and hashes
 * only; a page whose rows and entries are unchanged is answered with the bytes rendered the first
 * time. An entry reloaded with new content has a new hash, so a page holding it renders afresh:
 * nothing is ever served from a catalog that is no longer the database's.
 *
 * Why: reading a 20-entry page's entries out of SQLite copies ~38 KB of JSON into 20 new buffers,
 * which are concatenated and escaped to ASCII into a fresh answer (use-cases.handlers.ts), the bulk
 * of a catalog read's time in the load script (docs/performance.md).
 *
 * The page's query itself is skipped while the database is unchanged: each query (its filters,
 * cursor and limit) remembers the key of the page it gave and the database state it gave it in
 * (use-cases.repository.ts's databaseState: rows written through this connection and commits by any
 * other); with the same state the same query gives the same rows.
 *
 * Bounded: at most `maxEntries` pages and `maxBytes` of them, and `4 × maxEntries` remembered
 * queries (least recently used first out); the catalog has ~50 entries, so the pages users page
 * through fit many times over.
 */
export class CatalogPageCache {
  private readonly pages = new Map<string, Uint8Array<ArrayBuffer>>();
  private readonly queries = new Map<string, { state: string; key: string }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 128,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** The key of a page: its rows (slug and content hash, in order) and its next cursor. */
  static keyOf(rows: readonly UseCaseRef[], nextCursor: string | null): string {
    let key = nextCursor ?? "";
    for (const r of rows) key += `\n${r.slug}\t${r.contentHash}`;
    return key;
  }

  /** The key of the page `query` gave when the database was last in `state`, if it was. */
  keyOfQuery(query: string, state: string): string | undefined {
    const known = this.queries.get(query);
    if (known === undefined || known.state !== state) return undefined;
    this.queries.delete(query);
    this.queries.set(query, known);
    return known.key;
  }

  /** Remembers the key of the page `query` gave in database state `state`. */
  rememberQuery(query: string, state: string, key: string): void {
    this.queries.delete(query);
    this.queries.set(query, { state, key });
    for (const oldest of this.queries.keys()) {
      if (this.queries.size <= 4 * this.maxEntries) break;
      this.queries.delete(oldest);
    }
  }

  get(key: string): Uint8Array<ArrayBuffer> | undefined {
    const page = this.pages.get(key);
    if (page === undefined) return undefined;
    // Most recently used last (Map keeps insertion order).
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: Uint8Array<ArrayBuffer>): void {
    if (page.byteLength > this.maxBytes) return;
    const before = this.pages.get(key);
    if (before !== undefined) {
      this.pages.delete(key);
      this.bytes -= before.byteLength + key.length;
    }
    this.pages.set(key, page);
    this.bytes += page.byteLength + key.length;
    for (const [oldest, bytes] of this.pages) {
      if (this.pages.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= bytes.byteLength + oldest.length;
    }
  }

  get size(): number {
    return this.pages.size;
  }
}
