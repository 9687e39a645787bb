/**
 * The bench command line: run a suite on this machine, print the table and the leave-one-out accuracy,
 * and get the runs to a modelplan service — into the service's own database when the caller provides a
 * store (`npm run bench`, services/api/scripts/bench.ts), to a remote service with --server, or saved to
 * a file with the exact command that uploads it.
 */
import { SingleBar, Presets } from "cli-progress";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { BACKEND_CHOICES, parseBackendChoice } from "./backend-choice";
import { ACCURACY_SCOPE, CALIBRATION_TIME_BASIS, calibrationRunsFromSuite, leaveOneOut, type LeaveOneOutReport } from "./calibration";
import { BenchInputError, BenchRunError } from "./errors";
import { postSuiteResult } from "./post";
import { formatMarkdown, formatTable } from "./report";
import type { SuiteResult } from "./results";
import { runSuite, type SuiteEvent } from "./runner";
import { SUITE_NAMES, type SuiteInput, type SuiteName } from "./suite";

/** Where `npm run bench` stores runs: the service's database (provided by the service's script). */
export interface SuiteStore {
  /** Human description of the target: "the service's database data/modelplan.db (workspace ws_default)". */
  describe(workspace: string): string;
  store(result: SuiteResult, workspace: string): { profileId: string; stored: number } | Promise<{ profileId: string; stored: number }>;
}

export interface CliContext {
  /** Store into the service's database by default (absent: the standalone bin, which saves a file instead). */
  store?: SuiteStore;
  /** The command that runs this CLI, for the remote-upload instruction it prints (database uploads go through `npm run bench`). */
  command?: string;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  cwd?: string;
}

export const USAGE = `usage: bench [--suite ${SUITE_NAMES.join("|")}] [--items JSON] [--backend ${BACKEND_CHOICES.join("|")}|auto]
             [--workers N] [--budget-ms MS] [--rounds N] [--probe-sizes N,N…] [--no-whole-machine] [--no-sgemm] [--stock-wasm]
             [--json] [--markdown] [--out FILE] [--no-store] [--workspace ID] [--server URL --api-key KEY]
       bench --upload FILE [--workspace ID | --server URL --api-key KEY]`;

const DEFAULT_WORKSPACE = "ws_default";

/**
 * A saved suite. The CLI saves the SuiteResult itself (--out FILE, or the file it writes when it cannot
 * store): the body POST /v1/benchmarks/results takes, so `curl --data-binary @FILE` posts it as it is.
 * Files written before that held `{ result, leaveOneOut }`; they are still read (`wrapped`).
 */
function readSavedResult(file: string): { result: SuiteResult; wrapped: boolean } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new BenchInputError(["--upload"], `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const wrapped = Boolean(raw && typeof raw === "object" && "result" in raw && "leaveOneOut" in raw);
  const r = (wrapped ? (raw as { result: unknown }).result : raw) as Partial<SuiteResult> | null;
  if (!r || typeof r !== "object" || !Array.isArray(r.runs) || typeof r.fingerprint !== "string" || !r.device || !r.backend) {
    throw new BenchInputError(["--upload"], `${file} is not a saved bench result (the SuiteResult that --out writes)`);
  }
  return { result: r as SuiteResult, wrapped };
}

/** A saved result as a file: the SuiteResult, which POST /v1/benchmarks/results takes as its body. */
function saveResult(file: string, result: SuiteResult): void {
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
}

function compactTime(iso: string): string {
  return iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function formatLoo(loo: LeaveOneOutReport): string {
  const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
  const lines = [
    `leave-one-out prediction error of the ${CALIBRATION_TIME_BASIS} step time over ${loo.overall.n} runs: median ${pct(loo.overall.medianAbsError)}, worst ${pct(loo.overall.worstAbsError)}`,
  ];
  for (const [family, s] of Object.entries(loo.byFamily)) lines.push(`  ${family.padEnd(16)} n=${s.n}  median ${pct(s.medianAbsError)}  worst ${pct(s.worstAbsError)}`);
  lines.push(`  scope: ${ACCURACY_SCOPE}`);
  return lines.join("\n");
}

/** Run the CLI; resolves to the exit status (0 ok, 2 a run failed, 1 bad input — thrown as BenchInputError). */
export async function runBenchCli(argv: string[], ctx: CliContext = {}): Promise<number> {
  const out = ctx.stdout ?? ((s: string) => process.stdout.write(s));
  const err = ctx.stderr ?? ((s: string) => process.stderr.write(s));
  const command = ctx.command ?? "npm run bench --";
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: "string" },
      items: { type: "string" },
      backend: { type: "string" },
      workers: { type: "string" },
      "budget-ms": { type: "string" },
      rounds: { type: "string" },
      "probe-sizes": { type: "string" },
      "no-whole-machine": { type: "boolean" },
      "no-sgemm": { type: "boolean" },
      "stock-wasm": { type: "boolean" },
      json: { type: "boolean" },
      markdown: { type: "boolean" },
      out: { type: "string" },
      "no-store": { type: "boolean" },
      workspace: { type: "string" },
      upload: { type: "string" },
      server: { type: "string" },
      "api-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    out(USAGE + "\n");
    return 0;
  }
  const workspace = values.workspace ?? DEFAULT_WORKSPACE;
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(workspace)) throw new BenchInputError(["--workspace"], "must be 1–64 lowercase letters, digits, '-' or '_'");
  const cwd = ctx.cwd ?? process.cwd();

  // Deliver a result: post it, store it in the service's database, or save it and say how to upload it.
  // `savedAs`: the file already holding it (--out, --upload), `wrapped` when that file is the older { result, leaveOneOut }.
  const deliver = async (result: SuiteResult, savedAs: string | null, wrapped = false): Promise<void> => {
    if (values.server) {
      const posted = await postSuiteResult(result, { server: values.server, apiKey: values["api-key"] });
      err(`posted to ${values.server}: ${posted.stored} runs stored under hardware profile ${posted.hardwareProfileId}\n`);
      return;
    }
    let failure: string | null = null;
    if (ctx.store && !values["no-store"]) {
      try {
        const s = await ctx.store.store(result, workspace);
        err(`stored ${s.stored} runs in ${ctx.store.describe(workspace)} under hardware profile ${s.profileId} (GET /v1/hardware-profiles/${s.profileId})\n`);
        return;
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
    }
    const file = savedAs ?? path.join(cwd, `modelplan-bench-${result.suite}-${result.fingerprint}-${compactTime(result.startedAt)}.json`);
    if (!savedAs) saveResult(file, result);
    const rel = path.relative(cwd, file) || file;
    const curl = "curl -X POST https://<service>/v1/benchmarks/results -H 'content-type: application/json' -H 'authorization: Bearer <key>'";
    err(
      [
        failure ? `could not store the runs in ${ctx.store!.describe(workspace)}: ${failure}` : ctx.store ? "not stored (--no-store)" : "not stored: this command has no service database",
        `the result is saved in ${rel}; to store it:`,
        `  into the service's database (MODELPLAN_DB / DATABASE_URL): npm run bench -- --upload ${rel}${workspace !== DEFAULT_WORKSPACE ? ` --workspace ${workspace}` : ""}`,
        `  on a modelplan service:  ${command} --upload ${rel} --server https://<service> --api-key <key>`,
        wrapped
          ? `  or with curl:            jq .result ${rel} | ${curl} --data-binary @-   (this older file wraps the result in { result, leaveOneOut })`
          : `  or with curl:            ${curl} --data-binary @${rel}`,
      ].join("\n") + "\n",
    );
    if (failure) throw new BenchRunError(`the runs were measured but not stored: ${failure}`);
  };

  if (values.upload !== undefined) {
    const { result, wrapped } = readSavedResult(values.upload);
    if (!values.server && !ctx.store) throw new BenchInputError(["--upload"], "this command has no service database: give --server URL --api-key KEY");
    await deliver(result, values.upload, wrapped);
    return 0;
  }

  const input: SuiteInput = {};
  if (values.items !== undefined) input.items = JSON.parse(values.items);
  else input.suite = (values.suite ?? "quick") as SuiteName;
  if (values.workers !== undefined) input.workers = Number(values.workers);
  if (values["budget-ms"] !== undefined) input.budgetMs = Number(values["budget-ms"]);
  if (values.rounds !== undefined) input.rounds = Number(values.rounds);
  if (values["probe-sizes"] !== undefined) input.probeSizes = values["probe-sizes"].split(",").map((x) => Number(x.trim()));
  if (values["no-whole-machine"]) input.wholeMachine = false;
  if (values["no-sgemm"]) input.sgemm = false;
  const backend = parseBackendChoice(values.backend, "--backend");

  const bar = new SingleBar(
    { format: "{bar} {percentage}% | {value}/{total} | {current}", stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let barStarted = false;
  const onEvent = (e: SuiteEvent) => {
    if (e.type === "progress") {
      if (!barStarted) {
        bar.start(e.total, e.done, { current: e.current ?? "" });
        barStarted = true;
      }
      bar.update(e.done, { current: e.current ?? "done" });
    } else if (e.type === "stage" && !barStarted) {
      err(`${e.message}…\n`);
    }
  };
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: SuiteResult;
  try {
    result = await runSuite(input, { backend, onEvent, signal: controller.signal, wasmKernels: values["stock-wasm"] ? false : undefined });
  } finally {
    process.off("SIGINT", onSigint);
    if (barStarted) bar.stop();
  }

  const loo = leaveOneOut(calibrationRunsFromSuite(result));
  // The file holds what the service takes; the leave-one-out report is printed (and --json prints both).
  if (values.out) saveResult(values.out, result);
  if (values.json) {
    out(JSON.stringify({ result, leaveOneOut: loo }, null, 2) + "\n");
  } else {
    out((values.markdown ? formatMarkdown(result) : formatTable(result)) + "\n\n");
    out(formatLoo(loo) + "\n");
  }
  await deliver(result, values.out ?? null);
  return result.runs.some((r) => r.status === "failed") ? 2 : 0;
}

/** Run as a program: exit with the CLI's status, printing bad input with the usage. */
export function runBenchCliMain(ctx: CliContext = {}): void {
  runBenchCli(process.argv.slice(2), ctx).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof BenchInputError) process.stderr.write(`invalid input: ${e.message}\n${USAGE}\n`);
      else if (e instanceof BenchRunError) process.stderr.write(`error: ${e.message}\n`);
      else process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
