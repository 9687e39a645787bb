// Every figure, warning and assumption of the pinned requests' answers (test/pinned/requests.ts) is
// exactly what test/pinned/answers.json holds: the answers were written before the estimator was made
// faster, so a speed-up that changes any figure fails here. Regenerate answers.json only for an
// intended change of figures: npx tsx packages/estimator/scripts/pin-answers.ts
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pinnedAnswer, pinnedRequests } from "./pinned/requests";

const pinned = JSON.parse(readFileSync(new URL("./pinned/answers.json", import.meta.url), "utf8")) as Record<string, unknown>;
const requests = pinnedRequests();

describe("pinned answers", () => {
  it("pins every request and only those", () => {
    expect(Object.keys(pinned).sort()).toEqual(requests.map((r) => r.id).sort());
  });

  it.each(requests.map((r) => [r.id, r] as const))("%s", (id, req) => {
    const answer = pinnedAnswer(req);
    expect(answer).toEqual(pinned[id]);
    // and the same JSON text: every number to the last digit, and the fields in the same order
    expect(JSON.stringify(answer)).toBe(JSON.stringify(pinned[id]));
  });
});
