// `npm run db:generate -- --name <change>`: drizzle-kit generate for both dialects, with the same
// arguments, so a schema change always comes with its SQLite and its PostgreSQL migration.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
for (const config of ["drizzle.config.ts", "drizzle.postgres.config.ts"]) {
  console.log(`== drizzle-kit generate --config ${config} ${args.join(" ")}`);
  const res = spawnSync("npx", ["drizzle-kit", "generate", "--config", config, ...args], { cwd: dir, stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
