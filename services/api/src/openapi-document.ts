import { createApp } from "./app";
import { openSqliteDatabase } from "@modelplan/db";
import { createLogger } from "./lib/logger";
import { openApiDocument } from "./lib/openapi";

/**
 * The OpenAPI document exactly as the app serves it, serialised the way openapi/openapi.json is
 * committed (2-space JSON + newline). Builds the app on a throw-away in-memory database.
 */
export function renderOpenApiJson(): string {
  // Opened synchronously (nothing is read from it): the document is rendered without awaiting.
  const db = openSqliteDatabase(":memory:");
  try {
    const app = createApp({ db, logger: createLogger("silent") });
    return `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
  } finally {
    db.sqlite.close();
  }
}
