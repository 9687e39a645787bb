import { z } from "@hono/zod-openapi";
import { VALIDATION_KINDS } from "@modelplan/estimator";
import { BandSchema } from "../estimates/estimates.schemas";

const pctOrNull = (description: string, example: number | null) => z.number().nullable().openapi({ description, example });

export const ValidationFiguresSchema = z
  .object({
    n: z.number().int().openapi({ description: "Cases.", example: 59 }),
    medianAbsErrorPct: pctOrNull("Median of |predicted − published| / published, percent.", 26.2),
    medianErrorPct: pctOrNull("Median of (predicted − published) / published, percent: below 0, the estimates lean low (for GPU-hours: runs took longer than estimated).", -11.4),
    belowPublishedPct: pctOrNull("Share of all the cases whose expected figure is below the published one, percent.", 67.8),
    coveragePct: pctOrNull("Share of cases whose published figure lies inside the predicted band, percent.", 79.7),
    passPct: pctOrNull("Share of cases meeting the kind's per-case criterion, percent.", 79.7),
  })
  .openapi("ValidationFigures", { description: "Error and coverage over a set of cases." });

export const ValidationGroupSchema = z
  .object({
    key: z.string().openapi({ description: "The accelerator id (byHardware), or the engine or training library and version as the sources name them (byFramework).", example: "mi300x" }),
    ...ValidationFiguresSchema.shape,
  })
  .openapi("ValidationGroup", { description: "Error and coverage over the cases of one accelerator, or of one engine and version." });

export const ValidationKindSchema = z
  .object({
    kind: z.enum(VALIDATION_KINDS).openapi({ description: "What is compared: training GPU-hours, serving output tokens/s per GPU (at saturation, or at the batch the source ran), or batch-1 ms per output token.", example: "training-gpu-hours" }),
    // the figures over all the cases of this kind, as over its held-out and used-for-defaults ones below
    ...ValidationFiguresSchema.shape,
    target: z.string().openapi({ description: "The target this kind is held to (issue 12).", example: "median absolute error ≤ 10% and the band covers ≥ 90% of the runs" }),
    met: z.boolean().openapi({ description: "Whether the target is met on all cases.", example: false }),
    heldOut: ValidationFiguresSchema,
    usedForDefaults: ValidationFiguresSchema,
    byHardware: z.array(ValidationGroupSchema).openapi({ description: "The same figures per accelerator, most cases first: how the estimator has done on the hardware a user asks about (an estimate's trackRecord line quotes its accelerator's)." }),
    byFramework: z.array(ValidationGroupSchema).openapi({ description: "The same figures per serving engine, or per training library of fine-tuning benchmarks, and version, most cases first (cases that name none, such as pre-training runs, are left out): where the model fits the published engines and where it does not." }),
  })
  .openapi("ValidationKind", { description: "One kind of comparison: all its cases, then the held-out ones (heldOut) and those whose sources set a default (usedForDefaults) apart." });

export const ValidationCaseSchema = z
  .object({
    id: z.string().openapi({ description: "Case id (packages/estimator/validation).", example: "llama-2-7b-pretrain" }),
    kind: z.enum(VALIDATION_KINDS).openapi({ description: "What is compared.", example: "training-gpu-hours" }),
    model: z.string().openapi({ description: "Model name as the source gives it.", example: "Llama 2 7B" }),
    hardware: z.string().openapi({ description: "Accelerator id.", example: "a100-80gb" }),
    framework: z.string().nullable().openapi({ description: "The serving engine, or the training library of a fine-tuning benchmark, and its version as the sources name them; null where none is named (pre-training runs).", example: null }),
    gpus: z.number().nullable().openapi({ description: "GPUs of the run or replica (null when the source gives none).", example: null }),
    published: z.number().openapi({ description: "What the source reports, in `unit`.", example: 184320 }),
    predicted: z.union([BandSchema, z.null()]).openapi({ description: "The estimate with defaults only, in `unit` (null when the estimator refused the case)." }),
    unit: z.string().openapi({ description: "Unit of published and predicted: a throughput benchmark's is \"GPU-hours of training steps (steady state)\", its tokens at the estimate's `steadyState` rate.", example: "GPU-hours" }),
    errorPct: pctOrNull("(expected − published) / published, percent.", -24.8),
    bandCovers: z.boolean().openapi({ description: "Whether the band contains the published figure.", example: true }),
    passes: z.boolean().openapi({ description: "Whether the case meets its kind's per-case criterion.", example: true }),
    heldOut: z.boolean().openapi({ description: "False when a source of this case also set an estimator default.", example: true }),
    note: z.string().nullable().openapi({ description: "Warnings of the estimate, or why it was refused.", example: null }),
  })
  .openapi("ValidationCase");

export const TensorParallelCheckSchema = z
  .object({
    id: z.string().openapi({ description: "Check id.", example: "llama-3-70b-h100-20rps-default-tensor-parallel" }),
    description: z.string().openapi({ description: "What is checked.", example: "Llama-3-70B at 20 requests/s on H100 with default settings: GPUs within 1.5× of the cheapest gpusPerReplica" }),
    defaultGpus: z.number().openapi({ description: "GPUs with default settings.", example: 8 }),
    defaultGpusPerReplica: z.number().openapi({ description: "GPUs per replica the defaults chose.", example: 4 }),
    cheapestGpus: z.number().openapi({ description: "GPUs of the cheapest explicit gpusPerReplica.", example: 8 }),
    cheapestGpusPerReplica: z.number().openapi({ description: "That gpusPerReplica.", example: 4 }),
    ratio: z.number().openapi({ description: "defaultGpus / cheapestGpus.", example: 1 }),
    met: z.boolean().openapi({ description: "ratio ≤ 1.5.", example: true }),
  })
  .openapi("TensorParallelCheck");

export const ValidationReportSchema = z
  .object({
    catalogVersion: z.string().openapi({ description: "Catalog version the estimates used.", example: "2026-12-06.4" }),
    collected: z
      .object({
        training: z.string().openapi({ description: "When the training cases were collected.", example: "2026-12-06" }),
        serving: z.string().openapi({ description: "When the serving cases were collected.", example: "2026-12-06" }),
      })
      .openapi({ description: "When the published cases were collected." }),
    reproduce: z.string().openapi({ description: "The command that prints the same figures.", example: "npx tsx packages/estimator/validation/run.ts" }),
    kinds: z.array(ValidationKindSchema).openapi({ description: "Median error, coverage and target per kind, held-out cases apart." }),
    checks: z.array(TensorParallelCheckSchema).openapi({ description: "Derived checks of the issue-12 targets." }),
    cases: z.array(ValidationCaseSchema).openapi({ description: "Every published case, predicted with defaults only." }),
  })
  .openapi("ValidationReport", { description: "The estimator's live track record on published training runs, fine-tuning benchmarks and serving figures." });
