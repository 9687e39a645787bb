import { z } from "@hono/zod-openapi";
import {
  ACCELERATOR_KINDS,
  ACTIVATION_RECOMPUTATIONS,
  ARCHITECTURE_FAMILIES,
  ARCHITECTURE_SOURCES,
  BATCH_CHOSEN_BY,
  BIASES,
  CONCURRENCY_LIMITS,
  DECODE_BOUNDS,
  ESTIMATOR_LIMITS as LIM,
  FFN_TYPES,
  GPUS_CHOSEN_BY,
  KV_CACHE_PRECISIONS,
  LORA_TARGETS,
  NORMS,
  OPTIMIZERS,
  PARAMETER_COUNT_SOURCES,
  POSITION_EMBEDDINGS,
  PRECISIONS,
  SERVING_ENGINES,
  SERVING_MODES,
  TENSOR_PARALLEL_CHOSEN_BY,
  TRAINING_METHODS,
  TRAINING_PRECISIONS,
  WEIGHT_QUANTIZATIONS,
  ZERO_STAGES,
} from "@modelplan/estimator";

// ---------------------------------------------------------------- shared pieces

const id = z.string().min(1).max(128);
const posInt = (max: number) => z.number().int().min(1).max(max);
const ratio = z.number().min(LIM.minUtilisation).max(1);

export const BandSchema = z
  .object({
    low: z.number().openapi({ description: "Optimistic end of the band (e.g. from the highest published utilisation).", example: 445_000 }),
    expected: z.number().openapi({ description: "Expected value.", example: 518_000 }),
    high: z.number().openapi({ description: "Pessimistic end of the band.", example: 662_000 }),
  })
  .openapi("Band", { description: "A figure with its uncertainty band: low ≤ expected ≤ high." });

export const SourcedBandSchema = z
  .object({
    low: z.number().openapi({ description: "Low end (fraction of peak).", example: 0.43 }),
    expected: z.number().openapi({ description: "Expected value (fraction of peak).", example: 0.55 }),
    high: z.number().openapi({ description: "High end (fraction of peak).", example: 0.64 }),
    source: z.string().openapi({ description: "Where the band comes from.", example: "mosaicml/llm-foundry benchmarking README: MFU on A100-80GB BF16 43–64%" }),
  })
  .openapi("SourcedBand", { description: "A utilisation band with its source." });

const AssumptionBandSchema = z
  .object({
    low: z.number().openapi({ description: "Low end of the band.", example: 0.28 }),
    high: z.number().openapi({ description: "High end of the band.", example: 0.82 }),
  })
  .openapi("AssumptionBand", { description: "The low and high ends of a band assumption; its expected value is the assumption's value." });

export const AssumptionSchema = z
  .object({
    name: z.string().openapi({ description: "What was assumed.", example: "PUE" }),
    value: z.union([z.number(), z.string(), z.boolean()]).openapi({ description: "The value used; for a band, its expected value.", example: 1.58 }),
    unit: z.string().openapi({ description: "Unit of the value.", example: "ratio (facility energy / IT energy)" }),
    source: z.string().openapi({ description: "Where the value comes from, with its date.", example: "Uptime Institute Global Data Center Survey 2023: industry average PUE 1.58 [2023-11-23]" }),
    band: AssumptionBandSchema.nullable().openapi({ description: "For a band (a utilisation, a goodput): its low and high ends around `value`; null for a single figure." }),
  })
  .openapi("Assumption", { description: "A default or catalog figure the estimate used." });

const UtilisationBandInputSchema = z
  .object({
    low: ratio.openapi({ description: "Low utilisation, fraction of peak (0–1].", example: 0.3 }),
    expected: ratio.openapi({ description: "Expected utilisation, fraction of peak (0–1].", example: 0.4 }),
    high: ratio.openapi({ description: "High utilisation, fraction of peak (0–1].", example: 0.5 }),
  })
  .strict()
  .openapi("UtilisationBandInput");

export const UtilisationInputSchema = z
  .union([ratio.openapi({ description: "One utilisation (fraction of peak) for low, expected and high.", example: 0.45 }), UtilisationBandInputSchema])
  .openapi("UtilisationInput", { description: "Overrides the utilisation band: a number, or {low, expected, high}." });

/** A measured band (compute or memory bandwidth) with where it comes from. */
const MeasuredBandSchema = z
  .object({
    low: ratio.openapi({ description: "Low utilisation measured, fraction of peak.", example: 0.05 }),
    expected: ratio.openapi({ description: "Typical utilisation measured, fraction of peak.", example: 0.08 }),
    high: ratio.openapi({ description: "High utilisation measured, fraction of peak.", example: 0.1 }),
    source: z.string().max(500).optional().openapi({ description: "Where the band comes from (e.g. benchmark run ids).", example: "benchmark runs 12–18" }),
  })
  .strict()
  .openapi("MeasuredBand", { description: "A utilisation band measured on this hardware (replaces the catalog default)." });

// ---------------------------------------------------------------- architectures

const transformerFields = {
  hidden: posInt(LIM.hidden).openapi({ description: "Hidden (model) size.", example: 4096 }),
  heads: posInt(LIM.heads).openapi({ description: "Attention heads; hidden must be divisible by heads unless headDim is given.", example: 32 }),
  kvHeads: posInt(LIM.heads).optional().openapi({ description: "Key/value heads (GQA/MQA); must divide heads. Default: heads.", example: 8 }),
  headDim: posInt(LIM.hidden).optional().openapi({ description: "Per-head size when heads × headDim ≠ hidden. Default hidden / heads.", example: 128 }),
  ffn: posInt(LIM.ffn).openapi({ description: "Feed-forward inner size (per branch for gated FFNs).", example: 14336 }),
  ffnType: z.enum(FFN_TYPES).optional().openapi({ description: "gated = SwiGLU/GeGLU (3 matrices), plain = 2 matrices. Default plain.", example: "gated" }),
  vocab: posInt(LIM.vocab).optional().openapi({ description: "Vocabulary size (required for token inputs).", example: 128256 }),
  contextLength: posInt(LIM.contextLength).optional().openapi({ description: "Maximum positions the model attends over.", example: 8192 }),
  tiedEmbeddings: z.boolean().optional().openapi({ description: "Output head shares the input embedding. Default false.", example: false }),
  positionEmbedding: z.enum(POSITION_EMBEDDINGS).optional().openapi({ description: "Position encoding; learned adds contextLength × hidden parameters. Default learned.", example: "rotary" }),
  norm: z.enum(NORMS).optional().openapi({ description: "Normalisation layer (LayerNorm has 2 parameters per channel, RMSNorm 1). Default layernorm.", example: "rmsnorm" }),
  normsPerLayer: posInt(16).optional().openapi({ description: "Norm layers per block. Default 2 (3 in encoder-decoder decoders).", example: 2 }),
  finalNorm: z.boolean().optional().openapi({ description: "A norm after the last block. Default true.", example: true }),
  bias: z.enum(BIASES).optional().openapi({ description: "Which projections carry biases. Default none.", example: "none" }),
  moe: z
    .object({
      experts: posInt(LIM.experts).openapi({ description: "Experts per MoE layer.", example: 8 }),
      activeExperts: posInt(LIM.experts).openapi({ description: "Experts each token is routed to (top-k).", example: 2 }),
    })
    .strict()
    .optional()
    .openapi({ description: "Mixture of experts: the FFN is replaced by experts with a router." }),
};

export const DecoderArchitectureSchema = z
  .object({
    family: z.literal("decoder").openapi({ description: "Decoder-only transformer (GPT, Llama, Mistral...).", example: "decoder" }),
    layers: posInt(LIM.layers).openapi({ description: "Transformer blocks.", example: 32 }),
    ...transformerFields,
  })
  .strict()
  .openapi("DecoderArchitecture");

export const EncoderArchitectureSchema = z
  .object({
    family: z.literal("encoder").openapi({ description: "Encoder-only transformer (BERT, ViT), served per sample.", example: "encoder" }),
    layers: posInt(LIM.layers).openapi({ description: "Transformer blocks.", example: 12 }),
    ...transformerFields,
    input: z
      .discriminatedUnion("kind", [
        z
          .object({
            kind: z.literal("tokens").openapi({ description: "Token input.", example: "tokens" }),
            typeVocab: posInt(LIM.vocab).optional().openapi({ description: "Token-type (segment) vocabulary, BERT: 2.", example: 2 }),
          })
          .strict(),
        z
          .object({
            kind: z.literal("patches").openapi({ description: "Image patches (ViT).", example: "patches" }),
            imageSize: posInt(LIM.imageSide).openapi({ description: "Image side, pixels.", example: 224 }),
            patchSize: posInt(LIM.imageSide).openapi({ description: "Patch side, pixels; must divide imageSize.", example: 16 }),
            channels: posInt(LIM.channels).openapi({ description: "Image channels.", example: 3 }),
          })
          .strict(),
      ])
      .optional()
      .openapi({ description: "What the encoder reads. Default tokens." }),
    embeddingNorm: z.boolean().optional().openapi({ description: "A norm after the embeddings (BERT). Default false.", example: true }),
    pooler: z.boolean().optional().openapi({ description: "A dense pooler on the first token (BERT). Default false.", example: true }),
    classes: z.number().int().min(0).max(LIM.units).optional().openapi({ description: "Classification head outputs (0 = none).", example: 1000 }),
  })
  .strict()
  .openapi("EncoderArchitecture");

export const EncoderDecoderArchitectureSchema = z
  .object({
    family: z.literal("encoder-decoder").openapi({ description: "Encoder-decoder transformer (Whisper, T5).", example: "encoder-decoder" }),
    encoderLayers: posInt(LIM.layers).openapi({ description: "Encoder blocks.", example: 12 }),
    decoderLayers: posInt(LIM.layers).openapi({ description: "Decoder blocks (self- and cross-attention).", example: 12 }),
    ...transformerFields,
    input: z
      .discriminatedUnion("kind", [
        z
          .object({
            kind: z.literal("tokens").openapi({ description: "Token input.", example: "tokens" }),
            contextLength: posInt(LIM.contextLength).optional().openapi({ description: "Encoder positions.", example: 512 }),
          })
          .strict(),
        z
          .object({
            kind: z.literal("audio").openapi({ description: "Log-Mel audio frames through two width-3 convolutions (Whisper).", example: "audio" }),
            melBins: posInt(LIM.channels).openapi({ description: "Mel channels.", example: 80 }),
            frames: posInt(LIM.contextLength).openapi({ description: "Frames per window (10 ms each).", example: 3000 }),
          })
          .strict(),
      ])
      .optional()
      .openapi({ description: "What the encoder reads. Default tokens." }),
  })
  .strict()
  .openapi("EncoderDecoderArchitecture");

const kernel = posInt(LIM.kernel);
const CnnLayerSchema = z
  .discriminatedUnion("type", [
    z
      .object({
        type: z.literal("conv2d").openapi({ description: "2-D convolution.", example: "conv2d" }),
        filters: posInt(LIM.units).openapi({ description: "Output channels.", example: 64 }),
        kernel: kernel.openapi({ description: "Square kernel side.", example: 3 }),
        stride: kernel.optional().openapi({ description: "Stride. Default 1.", example: 1 }),
        padding: z
          .union([z.number().int().min(0).max(LIM.kernel), z.enum(["same", "valid"])])
          .optional()
          .openapi({ description: "Padding in pixels, or same/valid. Default valid (0).", example: 1 }),
        bias: z.boolean().optional().openapi({ description: "Bias per filter. Default true.", example: false }),
      })
      .strict(),
    z.object({ type: z.literal("batchnorm").openapi({ description: "Batch normalisation (2 parameters per channel).", example: "batchnorm" }) }).strict(),
    z.object({ type: z.literal("activation").openapi({ description: "Element-wise activation (no parameters).", example: "activation" }) }).strict(),
    ...(["maxpool", "avgpool"] as const).map((t) =>
      z
        .object({
          type: z.literal(t).openapi({ description: "Pooling window.", example: t }),
          pool: kernel.openapi({ description: "Window side.", example: 2 }),
          stride: kernel.optional().openapi({ description: "Stride. Default = pool.", example: 2 }),
          padding: z.number().int().min(0).max(LIM.kernel).optional().openapi({ description: "Padding in pixels. Default 0.", example: 0 }),
        })
        .strict(),
    ),
    z.object({ type: z.literal("globalavgpool").openapi({ description: "Global average pooling to 1×1.", example: "globalavgpool" }) }).strict(),
    z.object({ type: z.literal("flatten").openapi({ description: "Flatten to a vector.", example: "flatten" }) }).strict(),
    z
      .object({
        type: z.literal("dense").openapi({ description: "Fully connected layer.", example: "dense" }),
        units: posInt(LIM.units).openapi({ description: "Outputs.", example: 10 }),
        bias: z.boolean().optional().openapi({ description: "Bias. Default true.", example: true }),
      })
      .strict(),
    ...(["bottleneck", "basicblock"] as const).map((t) =>
      z
        .object({
          type: z.literal(t).openapi({ description: "Residual block (ResNet); bottleneck = 1×1, 3×3, 1×1 with expansion.", example: t }),
          filters: posInt(LIM.units).openapi({ description: "Inner channels.", example: 64 }),
          stride: kernel.optional().openapi({ description: "Stride of the first block. Default 1.", example: 2 }),
          expansion: posInt(64).optional().openapi({ description: "Output channels = filters × expansion (bottleneck; default 4).", example: 4 }),
          repeat: posInt(LIM.repeat).optional().openapi({ description: "Blocks in this stage. Default 1.", example: 3 }),
        })
        .strict(),
    ),
  ])
  .openapi("CnnLayer", { description: "One layer (or residual stage) of a CNN layer list." });

export const CnnArchitectureSchema = z
  .object({
    family: z.literal("cnn").openapi({ description: "Convolutional network given as a layer list.", example: "cnn" }),
    input: z
      .object({
        height: posInt(LIM.imageSide).openapi({ description: "Input height, pixels.", example: 224 }),
        width: posInt(LIM.imageSide).openapi({ description: "Input width, pixels.", example: 224 }),
        channels: posInt(LIM.channels).openapi({ description: "Input channels.", example: 3 }),
      })
      .strict()
      .openapi({ description: "Input tensor shape." }),
    layers: z.array(CnnLayerSchema).min(1).max(LIM.cnnLayers).openapi({ description: "Layers in order; shapes are tracked through them." }),
  })
  .strict()
  .openapi("CnnArchitecture");

const widths = z.array(posInt(LIM.units)).max(LIM.layers);

export const MlpArchitectureSchema = z
  .object({
    family: z.literal("mlp").openapi({ description: "Multi-layer perceptron.", example: "mlp" }),
    inputs: posInt(LIM.units).openapi({ description: "Input features.", example: 2 }),
    hiddenLayers: widths.openapi({ description: "Hidden layer widths.", example: [10] }),
    outputs: posInt(LIM.units).openapi({ description: "Outputs.", example: 1 }),
  })
  .strict()
  .openapi("MlpArchitecture");

export const LstmArchitectureSchema = z
  .object({
    family: z.literal("lstm").openapi({ description: "LSTM network (one bias per gate, Keras convention).", example: "lstm" }),
    vocab: posInt(LIM.vocab).optional().openapi({ description: "Token vocabulary (adds an embedding layer).", example: 10000 }),
    embeddingDim: posInt(LIM.hidden).optional().openapi({ description: "Embedding width (with vocab).", example: 128 }),
    inputFeatures: posInt(LIM.units).optional().openapi({ description: "Features per step when there is no vocab.", example: 16 }),
    hidden: posInt(LIM.hidden).openapi({ description: "LSTM units.", example: 128 }),
    layers: posInt(LIM.layers).openapi({ description: "Stacked LSTM layers.", example: 1 }),
    sequenceLength: posInt(LIM.contextLength).openapi({ description: "Timesteps per sample.", example: 40 }),
    outputs: posInt(LIM.units).openapi({ description: "Dense outputs on the last state.", example: 10000 }),
  })
  .strict()
  .openapi("LstmArchitecture");

export const EmbeddingClassifierArchitectureSchema = z
  .object({
    family: z.literal("embedding-classifier").openapi({ description: "Embedding → global average pooling → dense → softmax.", example: "embedding-classifier" }),
    vocab: posInt(LIM.vocab).openapi({ description: "Vocabulary.", example: 10000 }),
    embeddingDim: posInt(LIM.hidden).openapi({ description: "Embedding width.", example: 16 }),
    sequenceLength: posInt(LIM.contextLength).openapi({ description: "Tokens per sample.", example: 200 }),
    hiddenLayers: widths.optional().openapi({ description: "Dense layers between pooling and output.", example: [16] }),
    classes: posInt(LIM.units).openapi({ description: "Output classes.", example: 4 }),
  })
  .strict()
  .openapi("EmbeddingClassifierArchitecture");

export const ArchitectureSchema = z
  .discriminatedUnion("family", [
    DecoderArchitectureSchema,
    EncoderArchitectureSchema,
    EncoderDecoderArchitectureSchema,
    CnnArchitectureSchema,
    MlpArchitectureSchema,
    LstmArchitectureSchema,
    EmbeddingClassifierArchitectureSchema,
  ])
  .openapi("Architecture", { description: "A model architecture; `family` picks the shape." });

export const ModelSpecSchema = z
  .object({
    preset: id.optional().openapi({ description: "Model preset id (GET /v1/model-presets).", example: "llama-3-8b" }),
    architecture: ArchitectureSchema.optional(),
    parameters: z.number().min(1).max(LIM.parameters).optional().openapi({ description: "Parameter count only: a plausible decoder shape (layers, hidden, heads, KV heads, FFN) is inferred from the presets for activations, KV cache and attention FLOPs, and the response says so (model.inferredArchitecture).", example: 7e9 }),
    activeParameters: z.number().min(1).max(LIM.parameters).optional().openapi({ description: "With parameters: parameters active per token (MoE).", example: 1.3e10 }),
    contextLength: posInt(LIM.contextLength).optional().openapi({ description: "With parameters: the model's context length (default: the presets' median).", example: 8192 }),
    kvHeads: posInt(LIM.heads).optional().openapi({ description: "With parameters: key/value heads (default: the presets' median, 8).", example: 8 }),
    layers: posInt(LIM.layers).optional().openapi({ description: "With parameters: layers (default: what makes up the count at the inferred width).", example: 32 }),
    hidden: posInt(LIM.hidden).optional().openapi({ description: "With parameters: hidden size (default: a power law over the presets).", example: 4096 }),
    heads: posInt(LIM.heads).optional().openapi({ description: "With parameters: attention heads (default: hidden / 128).", example: 32 }),
    vocab: posInt(LIM.vocab).optional().openapi({ description: "With parameters: vocabulary size (default: the presets' median).", example: 32000 }),
    name: z.string().max(200).optional().openapi({ description: "Display name for a custom model.", example: "our 1B decoder" }),
  })
  .strict()
  .superRefine((m, ctx) => {
    const given = (["preset", "architecture", "parameters"] as const).filter((k) => m[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [given[1] ?? "preset"],
        message: given.length === 0 ? "Give one of preset, architecture or parameters." : `Give only one of preset, architecture or parameters (got ${given.join(", ")}).`,
      });
    }
    for (const k of ["activeParameters", "contextLength", "kvHeads", "layers", "hidden", "heads", "vocab"] as const) {
      if (m[k] !== undefined && m.parameters === undefined) ctx.addIssue({ code: "custom", path: [k], message: `${k} goes with parameters (an architecture or preset carries its own).` });
    }
  })
  .openapi("ModelSpec", { description: "The model: exactly one of preset, architecture or parameters." });

// ---------------------------------------------------------------- hardware

const flops = z.number().min(LIM.minHardwareFigure).max(1e18);

export const AcceleratorSpecSchema = z
  .object({
    id: z.string().min(1).max(64).openapi({ description: "Your name for this hardware.", example: "bench-profile-7" }),
    name: z.string().max(200).optional().openapi({ description: "Display name.", example: "Measured: 2-vCPU Zen 4, TF.js wasm" }),
    kind: z.enum(ACCELERATOR_KINDS).optional().openapi({ description: "Device kind.", example: "cpu" }),
    peakFlopsPerS: z
      .object(Object.fromEntries(PRECISIONS.map((p) => [p, flops.optional().openapi({ description: `Dense peak ${p} FLOP/s.`, example: 1e12 })])) as Record<(typeof PRECISIONS)[number], z.ZodOptional<z.ZodNumber>>)
      .strict()
      .openapi({ description: "Dense peak FLOP/s per precision (at least one)." }),
    memoryBytes: z.number().min(LIM.minHardwareFigure).max(1e15).openapi({ description: "Device memory, bytes: what the driver reports (nvidia-smi memory.total MiB × 2^20), as the catalog's accelerators give it.", example: 8589934592 }),
    memoryBandwidthBytesPerS: z.number().min(LIM.minHardwareFigure).max(1e15).openapi({ description: "Memory bandwidth, bytes/s.", example: 5e10 }),
    tdpW: z.number().min(0.1).max(1e5).optional().openapi({ description: "Thermal design power, W (for energy).", example: 65 }),
    interconnectBandwidthBytesPerS: z.number().min(LIM.minHardwareFigure).max(1e14).optional().openapi({ description: "GPU-to-GPU link bandwidth per GPU, both directions (tensor-parallel all-reduces).", example: 9e11 }),
    utilisation: z
      .object({
        compute: MeasuredBandSchema.optional(),
        memoryBandwidth: MeasuredBandSchema.optional(),
      })
      .strict()
      .optional()
      .openapi({ description: "Measured utilisation bands, e.g. from the benchmark engine." }),
    source: z.string().max(500).optional().openapi({ description: "Where these figures come from.", example: "modelplan benchmark job bj_123, 2026-11-20" }),
  })
  .strict()
  .openapi("AcceleratorSpec", { description: "An explicit accelerator, e.g. a measured hardware profile." });

export const HardwareInputSchema = z
  .union([
    id.openapi({
      description: "Accelerator id (GET /v1/hardware), or a measured hardware profile: \"local\" (this service's machine) or a profile id (GET /v1/hardware-profiles), whose measured efficiency replaces the catalog default.",
      example: "a100-80gb",
    }),
    AcceleratorSpecSchema,
  ])
  .openapi("HardwareInput", { description: "A catalog accelerator id, or an explicit accelerator object." });

const pricingFields = {
  provider: z.string().min(1).max(64).optional().openapi({ description: "Price from this provider's cheapest catalog listing (default: the median listing).", example: "aws" }),
  pricePerGpuHourUsd: z.number().min(LIM.minPriceUsd).max(10_000).optional().openapi({ description: "Explicit on-demand price per GPU-hour, USD (wins over the catalog).", example: 2.5 }),
  spotPricePerGpuHourUsd: z.number().min(LIM.minPriceUsd).max(10_000).optional().openapi({ description: "Explicit spot price per GPU-hour, USD.", example: 1.1 }),
};

// ---------------------------------------------------------------- requests

export const TrainingRequestSchema = z
  .object({
    model: ModelSpecSchema,
    tokens: z.number().min(1).max(1e16).optional().openapi({ description: "Training tokens (token models); give tokens or samples.", example: 2e12 }),
    samples: z.number().min(1).max(1e14).optional().openapi({ description: "Training samples per epoch (any family).", example: 1_281_167 }),
    epochs: z.number().gt(0).max(10_000).optional().openapi({ description: "Passes over the samples. Default 1.", example: 90 }),
    sequenceLength: posInt(LIM.contextLength).optional().openapi({ description: "Training sequence length (transformers). Default: context length capped at 8192; for a fine-tune of a decoder (full-fine-tune, lora, qlora) 1024, TRL SFTConfig's max_length, capped at the context length.", example: 4096 }),
    method: z.enum(TRAINING_METHODS).optional().openapi({ description: "Training method. Default pre-train.", example: "lora" }),
    lora: z
      .object({
        rank: posInt(65_536).optional().openapi({ description: "Adapter rank. Default 8.", example: 16 }),
        targets: z.enum(LORA_TARGETS).optional().openapi({ description: "Adapted matrices. Default attention-qv.", example: "all-linear" }),
      })
      .strict()
      .optional()
      .openapi({ description: "LoRA/QLoRA adapter settings." }),
    precision: z.enum(TRAINING_PRECISIONS).optional().openapi({ description: "Training precision. Default bf16; fp16 on an accelerator without BF16 (T4), as the answer's assumptions say.", example: "bf16" }),
    optimizer: z.enum(OPTIMIZERS).optional().openapi({ description: "Optimizer. Default adamw.", example: "adamw" }),
    zeroStage: z.union(ZERO_STAGES.map((n) => z.literal(n))).optional().openapi({ description: "ZeRO stage (0–3). Default 3 (FSDP full shard).", example: 3 }),
    tensorParallel: posInt(1024).optional().openapi({ description: "Tensor-parallel degree; it must split the model's attention heads (divide the heads, and divide or be a multiple of the KV heads), as Megatron-LM requires. Default 1; when neither tensorParallel nor pipelineParallel is given, one GPU per layer does not fit and the accelerator has a GPU-to-GPU link (NVLink, Infinity Fabric), the degree within an 8-GPU node (2, 4 or 8, of those that split the model's attention heads) that fits on the fewest GPUs, or on the requested gpus the smallest that fits there, said in the assumptions.", example: 8 }),
    pipelineParallel: posInt(1024).optional().openapi({ description: "Pipeline-parallel degree. Default 1. Above 1 the MFU is scaled by the pipeline bubble at gradientAccumulationSteps micro-batches per optimizer step.", example: 1 }),
    microBatchSize: posInt(1_000_000).optional().openapi({ description: "Sequences (or samples) per GPU per micro-step. Default 1 for pre-training; 8 for a language model's fine-tune (full, LoRA, QLoRA: Transformers' per_device_train_batch_size, which TRL keeps); 256 images for a convolutional network, the batch of the published runs its utilisation comes from.", example: 1 }),
    gradientAccumulationSteps: posInt(LIM.gradientAccumulationSteps).optional().openapi({ description: "Micro-steps (micro-batches) per optimizer step on each GPU. Default: for a decoder's pre-training, the steps that make a 4M-token global batch (the LLaMA model card's) at the answer's data-parallel degree, at least 1; otherwise 1 (Transformers' gradient_accumulation_steps). Under zeroStage 0–2 the gradients are synchronised once per optimizer step, overlapping only its last micro-step's backward pass, so more steps leave less of that traffic exposed; under zeroStage 3 the weights and gradients move every micro-step whatever it is. With pipelineParallel p, a step of m micro-batches keeps each stage busy m ÷ (m + p − 1) of it (the pipeline bubble).", example: 4 }),
    activationRecomputation: z.enum(ACTIVATION_RECOMPUTATIONS).optional().openapi({ description: "Activation recomputation: none, selective (attention recomputed) or full (every layer's forward pass recomputed, one more forward pass per step; MFU scaled by the extra hardware FLOPs). Default selective; full for a fine-tune of a decoder (full-fine-tune, lora, qlora), as Hugging Face TRL turns gradient checkpointing on by default (and QLoRA's reference implementation). When omitted, another fine-tune (an encoder or encoder-decoder) that does not fit at selective on the requested gpus (or on any count, none requested), even with tensor parallelism raised, gets full recomputation where that fits, as fine-tuning stacks turn it on (Transformers' gradient_checkpointing), said in the assumptions.", example: "selective" }),
    hardware: HardwareInputSchema,
    gpus: posInt(1_000_000).optional().openapi({ description: "GPUs to use. Omitted: the fewest that fit, or that finish by deadlineDays.", example: 64 }),
    deadlineDays: z.number().min(LIM.minDeadlineDays).max(3650).optional().openapi({ description: "Finish within this many days (when gpus is omitted).", example: 30 }),
    utilisation: UtilisationInputSchema.optional(),
    goodput: UtilisationInputSchema.optional(),
    ...pricingFields,
    pue: z.number().min(1).max(5).optional().openapi({ description: "Power usage effectiveness. Default 1.58.", example: 1.2 }),
    gridKgCo2PerKwh: z.number().min(0).max(5).optional().openapi({ description: "Grid carbon intensity, kgCO2e/kWh. Default 0.436.", example: 0.35 }),
    powerDrawFraction: z.number().gt(0).max(2).optional().openapi({ description: "Average power as a fraction of TDP. Default 1.", example: 0.8 }),
  })
  .strict()
  .openapi("TrainingRequest", {
    example: { model: { preset: "llama-3-8b" }, tokens: 1e11, hardware: "h100-sxm", deadlineDays: 14 },
  });

export const InferenceRequestSchema = z
  .object({
    model: ModelSpecSchema,
    quantization: z.enum(WEIGHT_QUANTIZATIONS).optional().openapi({ description: "Weight format. Default bf16 (fp16 on an accelerator without BF16, such as the T4). int4 is group-wise (4.125 bits per weight, W4A16); nvfp4 is NVIDIA's 4-bit floating point (4.5 bits per weight with its block scales, W4A4 on FP4 tensor cores: B200; refused elsewhere); gguf-* are llama.cpp's formats at the bits per weight of llama.cpp's quantize table.", example: "int8" }),
    engine: z.enum(SERVING_ENGINES).optional().openapi({ description: "Serving engine. Default continuous-batching (vLLM, TensorRT-LLM, SGLang); llama.cpp uses the per-layer step cost and memory-bandwidth utilisation published llama.cpp runs give; torch-compile (gpt-fast, torchao) runs int8/int4 as weight-only kernels at the bandwidth share torchao publishes (both decoder LLMs only).", example: "llama.cpp" }),
    kvCachePrecision: z.enum(KV_CACHE_PRECISIONS).optional().openapi({ description: "KV cache format. Default bf16 (fp16 on an accelerator without BF16).", example: "fp8" }),
    hardware: HardwareInputSchema,
    gpusPerReplica: posInt(1024).optional().openapi({ description: "Tensor-parallel GPUs per replica; it must split the model's attention heads (divide the heads, and divide or be a multiple of the KV heads), as vLLM requires. Default: those of 1, 2, 4, 8 (more when the model needs it) that split the heads are compared and the one needing the fewest GPUs for the traffic that meets the latency targets is chosen (tensorParallel.alternatives).", example: 4 }),
    workload: z
      .object({
        inputTokens: posInt(100_000_000).optional().openapi({ description: "Prompt tokens per request. Default 512.", example: 800 }),
        cachedInputTokens: z
          .number()
          .int()
          .min(0)
          .max(100_000_000)
          .optional()
          .openapi({
            description:
              "Of the prompt tokens, those a prefix cache serves: a prefix every request repeats (system prompt, shared context). Default 0. Decoder LLMs only; at most inputTokens. A continuous-batching engine skips their prefill and holds their KV cache once per replica (vLLM's default automatic prefix caching); the hosted alternatives price them at each model's cache-read price. Providers cache only prefixes above a minimum (OpenAI: prompts of 1,024 tokens or more): give what yours caches.",
            example: 600,
          }),
        outputTokens: posInt(100_000_000).optional().openapi({ description: "Generated tokens per request. Default 256.", example: 200 }),
        samplesPerRequest: posInt(1_000_000).optional().openapi({ description: "Samples (images, candidates, rows) per request, per-sample models.", example: 1 }),
        audioSeconds: z.number().min(1e-3).max(1e6).optional().openapi({ description: "Audio per request (audio encoder-decoders).", example: 30 }),
        requestsPerSecondPeak: z.number().min(LIM.minRequestsPerSecond).max(1e7).optional().openapi({ description: "Requests per second at peak; give this or requestsPerDay, not both.", example: 20 }),
        requestsPerDay: z.number().min(LIM.minRequestsPerDay).max(1e12).optional().openapi({ description: "Requests per day (the peak is this ÷ 86,400 × peakToAverage); give this or requestsPerSecondPeak, not both.", example: 500_000 }),
        peakToAverage: z.number().min(1).max(1000).optional().openapi({ description: "Peak over average traffic. Default 3.", example: 3 }),
      })
      .strict()
      .openapi({ description: "Request shape and traffic." }),
    latency: z
      .object({
        ttftMs: z.number().min(LIM.minLatencyMs).max(3.6e6).optional().openapi({ description: "Target time to first token, ms.", example: 500 }),
        tpotMs: z.number().min(LIM.minLatencyMs).max(3.6e6).optional().openapi({ description: "Target time per output token, ms.", example: 40 }),
        requestMs: z.number().min(LIM.minLatencyMs).max(3.6e6).optional().openapi({ description: "Target whole-request latency, ms (per-sample models, or whole generations).", example: 100 }),
      })
      .strict()
      .optional()
      .openapi({ description: "Latency targets; the largest batch meeting them is chosen." }),
    batchSize: posInt(1_000_000).optional().openapi({ description: "Fixed concurrency (sequences or requests in flight) per replica.", example: 32 }),
    maxConcurrentSequences: posInt(1_000_000).optional().openapi({ description: "Cap on concurrent sequences per replica. Default: vLLM's max_num_seqs for the device (1024 on ≥ 70 GiB devices other than A100, else 256).", example: 256 }),
    gpuMemoryUtilization: z.number().min(0.05).max(1).optional().openapi({ description: "Share of each GPU's memory the serving engine may take for weights, activations and the KV cache (vLLM --gpu-memory-utilization). Default 0.9, vLLM's; the KV-cache pool is what is left after the weights, so a model that nearly fills the GPUs gains most from raising it.", example: 0.95 }),
    utilisation: UtilisationInputSchema.optional(),
    bandwidthUtilisation: UtilisationInputSchema.optional(),
    kernelBoundaryMicrosecondsPerLayer: z.number().min(0).max(10_000).optional().openapi({ description: "Time lost at kernel boundaries per decoder layer per engine step, µs. Default 33.1 (Hazy Research 2025: Llama-3.2-1B on H100 reaches 50% of the bandwidth as a kernel sequence, 78% as one kernel); for llama.cpp its own, fitted to its published runs (the answer's assumptions give it). 0 for a single-kernel engine.", example: 33.1 }),
    allReduceLatencyMicroseconds: z.number().min(0).max(100_000).optional().openapi({ description: "Fixed latency of one tensor-parallel all-reduce, µs. Default: NCCL's latency model (6.6 µs + 2(t−1) × 0.6 µs over NVLink).", example: 15 }),
    weightKernelEfficiency: z.number().min(0.01).max(1).optional().openapi({ description: "Share of the 16-bit weight-streaming bandwidth the weight kernels reach. Default 1; engine torch-compile with int8 / int4: 0.861 / 0.594 (torchao's published A100 table).", example: 0.8 }),
    ...pricingFields,
  })
  .strict()
  .openapi("InferenceRequest", {
    example: { model: { preset: "llama-3-8b" }, hardware: "l4", quantization: "int8", workload: { inputTokens: 800, outputTokens: 200, requestsPerDay: 500_000 }, latency: { tpotMs: 50 } },
  });

// ---------------------------------------------------------------- responses

const ModelSummarySchema = z
  .object({
    id: z.string().nullable().openapi({ description: "Preset id, null for a custom model.", example: "llama-3-8b" }),
    name: z.string().openapi({ description: "Model name.", example: "Llama 3 8B" }),
    family: z.enum([...ARCHITECTURE_FAMILIES, "parameters-only"]).openapi({ description: "Architecture family, or parameters-only.", example: "decoder" }),
    parameters: z.number().openapi({ description: "Parameters (computed from the architecture, or as given).", example: 8_030_261_248 }),
    activeParameters: z.number().openapi({ description: "Parameters used per token (MoE: routed experts only).", example: 8_030_261_248 }),
    parameterCountSource: z.enum(PARAMETER_COUNT_SOURCES).openapi({ description: "Whether the count was computed or given.", example: "architecture" }),
    publishedParameters: z.number().nullable().openapi({ description: "Published count of the preset, null for custom models.", example: 8e9 }),
    architectureSource: z.enum(ARCHITECTURE_SOURCES).openapi({ description: "Where the shape used for activations, KV cache and attention FLOPs comes from.", example: "preset" }),
    inferredArchitecture: z
      .union([
        z.object({
          layers: z.number().openapi({ description: "Layers.", example: 32 }),
          hidden: z.number().openapi({ description: "Hidden size.", example: 4096 }),
          heads: z.number().openapi({ description: "Attention heads.", example: 32 }),
          kvHeads: z.number().openapi({ description: "Key/value heads.", example: 8 }),
          headDim: z.number().openapi({ description: "Per-head size.", example: 128 }),
          ffn: z.number().openapi({ description: "Gated FFN width.", example: 14336 }),
          vocab: z.number().openapi({ description: "Vocabulary.", example: 32768 }),
          contextLength: z.number().openapi({ description: "Context length.", example: 8192 }),
          parametersOfShape: z.number().openapi({ description: "Active parameters of this shape (whole layers: close to the given count).", example: 7.1e9 }),
          method: z.string().openapi({ description: "How each figure was chosen.", example: "hidden 4096 from a least-squares power law over the presets ..." }),
          fittedOn: z.array(z.string()).openapi({ description: "The presets the fit used.", example: ["llama-2-7b", "llama-3-8b"] }),
        }),
        z.null(),
      ])
      .openapi({ description: "The decoder shape inferred from a bare parameter count (null otherwise)." }),
  })
  .openapi("ModelSummary");

const HardwareSummarySchema = z
  .object({
    id: z.string().openapi({ description: "Accelerator id.", example: "h100-sxm" }),
    name: z.string().openapi({ description: "Accelerator name.", example: "NVIDIA H100 SXM 80GB" }),
    kind: z.string().openapi({ description: "gpu, cpu, tpu or other.", example: "gpu" }),
    precision: z.enum(PRECISIONS).openapi({ description: "Precision whose peak was used.", example: "bf16" }),
    peakFlopsPerS: z.number().openapi({ description: "Dense peak FLOP/s at that precision.", example: 989.4e12 }),
    memoryBytes: z.number().openapi({ description: "Device memory, bytes: the capacity the driver reports (nvidia-smi memory.total MiB × 2^20; an H100 80GB reports 81,559 MiB).", example: 85520809984 }),
    memoryBandwidthBytesPerS: z.number().openapi({ description: "Memory bandwidth, bytes/s.", example: 3.35e12 }),
    tdpW: z.number().nullable().openapi({ description: "TDP, W (null if unknown).", example: 700 }),
    source: z.string().openapi({ description: "Where the figures come from.", example: "modelplan accelerator catalog" }),
  })
  .openapi("HardwareSummary");

export const PriceQuoteSchema = z
  .object({
    provider: z.string().openapi({ description: "Cloud provider.", example: "aws" }),
    sku: z.string().openapi({ description: "Instance type or offer.", example: "p5.48xlarge" }),
    region: z.string().nullable().openapi({ description: "Region, if the source gives one.", example: "us-east-1" }),
    onDemandUsdPerGpuHour: z.number().openapi({ description: "On-demand USD per GPU-hour.", example: 6.88 }),
    spotUsdPerGpuHour: z.number().nullable().openapi({ description: "Spot USD per GPU-hour where published.", example: null }),
    source: z.string().openapi({ description: "Where the price comes from.", example: "datareceipts 109-gpu-pricing/hyperscalers.json" }),
    date: z.string().openapi({ description: "Date of the price.", example: "2026-11-09" }),
  })
  .openapi("PriceQuote");

const nullableBand = (description: string) => z.union([BandSchema, z.null()]).openapi({ description });

export const TrainingEstimateSchema = z
  .object({
    kind: z.literal("training").openapi({ description: "Estimate kind.", example: "training" }),
    catalogVersion: z.string().openapi({ description: "Catalog version the estimate used.", example: "2026-11-22.1" }),
    model: ModelSummarySchema.extend({ trainableParameters: z.number().openapi({ description: "Parameters updated (LoRA: adapters only).", example: 8_030_261_248 }) }).openapi({ description: "The model." }),
    method: z.enum(TRAINING_METHODS).openapi({ description: "Training method.", example: "pre-train" }),
    tokens: z.number().nullable().openapi({ description: "Training tokens (null for non-token models).", example: 1e11 }),
    samples: z.number().nullable().openapi({ description: "Training samples × epochs (null when given tokens).", example: null }),
    sequenceLength: z.number().nullable().openapi({ description: "Sequence length used.", example: 8192 }),
    flops: z
      .object({
        total: z.number().openapi({ description: "Model FLOPs (forward + backward), the MFU numerator.", example: 4.9e21 }),
        hardwareTotal: z.number().openapi({ description: "FLOPs the hardware runs, recomputation included.", example: 5.0e21 }),
        perTokenOrSample: z.number().openapi({ description: "Model FLOPs per token (or sample).", example: 4.9e10 }),
        forwardPerTokenOrSample: z.number().openapi({ description: "Forward FLOPs per token (or sample).", example: 1.6e10 }),
        attentionFraction: z.number().openapi({ description: "Share of FLOPs in attention score/value products.", example: 0.11 }),
        formula: z.string().openapi({ description: "How the FLOPs were counted.", example: "(1 + 2) × forward FLOPs per token" }),
      })
      .openapi({ description: "Compute." }),
    hardware: HardwareSummarySchema,
    utilisation: SourcedBandSchema,
    goodput: SourcedBandSchema,
    effectiveUtilisation: BandSchema,
    throughputModel: z
      .object({
        frameworkMfu: z.number().nullable().openapi({ description: "Framework-table MFU at this model size (null when an override or fallback band applies).", example: 0.64 }),
        realRunFactor: z.number().openapi({ description: "Share of the framework MFU whole published runs of this accelerator family realise.", example: 0.86 }),
        gpuScaleFactor: z.number().openapi({ description: "MFU multiplier for the GPU count (published large runs).", example: 1 }),
        communicationFactor: z.number().openapi({ description: "MFU multiplier of the data-parallel communication: ZeRO-3's traffic every micro-step (weights all-gathered twice, gradients reduce-scattered), or, at zeroStage 0–2, the gradient synchronisation once per optimizer step that the last backward pass leaves exposed. 1 where compute hides it or there is none to count (one data-parallel GPU, a given or measured utilisation).", example: 1 }),
        interruptionsPerDay: z.number().openapi({ description: "Expected job interruptions per day at this GPU count.", example: 0.004 }),
      })
      .openapi({ description: "The factors of the utilisation." }),
    steadyState: z
      .object({
        utilisation: BandSchema,
        tokensOrSamplesPerSecPerGpu: BandSchema,
      })
      .openapi({
        description:
          "The training steps alone, at a tuned framework's rate (what its throughput benchmark measures): without what whole runs lose beyond their steps (evaluation, checkpoints, data loading, stragglers, less tuned settings: the real-run factor) and without interruptions (goodput); `gpuHours` and `wallClockDays` are the whole run's. `utilisation`: the MFU model without the real-run factor (framework table or fallback band × the GPU-count law, the high end capped at the accelerator's maximum achievable matmul FLOPS where measured) × recomputation, pipeline bubble and the data-parallel communication at that faster rate; where the real-run factor is 1 (convolutional networks, a given or measured utilisation) it equals `utilisation`. `tokensOrSamplesPerSecPerGpu`: peak × that ÷ model FLOPs per token (or sample). Less tuned stacks run slower: GET /v1/validation's Hugging Face TRL/PEFT recipe on H100 ran 1.3–3.2× slower. A given `utilisation` is the run's MFU for both, so the GPU-hours then carry no real-run factor: give what a whole run realises, not a step log's figure.",
      }),
    gpus: z.number().openapi({ description: "GPUs used.", example: 64 }),
    gpusChosenBy: z.enum(GPUS_CHOSEN_BY).openapi({
      description:
        "How the GPU count was chosen: `requested` (the request's gpus); `fewest-that-fit` (the fewest GPUs whose memory holds the run at its layout); `deadline` (the fewest that finish within deadlineDays); `none-fits` (no data-parallel degree holds the run at its layout: the figures are for one tensorParallel × pipelineParallel group, `fits` is false, and a warning names the changes that fit).",
      example: "deadline",
    }),
    fewestGpusToFit: z.number().nullable().openapi({ description: "Fewest GPUs whose memory holds the run (null: none with these settings).", example: 2 }),
    parallelism: z
      .object({
        dataParallel: z.number().openapi({ description: "Data-parallel degree.", example: 64 }),
        tensorParallel: z.number().openapi({ description: "Tensor-parallel degree.", example: 1 }),
        pipelineParallel: z.number().openapi({ description: "Pipeline-parallel degree.", example: 1 }),
        zeroStage: z.union(ZERO_STAGES.map((n) => z.literal(n))).openapi({ description: "ZeRO stage.", example: 3 }),
        microBatchSize: z.number().openapi({ description: "Sequences (or samples) per GPU per micro-step.", example: 8 }),
        gradientAccumulationSteps: z.number().openapi({ description: "Micro-steps per optimizer step.", example: 1 }),
        globalBatchSize: z.number().openapi({ description: "Sequences (or samples) per optimizer step: dataParallel × microBatchSize × gradientAccumulationSteps.", example: 64 }),
      })
      .openapi({ description: "Parallel layout and batch." }),
    fits: z.boolean().openapi({ description: "Whether memory per GPU fits the usable device memory.", example: true }),
    memoryPerGpuGb: z
      .object({
        total: z.number().openapi({ description: "Total per GPU, GB.", example: 40.2 }),
        weights: z.number().openapi({ description: "Weights, GB.", example: 0.25 }),
        gradients: z.number().openapi({ description: "Gradients, GB.", example: 0.25 }),
        optimizerState: z.number().openapi({ description: "Optimizer state, GB.", example: 1.5 }),
        activations: z.number().openapi({ description: "Activations (Korthikanti et al. 2022), GB.", example: 38.2 }),
        usableCapacity: z.number().openapi({ description: "Usable device memory, GB.", example: 77.3 }),
        capacity: z.number().openapi({ description: "Device memory as the driver reports it, GB (an A100 80GB: 85.9).", example: 85.9 }),
      })
      .openapi({ description: "Memory per GPU, decimal GB." }),
    gpuHours: BandSchema,
    wallClockDays: BandSchema,
    deadlineMet: z.boolean().nullable().openapi({ description: "Whether the expected wall clock meets deadlineDays (null without a deadline).", example: true }),
    pricing: z.union([PriceQuoteSchema, z.null()]).openapi({ description: "Price used (null: no price known)." }),
    costUsd: nullableBand("On-demand cost, USD (null without a price)."),
    spotCostUsd: nullableBand("Spot cost, USD, where a spot price is published."),
    costByProvider: z
      .array(
        z.object({
          provider: z.string().openapi({ description: "Provider.", example: "lambda" }),
          sku: z.string().openapi({ description: "Offer.", example: "8x H100 SXM" }),
          onDemandUsd: BandSchema,
          spotUsd: nullableBand("Spot cost at this listing, USD."),
          source: z.string().openapi({ description: "Price source.", example: "tgarg01/silybench-data gpu_prices.csv" }),
          date: z.string().openapi({ description: "Price date.", example: "2026-09-25" }),
        }),
      )
      .openapi({ description: "Cost at every catalog listing of the accelerator." }),
    energyKwh: nullableBand("Energy: GPU-hours × TDP × power fraction × PUE, kWh (null without a TDP)."),
    co2Kg: nullableBand("CO2e: energy × grid intensity, kg."),
    trackRecord: z.string().nullable().openapi({ description: "The estimator's track record on published training runs and fine-tuning benchmarks, one line: all of them, for a fine-tune (LoRA, QLoRA) the fine-tuning cases apart, then those on this estimate's catalog accelerator (GET /v1/validation has every case).", example: "estimator median error on 69 published training runs and benchmarks (GPU-hours): 26%, band covers 83%, 46 of 69 took longer than estimated (held out: 59, 26%); on a100-80gb: 15 runs, median 22%, band covers 87%, 11 of 15 took longer; GET /v1/validation" }),
    warnings: z.array(z.string()).openapi({ description: "Things to know (e.g. why it does not fit).", example: [] }),
    assumptions: z.array(AssumptionSchema).openapi({ description: "Every default and catalog figure used." }),
  })
  .openapi("TrainingEstimate");

export const HostedAlternativeSchema = z
  .object({
    id: z.string().openapi({ description: "Hosted model id.", example: "gpt-4o-mini" }),
    provider: z.string().openapi({ description: "Provider.", example: "openai" }),
    name: z.string().openapi({ description: "Model name.", example: "GPT-4o mini" }),
    inputUsdPerMillionTokens: z.number().openapi({ description: "USD per 1M input tokens.", example: 0.15 }),
    outputUsdPerMillionTokens: z.number().openapi({ description: "USD per 1M output tokens.", example: 0.6 }),
    cachedInputUsdPerMillionTokens: z.number().nullable().openapi({ description: "USD per 1M input tokens read from the provider's prompt cache (null: none listed; cached tokens are billed at the input price).", example: 0.075 }),
    monthlyCostUsd: z.number().openapi({ description: "Monthly cost of the same traffic on this API, USD.", example: 2018 }),
    costPerRequestUsd: z.number().openapi({ description: "Cost per request on this API, USD.", example: 0.00023 }),
    breakEvenRequestsPerDay: z.number().nullable().openapi({ description: "Traffic from which self-hosting is cheaper (null: never at this configuration).", example: 180_000 }),
    breakEvenPeakRequestsPerSec: z.number().nullable().openapi({ description: "The same break-even as peak requests per second.", example: 6.25 }),
    selfHostCheaperAtThisTraffic: z.boolean().nullable().openapi({ description: "Whether self-hosting (expected) costs less at the given traffic (null without a price).", example: false }),
    source: z.string().openapi({ description: "Price source.", example: "litellm model_prices_and_context_window.json, commit 8442b939" }),
    date: z.string().openapi({ description: "Price date.", example: "2026-07-24" }),
  })
  .openapi("HostedAlternative");

export const InferenceEstimateSchema = z
  .object({
    kind: z.literal("inference").openapi({ description: "Estimate kind.", example: "inference" }),
    catalogVersion: z.string().openapi({ description: "Catalog version the estimate used.", example: "2026-11-22.1" }),
    mode: z.enum(SERVING_MODES).openapi({ description: "tokens: generative (per token); samples: per request/sample (vision, encoders...).", example: "tokens" }),
    model: ModelSummarySchema,
    hardware: HardwareSummarySchema,
    quantization: z.enum(WEIGHT_QUANTIZATIONS).openapi({ description: "Weight format.", example: "bf16" }),
    computeUtilisation: SourcedBandSchema,
    bandwidthUtilisation: SourcedBandSchema,
    memory: z
      .object({
        weightsGb: z.number().openapi({ description: "Weights, GB.", example: 16.06 }),
        kvCachePerSequenceGb: z.number().openapi({ description: "KV cache per sequence at input + output tokens (per-sample models: working memory per request), GB.", example: 0.13 }),
        kvCachePoolGb: z.number().nullable().openapi({ description: "Memory left for the KV cache after weights and the engine step's activation workspace, GB (decoder LLMs).", example: 51.2 }),
        perReplicaCapacityGb: z.number().openapi({ description: "Device memory of a replica as the driver reports it, GB (one H100 80GB: 85.5).", example: 85.5 }),
        perReplicaUsableGb: z.number().openapi({ description: "Usable memory of a replica, GB.", example: 77 }),
        maxBatchThatFits: z.number().openapi({ description: "Concurrency the memory alone allows (decoder LLMs: the KV-cache pool at the paged-cache fill factor).", example: 427 }),
        maxConcurrency: z.number().openapi({ description: "Concurrency a replica runs at most: memory, the engine's step token budget and the concurrency cap.", example: 256 }),
        concurrencyLimitedBy: z.enum(CONCURRENCY_LIMITS).nullable().openapi({ description: "What limits the concurrency (decoder LLMs).", example: "kv-cache" }),
        fits: z.boolean().openapi({ description: "Whether the weights and one sequence fit.", example: true }),
      })
      .openapi({ description: "Memory of a replica." }),
    gpusPerReplica: z.number().openapi({ description: "Tensor-parallel GPUs per replica.", example: 1 }),
    fewestGpusPerReplicaToFit: z.number().nullable().openapi({ description: "Fewest GPUs per replica that fit (powers of two).", example: 1 }),
    tensorParallel: z
      .object({
        chosenBy: z.enum(TENSOR_PARALLEL_CHOSEN_BY).openapi({ description: "How gpusPerReplica was chosen.", example: "cheapest-meeting-targets" }),
        alternatives: z
          .array(
            z.object({
              gpusPerReplica: z.number().openapi({ description: "Tensor-parallel degree.", example: 4 }),
              fits: z.boolean().openapi({ description: "Whether the weights and one sequence fit.", example: true }),
              concurrency: z.number().openapi({ description: "Concurrent sequences per replica at this degree.", example: 180 }),
              gpus: z.number().nullable().openapi({ description: "GPUs the traffic needs at this degree.", example: 8 }),
              monthlyCostUsd: z.number().nullable().openapi({ description: "Monthly cost of those GPUs, USD.", example: 35000 }),
              throughputTokensPerSecPerGpu: z.number().nullable().openapi({ description: "Output tokens/s per GPU.", example: 900 }),
              requestLatencyMs: z.number().nullable().openapi({ description: "Expected request latency, ms.", example: 9000 }),
              ttftMs: z.number().nullable().openapi({ description: "Expected time to first token, ms.", example: 120 }),
              tpotMs: z.number().nullable().openapi({ description: "Expected time per output token, ms.", example: 35 }),
              meetsTargets: z.boolean().openapi({ description: "Whether it meets the latency targets.", example: true }),
              chosen: z.boolean().openapi({ description: "Whether this is the estimate's degree.", example: true }),
              note: z.string().openapi({ description: "Why it was or was not chosen.", example: "chosen" }),
            }),
          )
          .openapi({ description: "Every degree compared for the same traffic (decoder LLMs), the chosen one included." }),
      })
      .openapi({ description: "The tensor-parallel choice and the alternatives it was compared with." }),
    batchSize: z.number().openapi({ description: "Concurrent sequences (or requests) per replica.", example: 64 }),
    batchChosenBy: z.enum(BATCH_CHOSEN_BY).openapi({ description: "How the batch was chosen.", example: "latency-targets" }),
    prefillMs: nullableBand("One request's prompt processed alone on the replica, ms; null for per-sample models."),
    ttftMs: nullableBand("Time to first token at the chosen concurrency: the prompt in chunks among the running decodes, ms."),
    tpotMs: nullableBand("Time per output token at the chosen concurrency: the mixed engine step between one sequence's tokens (every running sequence's decode + the prefill chunks of the other sequences' new requests), ms."),
    decodeMsPerToken: nullableBand("A decode-only engine step at the chosen concurrency (per-operator roofline), ms."),
    decodeBound: z.enum(DECODE_BOUNDS).nullable().openapi({ description: "What limits decoding at this batch: the larger of the decode-only step's memory-bound and compute-bound time (decodeMsPerToken).", example: "memory" }),
    requestLatencyMs: BandSchema,
    throughputTokensPerSecPerGpu: nullableBand("Generated tokens per second per GPU."),
    throughputSamplesPerSecPerGpu: nullableBand("Samples per second per GPU (per-sample models)."),
    requestsPerSecPerReplica: BandSchema,
    atPeak: z
      .object({
        requestsPerSecPerReplica: z.number().openapi({ description: "Peak requests per second over the expected replicas: the load each replica carries at the peak.", example: 6.0 }),
        utilisation: z.number().openapi({ description: "That load over the replica's expected capacity (requestsPerSecPerReplica.expected); at most the sizing rule's target utilisation.", example: 0.4 }),
        concurrency: z.number().openapi({ description: "Concurrent sequences (token models) or requests per batch that carry that load: the fewest whose expected throughput does (Little's law), at most batchSize.", example: 12 }),
        ttftMs: nullableBand("Time to first token at that concurrency, ms."),
        tpotMs: nullableBand("Time per output token at that concurrency, ms; null for per-sample models."),
        requestLatencyMs: BandSchema,
      })
      .nullable()
      .openapi({
        description:
          "Each replica at the peak traffic. ttftMs, tpotMs and requestLatencyMs above are at batchSize, the batch the fleet was sized at (saturation, or the largest batch meeting the latency targets); with 20% headroom and whole replicas the peak runs at fewer sequences, and these are its latencies. requestLatencyMs is what users see at the peak, ms. Null when the model does not fit.",
      }),
    latencyTargets: z
      .object({
        ttftMs: z.number().nullable().openapi({ description: "Requested time to first token, ms.", example: 500 }),
        tpotMs: z.number().nullable().openapi({ description: "Requested time per output token, ms.", example: 40 }),
        requestMs: z.number().nullable().openapi({ description: "Requested request latency, ms.", example: null }),
        met: z.boolean().openapi({ description: "Whether the expected figures meet the targets.", example: true }),
        largestBatchMeetingTargets: z.number().nullable().openapi({ description: "Largest batch meeting them (0: none; null: no targets).", example: 64 }),
      })
      .openapi({ description: "Latency targets and whether they are met." }),
    traffic: z
      .object({
        peakRequestsPerSec: z.number().openapi({ description: "Peak requests per second.", example: 17.4 }),
        averageRequestsPerSec: z.number().openapi({ description: "Average requests per second.", example: 5.8 }),
        requestsPerDay: z.number().openapi({ description: "Requests per day.", example: 500_000 }),
        requestsPerMonth: z.number().openapi({ description: "Requests per month.", example: 15_208_333 }),
        tokensPerMonth: z.number().nullable().openapi({ description: "Input + output tokens per month.", example: 1.5e10 }),
        peakToAverage: z.number().openapi({ description: "Peak over average.", example: 3 }),
      })
      .openapi({ description: "Traffic the fleet is sized for." }),
    replicas: BandSchema,
    replicaTargetUtilisation: z.number().openapi({ description: "Share of a replica's capacity the fleet uses at the peak (the one sizing rule of estimates, scenario estimates and plans).", example: 0.8 }),
    gpus: z.number().openapi({ description: "GPUs for the peak (expected).", example: 4 }),
    gpusBand: BandSchema,
    pricing: z.union([PriceQuoteSchema, z.null()]).openapi({ description: "Price used (null: no price known)." }),
    monthlyCostUsd: nullableBand("Monthly cost of the peak fleet running all month, USD."),
    costPerMillionTokensUsd: nullableBand("Cost per 1M tokens (input + output) at this traffic, USD."),
    costPerRequestUsd: nullableBand("Cost per request at this traffic, USD."),
    monthlyEnergyKwh: nullableBand("Monthly energy of the fleet, kWh."),
    hostedAlternatives: z.array(HostedAlternativeSchema).openapi({ description: "Every hosted model priced for the same traffic (text decoders only)." }),
    trackRecord: z.string().nullable().openapi({ description: "The estimator's track record on published serving figures, one line: all the throughputs, batch-1 decode, then the cases on this estimate's catalog accelerator (GET /v1/validation has every case).", example: "estimator median error on 280 published serving throughputs (output tokens/s per GPU, at saturation or at a published batch): 12%, 79% within ±20% or the band, 112 of 280 estimated below the published tokens/s (held out: 280, 12%); batch-1 decode on 74: 7%; on h100-sxm: 52 throughputs, median 12%, 81% within ±20% or the band, 30 of 52 estimated below; 4 batch-1 decodes, median 6%; GET /v1/validation" }),
    warnings: z.array(z.string()).openapi({ description: "Things to know.", example: [] }),
    assumptions: z.array(AssumptionSchema).openapi({ description: "Every default and catalog figure used." }),
  })
  .openapi("InferenceEstimate");

export type TrainingRequest = z.infer<typeof TrainingRequestSchema>;
export type InferenceRequest = z.infer<typeof InferenceRequestSchema>;
