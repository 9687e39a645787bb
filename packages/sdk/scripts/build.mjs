// Builds dist/: ESM JavaScript and .d.ts from src/ with tsc (NodeNext), plus the generated schema.d.ts,
// which tsc reads but does not copy. Run by `npm run build` and before `npm pack` (prepack).
import { execFileSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
copyFileSync(`${root}/src/schema.d.ts`, `${root}/dist/schema.d.ts`);
