import { CATALOG_VERSION, publishedCaseDates, trackRecord } from "@modelplan/estimator";
import type { AppRouteHandler } from "../../lib/types";
import type { GetValidationRoute } from "./validation.routes";

/** The track record is computed once per process (about 0.3 s on first use) and then served from memory. */
export const getValidation: AppRouteHandler<GetValidationRoute> = (c) => {
  const record = trackRecord();
  return c.json({ catalogVersion: CATALOG_VERSION, collected: publishedCaseDates(), reproduce: "npx tsx packages/estimator/validation/run.ts", ...record }, 200);
};
