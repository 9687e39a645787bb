/** Plain-text and markdown tables of a suite result. Pure. */
import { backendLabel } from "./backend-choice";
import type { BenchRun, SuiteResult } from "./results";

/** Below this median CPU share a single-threaded worker lost its core to other programs for a while. */
export const CONTENDED_SHARE = 0.9;

const gflops = (x: number | undefined) => (x === undefined ? "—" : (x / 1e9).toFixed(2));
const pct = (x: number | undefined) => (x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);

function rate(run: BenchRun): string {
  if (run.samplesPerS === undefined) return "—";
  const s = run.samplesPerS >= 100 ? run.samplesPerS.toFixed(0) : run.samplesPerS.toPrecision(3);
  return run.tokensPerS !== undefined ? `${s} (${Math.round(run.tokensPerS)} tok/s)` : s;
}

export interface TableRow {
  model: string;
  phase: string;
  batch: string;
  scope: string;
  stepMs: string;
  samplesPerS: string;
  gflops: string;
  ofCeiling: string;
  ofSgemm: string;
  cpuShare: string;
  /** The first warm-up step (shader compilation on a GPU backend), untimed. */
  firstStepMs: string;
  note: string;
}

export function tableRows(result: SuiteResult): TableRow[] {
  // CPU time / wall time flags contention only for a single-threaded backend: a GPU or thread-pool
  // backend's process waits for the device or uses several cores by design.
  const singleThreaded = result.backend.threadsPerInstance === 1;
  return result.runs.map((r) => ({
    model: r.modelKey,
    phase: r.mode === "training" ? "training" : `inference (${r.mode})`,
    batch: String(r.batchSize),
    scope: r.scope === "per-core" ? "1 core" : `whole machine${r.workers > 1 ? ` (${r.workers} workers)` : ""}`,
    stepMs: r.stepTime ? `${r.stepTime.medianMs.toPrecision(3)} [${r.stepTime.p10Ms.toPrecision(3)}–${r.stepTime.p90Ms.toPrecision(3)}]` : "—",
    samplesPerS: rate(r),
    gflops: gflops(r.achievedFlopsPerS),
    ofCeiling: pct(r.fractionOfCeiling),
    ofSgemm: pct(r.fractionOfSgemm),
    cpuShare: r.cpuShare === undefined ? "—" : r.cpuShare.toFixed(2),
    firstStepMs: r.warmup ? r.warmup.firstStepMs.toPrecision(3) : "—",
    note:
      r.status === "failed"
        ? `FAILED: ${r.error}`
        : [r.stable === false ? "CI > ±5%" : "", singleThreaded && r.cpuShare !== undefined && r.cpuShare < CONTENDED_SHARE ? "contended" : ""].filter(Boolean).join(", "),
  }));
}

const HEADERS: Record<keyof TableRow, string> = {
  model: "model",
  phase: "phase",
  batch: "batch",
  scope: "scope",
  stepMs: "step ms median [p10–p90]",
  samplesPerS: "samples/s",
  gflops: "GFLOP/s",
  ofCeiling: "% matmul ceiling",
  ofSgemm: "% sgemm limit",
  cpuShare: "CPU share",
  firstStepMs: "1st step ms (warm-up)",
  note: "note",
};

/** The columns shown: the sgemm share only where it was measured, the first step only on a GPU API. */
function columns(result: SuiteResult): (keyof TableRow)[] {
  const gpuApi = result.backend.choice === "webgpu" || result.backend.choice === "node-gpu";
  return (Object.keys(HEADERS) as (keyof TableRow)[]).filter((k) => (k === "ofSgemm" ? result.sgemm !== null : k === "firstStepMs" ? gpuApi : true));
}

export function headerLines(result: SuiteResult): string[] {
  const b = result.backend;
  const la = result.loadAverage;
  const d = result.device;
  const gpuLine = d.gpuAdapter
    ? `${d.emulation ? `${d.emulation.toUpperCase()}: ` : "GPU "}${d.gpuAdapter.description || d.gpuAdapter.device} (WebGPU adapter: vendor ${d.gpuAdapter.vendor || "?"}, architecture ${d.gpuAdapter.architecture || "?"}${d.gpuAdapter.shaderF16 ? ", shader-f16" : ""}${d.gpuMemory ? `; memory ${(d.gpuMemory.bytes / 2 ** 30).toFixed(1)} GiB from ${d.gpuMemory.source}` : ""}); `
    : d.kind === "gpu"
      ? d.gpus.map((g) => `${g.name} ${g.memoryMiB} MiB`).join(", ") + "; "
      : "";
  const lines = [
    `suite ${result.suite} (${result.status}) in ${(result.durationMs / 1000).toFixed(1)} s — profile ${result.fingerprint}`,
    `load average (1 min) ${la.start.toFixed(2)} at start, ${la.end.toFixed(2)} at end on ${result.device.logicalCores} cores${Math.max(la.start, la.end) > result.device.logicalCores ? " — other programs competed for the CPU: wall-clock figures are pessimistic (see CPU share)" : ""}`,
    `device: ${gpuLine}${d.cpuModel}, ${d.logicalCores} logical cores, ${(d.memoryBytes / 1024 ** 3).toFixed(1)} GiB`,
    `backend: ${backendLabel(b)} (${b.package}@${b.packageVersion ?? "?"}, tfjs ${b.versions["tfjs-core"] ?? "?"}, node ${b.versions.node}; ${b.threadsPerInstance === 1 ? "1 thread per worker" : "backend-managed threads"}${b.simd ? ", SIMD" : ""}${b.choice === "wasm" ? (b.wasmKernels ? ", modelplan wasm kernels" : ", stock wasm kernels") : ""}; ${result.workers} worker${result.workers > 1 ? "s" : ""})`,
  ];
  if (b.emulation) lines.push(`NOTE: ${b.emulation} — these figures measure the CPU running a GPU API (for correctness checks), not a GPU`);
  const tried = b.attempts.filter((a) => !a.ok);
  if (tried.length > 0) lines.push(`backends not used: ${tried.map((a) => `${a.choice} (${a.reason})`).join("; ")}`);
  const c = result.ceilings;
  const basis = (x: NonNullable<typeof c.perCore>) =>
    x.basis === "best-observed" && x.bestObserved
      ? ` — best observed, above the probe's ${gflops(x.probedFlopsPerS)}: ${x.bestObserved.modelKey} ${x.bestObserved.mode} b=${x.bestObserved.batchSize}`
      : "";
  if (c.perCore) {
    lines.push(
      `matmul ceiling, 1 core: ${gflops(c.perCore.flopsPerS)} GFLOP/s float32 wall-clock, ${gflops(c.perCore.cpuFlopsPerS)} on CPU time (best at ${c.perCore.bestN}³; ${c.perCore.probes.map((p) => `${p.n}: ${gflops(p.flopsPerS)}`).join(", ")})${basis(c.perCore)}`,
    );
  }
  if (c.wholeMachine) {
    lines.push(
      `matmul ceiling, whole machine: ${gflops(c.wholeMachine.flopsPerS)} GFLOP/s float32 wall-clock${b.asynchronous ? "" : `, ${gflops(c.wholeMachine.cpuFlopsPerS)} on CPU time`} (${c.wholeMachine.workers} worker${c.wholeMachine.workers > 1 ? "s" : ""} at ${c.wholeMachine.bestN}³${c.wholeMachine.probes[0]?.productsPerStep && c.wholeMachine.probes[0].productsPerStep > 1 ? `; ${c.wholeMachine.probes.map((p) => `${p.n}: ${gflops(p.flopsPerS)} (${p.productsPerStep} product${p.productsPerStep === 1 ? "" : "s"} per read-back)`).join(", ")}` : ""})${basis(c.wholeMachine)}`,
    );
  }
  const bw = result.bandwidth;
  if (bw.perCore || bw.wholeMachine) {
    const parts = [bw.perCore && `${(bw.perCore.bytesPerS / 1e9).toFixed(1)} GB/s on 1 core`, bw.wholeMachine && `${(bw.wholeMachine.bytesPerS / 1e9).toFixed(1)} GB/s whole machine`].filter(Boolean);
    lines.push(`memory bandwidth through the backend (float32 a + b, ${((bw.perCore ?? bw.wholeMachine)!.elements * 4) / 2 ** 20} MiB vectors): ${parts.join(", ")}`);
  }
  const w = result.webgpuProbes;
  if (w) {
    const best = (x?: { flopsPerS: number; n: number }) => (x ? `${gflops(x.flopsPerS)} GFLOP/s (at ${x.n}³)` : "—");
    lines.push(
      `WGSL device probes (this package's kernels, timed to onSubmittedWorkDone): matmul float32 ${best(w.bestFloat32)}, float16 ${w.bestFloat16 ? best(w.bestFloat16) : "not run (no shader-f16)"}; copy bandwidth ${w.bandwidth ? `${(w.bandwidth.bytesPerS / 1e9).toFixed(1)} GB/s` : "—"}${w.notes.length ? `; ${w.notes.join("; ")}` : ""}`,
    );
  }
  if (b.asynchronous) lines.push("timing: each step ends when its result is read back (WebGPU: and the queue's submitted work is done); the first warm-up step, which compiles the shaders, is reported apart and not timed");
  if (result.sgemm) {
    lines.push(`machine sgemm limit (measured outside TensorFlow.js, ${result.sgemm.tool}): ${gflops(result.sgemm.perCoreFlopsPerS)} GFLOP/s on 1 core, ${gflops(result.sgemm.wholeMachineFlopsPerS)} on ${result.sgemm.threads} threads`);
  } else if (result.sgemmNote) lines.push(`machine sgemm limit: ${result.sgemmNote}`);
  return lines;
}

/** Fixed-width text table for a terminal. */
export function formatTable(result: SuiteResult): string {
  const rows = tableRows(result);
  const keys = columns(result);
  const widths = keys.map((k) => Math.max(HEADERS[k].length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [
    ...headerLines(result),
    "",
    line(keys.map((k) => HEADERS[k])),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(keys.map((k) => r[k]))),
  ].join("\n");
}

/** Markdown table (for the README). */
export function formatMarkdown(result: SuiteResult): string {
  const rows = tableRows(result);
  const keys = columns(result);
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    ...headerLines(result).map((l) => `${l}  `),
    "",
    `| ${keys.map((k) => HEADERS[k]).join(" | ")} |`,
    `|${keys.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${keys.map((k) => esc(r[k])).join(" | ")} |`),
  ].join("\n");
}
