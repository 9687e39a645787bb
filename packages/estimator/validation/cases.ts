// The shape of the estimator's validation cases: published training runs and serving figures, each with
// the exact words of its source. The data lives in training-runs.json and serving-cases.json beside this
// file; the runner (run.ts) estimates every case with defaults only and compares.
//
// A case is evidence, never a tuning knob: the estimator must not read these files, and no formula or
// band may special-case a case. A source that is also used to set a default (an MFU or goodput figure)
// marks the cases it overlaps with `usedForDefaults: true`, and the runner reports held-out figures apart.
import type { LoraTargets, ServingEngine, TrainingMethod, WeightQuantization } from "../src/types";

/** Where a fact comes from, so that a user can open it and find the words. */
export interface SourceRef {
  /** document title, e.g. "Llama 2: Open Foundation and Fine-Tuned Chat Models" */
  title: string;
  /** a URL a user can open: arXiv abstract, model card, or a GitHub blob at a commit (not a branch) */
  url: string;
  /** where in the document: "Table 2", "§2.2.1", "MODEL_CARD.md, Hardware and Software" */
  locator: string;
  /** the exact words (or table row) of the source that give the figure, verbatim */
  quote: string;
  /** publication date of the document, YYYY-MM or YYYY-MM-DD */
  published: string;
}

/** The model as a user would name it: a catalog preset when one exists, else the published size and shape. */
export interface CaseModel {
  /** display name, e.g. "LLaMA-65B" */
  name: string;
  /** an id of packages/estimator/data/model-presets.json when the model is in the catalog */
  preset?: string;
  /** published parameter count (total; for MoE also activeParameters); the preset's own count is used when there is one */
  parameters: number;
  activeParameters?: number;
  /**
   * published shape, when the source (or the released checkpoint's config, said in notes) gives it; used only
   * when there is no preset. The estimator takes layers, hidden, heads, kvHeads (else its default of 8),
   * vocab and contextLength; ffn, experts and activeExperts are recorded for the reader only (a bare
   * parameter count's shape infers the FFN width from the count)
   */
  architecture?: {
    layers: number;
    hidden: number;
    heads: number;
    kvHeads?: number;
    ffn?: number;
    vocab?: number;
    contextLength?: number;
    experts?: number;
    activeExperts?: number;
  };
}

export type CasePrecision = "fp32" | "tf32" | "bf16" | "fp16" | "fp8";

export interface TrainingRunCase {
  /** kebab-case, unique: "llama-2-70b-pretrain" */
  id: string;
  model: CaseModel;
  /** training tokens of the run (token models) */
  tokens?: number;
  /** samples per epoch and epochs (image models), when the run is counted in samples */
  samples?: number;
  epochs?: number;
  /** sequence length the run trained at */
  sequenceLength?: number;
  /** fine-tuning runs: the method (absent: pre-training from scratch) and, for LoRA/QLoRA, the adapter the source states */
  method?: TrainingMethod;
  lora?: { rank?: number; targets?: LoraTargets };
  /** the training library and version as the source names it (fine-tuning benchmarks), e.g. "NeMo 24.07" */
  framework?: string;
  /** an accelerator id of packages/estimator/data/accelerators.json */
  hardware: string;
  /** GPUs the run used (null when the source gives only GPU-hours) */
  gpus: number | null;
  precision: CasePrecision;
  /** what the source reports; at least gpuHours or wallClockDays (with gpus) */
  published: {
    gpuHours?: number;
    wallClockDays?: number;
    /**
     * a measured throughput instead of a whole run: the GPU-hours are `tokens` ÷ (this × 3600), and
     * `tokens` is a nominal count the notes say so of
     */
    tokensPerSecPerGpu?: number;
    /** model FLOPs utilisation or TFLOP/s per GPU, when the source states it */
    modelFlopsUtilisation?: number;
    tflopsPerGpu?: number;
  };
  sources: SourceRef[];
  /** true when a source of this case also sets an estimator default (reported apart as not held out) */
  usedForDefaults?: boolean;
  notes?: string;
}

/**
 * "throughput-at-saturation": output tokens/s of a server or offline benchmark at its saturation point, or
 * at the batch or concurrency the source ran (`batchSize`); "batch1-decode": one request at a time.
 */
export type ServingCaseKind = "throughput-at-saturation" | "batch1-decode";

export interface ServingCase {
  /** kebab-case, unique: "trtllm-llama-3.1-8b-h100-fp8-128-128" */
  id: string;
  kind: ServingCaseKind;
  model: CaseModel;
  hardware: string;
  /** tensor-parallel GPUs per replica (pipeline parallel noted in notes) */
  gpus: number;
  /** weight format as served (llama.cpp's GGUF formats by name) */
  weights: WeightQuantization;
  /** the serving engine when it is not a continuous-batching server (llama.cpp) */
  engine?: ServingEngine;
  /** KV-cache precision when the source says (else the serving default) */
  kvCache?: "fp16" | "bf16" | "fp8" | "int8";
  inputTokens: number;
  outputTokens: number;
  /** batch or concurrency when the source fixes one (batch1-decode: 1) */
  batchSize?: number;
  /** serving stack and version, e.g. "TensorRT-LLM 0.17" */
  framework: string;
  published: {
    /** output tokens/s per GPU (at saturation, or at `batchSize`) */
    outputTokensPerSecPerGpu?: number;
    /** total output tokens/s of the whole replica, when that is what the source gives */
    outputTokensPerSec?: number;
    /** batch-1 decode: milliseconds per output token */
    msPerOutputToken?: number;
    /**
     * batch-1 decode: the figure is a whole request's time (its prompt's prefill included) per output
     * token — output tokens ÷ end-to-end time — and is compared with the estimate's request latency per
     * output token rather than its decode step
     */
    includesPrefill?: boolean;
    /** time to first token, when given */
    ttftMs?: number;
  };
  sources: SourceRef[];
  usedForDefaults?: boolean;
  notes?: string;
}

export interface CaseFile<T> {
  description: string;
  /** when the cases were collected, YYYY-MM-DD */
  collected: string;
  cases: T[];
}
