import { defineConfig } from "drizzle-kit";

// `npm run db:generate -- --name <change>` (from the repository root) diffs src/schema against
// migrations/ and writes the next SQL migration. The service applies the committed migrations at
// start-up (src/client.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/index.ts",
  out: "./migrations",
});
