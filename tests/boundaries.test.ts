/**
 * The import rules of .dependency-cruiser.cjs (docs/architecture.md): the repository keeps them, and
 * the rules catch each kind of break they are there for (checked on a small tree that has them all).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const CONFIG = path.join(root, ".dependency-cruiser.cjs");
const DEPCRUISE = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser with the repository's rules over `dirs` of `cwd`; its violations. */
async function cruise(cwd: string, dirs: string[]): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [DEPCRUISE, ...dirs, "--config", CONFIG, "--output-type", "json"], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-boundaries-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("import boundaries", () => {
  it("the repository has no violation", async () => {
    const violations = await cruise(root, ["packages", "services", "scripts", "tests"]);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  }, 180_000);

  it("each rule fails the imports it forbids", async () => {
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "ESNext", moduleResolution: "Bundler", allowImportingTsExtensions: true, noEmit: true } }),
      "packages/estimator/src/index.ts": 'import fs from "node:fs";\nimport { x } from "../../planner/src/index";\nexport const y = [fs, x];\n',
      "packages/planner/src/index.ts": 'import Database from "better-sqlite3";\nexport const x = Database;\n',
      "packages/bench/src/index.ts": 'import { route } from "../../../services/api/src/routes/r";\nexport const b = route;\n',
      "packages/db/src/index.ts": 'import { route } from "../../../services/api/src/routes/r";\nexport const d = route;\n',
      "services/api/src/routes/r.ts": "export const route = 1;\n",
      "services/api/src/lib/l.ts": 'import { route } from "../routes/r";\nimport { m } from "../middleware/m";\nexport const l = route + m;\n',
      "services/api/src/middleware/m.ts": 'import { l } from "../lib/l";\nexport const m = 1;\nexport const n = () => l;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.writeFileSync(path.join(scratch, file), text);
    }
    const found = (await cruise(scratch, ["packages", "services"])).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "domain-imports-node: packages/estimator/src/index.ts -> fs",
        "estimator-imports-outside: packages/estimator/src/index.ts -> packages/planner/src/index.ts",
        "planner-imports-outside: packages/planner/src/index.ts -> better-sqlite3",
        "package-imports-service: packages/bench/src/index.ts -> services/api/src/routes/r.ts",
        "data-layer-imports-routes: packages/db/src/index.ts -> services/api/src/routes/r.ts",
        "app-layer-imports-routes: services/api/src/lib/l.ts -> services/api/src/routes/r.ts",
        "no-circular: services/api/src/lib/l.ts -> services/api/src/middleware/m.ts",
      ]),
    );
  }, 180_000);
});
