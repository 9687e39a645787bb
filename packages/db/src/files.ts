import { createRequire } from "node:module";
import path from "node:path";

// Resolved through the installed package (node_modules/@modelplan/db), not relative to this file, so
// the same paths hold when this code runs from its TypeScript sources and when it is bundled into
// the service's build (services/api/dist).
const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(require.resolve("@modelplan/db/package.json"));

/** The committed drizzle-kit migrations of SQLite, applied at start-up (`npm run db:generate` writes the next one). */
export const MIGRATIONS_FOLDER = path.join(PACKAGE_DIR, "migrations");

/** The committed drizzle-kit migrations of PostgreSQL (the same changes, written for PostgreSQL). */
export const MIGRATIONS_POSTGRES_FOLDER = path.join(PACKAGE_DIR, "migrations-postgres");

/** The versioned use-case catalog the service loads at start-up. */
export const USE_CASE_CATALOG_FILE = path.join(PACKAGE_DIR, "seed", "use-cases.json");
