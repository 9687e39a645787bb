import { defineConfig } from "drizzle-kit";

// `npm run db:generate` diffs db/schema against db/migrations and writes the next SQL migration.
// The service applies the committed migrations at start-up (services/api/src/db/client.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
