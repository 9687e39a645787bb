import { z } from "@hono/zod-openapi";
import {
  ADAPTER_LIMIT_NAMES,
  BACKEND_CHOICES,
  CALIBRATION_TIME_BASIS,
  COMPUTE_DEVICES,
  CONFIG_LIMITS,
  DEFAULT_ROUNDS,
  FAMILY_DOCS,
  FIELD_DOCS,
  MODEL_FAMILIES,
  SUITE_LIMITS,
  SUITE_NAMES,
  type ModelFamily,
} from "@modelplan/bench";

import { ProfilePriceSchema } from "../hardware-prices/hardware-prices.schemas";
import { DEFAULT_BENCHMARK_LIMITS } from "./limits";

// ---------------------------------------------------------------- model configurations

const BIG = 1e30;
const num = (description: string, example: number, min = 0, max = BIG) => z.number().min(min).max(max).openapi({ description, example });
const str = (description: string, example: string, max = 200) => z.string().max(max).openapi({ description, example });

const pascal = (f: string) => f.split("-").map((p) => p[0].toUpperCase() + p.slice(1)).join("");

/** The size fields of one family, every one optional (defaults fill the rest), bounded by the engine's limits. */
function familyConfigSchema(family: ModelFamily) {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const [key, spec] of Object.entries(CONFIG_LIMITS[family] as Record<string, { kind: string; min: number; max: number; minLength?: number; maxLength?: number }>)) {
    const doc = FIELD_DOCS[key];
    const int = z.number().int().min(spec.min).max(spec.max);
    shape[key] = (
      spec.kind === "int"
        ? int.optional().openapi({ description: `${doc.description} ${spec.min}–${spec.max}.`, example: doc.example as number })
        : z
            .array(int)
            .min(spec.minLength ?? 0)
            .max(spec.maxLength ?? 16)
            .optional()
            .openapi({ description: `${doc.description} ${spec.minLength}–${spec.maxLength} entries of ${spec.min}–${spec.max}.`, example: doc.example as number[] })
    ) as z.ZodTypeAny;
  }
  return z.object(shape).strict().openapi(`${pascal(family)}Config`, { description: `Sizes of the ${family} family (omitted fields take the defaults). ${FAMILY_DOCS[family]}` });
}

const PhaseSchema = z.enum(["inference", "training"]).openapi({ description: "inference: a forward pass; training: one optimiser step.", example: "training" });

function itemSchema(family: ModelFamily) {
  return z
    .object({
      family: z.literal(family).openapi({ description: "Reference model family.", example: family }),
      config: familyConfigSchema(family).optional(),
      phases: z
        .array(PhaseSchema)
        .min(1)
        .max(2)
        .optional()
        .openapi({ description: "Phases to measure. Default both.", example: ["inference", "training"] }),
      batchSize: z
        .number()
        .int()
        .min(SUITE_LIMITS.batchSize.min)
        .max(SUITE_LIMITS.batchSize.max)
        .optional()
        .openapi({ description: `Batch of the throughput and training runs (inference latency always runs at 1). ${SUITE_LIMITS.batchSize.min}–${SUITE_LIMITS.batchSize.max}; default per family.`, example: 32 }),
      latency: z.boolean().optional().openapi({ description: "Also measure inference at batch 1. Default true.", example: true }),
      wholeMachine: z.boolean().optional().openapi({ description: "Repeat this item's throughput and training runs on all workers at once. Default: the request's wholeMachine.", example: false }),
    })
    .strict()
    .openapi(`${pascal(family)}BenchmarkItem`, { description: `A ${family} configuration to measure.` });
}

export const BenchmarkItemSchema = z
  .discriminatedUnion("family", MODEL_FAMILIES.map(itemSchema) as unknown as [ReturnType<typeof itemSchema>, ...ReturnType<typeof itemSchema>[]])
  .openapi("BenchmarkItem", { description: "One model configuration and the phases to measure, chosen by `family`." });

export const BenchmarkRequestSchema = z
  .object({
    suite: z.enum(SUITE_NAMES as [string, ...string[]]).optional().openapi({ description: "A named suite: quick (≤ 90 s on 2 cores) or standard (three sizes per family). Give this or items.", example: "quick" }),
    items: z
      .array(BenchmarkItemSchema)
      .min(SUITE_LIMITS.items.min)
      .max(SUITE_LIMITS.items.max)
      .optional()
      .openapi({ description: `An explicit list of model configurations (${SUITE_LIMITS.items.min}–${SUITE_LIMITS.items.max}). Give this or suite.` }),
    budgetMs: z
      .number()
      .int()
      .min(SUITE_LIMITS.budgetMs.min)
      .max(SUITE_LIMITS.budgetMs.max)
      .optional()
      .openapi({ description: "Timed budget per run in ms, shared by its rounds; timing stops earlier once the median's 95% CI is within ±5%.", example: 1000 }),
    rounds: z
      .number()
      .int()
      .min(SUITE_LIMITS.rounds.min)
      .max(SUITE_LIMITS.rounds.max)
      .optional()
      .openapi({
        description: `Passes over the whole plan (${SUITE_LIMITS.rounds.min}–${SUITE_LIMITS.rounds.max}, default ${DEFAULT_ROUNDS}): each measures every configuration for budgetMs / rounds, at a different moment, and a run's figures pool the samples of all rounds — a shared machine changes speed over tens of seconds.`,
        example: 2,
      }),
    wholeMachine: z.boolean().optional().openapi({ description: "Repeat throughput and training runs on all workers at once. Default true.", example: true }),
    workers: z
      .number()
      .int()
      .min(SUITE_LIMITS.workers.min)
      .max(SUITE_LIMITS.workers.max)
      .optional()
      .openapi({ description: "Worker processes for whole-machine runs. Default one per core (single-threaded backends).", example: 2 }),
    probeSizes: z
      .array(z.number().int().min(SUITE_LIMITS.probeSizes.min).max(SUITE_LIMITS.probeSizes.max))
      .min(SUITE_LIMITS.probeSizes.minLength)
      .max(SUITE_LIMITS.probeSizes.maxLength)
      .optional()
      .openapi({ description: "Square sizes of the matmul ceiling probe.", example: [256, 512, 1024] }),
    sgemm: z.boolean().optional().openapi({ description: "Measure the machine's sgemm limit with numpy when python3 is present. Default true.", example: true }),
  })
  .strict()
  .openapi("BenchmarkRequest", { description: "What to measure: a named suite or an explicit list of configurations." });

// ---------------------------------------------------------------- runs

const ConfigOutSchema = z
  .record(z.string(), z.union([z.number(), z.array(z.number())]))
  .openapi("BenchmarkModelConfig", { description: "The complete configuration measured (defaults filled in).", example: { inputDim: 256, hiddenUnits: [512, 512], classes: 10 } });

const StepTimeSchema = z
  .object({
    medianMs: z.number().openapi({ description: "Median wall-clock step time (ms).", example: 4.2 }),
    p10Ms: z.number().openapi({ description: "10th percentile (ms).", example: 4.0 }),
    p90Ms: z.number().openapi({ description: "90th percentile (ms).", example: 5.1 }),
    ciLowMs: z.number().openapi({ description: "Lower end of the median's 95% confidence interval (ms).", example: 4.1 }),
    ciHighMs: z.number().openapi({ description: "Upper end of the median's 95% confidence interval (ms).", example: 4.3 }),
    n: z.number().int().openapi({ description: "Timed steps (pooled over workers).", example: 40 }),
  })
  .openapi("BenchmarkStepTime", { description: "Wall-clock step time statistics; warm-up excluded." });

const CpuTimeSchema = z
  .object({
    medianMs: z.number().openapi({ description: "Median process CPU time per step (ms).", example: 4.1 }),
    p10Ms: z.number().openapi({ description: "10th percentile (ms).", example: 4.0 }),
    p90Ms: z.number().openapi({ description: "90th percentile (ms).", example: 4.6 }),
  })
  .openapi("BenchmarkCpuTime", { description: "CPU time the worker process used per step: its cost when it has a core." });

export const BenchmarkRunSchema = z
  .object({
    id: z.string().openapi({ description: "Run id.", example: "brun_3f2a9c0d1e4b5a6c7d8e9f01" }),
    jobId: z.string().nullable().openapi({ description: "Job that measured it (null for uploaded runs).", example: "bjob_8c1d2e3f4a5b6c7d8e9f0a1b" }),
    hardwareProfileId: z.string().openapi({ description: "Hardware profile the run belongs to.", example: "hwp_5e40c6399133dc9c0a1b" }),
    family: z.enum(MODEL_FAMILIES).openapi({ description: "Model family.", example: "mlp" }),
    config: ConfigOutSchema,
    modelKey: z.string().openapi({ description: "Readable key of the configuration.", example: "mlp(inputDim=256,hiddenUnits=512x512,classes=10)" }),
    phase: PhaseSchema,
    mode: z.enum(["latency", "throughput", "training"]).openapi({ description: "latency: inference at batch 1; throughput: inference at the batch; training: one optimiser step.", example: "throughput" }),
    batchSize: z.number().int().openapi({ description: "Samples per step.", example: 64 }),
    scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "per-core: one single-threaded worker, the others idle; whole-machine: every worker at once (or the backend's own thread pool / GPU).", example: "per-core" }),
    workers: z.number().int().openapi({ description: "Worker processes that ran at once.", example: 1 }),
    status: z.enum(["ok", "failed"]).openapi({ description: "ok, or failed with its reason (out of memory, missing kernel, crash, time cap).", example: "ok" }),
    error: z.string().optional().openapi({ description: "Why the run failed.", example: "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'" }),
    paramCount: z.number().int().openapi({ description: "Parameters (equal to tfjs countParams()).", example: 399370 }),
    flopsPerSample: z.number().openapi({ description: "Exact contraction FLOPs per sample (2 × multiply-accumulates).", example: 796672 }),
    flopsPerStep: z.number().openapi({ description: "Exact contraction FLOPs per step.", example: 50987008 }),
    tokensPerSample: z.number().int().optional().openapi({ description: "Tokens per sample (sequence families).", example: 64 }),
    stepTime: StepTimeSchema.optional(),
    cpuTime: CpuTimeSchema.optional(),
    cpuShare: z.number().optional().openapi({ description: "Median CPU time / wall time per step; well below 1 means other programs took the CPU.", example: 0.99 }),
    stable: z.boolean().optional().openapi({ description: "Whether the median's 95% CI ended within ±5%.", example: true }),
    stopReason: z.enum(["stable", "budget", "max-samples", "window"]).optional().openapi({ description: "Why timing stopped.", example: "stable" }),
    samplesPerS: z.number().optional().openapi({ description: "Samples per second (whole machine: summed over workers).", example: 15100 }),
    tokensPerS: z.number().optional().openapi({ description: "Tokens per second (sequence families).", example: 966000 }),
    achievedFlopsPerS: z.number().optional().openapi({ description: "Contraction FLOP/s achieved.", example: 12.0e9 }),
    fractionOfCeiling: z.number().optional().openapi({ description: "Achieved FLOP/s / the backend's float32 matmul ceiling of the same scope (the probe, or the best rate a run of the suite achieved when higher: at most 1).", example: 0.6 }),
    fractionOfSgemm: z.number().optional().openapi({ description: "Achieved FLOP/s / the machine's sgemm limit (numpy/OpenBLAS) of the same scope.", example: 0.23 }),
    tracedFlopsPerStep: z.number().optional().openapi({ description: "Contraction FLOPs of one profiled step (tf.profile); equals flopsPerStep.", example: 50987008 }),
    kernelsPerStep: z.number().int().optional().openapi({ description: "Kernel launches of one step.", example: 17 }),
    peakBytes: z.number().optional().openapi({ description: "Peak bytes of live tensors during one step (tf.profile).", example: 3456789 }),
    warmup: z
      .object({
        firstStepMs: z.number().openapi({ description: "The first warm-up step alone (on a GPU backend: shader compilation included), ms.", example: 840 }),
        steps: z.number().int().openapi({ description: "Warm-up steps (untimed).", example: 4 }),
        totalMs: z.number().openapi({ description: "All warm-up steps, ms.", example: 900 }),
      })
      .optional()
      .openapi({ description: "The untimed warm-up of the first round, reported apart from the timed steps." }),
    createdAt: z.string().openapi({ description: "When it was stored (ISO 8601).", example: "2026-11-22T06:30:00.000Z" }),
  })
  .openapi("BenchmarkRun", { description: "One measured (or failed) run." });

// ---------------------------------------------------------------- jobs

export const BenchmarkJobSchema = z
  .object({
    id: z.string().openapi({ description: "Job id.", example: "bjob_8c1d2e3f4a5b6c7d8e9f0a1b" }),
    status: z
      .enum(["queued", "running", "completed", "failed", "cancelled", "interrupted"])
      .openapi({ description: "queued → running → completed | failed | cancelled; interrupted when the service stopped while it was queued or running.", example: "running" }),
    suite: z.string().openapi({ description: "quick, standard or custom.", example: "quick" }),
    request: BenchmarkRequestSchema,
    progress: z
      .object({
        fraction: z.number().openapi({ description: "Share of the planned measurements done, 0–1.", example: 0.42 }),
        current: z.string().nullable().openapi({ description: "What is being measured now.", example: "gpt(vocabSize=512,seqLen=32,dModel=64,heads=4,layers=1,ffnMult=4) training b=16" }),
      })
      .openapi({ description: "Progress of the job." }),
    hardwareProfileId: z.string().nullable().openapi({ description: "Profile the runs are stored against (known once the backend started).", example: "hwp_5e40c6399133dc9c0a1b" }),
    error: z.string().nullable().openapi({ description: "Why the job failed or was interrupted.", example: null }),
    runs: z.array(BenchmarkRunSchema).openapi({ description: "Runs measured so far, in order." }),
    createdAt: z.string().openapi({ description: "When it was submitted (ISO 8601).", example: "2026-11-22T06:30:00.000Z" }),
    startedAt: z.string().nullable().openapi({ description: "When it started running.", example: "2026-11-22T06:30:00.100Z" }),
    finishedAt: z.string().nullable().openapi({ description: "When it ended.", example: null }),
  })
  .openapi("BenchmarkJob", { description: "A benchmark job: run off the request path, one at a time per machine, queued beyond that." });

export const JobIdParamSchema = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Benchmark job id.", example: "bjob_8c1d2e3f4a5b6c7d8e9f0a1b" }),
});

export const RunIdParamSchema = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Benchmark run id.", example: "brun_3f2a9c0d1e4b5a6c7d8e9f01" }),
});

export const RunsQuerySchema = z.object({
  hardwareProfileId: z.string().max(64).optional().openapi({ param: { name: "hardwareProfileId", in: "query" }, description: "Only runs of this hardware profile.", example: "hwp_5e40c6399133dc9c0a1b" }),
  family: z.enum(MODEL_FAMILIES).optional().openapi({ param: { name: "family", in: "query" }, description: "Only this model family.", example: "gpt" }),
  phase: PhaseSchema.optional().openapi({ param: { name: "phase", in: "query" }, description: "Only this phase.", example: "training" }),
  scope: z.enum(["per-core", "whole-machine"]).optional().openapi({ param: { name: "scope", in: "query" }, description: "Only this scope.", example: "per-core" }),
  status: z.enum(["ok", "failed"]).optional().openapi({ param: { name: "status", in: "query" }, description: "Only ok or only failed runs.", example: "ok" }),
  jobId: z.string().max(64).optional().openapi({ param: { name: "jobId", in: "query" }, description: "Only runs of this job.", example: "bjob_8c1d2e3f4a5b6c7d8e9f0a1b" }),
});

// ---------------------------------------------------------------- hardware profiles

const CEILING_BASES = ["probe", "best-observed"] as const;

/** The run that set a best-observed ceiling (MatmulCeiling.bestObserved of @modelplan/bench). */
const BestObservedSchema = z
  .object({
    modelKey: str("The run's model configuration.", "mlp-256-512x512-10", 400),
    phase: PhaseSchema,
    mode: z.enum(["latency", "throughput", "training"]).openapi({ description: "The run's mode.", example: "throughput" }),
    batchSize: z.number().int().min(1).max(1_000_000).openapi({ description: "The run's batch size.", example: 64 }),
    flopsPerS: num("What that run achieved, FLOP/s: the ceiling.", 41e9),
  })
  .openapi("CeilingBestObserved", { description: "The run of the suite that achieved more than the matmul probe; its rate is the ceiling." });

const MatmulCeilingSchema = z
  .object({
    scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope of the ceiling.", example: "per-core" }),
    workers: z.number().int().openapi({ description: "Workers that ran the probe at once.", example: 1 }),
    precision: z.literal("float32").openapi({ description: "Precision of the probe.", example: "float32" }),
    flopsPerS: z.number().openapi({ description: "The ceiling: the larger of the matmul probe's best median rate (wall-clock) and the best rate a run of the same scope achieved (see basis).", example: 20e9 }),
    cpuFlopsPerS: z.number().openapi({ description: "The probe's rate on CPU time.", example: 20.5e9 }),
    bestN: z.number().int().openapi({ description: "Square size that reached the probe's rate.", example: 256 }),
    basis: z.enum(CEILING_BASES).openapi({
      description: "probe: the ceiling is the matmul probe's rate; best-observed: a run of the suite achieved more than the probe (other contention, or a shape the backend runs better), and its rate is the ceiling — so no run shows more than 100% of it. Ceilings stored before the basis was recorded are the probe's.",
      example: "probe",
    }),
    probedFlopsPerS: num("The matmul probe's rate (whole machine: summed over workers at the best size), whatever the basis.", 20e9),
    bestObserved: z.union([BestObservedSchema, z.null()]).openapi({ description: "The run that set a best-observed ceiling; null when the basis is the probe." }),
    measuredBy: z.string().nullable().openapi({
      description: "The job (or upload, or `npm run bench` suite) that measured this ceiling: a profile keeps, per scope, the highest ceiling any of its suites measured.",
      example: "bjob_8c1d2e3f4a5b6c7d8e9f0a1b",
    }),
  })
  .openapi("MatmulCeiling", { description: "The backend's float32 matmul ceiling (n×n × n×n products), with the basis it rests on." });

/** The WebGPU device probes (WebGpuProbes of @modelplan/bench), stored with the profile's ceilings. */
export const WebGpuProbesSchema = z
  .object({
    matmulKernel: str("The WGSL matmul kernel probed.", "WGSL tiled matmul: 64×64 output tile per 16×16 workgroup, 4×4 outputs per invocation, K step 16, fma accumulation in the probed precision", 400),
    copyKernel: str("The WGSL copy kernel probed.", "WGSL streaming copy dst[i] = src[i] over vec4<f32>, 256 invocations per workgroup", 400),
    matmul: z
      .array(
        z
          .object({
            precision: z.enum(["float32", "float16"]).openapi({ description: "Precision of the product (float16 only where the adapter has shader-f16).", example: "float16" }),
            n: z.number().int().min(1).max(65_536).openapi({ description: "Square size.", example: 1024 }),
            dispatchesPerStep: z.number().int().min(1).max(1_000_000).openapi({ description: "Products per timed step (the last one's completion ends the step).", example: 8 }),
            medianMs: num("Median step time, ms.", 2.1),
            flopsPerS: num("2·n³ × dispatches ÷ median step time.", 8.2e12),
            stable: z.boolean().openapi({ description: "The median's 95% confidence interval was within ±5%.", example: true }),
            pipelineCompileMs: num("createComputePipeline time (shader compilation), ms.", 12),
          })
          .openapi("WgslMatmulProbe"),
      )
      .max(64)
      .openapi({ description: "Every WGSL matmul probe." }),
    bestFloat32: z
      .object({ flopsPerS: num("Best float32 rate, FLOP/s.", 8.2e12), n: z.number().int().min(1).max(65_536).openapi({ description: "At this size.", example: 1024 }) })
      .optional()
      .openapi({ description: "Best float32 WGSL matmul." }),
    bestFloat16: z
      .object({ flopsPerS: num("Best float16 rate, FLOP/s.", 1.5e13), n: z.number().int().min(1).max(65_536).openapi({ description: "At this size.", example: 1024 }) })
      .optional()
      .openapi({ description: "Best float16 WGSL matmul (present where the adapter has shader-f16)." }),
    bandwidth: z
      .object({
        bytes: num("Bytes copied per dispatch.", 268_435_456),
        dispatchesPerStep: z.number().int().min(1).max(1_000_000).openapi({ description: "Copies per timed step.", example: 4 }),
        medianMs: num("Median step time, ms.", 0.4),
        bytesPerS: num("Bytes read + written per second.", 2.6e12),
        stable: z.boolean().openapi({ description: "Stable median.", example: true }),
      })
      .optional()
      .openapi({ description: "Streaming-copy bandwidth." }),
    notes: z.array(z.string().max(2000)).max(64).openapi({ description: "Probes that did not run, and why.", example: ["the adapter has no shader-f16 feature: no float16 probe"] }),
  })
  .openapi("WebGpuProbes", { description: "WebGPU backend only: what the device gives this package's own WGSL kernels (matmul in float32, float16 with shader-f16, and copy bandwidth), beside tfjs's matmul ceiling." });

const adapterText = (description: string, example: string) => z.string().max(400).openapi({ description, example });
/** The WebGPU adapter a profile ran on (GpuAdapterRecord of @modelplan/bench). */
export const GpuAdapterSchema = z
  .object({
    vendor: adapterText("GPUAdapterInfo.vendor.", "nvidia"),
    architecture: adapterText("GPUAdapterInfo.architecture.", "hopper"),
    device: adapterText("GPUAdapterInfo.device.", ""),
    description: adapterText("GPUAdapterInfo.description.", "NVIDIA H100 80GB HBM3"),
    isFallbackAdapter: z.boolean().openapi({ description: "The implementation marks it a fallback adapter.", example: false }),
    software: z.boolean().openapi({ description: "A CPU implementation of the GPU API (lavapipe, SwiftShader, WARP, fallback): never a GPU.", example: false }),
    softwareReason: adapterText("Why it was classified software.", "adapter architecture \"software\"").optional(),
    features: z.array(z.string().max(80)).max(128).openapi({ description: "GPUSupportedFeatures.", example: ["shader-f16", "timestamp-query"] }),
    shaderF16: z.boolean().openapi({ description: "shader-f16 is available (the float16 WGSL matmul probe runs).", example: true }),
    limits: z
      .object(Object.fromEntries(ADAPTER_LIMIT_NAMES.map((name) => [name, num(`GPUSupportedLimits.${name}.`, 65535, 0, 2 ** 53).optional()])))
      .openapi({ description: "Selected GPUSupportedLimits.", example: { maxBufferSize: 4294967296 } }),
    dawnPackageVersion: z.string().max(40).nullable().openapi({ description: "Version of the webgpu npm package (Dawn) that found it.", example: "0.6.2" }),
  })
  .openapi("GpuAdapter", { description: "The WebGPU adapter the backend ran on." });

const GpuMemorySchema = z
  .object({
    bytes: num("Memory of the GPU computed on.", 85520809984),
    source: adapterText("Where the figure comes from (WebGPU does not report it).", "nvidia-smi memory.total of NVIDIA H100 80GB HBM3 (81559 MiB)"),
  })
  .openapi("GpuMemory", { description: "The memory of the GPU the profile computes on, with its source." });

export const HardwareProfileSchema = z
  .object({
    id: z.string().openapi({ description: "Profile id.", example: "hwp_5e40c6399133dc9c0a1b" }),
    name: z.string().openapi({ description: "Readable name: device and backend.", example: "Intel(R) Xeon(R) Processor ×2 · wasm" }),
    kind: z.enum(["cpu", "gpu"]).openapi({
      description: "gpu: the backend computed on a GPU (tfjs-node-gpu on a CUDA device, WebGPU on a hardware adapter); cpu otherwise — the CPU profile of a GPU machine and software GPU emulation included.",
      example: "cpu",
    }),
    source: z.enum(["local", "upload"]).openapi({ description: "local: measured on this machine (the service's jobs, or `npm run bench` storing into the service's database); upload: posted by a remote `bench --server`.", example: "local" }),
    fingerprint: z.string().openapi({ description: "Hash of device, backend and versions; runs share a profile exactly when these agree.", example: "5e40c6399133dc9c" }),
    backend: z.string().openapi({ description: `TensorFlow.js backend that ran: ${BACKEND_CHOICES.join(", ")}.`, example: "wasm" }),
    device: z
      .object({
        cpuModel: z.string().openapi({ description: "CPU model.", example: "Intel(R) Xeon(R) Processor" }),
        logicalCores: z.number().int().openapi({ description: "Logical CPUs.", example: 2 }),
        memoryBytes: z.number().openapi({ description: "System memory.", example: 25275858944 }),
        gpus: z
          .array(
            z.object({
              name: z.string().openapi({ description: "GPU name (nvidia-smi).", example: "NVIDIA H100 80GB HBM3" }),
              memoryMiB: z.number().openapi({ description: "GPU memory (MiB).", example: 81559 }),
              driver: z.string().openapi({ description: "Driver version.", example: "550.54.15" }),
            }),
          )
          .openapi({ description: "GPUs of the machine that answered nvidia-smi (whatever backend ran)." }),
        gpuAdapter: GpuAdapterSchema.optional(),
        gpuMemory: GpuMemorySchema.optional(),
        emulation: z.string().optional().openapi({ description: "Present when the backend ran on a software adapter: this profile is the CPU emulating a GPU API, not a GPU.", example: "software GPU emulation (not a GPU)" }),
      })
      .openapi({ description: "The machine." }),
    versions: z.record(z.string(), z.string()).openapi({ description: "Versions of node, tfjs and the backend package.", example: { node: "20.20.2", "tfjs-core": "4.22.0" } }),
    ceilings: z
      .object({ perCore: MatmulCeilingSchema.optional(), wholeMachine: MatmulCeilingSchema.optional() })
      .nullable()
      .openapi({
        description:
          "Matmul ceilings per scope: the highest any suite stored on this profile measured (a later suite that measured less, or only per core, lowers nothing). The profile's peak in estimates is the whole-machine ceiling; the per-core one only where no suite measured the whole machine.",
      }),
    webgpuProbes: z.union([WebGpuProbesSchema, z.null()]).openapi({ description: "The WebGPU device probes of the suite with the highest float32 WGSL matmul rate (null for other backends, or profiles measured before they were kept)." }),
    bandwidthBytesPerS: z
      .number()
      .nullable()
      .openapi({ description: "Elementwise memory bandwidth through the backend: the highest whole-machine figure any suite measured (per core only where no suite measured the whole machine).", example: 8.8e9 }),
    sgemm: z
      .object({
        perCoreFlopsPerS: z.number().openapi({ description: "sgemm on 1 thread.", example: 115e9 }),
        wholeMachineFlopsPerS: z.number().openapi({ description: "sgemm on all threads.", example: 177e9 }),
        tool: z.string().openapi({ description: "What measured it.", example: "numpy 2.4.6 (scipy-openblas 0.3.31)" }),
        method: z.string().openapi({ description: "How.", example: "float32 2048x2048 @ 2048x2048, median of 5" }),
      })
      .nullable()
      .openapi({ description: "The machine's sgemm limit measured outside TensorFlow.js, the highest of the profile's suites (null when python3/numpy was absent)." }),
    measuredBy: z.string().nullable().openapi({ description: "Job (or upload) that measured the profile's peak: its whole-machine matmul ceiling (the per-core one where none was measured).", example: "bjob_8c1d2e3f4a5b6c7d8e9f0a1b" }),
    price: z.union([ProfilePriceSchema, z.null()]).openapi({ description: "What an hour of this machine costs (PUT /v1/hardware-profiles/{id}/price); null until priced. A priced profile has costs per request and per training run (GET …/costs) and joins plans as a deployment option." }),
    runCount: z.number().int().openapi({ description: "Stored runs.", example: 30 }),
    createdAt: z.string().openapi({ description: "First measured (ISO 8601).", example: "2026-11-22T06:30:00.000Z" }),
    updatedAt: z.string().openapi({ description: "Last measured (ISO 8601).", example: "2026-11-22T06:31:00.000Z" }),
    chosenAsLocal: z
      .string()
      .optional()
      .openapi({
        description: "Present when the profile was asked for as `local`: why `local` is this profile (the fastest profile measured on this service's machine that is not software emulation).",
        example: '"local" is hwp_5e40c6399133dc9c0a1b (Intel(R) Xeon(R) Processor ×2 · wasm): the only profile measured on this service\'s machine that is not software emulation (matmul ceiling 41.0 GFLOP/s float32)',
      }),
  })
  .openapi("HardwareProfile", { description: "A measured machine: device, backend and versions, with the highest ceilings its suites measured." });

export const ProfileIdParamSchema = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Hardware profile id, or `local` for the fastest profile this service measured on a real device of its own machine (software emulation never).", example: "hwp_5e40c6399133dc9c0a1b" }),
});

export const ProfileDeleteParamSchema = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, description: "Hardware profile id (`local` is not accepted here).", example: "hwp_5e40c6399133dc9c0a1b" }),
});

const ErrorSummarySchema = z
  .object({
    n: z.number().int().openapi({ description: "Runs predicted.", example: 18 }),
    medianAbsErrorPct: z.number().nullable().openapi({ description: "Median absolute prediction error (%).", example: 8.4 }),
    worstAbsErrorPct: z.number().nullable().openapi({ description: "Worst absolute prediction error (%).", example: 31.0 }),
  })
  .openapi("PredictionErrorSummary", { description: "Leave-one-out error of a set of runs." });

export const AccuracySchema = z
  .object({
    hardwareProfileId: z.string().openapi({ description: "Profile.", example: "hwp_5e40c6399133dc9c0a1b" }),
    method: z.string().openapi({ description: "How the error was computed.", example: "each run is predicted by the model fitted on the other runs …" }),
    describes: z.string().openapi({
      description: "What this accuracy describes (step-time prediction for the TensorFlow.js reference models on this profile, not an LLM estimate) and how the profile's measured efficiency enters an LLM estimate.",
      example: "This is the accuracy of step-time prediction for the TensorFlow.js reference models … on this profile …",
    }),
    timeBasis: z.enum([CALIBRATION_TIME_BASIS]).openapi({
      description:
        "The step time calibrated and predicted: wall-p10 = the 10th percentile of a run's wall-clock step times, the step's cost when nothing else on the machine delays it (a shared machine's slow stretches move the median by tens of percent between runs).",
      example: CALIBRATION_TIME_BASIS,
    }),
    targetMedianAbsErrorPct: z.number().openapi({ description: "The accuracy target.", example: 10 }),
    meetsTarget: z.boolean().nullable().openapi({ description: "Whether the overall median meets the target (null without enough runs).", example: true }),
    overall: ErrorSummarySchema,
    byFamily: z
      .array(ErrorSummarySchema.extend({ family: z.enum(MODEL_FAMILIES).openapi({ description: "Model family.", example: "gpt" }) }))
      .openapi({ description: "Per family." }),
    byScope: z
      .array(ErrorSummarySchema.extend({ scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope.", example: "per-core" }) }))
      .openapi({ description: "Per scope." }),
    entries: z
      .array(
        z.object({
          runId: z.string().openapi({ description: "Run predicted.", example: "brun_3f2a9c0d1e4b5a6c7d8e9f01" }),
          family: z.enum(MODEL_FAMILIES).openapi({ description: "Family.", example: "gpt" }),
          phase: PhaseSchema,
          scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope.", example: "per-core" }),
          measuredMs: z.number().openapi({ description: "Measured step time (ms).", example: 93.6 }),
          predictedMs: z.number().openapi({ description: "Predicted from the other runs (ms).", example: 88.1 }),
          errorPct: z.number().openapi({ description: "(predicted − measured) / measured, %.", example: -5.9 }),
        }),
      )
      .openapi({ description: "Every run's leave-one-out prediction." }),
  })
  .openapi("HardwareProfileAccuracy", { description: "How accurately the calibration predicts this profile's runs (leave-one-out)." });

// ---------------------------------------------------------------- prediction

/** A size configuration as sent by a client: field → integer or list of integers (validated by family). */
export const ConfigInSchema = z
  .record(z.string().max(32), z.union([z.number().min(-1e9).max(1e9), z.array(z.number().min(-1e9).max(1e9)).max(16)]))
  .refine((o) => Object.keys(o).length <= 8, { message: "at most 8 fields" })
  .openapi("BenchmarkModelConfigInput", {
    description: "Sizes of the family (field names as in BenchmarkItem's config); omitted fields take the defaults.",
    example: { seqLen: 128, dModel: 256, heads: 8, layers: 4 },
    maxProperties: 8,
  });


export const PredictRequestSchema = z
  .object({
    hardwareProfileId: z.string().min(1).max(64).openapi({ description: "Profile to predict on, or `local`.", example: "local" }),
    family: z.enum(MODEL_FAMILIES).openapi({ description: "Model family.", example: "gpt" }),
    config: ConfigInSchema.optional(),
    phase: PhaseSchema,
    batchSize: z.number().int().min(1).max(SUITE_LIMITS.batchSize.max).openapi({ description: "Samples per step.", example: 16 }),
    scope: z.enum(["per-core", "whole-machine"]).optional().openapi({ description: "Scope to predict. Default per-core when the profile has such runs.", example: "per-core" }),
  })
  .strict()
  .openapi("BenchmarkPredictRequest", { description: "A model configuration to predict on a measured profile, before anything runs." });

const BandSchema = z
  .object({
    low: z.number().openapi({ description: "Low end.", example: 80 }),
    expected: z.number().openapi({ description: "Expected value.", example: 95 }),
    high: z.number().openapi({ description: "High end.", example: 120 }),
  })
  .openapi("BenchmarkBand", { description: "low ≤ expected ≤ high: the 10th–90th percentile of leave-one-out measured/predicted ratios around the prediction." });

export const PredictionSchema = z
  .object({
    hardwareProfileId: z.string().openapi({ description: "Profile predicted on.", example: "hwp_5e40c6399133dc9c0a1b" }),
    family: z.enum(MODEL_FAMILIES).openapi({ description: "Family.", example: "gpt" }),
    config: ConfigOutSchema,
    phase: PhaseSchema,
    batchSize: z.number().int().openapi({ description: "Samples per step.", example: 16 }),
    scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope predicted.", example: "per-core" }),
    workers: z.number().int().openapi({ description: "Workers the throughput assumes.", example: 1 }),
    timeBasis: z.enum([CALIBRATION_TIME_BASIS]).openapi({ description: "What stepTimeMs means (see HardwareProfileAccuracy.timeBasis).", example: CALIBRATION_TIME_BASIS }),
    stepTimeMs: BandSchema,
    typicalStepTimeMs: z.number().nullable().openapi({
      description:
        "What a step typically takes on the machine as measured, delays by other programs included: the expected stepTimeMs × the median (median ÷ 10th percentile) of the profile's runs of this scope. Null when the runs carry no such figure.",
      example: 104.2,
    }),
    samplesPerS: BandSchema,
    tokensPerS: BandSchema.optional(),
    flopsPerStep: z.number().openapi({ description: "Exact contraction FLOPs per step.", example: 2.1e9 }),
    kernelsPerStep: z.number().int().openapi({ description: "Kernel launches per step.", example: 701 }),
    achievedFlopsPerS: z.number().openapi({ description: "FLOP/s implied by the expected step time.", example: 5e9 }),
    warnings: z.array(z.string()).openapi({
      description: "One line per dimension in which the configuration lies outside what the profile measured: there the prediction extrapolates and the leave-one-out accuracy does not vouch for it. Empty inside the measured ranges.",
      example: ["extrapolating: batchSize 256 is outside the measured range 8–16 of the profile's per-core gpt training runs"],
    }),
    extrapolation: z
      .array(
        z.object({
          dimension: z.string().openapi({ description: "batchSize, config.<field> (config.<array>.length for a list's length), flopsPerStep, family or phase.", example: "batchSize" }),
          value: z.number().nullable().openapi({ description: "The queried value (null for a family or phase without runs).", example: 256 }),
          measured: z
            .object({ min: z.number().openapi({ description: "Smallest measured.", example: 8 }), max: z.number().openapi({ description: "Largest measured.", example: 16 }) })
            .nullable()
            .openapi({ description: "The range the profile's runs cover (null when none does)." }),
          message: z.string().openapi({ description: "The warning.", example: "extrapolating: batchSize 256 is outside the measured range 8–16 of the profile's per-core gpt training runs" }),
        }),
      )
      .openapi({ description: "The extrapolated dimensions with the measured ranges." }),
    basis: z
      .object({
        runIds: z.array(z.string()).openapi({ description: "Runs the model was fitted on." }),
        familyHadRuns: z.boolean().openapi({ description: "Whether the profile has runs of this family and phase (otherwise borrowed rates).", example: true }),
        bandFrom: z.string().openapi({ description: "Where the band comes from.", example: "10th–90th percentile of leave-one-out measured/predicted ratios over 9 gpt runs" }),
        secondsPerKernel: z.number().openapi({ description: "Fitted dispatch cost per kernel launch (s).", example: 1.5e-5 }),
        contractionFlopsPerS: z.number().openapi({ description: "Fitted contraction rate used for this family and phase (FLOP/s).", example: 8e9 }),
        speed: z.string().openapi({
          description:
            "The machine speed the prediction is at: the typical session's (the median of the session speed factors) when the profile's runs come from several sessions (jobs or uploads) whose speeds were told apart, else the speed the runs were measured at.",
          example:
            "the typical session speed (speed factor 1, the median over 3 sessions); the sessions' steps took 0.73×–1.09× the typical time, a spread the band (leave-one-out at each run's session speed) leaves out",
        }),
        sessionSpeedFactors: z.record(z.string(), z.number()).openapi({
          description:
            "Speed factor per session (a job's id, or `upload <time>` for uploaded runs) with 4 or more runs of this scope: its runs took this × the step time the fit predicts at the typical speed (factor 1). Empty when fewer than 2 such sessions.",
          example: { bjob_8c1d2e3f4a5b6c7d8e9f0a1b: 1.09, "upload 2026-11-22T10:30:58.516Z": 1, bjob_0a1b8c1d2e3f4a5b6c7d8e9f: 0.73 },
        }),
      })
      .openapi({ description: "How the prediction was made." }),
  })
  .openapi("BenchmarkPrediction", { description: "Predicted step time and throughput with a band." });

// ---------------------------------------------------------------- uploads (bench --server)

export const UploadResponseSchema = z
  .object({
    hardwareProfileId: z.string().openapi({ description: "Profile the runs were stored against.", example: "hwp_5e40c6399133dc9c0a1b" }),
    runIds: z.array(z.string()).openapi({ description: "Stored run ids, in the order posted." }),
    stored: z.number().int().openapi({ description: "Runs stored.", example: 30 }),
  })
  .openapi("BenchmarkUploadResult", { description: "What the service stored." });


const StepTimeInSchema = z
  .object({
    medianMs: num("Median wall-clock step time (ms).", 4.2),
    p10Ms: num("10th percentile (ms).", 4.0),
    p90Ms: num("90th percentile (ms).", 5.1),
    ciLowMs: num("Lower end of the median's 95% CI (ms).", 4.1),
    ciHighMs: num("Upper end of the median's 95% CI (ms).", 4.3),
    n: num("Timed steps.", 40, 1, 1e9),
  })
  .openapi("BenchmarkStepTimeInput", { description: "Step-time statistics of a run." });

const UploadedRunSchema = z
  .object({
    family: z.enum(MODEL_FAMILIES).openapi({ description: "Model family.", example: "cnn" }),
    config: ConfigInSchema,
    phase: PhaseSchema,
    mode: z.enum(["latency", "throughput", "training"]).openapi({ description: "Run mode.", example: "training" }),
    batchSize: z.number().int().min(1).max(SUITE_LIMITS.batchSize.max).openapi({ description: "Samples per step.", example: 32 }),
    scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope.", example: "whole-machine" }),
    workers: z.number().int().min(1).max(4096).openapi({ description: "Workers that ran at once.", example: 1 }),
    status: z.enum(["ok", "failed"]).openapi({ description: "ok or failed.", example: "ok" }),
    error: str("Why it failed.", "out of memory", 2000).optional(),
    flopsPerStep: num("Exact FLOPs per step as the client computed them (checked).", 2.07e8).optional(),
    stepTime: StepTimeInSchema.optional(),
    cpuTime: z
      .object({ medianMs: num("Median CPU time (ms).", 4.1), p10Ms: num("10th percentile (ms).", 4.0), p90Ms: num("90th percentile (ms).", 4.6) })
      .optional()
      .openapi({ description: "CPU time per step." }),
    cpuShare: num("CPU time / wall time.", 0.99, 0, 1000).optional(),
    stable: z.boolean().optional().openapi({ description: "Whether the median's CI ended within ±5%.", example: true }),
    stopReason: z.enum(["stable", "budget", "max-samples", "window"]).optional().openapi({ description: "Why timing stopped.", example: "stable" }),
    samplesPerS: num("Samples per second.", 2666).optional(),
    fractionOfCeiling: num("Achieved / matmul ceiling.", 0.4, 0, 1000).optional(),
    fractionOfSgemm: num("Achieved / sgemm limit.", 0.1, 0, 1000).optional(),
    tracedFlopsPerStep: num("FLOPs of one profiled step.", 2.07e8).optional(),
    kernelsPerStep: num("Kernel launches per step.", 227, 0, 1e9).optional(),
    peakBytes: num("Peak tensor bytes of one step.", 3.4e6).optional(),
    warmup: z
      .object({
        firstStepMs: num("The first warm-up step alone (on a GPU backend: shader compilation included), ms.", 840),
        steps: z.number().int().min(0).max(1e9).openapi({ description: "Warm-up steps.", example: 4 }),
        totalMs: num("All warm-up steps, ms.", 900),
      })
      .optional()
      .openapi({ description: "The untimed warm-up of the first round." }),
  })
  .openapi("BenchmarkUploadedRun", { description: "A BenchRun of @modelplan/bench (other fields are ignored; analytic figures are recomputed)." });

const CeilingInSchema = z
  .object({
    scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope.", example: "whole-machine" }),
    workers: z.number().int().min(1).max(4096).openapi({ description: "Workers.", example: 1 }),
    precision: z.literal("float32").openapi({ description: "Precision.", example: "float32" }),
    flopsPerS: num("Matmul ceiling, wall-clock (FLOP/s).", 2e13),
    cpuFlopsPerS: num("The same on CPU time.", 2e13).optional(),
    bestN: z.number().int().min(1).max(65536).openapi({ description: "Square size that reached it.", example: 4096 }),
    basis: z.enum(CEILING_BASES).optional().openapi({ description: "probe, or best-observed (a run beat the probe and its rate is the ceiling). Default probe.", example: "probe" }),
    probedFlopsPerS: num("The matmul probe's rate (default: flopsPerS).", 2e13).optional(),
    bestObserved: BestObservedSchema.optional(),
  })
  .openapi("MatmulCeilingInput", { description: "A matmul ceiling (probes are not stored)." });

const BandwidthInSchema = z
  .object({
    scope: z.enum(["per-core", "whole-machine"]).openapi({ description: "Scope.", example: "whole-machine" }),
    workers: z.number().int().min(1).max(4096).openapi({ description: "Workers.", example: 1 }),
    elements: num("Vector elements.", 8388608, 1, 1e12),
    medianMs: num("Median step (ms).", 0.1),
    bytesPerS: num("Bytes per second.", 9e11),
    stable: z.boolean().openapi({ description: "Stable median.", example: true }),
  })
  .openapi("BandwidthProbeInput", { description: "A memory-bandwidth probe." });

export const UploadRequestSchema = z
  .object({
    suite: str("Suite name.", "quick", 32),
    status: z.enum(["completed", "cancelled"]).openapi({ description: "How the suite ended.", example: "completed" }),
    startedAt: str("Start (ISO 8601).", "2026-11-22T06:30:00.000Z", 40),
    finishedAt: str("End (ISO 8601).", "2026-11-22T06:31:00.000Z", 40),
    durationMs: num("Duration (ms).", 60000).optional(),
    loadAverage: z
      .object({ start: num("1-minute load average at the start.", 0.3, 0, 1e6), end: num("At the end.", 0.5, 0, 1e6) })
      .optional()
      .openapi({ description: "Load average of the measuring machine." }),
    workers: z.number().int().min(1).max(4096).optional().openapi({ description: "Worker processes used.", example: 16 }),
    fingerprint: z.string().length(16).regex(/^[0-9a-f]{16}$/).openapi({ description: "Profile fingerprint computed by the client (checked).", example: "5e40c6399133dc9c" }),
    device: z
      .object({
        kind: z.enum(["cpu", "gpu"]).openapi({ description: "cpu or gpu.", example: "gpu" }),
        cpuModel: str("CPU model.", "AMD EPYC 9654"),
        logicalCores: z.number().int().min(1).max(4096).openapi({ description: "Logical CPUs.", example: 16 }),
        memoryBytes: num("System memory.", 137438953472, 0, 1e15),
        platform: str("os.platform().", "linux", 40),
        arch: str("os.arch().", "x64", 40),
        gpus: z
          .array(
            z.object({
              name: str("GPU name.", "NVIDIA H100 80GB HBM3"),
              memoryMiB: num("GPU memory (MiB).", 81559, 0, 1e7),
              driver: str("Driver version.", "550.54.15", 60),
            }),
          )
          .max(64)
          .openapi({ description: "GPUs." }),
        gpuAdapter: GpuAdapterSchema.optional(),
        gpuMemory: GpuMemorySchema.optional(),
        emulation: str("Software GPU emulation label.", "software GPU emulation (not a GPU)", 80).optional(),
      })
      .openapi({ description: "The machine." }),
    backend: z
      .object({
        choice: z.enum(BACKEND_CHOICES).openapi({ description: "Backend that ran.", example: "node-gpu" }),
        tfBackend: str("tfjs backend name.", "tensorflow", 40).optional(),
        package: str("Backend package.", "@tensorflow/tfjs-node-gpu", 80).optional(),
        packageVersion: str("Its version.", "4.22.0", 40).nullable().optional(),
        threadsPerInstance: z.number().int().min(1).max(4096).nullable().openapi({ description: "1 for single-threaded backends, null when the backend manages threads.", example: null }),
        simd: z.boolean().nullable().optional().openapi({ description: "wasm SIMD.", example: null }),
        computeDevice: z.enum(COMPUTE_DEVICES).optional().openapi({ description: "Where the arithmetic ran (part of a WebGPU profile's fingerprint).", example: "gpu" }),
        emulation: str("Software GPU emulation label.", "software GPU emulation (not a GPU)", 80).optional(),
        asynchronous: z.boolean().optional().openapi({ description: "Kernels return before the device finishes; steps ended at read-back.", example: true }),
        adapter: GpuAdapterSchema.optional(),
        versions: z
          .record(z.string().max(80), z.string().max(80))
          .refine((o) => Object.keys(o).length <= 32, { message: "at most 32 entries" })
          .openapi({ description: "Versions involved (part of the fingerprint).", example: { node: "20.20.2", "tfjs-core": "4.22.0" }, maxProperties: 32 }),
      })
      .openapi({ description: "The backend (BackendInfo of @modelplan/bench; other fields are ignored)." }),
    ceilings: z
      .object({ perCore: CeilingInSchema.optional(), wholeMachine: CeilingInSchema.optional() })
      .openapi({ description: "Matmul ceilings (SuiteResult.ceilings)." }),
    bandwidth: z
      .object({ perCore: BandwidthInSchema.optional(), wholeMachine: BandwidthInSchema.optional() })
      .optional()
      .openapi({ description: "Bandwidth probes (SuiteResult.bandwidth)." }),
    sgemm: z
      .object({
        perCoreFlopsPerS: num("sgemm on 1 thread.", 1e11),
        wholeMachineFlopsPerS: num("sgemm on all threads.", 1.7e12),
        threads: z.number().int().min(1).max(4096).openapi({ description: "Threads.", example: 16 }),
        n: z.number().int().min(1).max(65536).openapi({ description: "Matrix size.", example: 2048 }),
        tool: str("What measured it.", "numpy 2.4.6 (scipy-openblas 0.3.31)"),
        method: str("How.", "float32 2048x2048 @ 2048x2048, median of 5", 400),
        measuredAt: str("When.", "2026-11-22T06:30:00.000Z", 40),
      })
      .nullable()
      .openapi({ description: "sgemm limit (SuiteResult.sgemm)." }),
    sgemmNote: str("Why sgemm is missing.", "python3 with numpy not found", 400).optional(),
    webgpuProbes: WebGpuProbesSchema.optional(),
    runs: z
      .array(UploadedRunSchema)
      .min(1)
      .max(DEFAULT_BENCHMARK_LIMITS.maxRunsPerUpload, { message: `at most ${DEFAULT_BENCHMARK_LIMITS.maxRunsPerUpload} runs per upload (maxRunsPerUpload); post more in several uploads` })
      .openapi({
        description: `The runs (BenchRun records): at most ${DEFAULT_BENCHMARK_LIMITS.maxRunsPerUpload} per upload, and a profile holds at most ${DEFAULT_BENCHMARK_LIMITS.maxRunsPerProfile} runs (docs/security.md).`,
      }),
  })
  .openapi("BenchmarkUpload", { description: "A suite result produced by `bench` on another machine (SuiteResult of @modelplan/bench)." });

/** One run of an upload, as its schema validated it. */
export type UploadedRun = z.infer<typeof UploadedRunSchema>;
