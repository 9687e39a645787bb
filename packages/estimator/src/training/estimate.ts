// Training / fine-tuning estimate: FLOPs, memory per GPU, GPU count, time (MFU × goodput), cost,
// energy, CO2. Works on a ResolvedTrainingInput (parse.ts): no input checks here.
import type { AssumptionLog } from "../assumptions";
import { combineBands, divideByBand, scaleBand } from "../band";
import { CATALOG_VERSION, getDefaults } from "../catalog";
import { EstimatorInputError } from "../errors";
import { hardwareSummary, logBand } from "../hardware";
import { assertFiniteFigures } from "../finite";
import { modelSummary } from "../model/resolve";
import { ffnBiasParams, ffnWeightParams } from "../model/transformer";
import { bytesPerValue } from "../precision";
import { costByProvider } from "../pricing";
import type { ActivationRecomputation, Band, SourcedBand, TrainingEstimate, TrainingInput, ZeroStage } from "../types";
import { memoText } from "../texts";
import { HOURS_PER_DAY, SECONDS_PER_HOUR } from "../units";
import { chooseLayout, raisedTensorParallels, tensorParallelRaisable } from "./layout";
import { fitSuggestion, heldActivationBytes, memoryAt, modelStates, splitMemory, type ActivationContext } from "./memory";
import { MAX_TRAINING_GPUS, parseTrainingInput, type ResolvedTrainingInput } from "./parse";
import { communicationFactor, dataParallelTraffic, gradientSyncTraffic, type DataParallelTraffic, type ExpertParallelRun } from "./communication";
import { bubbleAt, logCommunication, onGpus, pipelineBubble, pipelineBubbleWarning, tokenCount, type FitsAt } from "./overheads";
import { expectedUtilisation, goodputLimits, trainingGoodput, trainingMfu, type MfuEstimate } from "./throughput";
import { fastEndRecomputation, recomputationMfuFactor, trainingFlops } from "./flops";

interface Throughput {
  mfu: SourcedBand;
  /** the band's fast end runs at a lighter recomputation (fastEndRecomputation) and that is faster than the default's */
  fastEndFaster: boolean;
  /** the MFU of the training steps alone: no real-run factor, the communication at that rate (see steadyMfu) */
  steady: Band;
  /** the MFU multiplier of the data-parallel communication (1: compute hides it, or none to count) */
  communicationFactor: number;
  traffic: DataParallelTraffic | null;
  goodput: SourcedBand;
  frameworkMfu: number | null;
  realRunFactor: number;
  gpuScaleFactor: number;
  interruptionsPerDay: number;
}

/** What sets the rate of a band's end beyond the MFU model: its recomputation, its pipeline bubble and its data-parallel traffic. */
interface Regime {
  recomputeFactor: number;
  bubble: number;
  traffic: DataParallelTraffic | null;
}

/** The MFU multiplier of a regime where the MFU model (at its own recomputation) gives `mfu`: the traffic's share is worked out at that rate. */
const regimeFactor = (g: Regime, mfu: number) => g.recomputeFactor * g.bubble * communicationFactor(g.traffic, mfu * g.recomputeFactor);

/** What the utilisation at a GPU count depends on beyond the published models. */
interface RateContext {
  recomputeFactor: number;
  /** the share of an optimizer step the pipeline stages compute at a GPU count (1: no pipeline parallelism) */
  bubbleAt: (gpus: number) => number;
  /** the run's data-parallel traffic at a GPU count (null: none to count) */
  trafficAt: (gpus: number) => DataParallelTraffic | null;
  /** one gradient synchronisation of ZeRO stages 0–2 at a GPU count (for a ZeRO-3 warning's stage-1 option) */
  gradientSyncAt: (gpus: number) => DataParallelTraffic | null;
}

/**
 * MFU and goodput at a GPU count: the published models (MFU × `recomputeFactor` × the pipeline bubble × the communication
 * factor), or the request's (or measured profile's) overrides, taken as they are — a measured or given
 * utilisation already includes its run's communication.
 */
function throughputAt(r: ResolvedTrainingInput, gpus: number, rates: RateContext, fastRegimeAt: ((gpus: number) => Regime) | null = null): Throughput {
  const mfu = trainingMfu(r.acc.id, r.precision, r.model.activeParameters, gpus, r.workload);
  const goodput = trainingGoodput(gpus);
  const traffic = r.utilisationOverride ? null : rates.trafficAt(gpus);
  const communication = communicationFactor(traffic, mfu.band.expected * rates.recomputeFactor);
  const main: Regime = { recomputeFactor: rates.recomputeFactor, bubble: rates.bubbleAt(gpus), traffic };
  const factor = main.recomputeFactor * main.bubble * communication;
  // the fast end at its own recomputation, bubble and traffic; where its communication binds harder (at a smaller
  // micro-batch ZeRO-3 gathers the weights more often per token), it stays the default's
  const fast = fastRegimeAt?.(gpus) ?? null;
  const fastFactor = fast ? Math.max(factor, regimeFactor(fast, mfu.band.expected)) : factor;
  return {
    fastEndFaster: fastFactor > factor * (1 + 1e-9),
    mfu:
      r.utilisationOverride ??
      (factor === 1 && fastFactor === 1 ? mfu.band : { low: mfu.band.low * factor, expected: mfu.band.expected * factor, high: mfu.band.high * fastFactor, source: mfu.band.source }),
    steady: r.utilisationOverride ? bandOf(r.utilisationOverride) : steadyMfu(mfu, main, fast, factor, fastFactor),
    communicationFactor: communication,
    traffic,
    goodput: r.goodputOverride ?? goodput.band,
    frameworkMfu: r.utilisationOverride ? null : mfu.frameworkMfu,
    realRunFactor: r.utilisationOverride ? 1 : mfu.realRunFactor,
    gpuScaleFactor: r.utilisationOverride ? 1 : mfu.gpuScaleFactor,
    interruptionsPerDay: goodput.interruptionsPerDay,
  };
}

/** GPU-hours band: model FLOPs / (peak × MFU × goodput); the low hours come from the high efficiencies. */
function gpuHoursBand(modelFlops: number, peak: number, t: Throughput): Band {
  const effective = combineBands(t.mfu, t.goodput, (a, b) => a * b);
  return scaleBand(divideByBand(modelFlops / peak, effective), 1 / SECONDS_PER_HOUR);
}

const bandOf = (b: Band): Band => ({ low: b.low, expected: b.expected, high: b.high });

/**
 * The MFU of the training steps alone (what a throughput benchmark measures): the published model without
 * the real-run factor (trainingMfu's `steps` band, capped at the MAMF as a whole run's is) × recomputation and pipeline bubble, and ×
 * the data-parallel communication recomputed at that faster compute (more of the traffic shows); at each
 * end no lower than the whole run's band (`wholeRunFactor`: the factors that give it), as the steps are
 * never slower than the run. The fast end runs in its own regime (`fast`, see fastEndRecomputation).
 */
function steadyMfu(mfu: MfuEstimate, main: Regime, fast: Regime | null, wholeRunFactor: number, wholeRunFastFactor: number): Band {
  const b = mfu.band;
  const factor = regimeFactor(main, mfu.steps.expected);
  const fastFactor = fast ? Math.max(factor, regimeFactor(fast, mfu.steps.expected)) : factor;
  // the communication is worked out at the expected MFU: at an end of the band the steps are never slower than the whole run's
  return {
    low: Math.max(mfu.steps.low * factor, b.low * wholeRunFactor),
    expected: Math.max(mfu.steps.expected * factor, b.expected * wholeRunFactor),
    high: Math.max(mfu.steps.high * fastFactor, b.high * wholeRunFastFactor),
  };
}

/** The training steps alone: their MFU (steadyMfu, or a given or measured utilisation as it is) and the tokens (or samples) per second per GPU it gives. */
function steadyState(t: Throughput, r: ResolvedTrainingInput, modelFlopsPerUnit: number): TrainingEstimate["steadyState"] {
  return { utilisation: t.steady, tokensOrSamplesPerSecPerGpu: scaleBand(t.steady, r.peak.value / modelFlopsPerUnit) };
}

/** A figure above `limit` with enough digits to show it is above it. */
const beyond = (value: number, limit: number) => {
  let digits = 3;
  while (digits < 12 && Number(value.toPrecision(digits)) <= limit) digits++;
  return value.toPrecision(digits);
};

function roundUpToMultiple(n: number, k: number): number {
  return Math.ceil(n / k) * k;
}

/** Expected effective utilisation (MFU × goodput) at a GPU count, without building sources. */
function effectiveAt(r: ResolvedTrainingInput, gpus: number, rates: RateContext): number {
  const mfu = r.utilisationOverride?.expected;
  const goodput = r.goodputOverride?.expected;
  if (mfu !== undefined && goodput !== undefined) return mfu * goodput;
  if (mfu === undefined && goodput === undefined) {
    const e = expectedUtilisation(r.acc.id, r.precision, r.model.activeParameters, gpus, r.workload);
    const m = e.mfu * rates.recomputeFactor;
    return m * communicationFactor(rates.trafficAt(gpus), m) * rates.bubbleAt(gpus) * e.goodput;
  }
  const t = throughputAt(r, gpus, rates);
  return t.mfu.expected * t.goodput.expected;
}

/** The GPUs a deadline needs; where no count meets it (the run slows down past some count), the fastest found. */
interface DeadlineGpus {
  gpus: number;
  fastest: { gpus: number; days: number } | null;
}

/**
 * Fewest GPUs (a multiple of the model-parallel size, at least `floor`) that finish within `days`. MFU and
 * goodput depend on the count, so iterate to a fixed point; where that has not settled (the rate keeps
 * falling as GPUs are added: the GPU-count law, communication that crosses nodes, interruptions that
 * grow with the count), step up by doubling until the deadline is met and bisect back. Where doubling
 * the GPUs makes the run slower, no count meets the deadline: the fastest count found is returned.
 */
function gpusForDeadline(r: ResolvedTrainingInput, modelFlops: number, days: number, floor: number, modelParallel: number, rates: RateContext): DeadlineGpus {
  const hoursAt = (gpus: number) => modelFlops / (r.peak.value * effectiveAt(r, gpus, rates)) / SECONDS_PER_HOUR;
  const daysAt = (gpus: number) => hoursAt(gpus) / (gpus * HOURS_PER_DAY);
  const usable = r.goodputOverride ? Infinity : goodputLimits().floored;
  let gpus = floor;
  for (let i = 0; i < 30; i++) {
    const needed = Math.max(floor, roundUpToMultiple(Math.ceil(hoursAt(gpus) / (days * HOURS_PER_DAY)), modelParallel));
    if (needed <= gpus) return { gpus, fastest: null };
    if (needed > Math.min(MAX_TRAINING_GPUS, usable)) break;
    gpus = needed;
  }
  // not settled, or past the counts the goodput model describes: search them. Days against GPUs fall, then
  // rise (interruptions grow with the count), up to where the goodput floor applies
  const top = Math.floor(Math.min(MAX_TRAINING_GPUS, r.goodputOverride ? Infinity : goodputLimits().floored) / modelParallel) * modelParallel;
  if (top < floor) return { gpus: Infinity, fastest: { gpus: floor, days: daysAt(floor) } };
  const best = lowestDays(daysAt, floor, top, modelParallel);
  if (daysAt(best) > days) {
    // limited by the largest count the service takes, not by the run slowing down: say how many it would need
    if (best === top && top < (r.goodputOverride ? Infinity : goodputLimits().floored) - modelParallel) {
      return { gpus: Math.max(top + modelParallel, roundUpToMultiple(Math.ceil(hoursAt(top) / (days * HOURS_PER_DAY)), modelParallel)), fastest: null };
    }
    return { gpus: Infinity, fastest: { gpus: best, days: daysAt(best) } };
  }
  // days fall from floor to best: the fewest GPUs between them that meet the deadline
  let lo = floor, hi = best;
  while (hi - lo > modelParallel) {
    const mid = roundUpToMultiple(Math.floor((lo + hi) / 2), modelParallel);
    if (mid >= hi || mid <= lo) break;
    if (daysAt(mid) <= days) hi = mid;
    else lo = mid;
  }
  return { gpus: daysAt(lo) <= days ? lo : hi, fastest: null };
}

/** The GPU count (a multiple of `step`) with the fewest days between `from` and `to`, where days fall and then rise: ternary search. */
function lowestDays(daysAt: (gpus: number) => number, from: number, to: number, step: number): number {
  let a = from / step, b = to / step;
  while (b - a > 2) {
    const m1 = a + Math.floor((b - a) / 3), m2 = b - Math.floor((b - a) / 3);
    if (daysAt(m1 * step) < daysAt(m2 * step)) b = m2;
    else a = m1;
  }
  let best = a;
  for (let u = a + 1; u <= b; u++) if (daysAt(u * step) < daysAt(best * step)) best = u;
  return best * step;
}

/**
 * A mixture of experts pre-trained as its stacks run one: with expert parallelism (Megatron-LM, GShard), so the
 * routed experts are not gathered with the dense weights but stay whole on the GPUs of an expert-parallel group,
 * and the tokens cross it by all-to-all (communication.ts). The bytes here are one sequence's at tensor and
 * pipeline parallelism 1, scaled to the micro-batch and layout by the caller. Null for a dense model and for a
 * fine-tune: FSDP, which fine-tuning stacks (TRL, Accelerate) run, gathers every expert with the rest.
 */
function expertParallelism(r: ResolvedTrainingInput, model: ResolvedTrainingInput["model"], sequenceLength: number | null, bytesPerActivation: number, log: AssumptionLog): ExpertParallelRun | null {
  if (r.method !== "pre-train" || model.family !== "decoder" || model.shape.moe === null || sequenceLength === null) return null;
  const { experts, activeExperts } = model.shape.moe;
  const stateShare = (model.layers * experts * (ffnWeightParams(model.shape) + ffnBiasParams(model.shape))) / model.parameters;
  // dispatch and combine, forward and backward: 4 all-to-alls of each token's hidden state to its top-k experts, per layer
  const allToAllBytesPerMicroStep = 4 * sequenceLength * activeExperts * model.shape.hidden * bytesPerActivation * model.layers;
  log.add(
    "expert parallelism",
    `routed experts (${(stateShare * 100).toFixed(0)}% of the parameters) kept whole on an expert-parallel group of the largest divisor of ${experts} experts that divides the data-parallel degree; tokens exchanged by all-to-all`,
    "rule",
    "pre-training stacks run MoE models with expert parallelism (Lepikhin et al. 2020, GShard §3.2; Megatron-LM --expert-model-parallel-size; DeepSeek-V2 §3.4.1): the experts are synchronised only among the GPUs holding the same ones, and each micro-step sends every token's hidden state to its top-k experts and back, forward and backward",
  );
  return { experts, stateShare, allToAllBytesPerMicroStep };
}

export function computeTraining(r: ResolvedTrainingInput): TrainingEstimate {
  const { model, acc, log, data } = r;
  const warnings = [...r.warnings];
  const d = getDefaults();

  log.add("utilisation applies to", "model FLOPs (forward + backward, no recomputation)", "rule", "MFU as defined by PaLM (Chowdhery et al. 2022) and used by llm-foundry, Megatron-LM, MegaScale and Llama 3: recomputation is part of the overhead the published figures include");

  // memory and layout: the request's, or the smallest change that fits (layout.ts)
  const bytesPerActivation = bytesPerValue(r.precision === "fp8" ? "bf16" : r.precision);
  if (model.mode === "tokens" || model.family === "encoder") {
    log.add("activation memory model", "Korthikanti et al. 2022 eq. 1, generalised to the FFN width", "formula", "Korthikanti, Casper et al. 2022, 'Reducing Activation Recomputation in Large Transformer Models'");
  }
  const states = modelStates(model, r.trainableParameters, r.method, r.precision, r.optimizer, log);
  const available = acc.memoryBytes.value * r.usableMemoryFraction;
  // steps that follow from a global batch are not known before the GPU count: the layout takes a full
  // pipeline in flight (the most a stage holds), and memory is taken again at the answer's steps below
  const layoutSteps = r.globalBatchTokens === null ? r.gradientAccumulationSteps : r.pipelineParallel;
  const activations: ActivationContext = { model, sequenceLength: data.sequenceLength, bytesPerActivation, pipelineParallel: r.pipelineParallel, gradientAccumulationSteps: layoutSteps };
  // explicit fields, not a spread followed by more: V8 builds such an object on its slow path (see docs/estimates.md)
  const layout = chooseLayout({
    model, sequenceLength: data.sequenceLength, bytesPerActivation, pipelineParallel: r.pipelineParallel, gradientAccumulationSteps: layoutSteps,
    method: r.method, acc, microBatch: r.microBatch, states, zeroStage: r.zeroStage,
    tensorParallel: r.tensorParallel, recompute: r.recompute, layoutGiven: r.layoutGiven,
    recomputeGiven: r.recomputeGiven, gpus: r.gpus, availableBytes: available, log,
  });
  const { tensorParallel, recompute } = layout;
  const dpToFit = layout.dataParallelToFit;

  // FLOPs: MFU counts model FLOPs (recomputation is inside the published utilisation figures)
  const flops = trainingFlops(model, data, r.method, recompute);
  const totalModelFlops = flops.modelPerUnit * data.units;
  const totalHardwareFlops = flops.hardwarePerUnit * data.units;
  const recomputeFactor = recomputationMfuFactor(r, recompute, flops);

  const modelParallel = tensorParallel * r.pipelineParallel;
  const unitsPerMicroStep = r.microBatch * (model.mode === "tokens" ? (data.sequenceLength ?? 1) : 1);
  // micro-steps per optimizer step at a GPU count: given (or the stack's default), or a pre-training's global batch ÷ (data-parallel GPUs × micro-batch tokens)
  const stepsAt = (g: number) => (r.globalBatchTokens === null ? r.gradientAccumulationSteps : Math.max(1, Math.round(r.globalBatchTokens / ((g / modelParallel) * unitsPerMicroStep))));
  // the band's fast end may run a micro-batch that divides the request's, at a higher tensor parallelism: as many
  // more micro-steps carry the same tokens per optimizer step
  const stepsOf = (g: number, microBatch: number, tp: number) => (stepsAt(g) * r.microBatch * tp) / (microBatch * tensorParallel);
  const experts = expertParallelism(r, model, data.sequenceLength, bytesPerActivation, log);
  const runAt = (g: number, microBatch = r.microBatch, tp = tensorParallel, hardwarePerUnit = flops.hardwarePerUnit) => ({
    acc, states, zeroStage: r.zeroStage, gpus: g, tensorParallel: tp, pipelineParallel: r.pipelineParallel, gradientAccumulationSteps: stepsOf(g, microBatch, tp),
    modelFlopsPerMicroStepPerGpu: (flops.modelPerUnit * unitsPerMicroStep * microBatch) / (r.microBatch * tp * r.pipelineParallel),
    // the backward pass runs all but the forward's hardware FLOPs (what it recomputes included)
    backwardShare: (hardwarePerUnit - flops.forwardPerUnit) / hardwarePerUnit,
    peakFlopsPerS: r.peak.value,
    experts: experts && { ...experts, allToAllBytesPerMicroStep: (experts.allToAllBytesPerMicroStep * microBatch) / (tp * r.pipelineParallel) },
  });
  const rates: RateContext = { recomputeFactor, bubbleAt: (g) => (r.utilisationOverride ? 1 : bubbleAt(r.pipelineParallel, stepsAt(g))), trafficAt: (g) => dataParallelTraffic(runAt(g)), gradientSyncAt: (g) => gradientSyncTraffic(runAt(g)) };
  const fewestGpusToFit = dpToFit === null ? null : dpToFit * modelParallel;

  let gpus: number;
  let gpusChosenBy: TrainingEstimate["gpusChosenBy"];
  if (r.gpus !== undefined) {
    gpus = r.gpus;
    gpusChosenBy = "requested";
  } else {
    // where no data-parallel degree holds the run at its layout, one model-parallel group (fits: false)
    const fit = fewestGpusToFit ?? modelParallel;
    gpus = fit;
    gpusChosenBy = fewestGpusToFit === null ? "none-fits" : "fewest-that-fit";
    if (r.deadlineDays !== undefined) {
      const { gpus: needed, fastest } = gpusForDeadline(r, totalModelFlops, r.deadlineDays, fit, modelParallel, rates);
      if (fastest) {
        throw new EstimatorInputError(
          ["deadlineDays"],
          `no GPU count finishes in ${r.deadlineDays} day${r.deadlineDays === 1 ? "" : "s"}: past about ${fastest.gpus.toLocaleString("en-US")} ${acc.id} the run slows down as GPUs are added (interruptions and communication grow with the count), and the fastest is about ${beyond(fastest.days, r.deadlineDays)} days; allow more time`,
        );
      }
      if (needed > MAX_TRAINING_GPUS) {
        throw new EstimatorInputError(["deadlineDays"], `finishing in ${r.deadlineDays} day${r.deadlineDays === 1 ? "" : "s"} needs ${needed.toExponential(2)} GPUs, beyond ${MAX_TRAINING_GPUS.toLocaleString("en-US")}; allow more time`);
      }
      if (needed > fit) {
        gpus = needed;
        gpusChosenBy = "deadline";
      }
    }
  }

  // the answer's micro-steps per optimizer step, and what depends on them
  const dataParallel = gpus / modelParallel;
  const steps = stepsAt(gpus);
  if (r.globalBatchTokens !== null) {
    const g = d.training.pretrainGlobalBatchTokens;
    const perMicroStep = dataParallel * unitsPerMicroStep;
    log.add(
      "gradient-accumulation steps per optimizer step",
      steps,
      "micro-steps",
      memoText(
        g,
        `${dataParallel}|${unitsPerMicroStep}`,
        () => `a pre-training's global batch of ${tokenCount(g.value)} tokens (${g.source}) ÷ (${dataParallel} data-parallel GPUs × ${unitsPerMicroStep} tokens per micro-step), at least 1; give gradientAccumulationSteps to set your run's`,
      ),
    );
    const largest = d.training.largestPublishedGlobalBatchTokens;
    if (perMicroStep > largest.value) {
      warnings.push(
        `one micro-step on ${dataParallel.toLocaleString("en-US")} data-parallel GPUs already takes ${tokenCount(perMicroStep)} tokens, more than the ${tokenCount(largest.value)}-token global batch of the largest published run (${largest.source}): ` +
          `each optimizer step is that large; fewer data-parallel GPUs (more tensorParallel or pipelineParallel, or fewer gpus)${r.microBatch > 1 ? " or a smaller microBatchSize" : ""} would keep it within published batches`,
      );
    }
  }
  const bubbleFactor = pipelineBubble(r, steps);
  if (r.pipelineParallel > steps) {
    log.add(
      "micro-batches in flight per pipeline stage",
      steps,
      "micro-batches",
      `a 1F1B pipeline's first stage holds the activations of its 1/p of the layers for up to p micro-batches, as much as one micro-batch through the whole model (Korthikanti et al. 2022 §4.2.3); with ${steps} per optimizer step and ${r.pipelineParallel} stages, ${steps}/${r.pipelineParallel} of that`,
    );
  }
  const inFlightAsLaidOut = Math.min(steps, r.pipelineParallel) === Math.min(layoutSteps, r.pipelineParallel);
  const split = inFlightAsLaidOut ? layout.split : splitMemory(states, heldActivationBytes(activations, r.microBatch, recompute, tensorParallel, steps), r.zeroStage, modelParallel);

  const fitsWith = (microBatch: number, zeroStage: ZeroStage, gradientAccumulationSteps: number, mode: ActivationRecomputation, tp = tensorParallel) => {
    const at = splitMemory(states, heldActivationBytes(activations, microBatch, mode, tp, gradientAccumulationSteps), zeroStage, tp * r.pipelineParallel);
    return at.fixed + at.sharded / (gpus / (tp * r.pipelineParallel)) <= available;
  };
  const fitsAt: FitsAt = (microBatch, zeroStage, gradientAccumulationSteps) => fitsWith(microBatch, zeroStage, gradientAccumulationSteps, recompute);
  const fastTensorParallels = [tensorParallel, ...(tensorParallelRaisable(model, acc, r.layoutGiven) ? raisedTensorParallels(model, gpus / r.pipelineParallel).filter((tp) => tp > tensorParallel) : [])];
  // a run that does not fit as laid out has no faster variant to describe
  const fast = fitsAt(r.microBatch, r.zeroStage, steps) ? fastEndRecomputation(r, recompute, flops, fastTensorParallels, (microBatch, tp, mode) => fitsWith(microBatch, r.zeroStage, stepsOf(gpus, microBatch, tp), mode, tp)) : null;
  // the fast end's own bubble and traffic at a GPU count: its micro-steps, degree and backward pass
  const fastRegimeAt = fast && ((g: number): Regime => ({
    recomputeFactor: fast.recomputeFactor,
    bubble: r.utilisationOverride ? 1 : bubbleAt(r.pipelineParallel, stepsOf(g, fast.microBatch, fast.tensorParallel)),
    traffic: dataParallelTraffic(runAt(g, fast.microBatch, fast.tensorParallel, fast.hardwarePerUnit)),
  }));
  // time: model FLOPs / (peak × MFU × goodput)
  const t = throughputAt(r, gpus, rates, fastRegimeAt);
  if (fast && t.fastEndFaster) log.add(fast.name, fast.recomputeFactor, "ratio", fast.source);
  const on = onGpus(r.gpus, gpus, model.mode === "tokens" ? dataParallel * unitsPerMicroStep : null);
  const bubbleWarning = pipelineBubbleWarning(r, steps, bubbleFactor, on, fitsAt);
  if (bubbleWarning) warnings.push(bubbleWarning);
  const communicationWarning = logCommunication(r, steps, t, bubbleFactor, rates.gradientSyncAt(gpus), on, fitsAt);
  if (communicationWarning) warnings.push(communicationWarning);
  const limits = goodputLimits();
  if (!r.goodputOverride && gpus > limits.fastest) {
    const g = d.training.goodput;
    warnings.push(
      `at ${gpus.toLocaleString("en-US")} GPUs a job interruption comes every ${Math.round((g.gpuHoursPerInterruption.value / gpus) * 60)} minutes (one per ${g.gpuHoursPerInterruption.value.toLocaleString("en-US")} GPU-hours) against the ${Math.round(g.lostHoursPerInterruption.expected * 60)} minutes each one costs: ` +
        `past about ${Math.round(limits.fastest).toLocaleString("en-US")} GPUs more GPUs make the run slower (goodput ${t.goodput.expected.toFixed(2)}${t.goodput.expected <= limits.floor ? `, the model's floor` : ""})`,
    );
  }
  logBand(log, "compute utilisation (MFU)", t.mfu);
  logBand(log, "goodput (share of wall-clock time that advances training)", t.goodput, "fraction of wall-clock time");
  const gpuHours = gpuHoursBand(totalModelFlops, r.peak.value, t);
  if (!r.utilisationOverride && (model.family === "mlp" || model.family === "lstm" || model.family === "embedding-classifier")) {
    warnings.push(
      `no published training utilisation for ${model.family} networks: the MFU band is one for transformer training, likely far above what a ${(model.parameters / 1e6).toPrecision(3)}M-parameter ${model.family} reaches on ${acc.id}; measure it (POST /v1/benchmarks) and give the hardware profile id as hardware, whose measured efficiency replaces this band`,
    );
  }
  const effectiveUtilisation = combineBands(t.mfu, t.goodput, (a, b) => a * b);

  const memoryPerGpuGb = memoryAt(split, dataParallel, acc, r.usableMemoryFraction);
  const fits = memoryPerGpuGb.total <= memoryPerGpuGb.usableCapacity;
  if (!fits) {
    const suggestion = fitSuggestion({
      model, sequenceLength: data.sequenceLength, bytesPerActivation, pipelineParallel: r.pipelineParallel, gradientAccumulationSteps: steps,
      microBatch: r.microBatch, recompute, states, zeroStage: r.zeroStage, tensorParallel, availableBytes: available, gpus, fewestAsAsked: fewestGpusToFit,
    });
    warnings.push(
      fewestGpusToFit === null
        ? `does not fit on ${acc.id} at any data-parallel degree with ZeRO stage ${r.zeroStage}, tensorParallel ${tensorParallel}, pipelineParallel ${r.pipelineParallel}. ${suggestion}`
        : `does not fit on ${gpus} × ${acc.id}; the fewest that fit as asked are ${fewestGpusToFit}.${suggestion ? ` ${suggestion}` : ""}`,
    );
  }

  const wallClockDays = scaleBand(gpuHours, 1 / (gpus * HOURS_PER_DAY));
  const deadlineMet = r.deadlineDays === undefined ? null : wallClockDays.expected <= r.deadlineDays;
  const maxDays = d.maxRunDaysWarning;
  if (wallClockDays.expected > maxDays.value) {
    const floor = Math.max(gpus, fewestGpusToFit ?? modelParallel);
    const for90 = gpusForDeadline(r, totalModelFlops, 90, floor, modelParallel, rates).gpus;
    warnings.push(
      `the run takes about ${Math.round(wallClockDays.expected).toLocaleString("en-US")} days (${(wallClockDays.expected / 365).toFixed(1)} years) on ${gpus} GPU${gpus === 1 ? "" : "s"}, longer than ${maxDays.value} days: ` +
        (for90 <= MAX_TRAINING_GPUS ? `about ${for90.toLocaleString("en-US")} ${acc.id} would finish in 90 days (${ninetyDayHint(r, for90)})` : "no practical GPU count finishes it in 90 days"),
    );
  }

  // money, energy
  const pricing = r.pricing;
  const costUsd = pricing ? scaleBand(gpuHours, pricing.onDemandUsdPerGpuHour) : null;
  const spotCostUsd = pricing?.spotUsdPerGpuHour ? scaleBand(gpuHours, pricing.spotUsdPerGpuHour) : null;
  const { energyKwh, co2Kg } = energyAndCo2(gpuHours, r, warnings);

  return assertFiniteFigures<TrainingEstimate>({
    kind: "training",
    catalogVersion: CATALOG_VERSION,
    model: modelSummary(model, r.trainableParameters),
    method: r.method,
    tokens: data.tokens,
    samples: data.samples,
    sequenceLength: data.sequenceLength,
    flops: {
      total: totalModelFlops,
      hardwareTotal: totalHardwareFlops,
      perTokenOrSample: flops.modelPerUnit,
      forwardPerTokenOrSample: flops.forwardPerUnit,
      attentionFraction: flops.attentionFraction,
      formula: flops.formula,
    },
    hardware: hardwareSummary(acc, r.precision, r.peak),
    utilisation: t.mfu,
    goodput: t.goodput,
    effectiveUtilisation,
    throughputModel: { frameworkMfu: t.frameworkMfu, realRunFactor: t.realRunFactor, gpuScaleFactor: t.gpuScaleFactor, communicationFactor: t.communicationFactor, interruptionsPerDay: t.interruptionsPerDay },
    steadyState: steadyState(t, r, flops.modelPerUnit),
    gpus,
    gpusChosenBy,
    fewestGpusToFit,
    parallelism: {
      dataParallel, tensorParallel, pipelineParallel: r.pipelineParallel, zeroStage: r.zeroStage,
      microBatchSize: r.microBatch, gradientAccumulationSteps: steps, globalBatchSize: dataParallel * r.microBatch * steps,
    },
    fits,
    memoryPerGpuGb,
    gpuHours,
    wallClockDays,
    deadlineMet,
    pricing,
    costUsd,
    spotCostUsd,
    costByProvider: costByProvider(acc.id, gpuHours),
    energyKwh,
    co2Kg,
    trackRecord: null,
    warnings,
    assumptions: log.list(),
  });
}

/** How to ask for the GPUs that finish a run in 90 days, given what the request already set. */
function ninetyDayHint(r: ResolvedTrainingInput, gpusFor90Days: number): string {
  if (r.gpus !== undefined) return `give gpus ${gpusFor90Days} instead of ${r.gpus}`;
  if (r.deadlineDays !== undefined) return `give deadlineDays 90 instead of ${r.deadlineDays}, or gpus`;
  return "give gpus or deadlineDays";
}

/** Energy = GPU-hours × TDP × power fraction × PUE; CO2 = energy × grid intensity (Lacoste et al. 2019). */
function energyAndCo2(gpuHours: Band, r: ResolvedTrainingInput, warnings: string[]): { energyKwh: Band | null; co2Kg: Band | null } {
  const tdpW = r.acc.tdpW?.value;
  if (tdpW === undefined) {
    warnings.push(`no TDP for ${r.acc.id}: energy and CO2 are not estimated; give hardware.tdpW`);
    return { energyKwh: null, co2Kg: null };
  }
  const kwhPerGpuHour = (tdpW * r.energy.powerDrawFraction * r.energy.pue) / 1000;
  const energyKwh = scaleBand(gpuHours, kwhPerGpuHour);
  return { energyKwh, co2Kg: scaleBand(energyKwh, r.energy.gridKgCo2PerKwh) };
}

/** Parse once, then compute (without the track-record line; see track-record.ts). */
export function estimateTrainingUncited(input: TrainingInput): TrainingEstimate {
  return computeTraining(parseTrainingInput(input));
}
