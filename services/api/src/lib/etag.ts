import { ApiError } from "./problem";

/** Strong ETag for a versioned resource. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/**
 * RFC 9110 §13.1.1 If-Match: `*` or a list of strong entity tags. Throws 412 when the header is present
 * and no tag matches the current version. A missing header is allowed (last write wins for clients
 * that opt out of concurrency control).
 */
export function assertIfMatch(header: string | undefined, currentVersion: number): void {
  if (header === undefined) return;
  const value = header.trim();
  if (value === "*") return;
  const current = etagFor(currentVersion);
  const tags = value.split(",").map((t) => t.trim());
  if (!tags.includes(current)) {
    throw new ApiError(412, `If-Match ${value} does not match the current version ${current}; read the resource again and retry.`, {
      headers: { ETag: current },
    });
  }
}
