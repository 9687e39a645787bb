import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadUseCaseCatalog } from "@modelplan/db";
import { readUseCaseCatalog } from "../src/routes/use-cases/use-cases.catalog";
import { createTestApp, expectProblem, type TestApp } from "./helpers/test-app";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe("GET /v1/use-cases", () => {
  it("lists the whole catalog across pages, in slug order, without duplicates", async () => {
    const catalog = readUseCaseCatalog();
    expect(catalog.items.length).toBeGreaterThanOrEqual(40);
    const slugs: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call("GET", `/v1/use-cases?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { slug: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(7);
      slugs.push(...page.items.map((i) => i.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(slugs).toEqual(catalog.items.map((i) => i.slug).sort());
  });

  it("filters by domain and by free text", async () => {
    const res = await t.call("GET", "/v1/use-cases?domain=health&limit=100");
    const page = (await res.json()) as { items: { domain: string }[] };
    expect(page.items.length).toBeGreaterThanOrEqual(3);
    expect(page.items.every((i) => i.domain === "health")).toBe(true);

    const q = await t.call("GET", "/v1/use-cases?q=TRANSLATION");
    const found = (await q.json()) as { items: { title: string; task: string; description: string }[] };
    expect(found.items.length).toBeGreaterThan(0);
    for (const i of found.items) expect(`${i.title} ${i.task} ${i.description}`.toLowerCase()).toContain("translation");
  });

  it("pages carry the catalog entries exactly, with domain, text and cursor combined", async () => {
    const catalog = readUseCaseCatalog().items as { slug: string; domain: string; title: string; task: string; description: string }[];
    const bySlug = new Map(catalog.map((e) => [e.slug, e]));
    const first = (await (await t.call("GET", "/v1/use-cases?limit=5")).json()) as { items: { slug: string }[] };
    for (const item of first.items) expect(item).toEqual(bySlug.get(item.slug));

    const matches = (e: (typeof catalog)[number]) => e.domain === "language" && `${e.title}\n${e.task}\n${e.description}`.toLowerCase().includes("e");
    const expected = catalog.filter(matches).map((e) => e.slug).sort();
    expect(expected.length).toBeGreaterThan(2);
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call("GET", `/v1/use-cases?domain=language&q=E&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.headers.get("content-type")).toBe("application/json");
      const page = (await res.json()) as { items: { slug: string }[]; nextCursor: string | null };
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected.map((slug) => bySlug.get(slug)));
    const none = await t.call("GET", "/v1/use-cases?domain=health&q=zzzz-no-such-text");
    expect(await none.json()).toEqual({ items: [], nextCursor: null });
  });

  it("treats LIKE wildcards in q literally", async () => {
    const res = await t.call("GET", "/v1/use-cases?q=%25%25%25");
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it("rejects a bad domain, limit and cursor naming the field", async () => {
    expect((await expectProblem(await t.call("GET", "/v1/use-cases?domain=astrology"), 422)).errors?.[0].path).toBe("domain");
    expect((await expectProblem(await t.call("GET", "/v1/use-cases?limit=101"), 422)).errors?.[0].path).toBe("limit");
    // decimal digits only: what Number() would also read is refused
    for (const limit of ["0x10", "1e1", "%205", "5.0", "", "-3", "abc"]) {
      expect((await expectProblem(await t.call("GET", `/v1/use-cases?limit=${limit}`), 422)).errors?.[0].path).toBe("limit");
    }
    expect(((await (await t.call("GET", "/v1/use-cases?limit=007")).json()) as { items: unknown[] }).items).toHaveLength(7);
    expect((await expectProblem(await t.call("GET", "/v1/use-cases?limit=abc"), 422)).errors?.[0].path).toBe("limit");
    expect((await expectProblem(await t.call("GET", "/v1/use-cases?cursor=not-a-cursor"), 400)).errors?.[0].path).toBe("cursor");
  });
});

describe("GET /v1/use-cases/{slug}", () => {
  it("returns one entry with its request profile and risks", async () => {
    const first = readUseCaseCatalog().items[0];
    const res = await t.call("GET", `/v1/use-cases/${first.slug}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(first);
  });

  it("answers 404 problem+json for an unknown slug", async () => {
    const p = await expectProblem(await t.call("GET", "/v1/use-cases/no-such-thing"), 404);
    expect(p.detail).toContain("no-such-thing");
  });
});

describe("catalog loading", () => {
  it("is idempotent: a second load changes nothing", async () => {
    const again = await loadUseCaseCatalog(t.database, readUseCaseCatalog());
    expect(again.inserted).toBe(0);
    expect(again.updated).toBe(0);
    expect(again.unchanged).toBe(readUseCaseCatalog().items.length);
  });

  it("updates only the entries whose content changed", async () => {
    const catalog = readUseCaseCatalog();
    const changed = { ...catalog, items: catalog.items.map((u, i) => (i === 0 ? { ...u, title: `${u.title} (v2)` } : u)) };
    const res = await loadUseCaseCatalog(t.database, changed);
    expect(res).toMatchObject({ inserted: 0, updated: 1, unchanged: catalog.items.length - 1 });
  });

  it("a page read again after an entry changed carries the new entry, never the page rendered before", async () => {
    const catalog = readUseCaseCatalog();
    const first = [...catalog.items].sort((a, b) => (a.slug < b.slug ? -1 : 1))[0];
    const read = async () => (await (await t.call("GET", "/v1/use-cases?limit=3")).json()) as { items: { slug: string; title: string }[]; nextCursor: string | null };
    const before = await read();
    expect(await read()).toEqual(before); // rendered once, then answered from the rendered bytes
    expect(before.items[0]).toMatchObject({ slug: first.slug, title: first.title });
    await loadUseCaseCatalog(t.database, { ...catalog, items: catalog.items.map((u) => (u.slug === first.slug ? { ...u, title: `${u.title} (v2)` } : u)) });
    const after = await read();
    expect(after.items[0].title).toBe(`${first.title} (v2)`);
    expect(after.items.slice(1)).toEqual(before.items.slice(1));
    expect(after.nextCursor).toBe(before.nextCursor);
  });
});

describe("catalog pages as ASCII JSON", () => {
  it("escapes every character outside printable ASCII, and parses to the same entries", async () => {
    const res = await t.call("GET", "/v1/use-cases?limit=100");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.every((b) => b >= 0x20 && b < 0x7f)).toBe(true);
    const page = JSON.parse(bytes.toString("latin1")) as { items: { slug: string; title: string; parameterRange?: { rationale: string } }[] };
    const catalog = readUseCaseCatalog().items;
    expect(page.items.length).toBe(catalog.length);
    // the catalog does have characters outside ASCII (en dashes in its rationales): they come back as they are
    const withDash = catalog.find((u) => JSON.stringify(u).includes("\u2013"));
    expect(withDash).toBeDefined();
    expect(page.items.find((u) => u.slug === withDash!.slug)).toEqual(JSON.parse(JSON.stringify(withDash)));
  });
});
