import { customType, index, integer, json, pgTable, text } from "drizzle-orm/pg-core";
import { scenarios } from "./scenarios";
import { workspaces } from "./workspaces";

/** bytea, read and written as a Buffer (SQLite's blob in buffer mode). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/** PostgreSQL twin of ../schema/plans.ts. */
export const plans = pgTable(
  "plans",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    scenarioId: text("scenario_id")
      .notNull()
      .references(() => scenarios.id, { onDelete: "cascade" }),
    scenarioVersion: integer("scenario_version").notNull(),
    catalogVersion: text("catalog_version").notNull(),
    estimatorCatalogVersion: text("estimator_catalog_version").notNull(),
    options: json("options").notNull(),
    summary: json("summary").notNull(),
    plan: json("plan"),
    documentGzip: bytea("document_gzip"),
    storedBytes: integer("stored_bytes").notNull().default(0),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("plans_ws_scenario_created_idx").on(t.workspaceId, t.scenarioId, t.createdAt, t.id)],
);
