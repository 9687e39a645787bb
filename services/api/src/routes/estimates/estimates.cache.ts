import { CATALOG_VERSION } from "@modelplan/estimator";
import { ResponseCache, type ResponseCacheOptions } from "../../lib/response-cache";

/** The estimate routes whose answers are pure functions of the body and the catalogs. */
export const ESTIMATE_CACHE_PATHS = ["/v1/estimates/training", "/v1/estimates/inference"] as const;

/**
 * The default cache of training and serving estimates: keyed by the catalog version as well as the
 * body, so answers computed from other catalog figures are never served. An estimate on a measured
 * hardware profile ("local" or a profile id) is not stored: it changes with the workspace's runs.
 */
export function estimateResponseCache(options: Partial<ResponseCacheOptions> = {}): ResponseCache {
  return new ResponseCache({ paths: ESTIMATE_CACHE_PATHS, version: () => CATALOG_VERSION, ...options });
}
