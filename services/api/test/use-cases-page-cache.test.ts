import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadUseCaseCatalog, openDatabase } from "@modelplan/db";
import { readUseCaseCatalog } from "../src/routes/use-cases/use-cases.catalog";
import { CatalogPageCache } from "../src/routes/use-cases/use-cases.page-cache";
import { databaseState } from "../src/routes/use-cases/use-cases.repository";

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

describe("databaseState", () => {
  it("changes with every write through this connection and with every commit by another", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-state-"));
    const file = path.join(dir, "state.db");
    const own = await openDatabase(file);
    const other = await openDatabase(file);
    try {
      await loadUseCaseCatalog(own, readUseCaseCatalog());
      const first = databaseState(own);
      expect(databaseState(own)).toBe(first); // reading changes nothing
      const catalog = readUseCaseCatalog();
      await loadUseCaseCatalog(other, { ...catalog, items: catalog.items.map((u, i) => (i === 0 ? { ...u, title: `${u.title} (other process)` } : u)) });
      const second = databaseState(own);
      expect(second).not.toBe(first);
      await loadUseCaseCatalog(own, catalog);
      expect(databaseState(own)).not.toBe(second);
    } finally {
      await own.close();
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CatalogPageCache's remembered queries", () => {
  it("gives a query's page key back only in the database state it was remembered in", () => {
    const cache = new CatalogPageCache(1);
    cache.rememberQuery("q1", "7:1", "k1");
    expect(cache.keyOfQuery("q1", "7:1")).toBe("k1");
    expect(cache.keyOfQuery("q1", "8:1")).toBeUndefined();
    expect(cache.keyOfQuery("q1", "7:2")).toBeUndefined();
    for (let i = 2; i <= 5; i++) cache.rememberQuery(`q${i}`, "7:1", `k${i}`);
    expect(cache.keyOfQuery("q1", "7:1")).toBeUndefined(); // 4 × maxEntries remembered at most
    expect(cache.keyOfQuery("q5", "7:1")).toBe("k5");
  });
});
