import { ApiError } from "./problem";

/** Strong ETag for a versioned resource. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/** A parsed If-Match header: `*`, or the entity tags it lists (weak ones marked). */
export type IfMatch = { any: true } | { any: false; tags: { weak: boolean; tag: string }[] };

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;

/**
 * RFC 9110 §13.1.1 If-Match: `*` or a list of entity tags (§5.6.1: empty list elements are ignored).
 * A value that is neither — `If-Match: 22`, the version without its quotes — is answered 400, saying
 * to quote it. Why not 412 or accepting it: an entity tag is a quoted string (§8.8.3), and If-Match's
 * condition is defined only over entity tags, compared strongly (§13.1.1, §8.8.3.2), so `22` is not a
 * tag that could match "22" — reading it as one would be a guess the RFC does not make; and a 412 would
 * tell the client its version is stale when it is its syntax that is wrong (a client that retries on
 * 412 by reading again would loop). A malformed request field is a client error the server may refuse
 * with 400 (§15.5.1). Parsed before the resource is read, so a malformed header never probes it.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return { any: true };
  const tags: { weak: boolean; tag: string }[] = [];
  for (const element of value.split(",").map((t) => t.trim())) {
    if (element === "") continue;
    const m = ENTITY_TAG.exec(element);
    if (!m) {
      // The version without its quotes (`22`, or a token like it): say how to send it.
      const unquoted = /^[\x21\x23-\x7e]+$/.test(element) && element !== "*" && !element.startsWith("W/");
      const hint = unquoted ? ` Quote it, as the ETag header gives it: If-Match: "${capHeader(element)}".` : "";
      const what =
        element === value
          ? `If-Match ${capHeader(value)} is not an entity tag (RFC 9110 §8.8.3: a quoted string, or '*').`
          : `If-Match ${capHeader(value)} is not '*' or a list of entity tags: ${capHeader(element)} is not one (RFC 9110 §13.1.1: each a quoted string; '*' stands alone).`;
      throw new ApiError(400, `${what}${hint}`);
    }
    tags.push({ weak: m[1] !== undefined, tag: m[2] });
  }
  return { any: false, tags };
}

function capHeader(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * Throws 412 when the header is present and no tag matches the current version (strong comparison:
 * a weak tag never matches, RFC 9110 §13.1.1), 400 when it is not an If-Match value (parseIfMatch).
 * A missing header is allowed (last write wins for clients that opt out of concurrency control).
 */
export function assertIfMatch(header: string | IfMatch | undefined, currentVersion: number): void {
  const condition = typeof header === "string" ? parseIfMatch(header) : header;
  if (condition === undefined || condition.any) return;
  const current = etagFor(currentVersion);
  if (condition.tags.some((t) => !t.weak && t.tag === current)) return;
  const listed = condition.tags.map((t) => `${t.weak ? "W/" : ""}${t.tag}`).join(", ");
  const why =
    condition.tags.length === 0
      ? "If-Match lists no entity tag"
      : condition.tags.every((t) => t.weak)
        ? `If-Match ${capHeader(listed)} lists only weak entity tags, which never match (send the ETag as given, without W/)`
        : `If-Match ${capHeader(listed)} does not match the current version ${current}`;
  throw new ApiError(412, `${why}; read the resource again and retry.`, { headers: { ETag: current } });
}
