// Parameter counts, FLOPs, KV cache and activation memory of transformer families.
import type {
  DecoderArchitecture,
  EncoderArchitecture,
  EncoderDecoderArchitecture,
  MoeSpec,
  TransformerFields,
} from "../types";

/** Fully defaulted transformer block shape. */
export interface BlockShape {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  gated: boolean;
  layernorm: boolean;
  bias: "none" | "qkv" | "all";
  moe: MoeSpec | null;
}

export function blockShape(a: TransformerFields): BlockShape {
  return {
    hidden: a.hidden,
    heads: a.heads,
    kvHeads: a.kvHeads ?? a.heads,
    headDim: a.headDim ?? a.hidden / a.heads,
    ffn: a.ffn,
    gated: (a.ffnType ?? "plain") === "gated",
    layernorm: (a.norm ?? "layernorm") === "layernorm",
    bias: a.bias ?? "none",
    moe: a.moe ?? null,
  };
}

/** Width of the concatenated attention heads (d_attn in Kaplan et al. 2020). */
export function attentionWidth(s: BlockShape): number {
  return s.heads * s.headDim;
}

/** Q, K, V, O projection weights; K and V are narrower under GQA/MQA (Ainslie et al. 2023). */
export function attentionWeightParams(s: BlockShape): number {
  const q = s.hidden * attentionWidth(s);
  const kv = 2 * s.hidden * s.kvHeads * s.headDim;
  const o = attentionWidth(s) * s.hidden;
  return q + kv + o;
}

export function attentionBiasParams(s: BlockShape): number {
  if (s.bias === "none") return 0;
  const qkv = attentionWidth(s) + 2 * s.kvHeads * s.headDim;
  return s.bias === "all" ? qkv + s.hidden : qkv;
}

/** One expert's feed-forward weights: gated (SwiGLU, Shazeer 2020) uses 3 matrices, plain uses 2. */
export function ffnWeightParams(s: BlockShape): number {
  return (s.gated ? 3 : 2) * s.hidden * s.ffn;
}

export function ffnBiasParams(s: BlockShape): number {
  if (s.bias !== "all") return 0;
  return (s.gated ? 2 * s.ffn : s.ffn) + s.hidden;
}

export function normParams(s: BlockShape): number {
  return s.layernorm ? 2 * s.hidden : s.hidden;
}

export interface LayerParams {
  total: number;
  /** parameters touched per token (MoE: only the routed experts) */
  active: number;
  /** matmul weights per token (the 2·N FLOPs of Kaplan et al. 2020) */
  matmulPerToken: number;
}

/** A transformer block: attention (+ optional cross-attention), FFN or MoE, norms. */
export function layerParams(s: BlockShape, normsPerLayer: number, crossAttention = false): LayerParams {
  const attnCount = crossAttention ? 2 : 1;
  const attention = attnCount * (attentionWeightParams(s) + attentionBiasParams(s));
  const expert = ffnWeightParams(s) + ffnBiasParams(s);
  const experts = s.moe ? s.moe.experts : 1;
  const activeExperts = s.moe ? s.moe.activeExperts : 1;
  const router = s.moe ? s.hidden * s.moe.experts : 0;
  const norms = normsPerLayer * normParams(s);
  return {
    total: attention + experts * expert + router + norms,
    active: attention + activeExperts * expert + router + norms,
    matmulPerToken: attnCount * attentionWeightParams(s) + activeExperts * ffnWeightParams(s) + router,
  };
}

export interface TransformerParamCount {
  total: number;
  activePerToken: number;
  embedding: number;
  /** matmul weights used per token, LM/classification head included */
  matmulPerToken: number;
}

function positionParams(a: TransformerFields, positions: number): number {
  return (a.positionEmbedding ?? "learned") === "learned" ? positions * a.hidden : 0;
}

export interface DecoderParamCount extends TransformerParamCount {
  /**
   * Parameters a forward pass only looks rows up in (the token embedding table when the LM head has
   * its own matrix, learned positions): a decode step reads one row per token of them, not the table.
   */
  lookupOnly: number;
}

export function decoderParams(a: DecoderArchitecture): DecoderParamCount {
  const s = blockShape(a);
  const vocab = a.vocab ?? 0;
  const layer = layerParams(s, a.normsPerLayer ?? 2);
  const positions = positionParams(a, a.contextLength ?? 0);
  const embedding = vocab * a.hidden + positions;
  const head = a.tiedEmbeddings ? 0 : vocab * a.hidden;
  const finalNorm = a.finalNorm ?? true ? normParams(s) : 0;
  const fixed = embedding + head + finalNorm;
  return {
    total: a.layers * layer.total + fixed,
    activePerToken: a.layers * layer.active + fixed,
    embedding,
    matmulPerToken: a.layers * layer.matmulPerToken + vocab * a.hidden,
    // tied embeddings are read whole by the LM head, so only the positions are lookups then
    lookupOnly: a.tiedEmbeddings ? positions : embedding,
  };
}

/** Sequence positions an encoder processes per sample (patches + [CLS] for ViT, Dosovitskiy et al. 2021). */
export function encoderSequenceLength(a: EncoderArchitecture): number {
  if (a.input?.kind === "patches") return (a.input.imageSize / a.input.patchSize) ** 2 + 1;
  return a.contextLength ?? 0;
}

export interface EncoderParamCount extends TransformerParamCount {
  /** weights applied once per sample (pooler, classifier) */
  perSampleHeadMatmul: number;
  /** patch-embedding matmul weights applied per patch (ViT) */
  patchEmbeddingMatmul: number;
}

export function encoderParams(a: EncoderArchitecture): EncoderParamCount {
  const s = blockShape(a);
  const layer = layerParams(s, a.normsPerLayer ?? 2);
  const seq = encoderSequenceLength(a);
  let embedding: number;
  let patchEmbeddingMatmul = 0;
  if (a.input?.kind === "patches") {
    patchEmbeddingMatmul = a.input.channels * a.input.patchSize ** 2 * a.hidden;
    embedding = patchEmbeddingMatmul + a.hidden /* bias */ + a.hidden /* [CLS] */ + positionParams(a, seq);
  } else {
    const typeVocab = a.input?.kind === "tokens" ? a.input.typeVocab ?? 0 : 0;
    embedding = (a.vocab ?? 0) * a.hidden + positionParams(a, seq) + typeVocab * a.hidden;
  }
  if (a.embeddingNorm) embedding += normParams(s);
  const pooler = a.pooler ? a.hidden * a.hidden + a.hidden : 0;
  const classes = a.classes ?? 0;
  const classifier = classes > 0 ? a.hidden * classes + classes : 0;
  const finalNorm = a.finalNorm ?? true ? normParams(s) : 0;
  const fixed = embedding + pooler + classifier + finalNorm;
  const perSampleHeadMatmul = (a.pooler ? a.hidden * a.hidden : 0) + a.hidden * classes;
  return {
    total: a.layers * layer.total + fixed,
    activePerToken: a.layers * layer.active + fixed,
    embedding,
    matmulPerToken: a.layers * layer.matmulPerToken,
    perSampleHeadMatmul,
    patchEmbeddingMatmul,
  };
}

export interface EncoderDecoderParamCount extends TransformerParamCount {
  encoder: number;
  decoder: number;
  /** encoder matmul weights applied per encoder position */
  encoderMatmulPerPosition: number;
  /** decoder matmul weights per generated token (self + cross attention, FFN, LM head) */
  decoderMatmulPerToken: number;
  /** audio front-end convolution MACs per sample (Whisper: two width-3 convolutions) */
  frontendMacsPerSample: number;
  encoderPositions: number;
}

/** Encoder positions: Whisper's second convolution has stride 2, so 3000 frames → 1500 positions. */
export function encoderDecoderPositions(a: EncoderDecoderArchitecture): number {
  if (a.input?.kind === "audio") return Math.ceil(a.input.frames / 2);
  return a.input?.kind === "tokens" ? a.input.contextLength ?? a.contextLength ?? 0 : a.contextLength ?? 0;
}

export function encoderDecoderParams(a: EncoderDecoderArchitecture): EncoderDecoderParamCount {
  const s = blockShape(a);
  const vocab = a.vocab ?? 0;
  const encLayer = layerParams(s, 2);
  const decLayer = layerParams(s, a.normsPerLayer ?? 3, true);
  const positions = encoderDecoderPositions(a);
  let frontendParams = 0;
  let frontendMacsPerSample = 0;
  if (a.input?.kind === "audio") {
    const { melBins, frames } = a.input;
    frontendParams = melBins * a.hidden * 3 + a.hidden + a.hidden * a.hidden * 3 + a.hidden;
    frontendMacsPerSample = frames * 3 * melBins * a.hidden + positions * 3 * a.hidden * a.hidden;
  }
  const norm = normParams(s);
  const encoder = a.encoderLayers * encLayer.total + frontendParams + norm;
  const tokenEmbedding = vocab * a.hidden + positionParams(a, a.contextLength ?? 0);
  const head = a.tiedEmbeddings ? 0 : vocab * a.hidden;
  const decoder = a.decoderLayers * decLayer.total + tokenEmbedding + head + norm;
  // per generated token: self-attention QKVO, cross-attention Q and O (its K/V are computed once
  // per sample over the encoder output), FFN, LM head
  const crossKvWeights = 2 * a.hidden * s.kvHeads * s.headDim;
  const decoderMatmulPerToken = a.decoderLayers * (decLayer.matmulPerToken - crossKvWeights) + vocab * a.hidden;
  return {
    total: encoder + decoder,
    activePerToken: encoder + decoder,
    embedding: tokenEmbedding,
    matmulPerToken: decoderMatmulPerToken,
    encoder,
    decoder,
    encoderMatmulPerPosition: a.encoderLayers * encLayer.matmulPerToken + a.decoderLayers * crossKvWeights,
    decoderMatmulPerToken,
    frontendMacsPerSample,
    encoderPositions: positions,
  };
}

// ---------------------------------------------------------------- FLOPs

/** 2 FLOPs per weight per token for the matmuls (Kaplan et al. 2020, Table 1: C_forward ≈ 2N). */
export function matmulFlopsPerToken(matmulParams: number): number {
  return 2 * matmulParams;
}

/**
 * Attention score and value products for one token attending `contextPositions` positions:
 * QKᵀ and AV each 2·c·d_attn per layer. For causal training the average position is s/2, which
 * gives Kaplan et al. 2020's 2·n_layer·n_ctx·d_attn.
 */
export function attentionFlopsPerToken(layers: number, contextPositions: number, attnWidth: number): number {
  return 4 * layers * contextPositions * attnWidth;
}

// ---------------------------------------------------------------- memory

/** KV cache bytes per token: K and V for every layer and KV head (Pope et al. 2022 §2). */
export function kvCacheBytesPerToken(layers: number, s: BlockShape, bytesPerValue: number): number {
  return 2 * layers * s.kvHeads * s.headDim * bytesPerValue;
}

/**
 * Activation bytes one transformer layer keeps for back-propagation, 16-bit activations
 * (Korthikanti et al. 2022, eq. 1: s·b·h·(34 + 5·a·s/h)), generalised to any FFN width:
 * attention 11·s·b·h, norms 4·s·b·h, FFN 3·s·b·h + 4·s·b·f (plain) or + 6·s·b·f (gated);
 * with f = 4h plain this is 34·s·b·h. Selective recomputation drops the 5·a·s²·b score term;
 * full recomputation keeps only the layer input, 2·s·b·h. Tensor parallelism with sequence
 * parallelism divides everything by t (Korthikanti et al. 2022 §4.2.2).
 */
export function activationBytesPerLayer(
  s: BlockShape,
  sequence: number,
  microBatch: number,
  recomputation: "none" | "selective" | "full",
  tensorParallel: number,
): number {
  const sbh = sequence * microBatch * s.hidden;
  if (recomputation === "full") return (2 * sbh) / tensorParallel;
  const ffnTerm = (s.gated ? 6 : 4) * sequence * microBatch * s.ffn * (s.moe ? s.moe.activeExperts : 1);
  const linear = 18 * sbh + ffnTerm;
  const scores = recomputation === "none" ? 5 * s.heads * sequence * sequence * microBatch : 0;
  return (linear + scores) / tensorParallel;
}
