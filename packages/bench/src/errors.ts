/**
 * Input error of the benchmark engine. `path` names the offending field the way the API reports it
 * (e.g. ["items", 0, "config", "seqLen"]); `limit` is the bound that was crossed, when there is one,
 * so a caller can answer 422 problem+json naming both.
 */
export class BenchInputError extends Error {
  readonly path: (string | number)[];
  readonly limit?: { min?: number; max?: number; unit?: string };
  /** The message without the path prefix. */
  readonly reason: string;

  constructor(path: (string | number)[], message: string, limit?: { min?: number; max?: number; unit?: string }) {
    super(`${path.length > 0 ? path.join(".") + ": " : ""}${message}`);
    this.name = "BenchInputError";
    this.path = path;
    this.limit = limit;
    this.reason = message;
  }
}

/** A model failed while it was being measured (out of memory, missing kernel, crashed worker). */
export class BenchRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchRunError";
  }
}
