import { isEstimatorInputError } from "@modelplan/estimator";
import { ApiError } from "../../lib/problem";

/**
 * Runs an estimator call and turns its typed input errors into a 422 problem naming the field
 * (the engine's path, dot-joined, optionally renamed to where the field lives in the request).
 * Anything else propagates (a real bug → 500 with a request id).
 */
export function runEstimator<T>(compute: () => T, renamePath: (path: string[]) => string = defaultPath): T {
  try {
    return compute();
  } catch (error) {
    if (isEstimatorInputError(error)) throw ApiError.invalidField(renamePath(error.path), error.message);
    throw error;
  }
}

function defaultPath(path: string[]): string {
  return path.length ? path.join(".") : "(root)";
}
