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

/** The catalog's gated-FFN decoders with their shapes (MoE presets enter with their active parameters). */
function presetShapes(): PresetShape[] {
  const out: PresetShape[] = [];
  for (const p of listPresets()) {
    const a = p.architecture;
    if (a.family !== "decoder" || a.ffnType !== "gated") continue;
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
  const headDim = fit.headDim;
  const hidden = overrides.hidden ?? roundTo(Math.exp(fit.intercept + fit.slope * Math.log(activeParameters)), HEAD_DIM_ROUNDING);
  const heads = Math.max(1, Math.round(hidden / headDim));
  const kvHeads = Math.min(heads, overrides.kvHeads ?? fit.kvHeads);
  const ffn = roundTo(hidden * fit.ffnRatio, 256);
  const vocab = overrides.vocab ?? fit.vocab;
  const contextLength = overrides.contextLength ?? fit.contextLength;
  const base: Omit<DecoderArchitecture, "layers"> = {
    family: "decoder",
    hidden,
    heads,
    kvHeads: heads % kvHeads === 0 ? kvHeads : 1,
    headDim,
    ffn,
    ffnType: "gated",
    vocab,
    contextLength,
    tiedEmbeddings: fit.tied,
    positionEmbedding: "rotary",
    norm: "rmsnorm",
  };
  const withLayers = (layers: number): DecoderArchitecture => ({ ...base, layers });
  const perLayer = decoderParams(withLayers(2)).activePerToken - decoderParams(withLayers(1)).activePerToken;
  const fixed = decoderParams(withLayers(1)).activePerToken - perLayer;
  const layers = overrides.layers ?? Math.max(1, Math.round((activeParameters - fixed) / perLayer));
  const method =
    `hidden ${hidden} from a least-squares power law over the presets (ln hidden = ${fit.intercept.toFixed(3)} + ${fit.slope.toFixed(4)} · ln N, rounded to ${HEAD_DIM_ROUNDING}-wide heads); ` +
    `head size ${headDim}, ${fit.kvHeads} KV heads, gated FFN ${fit.ffnRatio.toFixed(2)} × hidden, vocabulary ${fit.vocab}, context ${fit.contextLength}: the presets' medians; ` +
    `${layers} layers make up the parameter count` +
    (Object.keys(overrides).length ? `; overridden: ${Object.keys(overrides).join(", ")}` : "");
  return { architecture: withLayers(layers), method, fittedOn: fit.fittedOn };
}
