// The estimator's live track record on published runs, computed once per process (lazily, on the first
// estimate that cites it) and cited in one line by every training and inference estimate.
import { publishedCases } from "../validation/published";
import { runValidation, type KindSummary, type TrackRecord } from "../validation/run";

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

function line(k: KindSummary, what: string, extra: string): string {
  return `estimator median error on ${k.n} published ${what}: ${p(k.medianAbsErrorPct)}${extra} (held out: ${k.heldOut.n}, ${p(k.heldOut.medianAbsErrorPct)}); GET /v1/validation`;
}

let lines: { training: string | null; inference: string | null } | null = null;

/** One line per estimate kind, e.g. "estimator median error on 45 published training runs (GPU-hours): 22%, band covers 87%, 34 of 45 runs took longer than estimated (held out: 35, 24%); GET /v1/validation". */
export function trackRecordLines(): { training: string | null; inference: string | null } {
  if (lines) return lines;
  const kinds = new Map(trackRecord().kinds.map((k) => [k.kind, k]));
  // which way the misses go: how many cases' expected figure is below the published one (belowPublishedPct is over all n)
  const below = (k: KindSummary) => Math.round(((k.belowPublishedPct ?? 0) * k.n) / 100);
  const t = kinds.get("training-gpu-hours");
  const s = kinds.get("serving-throughput");
  const b = kinds.get("serving-batch1-decode");
  lines = {
    training: t ? line(t, "training runs (GPU-hours)", `, band covers ${p(t.coveragePct)}, ${below(t)} of ${t.n} runs took longer than estimated`) : null,
    inference: s
      ? line(s, "serving throughputs (output tokens/s per GPU, at saturation or at a published batch)", `, ${p(s.passPct)} within ±20% or the band, ${below(s)} of ${s.n} estimated below the published tokens/s${b ? `; batch-1 decode on ${b.n}: ${p(b.medianAbsErrorPct)}` : ""}`)
      : null,
  };
  return lines;
}

let moeTraining: string | null | undefined;

/**
 * A warning for a mixture-of-experts training estimate: it is priced as a dense model of its active
 * parameters, and how the published MoE runs of the track record compared with that (null: none).
 */
export function moeTrainingWarning(): string | null {
  if (moeTraining !== undefined) return moeTraining;
  const moe = new Set(publishedCases().training.filter((c) => c.model.activeParameters !== undefined && c.model.activeParameters < c.model.parameters).map((c) => c.id));
  const runs = trackRecord().cases.filter((c) => moe.has(c.id) && c.predicted !== null);
  if (runs.length === 0) return (moeTraining = null);
  // published ÷ expected: how many times the estimate each run took
  const ratios = runs.map((c) => c.published / c.predicted!.expected);
  const [lo, hi] = [Math.min(...ratios), Math.max(...ratios)];
  moeTraining =
    "mixture-of-experts training is estimated as a dense model of its active parameters (expert routing, all-to-all traffic, load imbalance and small expert matrices are not modelled): " +
    `the ${runs.length} published MoE runs of the track record took ${lo.toFixed(1)}–${hi.toFixed(1)}× their estimated GPU-hours (${runs.map((c, i) => `${c.model} ${ratios[i].toFixed(1)}×`).join(", ")}); GET /v1/validation`;
  return moeTraining;
}
