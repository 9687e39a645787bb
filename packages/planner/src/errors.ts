/**
 * Thrown for input the planner cannot plan from. `path` names the offending scenario field
 * (e.g. ["pricing"], ["audience", "horizonMonths"], ["useCases", 0]); the message says what the plan
 * needs, so the API can answer 422 problem+json naming the field.
 */
export class PlannerInputError extends Error {
  readonly path: (string | number)[];
  /** Every problem found (the first one is also `path`/`message`). */
  readonly issues: { path: (string | number)[]; message: string }[];

  constructor(path: (string | number)[], message: string, issues?: { path: (string | number)[]; message: string }[]) {
    super(message);
    this.name = "PlannerInputError";
    this.path = path;
    this.issues = issues && issues.length > 0 ? issues : [{ path, message }];
  }

  /** Builds one error from several problems; the first names `path` and `message`. */
  static fromIssues(issues: { path: (string | number)[]; message: string }[]): PlannerInputError {
    const first = issues[0];
    const message = issues.length === 1 ? first.message : `${first.message} (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})`;
    return new PlannerInputError(first.path, message, issues);
  }
}
