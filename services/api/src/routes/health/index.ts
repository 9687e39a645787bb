import { createRouter } from "../../lib/create-app";
import type { AppRouteHandler } from "../../lib/types";
import { SERVICE_VERSION } from "../../lib/version";
import { getHealth, type GetHealthRoute } from "./health.routes";

const healthHandler: AppRouteHandler<GetHealthRoute> = async (c) => {
  let db: "ok" | "error" = "ok";
  try {
    await c.get("db").ping();
  } catch {
    db = "error";
  }
  const body = { status: db === "ok" ? ("ok" as const) : ("degraded" as const), version: SERVICE_VERSION, db };
  return db === "ok" ? c.json(body, 200) : c.json(body, 503);
};

export const healthRouter = createRouter().openapi(getHealth, healthHandler);
