/**
 * Calibration: predict the step time of a model configuration on a measured hardware profile from
 * the profile's stored runs, report how accurate such predictions have been (leave-one-out), and
 * describe the profile as an accelerator for the estimator. Pure: no I/O.
 *
 * Model — a roofline-style sum of the costs a TensorFlow.js step pays, fitted per profile and scope:
 *
 *   t_step = τ_phase · K  +  F / R(family, phase)  +  ρ · E  +  κ_phase · Q
 *            +  (inference: ω · W | training: π · P)
 *
 *   K  kernel launches per step (exact, flops.ts kernelsPerStep): a fixed dispatch cost per kernel,
 *      larger in training (gradient tape, gradient functions), which dominates small models and
 *      batch-1 latency;
 *   F  contraction FLOPs per step (exact, flops.ts), executed at the achieved contraction rate of the
 *      family and phase (dense, convolution, recurrent and attention products, forward or backward,
 *      reach different fractions of the matmul ceiling);
 *   E  activation elements touched per step (activations × batch, ×3 for training): memory-bound
 *      elementwise work;
 *   W  weight elements an inference step reads (dense weights once, embedding rows looked up): what
 *      bounds batch-1 inference; P parameters, which the optimiser reads and writes every training step;
 *   Q  weight-matrix elements the product kernels pack per step (flops.ts packedWeightElementsPerStep):
 *      the wasm backend keeps a product's packed weights per tensor, so they are packed again whenever
 *      the weights arrive as a new tensor — in inference only where a layer copies or transposes its
 *      kernel on every call (GAN's transposed convolutions, GPT's Dense layers on 3-D input), in
 *      training for every weight matrix (the optimiser's update is a new tensor; input gradients
 *      multiply by transposed weights). A cost per step that does not shrink with the batch: without
 *      it, the shared τ and π predicted batch-1 GAN and GPT inference 32–43% and 14–35% too low and the
 *      smaller training batch of the MLP (dense weights) up to 29% too low and of the text classifier
 *      (mostly an embedding table, which no product packs) up to 34% too high on 8 quick suites; with
 *      it the leave-one-out median error of those suites went from 4.8–11.4% (mean 6.9%) to
 *      4.7–10.6% (mean 6.0%) (README).
 *
 * The coefficients are non-negative and fitted on relative error (each run's equation divided by its
 * measured time, so small and large steps weigh the same) by robustNnls: non-negative least squares
 * reweighted towards least absolute error, so that a run disturbed by other programs on a shared
 * machine does not pull the coefficients every other prediction uses. On 5 quick suites of this
 * 2-core machine the robust fit took the leave-one-out median error from 11.1% to 9.5% (README).
 * The time fitted is each run's calibrated step time (calibration-input.ts: the 10th percentile of
 * its wall-clock steps, the cost when nothing else delays the step); a prediction also gives the
 * typical time, × the median slowdown (median ÷ 10th percentile) of the profile's runs.
 *
 * Sessions: runs measured together (one job, CLI suite or upload: CalibrationRun.session) share the speed
 * the shared machine had then, which differs between sessions even at the 10th percentile (host
 * contention lasting minutes: of three consecutive quick suites here, two ran 1.47× and 1.21× as long as
 * the third). The model is t_run = s_session,scope × (the step time above). Where a scope has at least 2
 * sessions of MIN_SESSION_RUNS runs, the coefficients and the factors s are fitted by alternation: fit with
 * every s = 1; s = the median of measured ÷ predicted over the session's runs of the scope; refit on
 * measured ÷ s (SESSION_PASSES times). The factors are normalised so that their median over the scope's
 * sessions is 1: the coefficients, and so every prediction, describe the machine at its typical session
 * speed (CalibrationFit.sessionSpeedFactors lists the factors). A session with fewer runs in a scope keeps
 * factor 1 there; with a single session the fit is exactly the plain one. A session has a factor per scope:
 * per-core and whole-machine runs met the host's contention differently (one suite here: 1.48× and 1.22×
 * the typical time); one factor for both scopes did as well or up to 0.5 points worse (README).
 * Leave-one-out predicts a run × its session's factor as fitted without the run. Pooled leave-one-out
 * median of the stored quick suites (README), without → with sessions: 3 suites of which two ran slow
 * 21.1 → 11.8%, 11 suites 6.9 → 4.7%, 8 quiet ones 4.5 → 3.7%, 3 quiet ones 6.0 → 5.7%. Each pass refits
 * both scopes, so a leave-one-out report over several sessions takes about 3× as long.
 *
 * Scopes: a whole-machine run (all workers at once) measures the same configuration's cost under the
 * contention of the other workers. With at least 3 per-core runs, the whole-machine runs join the
 * per-core fit divided by their phase's contention factor (median measured ÷ per-core prediction of the
 * whole-machine runs of that phase), and a whole-machine prediction is the per-core one × that factor.
 * Measured on 4 quick-suite runs (README), this took the median leave-one-out error from 18–40% to 12–16%
 * (a whole-machine run of the quick suite has no other run of its family, phase and scope). A family and
 * phase without runs borrows the family's other phase scaled by the median training/inference rate
 * ratio of the families that have both, else the median rate of the phase. The band around a prediction
 * is the 10th–90th percentile of the leave-one-out ratios measured/predicted of the family (of all runs
 * when the family has fewer than 4).
 */
export { CALIBRATION_TIME_BASIS, calibratedStepTimeMs, calibrationRunsFromSuite, toCalibrationRun, typicalSlowdown } from "./input";
export { prepare, workFeatures, type CalibrationRun, type WorkFeatures } from "./features";
export { nnls, robustNnls } from "./nnls";
export type { CalibrationFit } from "./fit";
export { fitCalibration, MIN_SESSION_RUNS, NO_SESSION } from "./sessions";
export { ACCURACY_SCOPE, LOO_METHOD, leaveOneOut, leaveOneOutSteps, type ErrorSummary, type LeaveOneOutReport, type LooEntry } from "./leave-one-out";
export { checkPredictQuery, predict, type Band, type PredictQuery, type Prediction } from "./predict";
export { extrapolations, type Extrapolation } from "./extrapolation";
