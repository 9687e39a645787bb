// A measured, priced machine as the service passes it to the planner (which does no I/O): its price, its
// profile as the estimator's accelerator, and the benchmark's small models measured on it. Types only,
// depending on nothing of the planner but the plan's band type (no import cycle with catalog/types).
import type { AcceleratorSpec } from "@modelplan/estimator";
import type { Range3 } from "./plan-types";

/**
 * A measured, priced machine ("our own box"), as the service reads it from its hardware profile: the
 * planner does no I/O, so everything measured is passed in here.
 */
export interface MeasuredHardware {
  profileId: string;
  /** e.g. "our own box: AMD EPYC ×2 · wasm" */
  label: string;
  kind: "cpu" | "gpu";
  /** "software GPU emulation (not a GPU)" for a software adapter; null for real hardware. */
  emulation: string | null;
  /** One hour of the box, USD (owned: its TCO per hour; cloud: the instance's price). */
  usdPerHour: number;
  pricing: "owned" | "on-demand";
  /** "owned", or the cloud provider. */
  provider: string;
  /** The price's arithmetic and sources. */
  priceSource: string;
  /** The profile as the estimator's accelerator (measured peak, efficiency band, bandwidth, memory); null when it cannot be one. */
  servingAccelerator: AcceleratorSpec | null;
  trainingAccelerator: AcceleratorSpec | null;
  /** The precision the profile was measured in (served and trained in it). */
  precision: "fp32" | "fp16";
  /** Small reference models served on the box, from measured (or calibrated) throughput, per use case. */
  servings: MeasuredServing[];
  /** Why the estimator-based options are missing, or other caveats. */
  notes: string[];
}

/** A small reference model of the benchmark suite serving one use case on a measured box: the benchmark is the cost. */
export interface MeasuredServing {
  useCase: string;
  modelId: string;
  modelLabel: string;
  parameters: number;
  /** measured: a run of exactly this configuration; predicted: the profile's calibrated prediction (with its band). */
  basis: "measured" | "predicted";
  /** Requests per second one box sustains at the use case's latency target. */
  requestsPerSecPerBox: Range3;
  /** Expected request latency at that batch, ms. */
  requestLatencyMs: number;
  batchSize: number;
  /** Prompt tokens per request the figures are for (text): a sensitivity variant scales capacity by the ratio. */
  inputTokens: number | null;
  runIds: string[];
  detail: string;
  notes: string[];
  /** The scenario's own model (its architecture is this benchmark configuration): the option carries the own model's id. */
  ownModel?: boolean;
}
