import { createRouter } from "../../lib/create-app";
import type { AppRouteHandler } from "../../lib/types";
import { SERVICE_VERSION } from "../../lib/version";
import { getHealth, getReadiness, type GetHealthRoute, type GetReadinessRoute } from "./health.routes";

/** Whether the database answers a round trip within 2 s. */
async function dbAnswers(db: { ping(timeoutMs?: number): Promise<void> }): Promise<"ok" | "error"> {
  try {
    await db.ping(2000);
    return "ok";
  } catch {
    return "error";
  }
}

const healthHandler: AppRouteHandler<GetHealthRoute> = async (c) => {
  const database = c.get("db");
  const db = await dbAnswers(database);
  const body = { status: db === "ok" ? ("ok" as const) : ("degraded" as const), version: SERVICE_VERSION, db };
  // Liveness: a database that is briefly away is no reason to restart the process; one it closed is.
  return database.isOpen() ? c.json(body, 200) : c.json(body, 503);
};

const readinessHandler: AppRouteHandler<GetReadinessRoute> = async (c) => {
  const database = c.get("db");
  const db = await dbAnswers(database);
  const { draining } = c.get("lifecycle");
  const body = { ready: db === "ok" && !draining, db, dialect: database.dialect, draining };
  return body.ready ? c.json(body, 200) : c.json(body, 503);
};

export const healthRouter = createRouter().openapi(getHealth, healthHandler).openapi(getReadiness, readinessHandler);
