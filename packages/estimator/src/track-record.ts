// The estimator's live track record on published runs, computed once per process (lazily, on the first
// estimate that cites it) and cited in one line by every training and inference estimate.
import { publishedCases } from "../validation/published";
import { getAccelerator } from "./catalog";
import type { TrainingRunCase } from "../validation/cases";
import { runValidation, type CaseResult, type Figures, type KindSummary, type TrackRecord } from "../validation/run";
import { median as medianOf } from "./stats";

let cached: TrackRecord | null = null;

/** When the published cases were collected. */
export function publishedCaseDates(): { training: string; serving: string } {
  return publishedCases().collected;
}

/** Every published case estimated with defaults, and the figures per kind (GET /v1/validation serves this). */
export function trackRecord(): TrackRecord {
  if (!cached) {
    const { training, serving } = publishedCases();
    cached = runValidation(training, serving);
  }
  return cached;
}

const p = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)}%`);
// which way the misses go: how many cases' expected figure is below the published one (belowPublishedPct is over all n)
const below = (f: Figures) => Math.round(((f.belowPublishedPct ?? 0) * f.n) / 100);

type Lines = Readonly<{ training: string | null; inference: string | null }>;

/** Per kind, the part of the line for all its cases; then the part for one accelerator's cases. */
interface Parts {
  training: string | null;
  /** the fine-tuning runs and benchmarks apart (null: none) */
  fineTuning: string | null;
  inference: string | null;
  trainingOn: (hardware: string) => string;
  servingOn: (hardware: string) => string;
}

function buildParts(): Parts {
  const kinds = new Map(trackRecord().kinds.map((k) => [k.kind, k]));
  const t = kinds.get("training-gpu-hours");
  const s = kinds.get("serving-throughput");
  const b = kinds.get("serving-batch1-decode");
  const on = (k: KindSummary | undefined, id: string) => k?.byHardware.find((g) => g.key === id);
  const { runs: ft, ratios } = trainingRunsWhere((c) => c.method !== undefined && c.method !== "pre-train");
  const ftMedian = ft.length ? medianOf(ft.map((c) => Math.abs(c.errorPct!))) : null;
  return {
    fineTuning: ft.length
      ? `of them ${ft.length} fine-tuning runs and benchmarks: median ${p(ftMedian)}; they took ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(1)}× the estimated GPU-hours (a throughput benchmark: of its training steps, against the steady state), depending on the training library`
      : null,
    training: t
      ? `estimator median error on ${t.n} published training runs and benchmarks (GPU-hours): ${p(t.medianAbsErrorPct)}, band covers ${p(t.coveragePct)}, ${below(t)} of ${t.n} took longer than estimated (held out: ${t.heldOut.n}, ${p(t.heldOut.medianAbsErrorPct)})`
      : null,
    inference: s
      ? `estimator median error on ${s.n} published serving throughputs (output tokens/s per GPU, at saturation or at a published batch): ${p(s.medianAbsErrorPct)}, ${p(s.passPct)} within ±20% or the band, ${below(s)} of ${s.n} estimated below the published tokens/s (held out: ${s.heldOut.n}, ${p(s.heldOut.medianAbsErrorPct)})${b ? `; batch-1 decode on ${b.n}: ${p(b.medianAbsErrorPct)}` : ""}`
      : null,
    trainingOn: (id) => {
      const g = on(t, id);
      return g ? `on ${id}: ${g.n} runs, median ${p(g.medianAbsErrorPct)}, band covers ${p(g.coveragePct)}, ${below(g)} of ${g.n} took longer` : `no published run on ${id}`;
    },
    servingOn: (id) => {
      const g = on(s, id), g1 = on(b, id);
      const parts = [
        ...(g ? [`${g.n} throughputs, median ${p(g.medianAbsErrorPct)}, ${p(g.passPct)} within ±20% or the band, ${below(g)} of ${g.n} estimated below`] : []),
        ...(g1 ? [`${g1.n} batch-1 decodes, median ${p(g1.medianAbsErrorPct)}`] : []),
      ];
      return parts.length ? `on ${id}: ${parts.join("; ")}` : `no published serving case on ${id}`;
    },
  };
}

let parts: Parts | null = null;
const linesByHardware = new Map<string, Lines>();
const EXPLICIT = "an accelerator given by its figures";

/**
 * One line per estimate kind: the whole track record, for a fine-tune (or LoRA, QLoRA) the fine-tuning
 * cases apart, then the cases on the estimate's catalog accelerator (null: an accelerator given by its
 * figures, which no published case ran on), e.g.
 * "estimator median error on 69 published training runs and benchmarks (GPU-hours): 26%, band covers
 * 74%, 46 of 69 took longer than estimated (held out: 59, 26%); on a100-80gb: 15 runs, median 22%, band
 * covers 87%, 11 of 15 took longer; GET /v1/validation". Built once per catalog accelerator.
 */
export function trackRecordLines(catalogAccelerator: string | null, fineTuning = false): Lines {
  const key = `${catalogAccelerator ?? ""}|${fineTuning ? "fine-tune" : ""}`;
  const known = linesByHardware.get(key);
  if (known) return known;
  parts ??= buildParts();
  const ft = fineTuning && parts.fineTuning ? `; ${parts.fineTuning}` : "";
  const lines: Lines = Object.freeze({
    training: parts.training && `${parts.training}${ft}; ${catalogAccelerator === null ? `no published run on ${EXPLICIT}` : parts.trainingOn(catalogAccelerator)}; GET /v1/validation`,
    inference: parts.inference && `${parts.inference}; ${catalogAccelerator === null ? `no published serving case on ${EXPLICIT}` : parts.servingOn(catalogAccelerator)}; GET /v1/validation`,
  });
  // kept for the catalog's accelerators only: a bounded set, whatever ids callers send
  if (catalogAccelerator === null || getAccelerator(catalogAccelerator)) linesByHardware.set(key, lines);
  return lines;
}

/** The scored training cases a predicate picks, and published ÷ expected GPU-hours: how many times its estimate each took. */
function trainingRunsWhere(pick: (c: TrainingRunCase) => boolean): { runs: CaseResult[]; ratios: number[] } {
  const ids = new Set(publishedCases().training.filter(pick).map((c) => c.id));
  const runs = trackRecord().cases.filter((c) => ids.has(c.id) && c.predicted !== null && c.errorPct !== null);
  return { runs, ratios: runs.map((c) => c.published / c.predicted!.expected) };
}

let moeTraining: string | null | undefined;

/**
 * A warning for a mixture-of-experts training estimate: it is priced as a dense model of its active
 * parameters, and how the published MoE runs of the track record compared with that (null: none).
 */
export function moeTrainingWarning(): string | null {
  if (moeTraining !== undefined) return moeTraining;
  const { runs, ratios } = trainingRunsWhere((c) => c.model.activeParameters !== undefined && c.model.activeParameters < c.model.parameters);
  if (runs.length === 0) return (moeTraining = null);
  const [lo, hi] = [Math.min(...ratios), Math.max(...ratios)];
  moeTraining =
    "mixture-of-experts training is estimated as a dense model of its active parameters (expert routing, all-to-all traffic, load imbalance and small expert matrices are not modelled): " +
    `the ${runs.length} published MoE runs of the track record took ${lo.toFixed(1)}–${hi.toFixed(1)}× their estimated GPU-hours (${runs.map((c, i) => `${c.model} ${ratios[i].toFixed(1)}×`).join(", ")}); GET /v1/validation`;
  return moeTraining;
}
