// Writes test/pinned/answers.json: the complete answer to every pinned request (test/pinned/requests.ts).
// test/pinned.test.ts holds the estimator to it, so that performance work changes no figure. Regenerate
// only when a change of figures is intended, and review the diff (git diff shows every changed figure).
// Run: npx tsx packages/estimator/scripts/pin-answers.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { pinnedAnswer, pinnedRequests } from "../test/pinned/requests";

const out = fileURLToPath(new URL("../test/pinned/answers.json", import.meta.url));
const answers: Record<string, unknown> = {};
for (const req of pinnedRequests()) {
  if (req.id in answers) throw new Error(`duplicate pinned request id ${req.id}`);
  answers[req.id] = pinnedAnswer(req);
}
writeFileSync(out, `${JSON.stringify(answers, null, 1)}\n`);
console.log(`${Object.keys(answers).length} answers written to ${out}`);
