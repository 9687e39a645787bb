#!/usr/bin/env -S npx tsx
/**
 * modelplan-bench: run a benchmark suite on this machine with TensorFlow.js.
 *
 *   npx tsx packages/bench/src/cli.ts --suite quick [--backend wasm] [--json] [--markdown]
 *       [--workers N] [--budget-ms MS] [--rounds N] [--no-whole-machine] [--no-sgemm] [--stock-wasm] [--out FILE]
 *       [--server URL --api-key KEY]
 */
import { SingleBar, Presets } from "cli-progress";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BACKEND_CHOICES, parseBackendChoice } from "./backend-choice";
import { BenchInputError, BenchRunError } from "./errors";
import { formatMarkdown, formatTable } from "./report";
import { runSuite, type SuiteEvent } from "./runner";
import { postSuiteResult } from "./post";
import { SUITE_NAMES, type SuiteInput, type SuiteName } from "./suite";
import { CALIBRATION_TIME_BASIS, calibrationRunsFromSuite, leaveOneOut } from "./calibration";

const USAGE = `usage: bench [--suite ${SUITE_NAMES.join("|")}] [--items JSON] [--backend ${BACKEND_CHOICES.join("|")}|auto]
             [--workers N] [--budget-ms MS] [--rounds N] [--no-whole-machine] [--no-sgemm] [--stock-wasm]
             [--json] [--markdown] [--out FILE] [--server URL --api-key KEY]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      suite: { type: "string" },
      items: { type: "string" },
      backend: { type: "string" },
      workers: { type: "string" },
      "budget-ms": { type: "string" },
      rounds: { type: "string" },
      "no-whole-machine": { type: "boolean" },
      "no-sgemm": { type: "boolean" },
      "stock-wasm": { type: "boolean" },
      json: { type: "boolean" },
      markdown: { type: "boolean" },
      out: { type: "string" },
      server: { type: "string" },
      "api-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const input: SuiteInput = {};
  if (values.items !== undefined) input.items = JSON.parse(values.items);
  else input.suite = (values.suite ?? "quick") as SuiteName;
  if (values.workers !== undefined) input.workers = Number(values.workers);
  if (values["budget-ms"] !== undefined) input.budgetMs = Number(values["budget-ms"]);
  if (values.rounds !== undefined) input.rounds = Number(values.rounds);
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
      process.stderr.write(`${e.message}…\n`);
    }
  };
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const result = await runSuite(input, { backend, onEvent, signal: controller.signal, wasmKernels: values["stock-wasm"] ? false : undefined });
  if (barStarted) bar.stop();

  const loo = leaveOneOut(calibrationRunsFromSuite(result));
  if (values.out) writeFileSync(values.out, JSON.stringify({ result, leaveOneOut: loo }, null, 2));
  if (values.json) {
    process.stdout.write(JSON.stringify({ result, leaveOneOut: loo }, null, 2) + "\n");
  } else {
    process.stdout.write((values.markdown ? formatMarkdown(result) : formatTable(result)) + "\n\n");
    process.stdout.write(formatLoo(loo) + "\n");
  }
  if (values.server) {
    const posted = await postSuiteResult(result, { server: values.server, apiKey: values["api-key"] });
    process.stderr.write(`posted to ${values.server}: ${posted.stored} runs stored under hardware profile ${posted.hardwareProfileId}\n`);
  }
  return result.runs.some((r) => r.status === "failed") ? 2 : 0;
}

function formatLoo(loo: ReturnType<typeof leaveOneOut>): string {
  const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
  const lines = [
    `leave-one-out prediction error of the ${CALIBRATION_TIME_BASIS} step time over ${loo.overall.n} runs: median ${pct(loo.overall.medianAbsError)}, worst ${pct(loo.overall.worstAbsError)}`,
  ];
  for (const [family, s] of Object.entries(loo.byFamily)) lines.push(`  ${family.padEnd(16)} n=${s.n}  median ${pct(s.medianAbsError)}  worst ${pct(s.worstAbsError)}`);
  return lines.join("\n");
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof BenchInputError) process.stderr.write(`invalid input: ${err.message}\n${USAGE}\n`);
    else if (err instanceof BenchRunError) process.stderr.write(`error: ${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
