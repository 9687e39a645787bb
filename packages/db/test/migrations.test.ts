/**
 * The committed migrations of both dialects are up to date with the table files: drizzle-kit, run on
 * a copy of each migrations folder, finds nothing to generate. A schema change committed without its
 * migration (of either dialect: `npm run db:generate -- --name <change>` writes both) fails here.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const PACKAGE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DRIZZLE_KIT = path.join(PACKAGE_DIR, "..", "..", "node_modules", ".bin", "drizzle-kit");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-migrations-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DIALECTS = [
  { dialect: "sqlite", schema: "src/schema/index.ts", folder: "migrations" },
  { dialect: "postgresql", schema: "src/pg-schema/index.ts", folder: "migrations-postgres" },
] as const;

function sqlFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
}

describe("committed migrations match the table files", () => {
  it.each(DIALECTS)("$dialect: drizzle-kit generate finds no schema change", ({ dialect, schema, folder }) => {
    // drizzle-kit takes --out relative to the working directory (it prefixes "./").
    const out = path.join(tmp, folder);
    fs.cpSync(path.join(PACKAGE_DIR, folder), out, { recursive: true });
    const res = spawnSync(DRIZZLE_KIT, ["generate", "--dialect", dialect, "--schema", schema, "--out", path.relative(PACKAGE_DIR, out)], { cwd: PACKAGE_DIR, encoding: "utf8", timeout: 120_000 });
    // drizzle-kit exits 0 on some failures (a missing snapshot): its output says which.
    expect(res.status, res.stderr).toBe(0);
    expect(`${res.stdout}${res.stderr}`).not.toMatch(/Error/);
    const added = sqlFiles(out).filter((f) => !sqlFiles(path.join(PACKAGE_DIR, folder)).includes(f));
    const sql = added.map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("\n");
    expect(added, `uncommitted ${dialect} migration:\n${sql}`).toEqual([]);
    expect(`${res.stdout}${res.stderr}`).toMatch(/No schema changes/);
  }, 150_000);

  it("both dialects' journals list their SQL files, in order", () => {
    for (const { folder } of DIALECTS) {
      const journal = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, folder, "meta", "_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
      expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(sqlFiles(path.join(PACKAGE_DIR, folder)));
      expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
    }
  });
});
