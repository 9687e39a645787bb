import { defineConfig } from "drizzle-kit";

// The PostgreSQL twin of drizzle.config.ts: `npm run db:generate -- --name <change>` writes the next
// migration of both dialects (scripts/generate.mjs). The service applies migrations-postgres/ at
// start-up when DATABASE_URL is a postgres:// URL (src/postgres.ts), one replica at a time.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/pg-schema/index.ts",
  out: "./migrations-postgres",
});
