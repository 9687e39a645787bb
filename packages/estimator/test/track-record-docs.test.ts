// The track record's figures are written by hand into the README (between its track-record markers) and
// into this package's README, and docs/estimates.md carries the runner's own tables; this holds all three
// to the runner, so a change to a case or to the estimator that moves them fails here until the documents
// say the same.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trackRecord } from "../src";
import { toMarkdown, type KindSummary, type ValidationKind } from "../validation/run";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const record = trackRecord();
const kind = (k: ValidationKind): KindSummary => record.kinds.find((x) => x.kind === k)!;
const pct0 = (x: number | null) => `${Math.round(x!)}%`;
const pct1 = (x: number | null) => `${x!.toFixed(1)}%`;

/** The cells of the table rows between `<!-- track-record -->` and `<!-- /track-record -->`. */
function readmeRows(): string[][] {
  const text = read("../../../README.md");
  const block = text.slice(text.indexOf("<!-- track-record -->"), text.indexOf("<!-- /track-record -->"));
  return block
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| kind") && !l.startsWith("|---"))
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
}

describe("the README's track-record table says what the runner says", () => {
  const rows = readmeRows();
  const row = (prefix: string) => rows.find((r) => r[0].startsWith(prefix))!;

  it("training GPU-hours: cases, median error, how many took longer, band coverage", () => {
    const t = kind("training-gpu-hours");
    const r = row("training GPU-hours");
    const longer = record.cases.filter((c) => c.kind === "training-gpu-hours" && c.errorPct !== null && c.errorPct < 0).length;
    expect(r[1]).toBe(String(t.n));
    expect(r[2]).toBe(`${pct1(t.medianAbsErrorPct)} (${longer} of ${t.n} took longer than estimated)`);
    expect(r[3]).toBe(`band covers ${pct0(t.coveragePct)}`);
    expect(r[5]).toBe(t.met ? "yes" : "no");
  });

  it("serving throughput: cases, median error, how many estimated high, share within the target", () => {
    const s = kind("serving-throughput");
    const r = row("serving tokens/s per GPU");
    const high = record.cases.filter((c) => c.kind === "serving-throughput" && c.errorPct !== null && c.errorPct > 0).length;
    expect(r[1]).toBe(String(s.n));
    expect(r[2]).toBe(`${pct1(s.medianAbsErrorPct)} (estimates high in ${high} of ${s.n})`);
    expect(r[3].startsWith(`${pct0(s.passPct)} `)).toBe(true);
    expect(r[5]).toBe(s.met ? "yes" : "no");
  });

  it("batch-1 decode: cases, median error, share within ±15%", () => {
    const b = kind("serving-batch1-decode");
    const r = row("batch-1 decode");
    expect(r[1]).toBe(String(b.n));
    expect(r[2]).toBe(pct1(b.medianAbsErrorPct));
    expect(r[3]).toBe(pct0(b.passPct));
    expect(r[5]).toBe(b.met ? "yes" : "no");
  });
});

describe("the estimator README's validation table says what the runner says", () => {
  const text = read("../README.md");
  const line = (prefix: string) => text.split("\n").find((l) => l.startsWith(prefix))!;

  it("gives each kind's cases and figures, all and held out", () => {
    const t = kind("training-gpu-hours");
    expect(line("| training GPU-hours |")).toContain(`| ${t.n} runs: ${pct1(t.medianAbsErrorPct)}, ${pct1(t.coveragePct)} (${t.met ? "met" : "not met"})`);
    expect(line("| training GPU-hours |")).toContain(`| ${t.heldOut.n} runs: ${pct1(t.heldOut.medianAbsErrorPct)}, ${pct1(t.heldOut.coveragePct)} |`);
    const s = kind("serving-throughput");
    expect(line("| serving tokens/s per GPU |")).toContain(`| ${s.n} cases: ${pct1(s.passPct)} (${s.met ? "met" : "not met"}), median ${pct1(s.medianAbsErrorPct)}`);
    const b = kind("serving-batch1-decode");
    expect(line("| batch-1 decode |")).toContain(`| ${b.n} cases: ${pct1(b.passPct)} within, median ${pct1(b.medianAbsErrorPct)} (${b.met ? "met" : "not met"})`);
    expect(line("| batch-1 decode |")).toMatch(new RegExp(`\\| ${b.heldOut.n} cases \\([^)]*\\): ${pct1(b.heldOut.passPct)}, ${pct1(b.heldOut.medianAbsErrorPct)};`));
  });
});

describe("docs/estimates.md carries the runner's tables as the runner prints them", () => {
  it("every line of `npx tsx packages/estimator/validation/run.ts`, in order", () => {
    const doc = read("../../../docs/estimates.md");
    const tables = toMarkdown(record);
    // regenerate with the command above and paste between "Now:" and "### Misses and why"
    expect(doc).toContain(tables);
  });
});
