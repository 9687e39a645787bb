/**
 * What a leave-one-out report costs as a profile grows: the figures behind the runs-per-profile cap
 * and the fitting time budget (services/api/src/routes/benchmarks/limits.ts, docs/security.md).
 *
 *   npx tsx scripts/fit-cost.ts [--runs 100,250,500,1000] [--sessions-every 250]
 *
 * Times leaveOneOut on synthetic runs (tests/helpers/synthetic-upload.ts: four families, six batch
 * sizes, both phases, a fifth of them whole-machine), a new session every `sessions-every` runs as
 * uploads of that size make. One core, on the calling thread.
 */
import { parseArgs } from "node:util";
import { leaveOneOut, toCalibrationRun } from "@modelplan/bench";
import { syntheticRuns } from "../tests/helpers/synthetic-upload";

const { values } = parseArgs({ options: { runs: { type: "string", default: "100,250,500,1000" }, "sessions-every": { type: "string", default: "250" } } });
const every = Number(values["sessions-every"]);
console.log("| runs | sessions | leave-one-out ms |\n|---:|---:|---:|");
for (const n of values.runs.split(",").map(Number)) {
  const runs = syntheticRuns(n).flatMap((r, i) => toCalibrationRun(`run-${i}`, r, `upload ${Math.floor(i / every)}`) ?? []);
  const started = performance.now();
  leaveOneOut(runs);
  console.log(`| ${n} | ${Math.ceil(n / every)} | ${Math.round(performance.now() - started)} |`);
}
