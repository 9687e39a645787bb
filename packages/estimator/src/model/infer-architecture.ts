// A plausible decoder architecture for a model given only by its parameter count: a fit over the
// catalog's modern decoder presets (gated FFN: Llama 2/3/3.1/3.2, Mistral, Mixtral, Qwen2.5, Gemma 2,
// Phi-3). Activations, the KV cache and attention FLOPs need a shape; a bare count has none, so the
// estimate uses the shape a model of that size typically has and says so.
import { listPresets } from "../catalog";
import type { DecoderArchitecture } from "../types";
import { decoderParams } from "./transformer";

export interface ArchitectureOverrides {
  contextLength?: number;
  kvHeads?: number;
  layers?: number;
  hidden?: number;
  heads?: number;
  vocab?: number;
}

export interface InferredArchitecture {
  architecture: DecoderArchitecture;
  /** how each figure was chosen */
  method: string;
  /** the presets the fit used */
  fittedOn: string[];
}

interface PresetShape {
  id: string;
  activeParameters: number;
  hidden: number;
  kvHeads: number;
  headDim: number;
  ffnRatio: number;
  vocab: number;
  contextLength: number;
  tied: boolean;
}

const HEAD_DIM_ROUNDING = 128;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/**
 * The catalog's gated-FFN decoders with their shapes (MoE presets enter with their active parameters).
 * An architecture released again with the same layers (Llama 3.1 8B of Llama 3 8B, a longer context
 * only) enters once, as its first release: the fit is over distinct architectures.
 */
function presetShapes(): PresetShape[] {
  const out: PresetShape[] = [];
  const seen = new Set<string>();
  for (const p of listPresets()) {
    const a = p.architecture;
    if (a.family !== "decoder" || a.ffnType !== "gated") continue;
    const shape = [a.layers, a.hidden, a.heads, a.kvHeads, a.headDim, a.ffn, a.vocab, a.tiedEmbeddings, a.moe?.experts, a.moe?.activeExperts].join("|");
    if (seen.has(shape)) continue;
    seen.add(shape);
    const counts = decoderParams(a);
    out.push({
      id: p.id,
      activeParameters: counts.activePerToken,
      hidden: a.hidden,
      kvHeads: a.kvHeads ?? a.heads,
      headDim: a.headDim ?? a.hidden / a.heads,
      ffnRatio: a.ffn / a.hidden,
      vocab: a.vocab ?? 0,
      contextLength: a.contextLength ?? 0,
      tied: a.tiedEmbeddings === true,
    });
  }
  return out;
}

interface Fit {
  /** ln(hidden) = intercept + slope · ln(active parameters) */
  intercept: number;
  slope: number;
  kvHeads: number;
  headDim: number;
  ffnRatio: number;
  vocab: number;
  contextLength: number;
  tied: boolean;
  fittedOn: string[];
}

let cachedFit: Fit | null = null;

/** Least-squares power law for the hidden size, medians for the rest; computed once from the presets. */
export function architectureFit(): Fit {
  if (cachedFit) return cachedFit;
  const shapes = presetShapes();
  const xs = shapes.map((s) => Math.log(s.activeParameters));
  const ys = shapes.map((s) => Math.log(s.hidden));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  cachedFit = {
    slope,
    intercept: my - slope * mx,
    kvHeads: median(shapes.map((s) => s.kvHeads)),
    headDim: median(shapes.map((s) => s.headDim)),
    ffnRatio: median(shapes.map((s) => s.ffnRatio)),
    vocab: median(shapes.map((s) => s.vocab)),
    contextLength: median(shapes.map((s) => s.contextLength)),
    tied: shapes.filter((s) => s.tied).length * 2 > shapes.length,
    fittedOn: shapes.map((s) => s.id),
  };
  return cachedFit;
}

function roundTo(x: number, step: number): number {
  return Math.max(step, Math.round(x / step) * step);
}

/**
 * A decoder whose active parameter count is as close as whole layers allow to `activeParameters`:
 * hidden from the power-law fit (rounded to whole 128-wide heads), head size, KV heads, FFN ratio,
 * vocabulary and context from the presets' medians, then the number of layers that makes up the count.
 */
export function inferDecoderArchitecture(activeParameters: number, overrides: ArchitectureOverrides = {}): InferredArchitecture {
  const fit = architectureFit();
  // whole heads, and for models of 2,048 wide and more whole groups of KV heads (hidden a multiple of head size × KV heads)
  const fitted = Math.exp(fit.intercept + fit.slope * Math.log(activeParameters));
  const step = fitted >= fit.headDim * fit.kvHeads * 2 ? fit.headDim * fit.kvHeads : HEAD_DIM_ROUNDING;
  const hidden = overrides.hidden ?? roundTo(fitted, step);
  const heads = overrides.heads ?? Math.max(1, Math.round(hidden / fit.headDim));
  const headDim = Math.max(1, Math.round(hidden / heads));
  let kvHeads = Math.min(heads, overrides.kvHeads ?? fit.kvHeads);
  if (overrides.kvHeads === undefined) while (heads % kvHeads !== 0) kvHeads--;
  const vocab = overrides.vocab ?? fit.vocab;
  const contextLength = overrides.contextLength ?? fit.contextLength;
  // the whole architecture, written out (a spread plus fields is slow in V8, and this runs per estimate)
  // (headDim only when heads × head size ≠ hidden)
  const shape = (layers: number, ffn: number): DecoderArchitecture => {
    const a: DecoderArchitecture = { family: "decoder", layers, hidden, heads, kvHeads, ffn, ffnType: "gated", vocab, contextLength, tiedEmbeddings: fit.tied, positionEmbedding: "rotary", norm: "rmsnorm" };
    if (headDim * heads !== hidden) a.headDim = headDim;
    return a;
  };
  const count = (layers: number, ffn: number) => decoderParams(shape(layers, ffn)).activePerToken;
  let ffn = roundTo(hidden * fit.ffnRatio, 256);
  let layers: number;
  let solved: string;
  if (overrides.layers !== undefined) {
    // the layer count is given: the FFN width makes up the parameter count (gated, 3 matrices)
    layers = overrides.layers;
    const perFfnUnit = 3 * hidden * layers;
    const rest = count(layers, 0);
    const solvedFfn = Math.round((activeParameters - rest) / perFfnUnit / 64) * 64;
    if (solvedFfn >= 64) ffn = solvedFfn;
    solved = `FFN ${ffn} makes up the parameter count over the given ${layers} layers`;
  } else {
    const perLayer = count(2, ffn) - count(1, ffn);
    layers = Math.max(1, Math.round((activeParameters - (count(1, ffn) - perLayer)) / perLayer));
    solved = `${layers} layers make up the parameter count`;
  }
  const method =
    `hidden ${hidden}${overrides.hidden ? " (given)" : ` from a least-squares power law over the presets (ln hidden = ${fit.intercept.toFixed(3)} + ${fit.slope.toFixed(4)} · ln N, rounded to ${step})`}; ` +
    `${heads} heads${overrides.heads ? " (given)" : ` of the presets' median size ${fit.headDim}`}, ${kvHeads} KV heads${overrides.kvHeads ? " (given)" : " (the presets' median)"}, ` +
    `gated FFN, vocabulary ${vocab} and context ${contextLength}${overrides.vocab || overrides.contextLength ? " (as given or the presets' medians)" : " (the presets' medians)"}; ${solved}`;
  return { architecture: shape(layers, ffn), method, fittedOn: fit.fittedOn };
}
