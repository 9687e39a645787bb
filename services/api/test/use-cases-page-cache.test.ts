import { describe, expect, it } from "vitest";
import { CatalogPageCache } from "../src/routes/use-cases/use-cases.page-cache";

const page = (n: number) => new Uint8Array(n);

describe("CatalogPageCache", () => {
  it("keys a page by its rows' slugs and content hashes, in order, and its next cursor", () => {
    const a = CatalogPageCache.keyOf([{ slug: "a", contentHash: "1" }, { slug: "b", contentHash: "2" }], null);
    expect(CatalogPageCache.keyOf([{ slug: "a", contentHash: "1" }, { slug: "b", contentHash: "3" }], null)).not.toBe(a);
    expect(CatalogPageCache.keyOf([{ slug: "b", contentHash: "2" }, { slug: "a", contentHash: "1" }], null)).not.toBe(a);
    expect(CatalogPageCache.keyOf([{ slug: "a", contentHash: "1" }, { slug: "b", contentHash: "2" }], "WyJiIl0")).not.toBe(a);
    expect(CatalogPageCache.keyOf([], null)).not.toBe(CatalogPageCache.keyOf([{ slug: "", contentHash: "" }], null));
  });

  it("keeps at most maxEntries pages and maxBytes, dropping the least recently used", () => {
    const cache = new CatalogPageCache(2, 1000);
    cache.set("a", page(100));
    cache.set("b", page(100));
    expect(cache.get("a")).toBeDefined(); // a is now the most recent
    cache.set("c", page(100));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.set("d", page(950)); // over the byte bound with any other page: the others go
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("c")).toBeUndefined();
    expect(cache.get("d")).toBeDefined();
    cache.set("e", page(2000)); // larger than the whole bound: not kept, nothing dropped for it
    expect(cache.get("e")).toBeUndefined();
    expect(cache.get("d")).toBeDefined();
  });
});
