/**
 * Thrown for inputs that are semantically wrong (inconsistent architecture, unknown catalog id,
 * non-positive or absurd sizes). `path` names the offending field as the API request spells it,
 * e.g. ["model", "architecture", "heads"], so the API can answer 422 naming the field.
 * A model that does not fit the requested GPUs is NOT an error: estimates say fits=false.
 */
export class EstimatorInputError extends Error {
  readonly path: string[];

  constructor(path: string[], message: string) {
    super(message);
    this.name = "EstimatorInputError";
    this.path = path;
  }
}

export function isEstimatorInputError(error: unknown): error is EstimatorInputError {
  return error instanceof EstimatorInputError;
}
