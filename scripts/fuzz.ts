/**
 * The long fuzz run: `npx tsx scripts/fuzz.ts --runs 10000 --seed 42`.
 * Generates requests from the live OpenAPI document (valid, boundary, malformed) with fast-check,
 * sends them to the real server on a temporary database, checks every answer against the document
 * and that rejected writes leave the data unchanged; prints counts per operation and status and
 * exits 1 on any failure. Options: --runs N (default 10000), --seed N (default: random, printed),
 * --json (machine-readable report on stdout), --env KEY=VALUE (extra server configuration, repeatable).
 * The server logs nothing by default; `--env LOG_LEVEL=error` prints its error logs, with the stack of
 * each 500, to stderr (replay a failing seed with it to see where the error came from).
 */
import { parseArgs } from "node:util";
import { formatReport, runFuzz, summarizeFailures } from "../tests/fuzz/lib/harness";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    seed: { type: "string" },
    json: { type: "boolean", default: false },
    env: { type: "string", multiple: true, default: [] },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: npx tsx scripts/fuzz.ts [--runs 10000] [--seed N] [--json] [--env KEY=VALUE ...]");
  process.exit(0);
}
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error("--runs and --seed must be integers");
  process.exit(2);
}
const env = Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));

const log = values.json ? () => {} : (s: string) => console.error(s);
log(`fuzzing with seed ${seed}, ${runs} generated requests (replay: npx tsx scripts/fuzz.ts --runs ${runs} --seed ${seed})`);
const report = await runFuzz({
  runs,
  seed,
  env,
  progressEvery: 1000,
  onProgress: (done, s) => log(`  ${done}/${runs} generated, ${s.requests} sent, ${s.failures.length} failures`),
});

if (values.json) {
  const obj = (m: Map<string, Map<number, number>>) => Object.fromEntries([...m].map(([k, v]) => [k, Object.fromEntries(v)]));
  console.log(JSON.stringify({ seed, generated: report.generated, requests: report.requests, skipped: report.skipped, seconds: report.ms / 1000, byOperation: obj(report.byOperation), byCategory: obj(report.byCategory), failures: report.failures }, null, 2));
} else {
  console.log(formatReport(report));
  if (report.failures.length) console.log(`\n${summarizeFailures(report.failures)}`);
}
process.exit(report.failures.length ? 1 : 0);
