// Resolves the hardware input (catalog id or explicit accelerator object, e.g. a measured
// profile from the benchmark engine) and the utilisation bands that turn peak rates into time.
import type { AssumptionLog } from "./assumptions";
import { withSource } from "./band";
import { getAccelerator, getDefaults, listAccelerators } from "./catalog";
import { EstimatorInputError } from "./errors";
import { LIMITS, requirePositiveNumber } from "./model/validate";
import { PRECISIONS, type AcceleratorSpec, type Band, type HardwareInput, type HardwareSummary, type Precision, type SourcedBand, type UtilisationOverride } from "./types";

export interface SourcedNumber {
  value: number;
  source: string;
}

export interface ResolvedAccelerator {
  id: string;
  name: string;
  kind: string;
  fromCatalog: boolean;
  source: string;
  peakFlopsPerS: Partial<Record<Precision, SourcedNumber>>;
  memoryBytes: SourcedNumber;
  memoryBandwidthBytesPerS: SourcedNumber;
  tdpW: SourcedNumber | null;
  /** GPU-to-GPU link (tensor parallelism): per-GPU total bidirectional bandwidth, null when unknown */
  interconnect: { kind: string | null; bandwidthBytesPerS: number | null; source: string };
  measuredCompute: SourcedBand | null;
  measuredBandwidth: SourcedBand | null;
}

function sourced(figure: { value: number | null; source: string | null; date?: string }): SourcedNumber | null {
  if (figure.value === null || figure.source === null) return null;
  return { value: figure.value, source: figure.date ? `${figure.source} [${figure.date}]` : figure.source };
}

/** Catalog accelerators are immutable, so each is resolved once (and frozen: estimates share it). */
const catalogCache = new Map<string, ResolvedAccelerator>();

function fromCatalog(id: string): ResolvedAccelerator {
  const cached = catalogCache.get(id);
  if (cached) return cached;
  const resolved = resolveCatalogRecord(id);
  catalogCache.set(id, deepFreeze(resolved));
  return resolved;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function resolveCatalogRecord(id: string): ResolvedAccelerator {
  const record = getAccelerator(id);
  if (!record) {
    throw new EstimatorInputError(["hardware"], `unknown accelerator ${JSON.stringify(id)}; known: ${listAccelerators().map((a) => a.id).join(", ")}`);
  }
  const peaks: Partial<Record<Precision, SourcedNumber>> = {};
  for (const p of PRECISIONS) {
    const figure = record.peakFlopsPerS[p] ? sourced(record.peakFlopsPerS[p]) : null;
    if (figure) peaks[p] = figure;
  }
  const memory = sourced(record.memoryBytes);
  const bandwidth = sourced(record.memoryBandwidthBytesPerS);
  if (!memory || !bandwidth) throw new EstimatorInputError(["hardware"], `catalog entry ${id} lacks memory or bandwidth figures`);
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    fromCatalog: true,
    source: "modelplan accelerator catalog",
    peakFlopsPerS: peaks,
    memoryBytes: memory,
    memoryBandwidthBytesPerS: bandwidth,
    tdpW: sourced(record.tdpW),
    interconnect: {
      kind: record.interconnect.kind ?? null,
      bandwidthBytesPerS: typeof record.interconnect.bandwidthBytesPerS === "number" ? record.interconnect.bandwidthBytesPerS : null,
      source: record.interconnect.source ? `${record.interconnect.source}${record.interconnect.date ? ` [${record.interconnect.date}]` : ""}` : "no interconnect figure in the catalog",
    },
    measuredCompute: null,
    measuredBandwidth: null,
  };
}

export function validateBand(value: unknown, path: string[], max = 1): Band {
  if (typeof value === "number") {
    requirePositiveNumber(value, path, max, LIMITS.minUtilisation);
    return { low: value, expected: value, high: value };
  }
  if (typeof value !== "object" || value === null) throw new EstimatorInputError(path, "must be a number or {low, expected, high}");
  const b = value as Record<string, unknown>;
  const low = requirePositiveNumber(b.low, [...path, "low"], max, LIMITS.minUtilisation);
  const expected = requirePositiveNumber(b.expected, [...path, "expected"], max, LIMITS.minUtilisation);
  const high = requirePositiveNumber(b.high, [...path, "high"], max, LIMITS.minUtilisation);
  if (!(low <= expected && expected <= high)) throw new EstimatorInputError(path, `band must satisfy low ≤ expected ≤ high (got ${low}, ${expected}, ${high})`);
  return { low, expected, high };
}

function fromSpec(spec: AcceleratorSpec): ResolvedAccelerator {
  const path = ["hardware"];
  if (typeof spec.id !== "string" || spec.id.length === 0) throw new EstimatorInputError([...path, "id"], "an explicit accelerator needs an id");
  if (typeof spec.peakFlopsPerS !== "object" || spec.peakFlopsPerS === null) throw new EstimatorInputError([...path, "peakFlopsPerS"], "peakFlopsPerS is required");
  const source = spec.source ?? "explicit accelerator in the request";
  const peaks: Partial<Record<Precision, SourcedNumber>> = {};
  for (const [p, v] of Object.entries(spec.peakFlopsPerS)) {
    if (!PRECISIONS.includes(p as Precision)) throw new EstimatorInputError([...path, "peakFlopsPerS", p], `unknown precision ${p}; use ${PRECISIONS.join(", ")}`);
    peaks[p as Precision] = { value: requirePositiveNumber(v, [...path, "peakFlopsPerS", p], 1e18, LIMITS.minHardwareFigure), source };
  }
  if (Object.keys(peaks).length === 0) throw new EstimatorInputError([...path, "peakFlopsPerS"], "give the peak FLOP/s for at least one precision");
  const measuredCompute = spec.utilisation?.compute
    ? withSource(validateBand(spec.utilisation.compute, [...path, "utilisation", "compute"]), spec.utilisation.compute.source ?? source)
    : null;
  const measuredBandwidth = spec.utilisation?.memoryBandwidth
    ? withSource(validateBand(spec.utilisation.memoryBandwidth, [...path, "utilisation", "memoryBandwidth"]), spec.utilisation.memoryBandwidth.source ?? source)
    : null;
  return {
    id: spec.id,
    name: spec.name ?? spec.id,
    kind: spec.kind ?? "other",
    fromCatalog: false,
    source,
    peakFlopsPerS: peaks,
    memoryBytes: { value: requirePositiveNumber(spec.memoryBytes, [...path, "memoryBytes"], 1e15, LIMITS.minHardwareFigure), source },
    memoryBandwidthBytesPerS: { value: requirePositiveNumber(spec.memoryBandwidthBytesPerS, [...path, "memoryBandwidthBytesPerS"], 1e15, LIMITS.minHardwareFigure), source },
    tdpW: spec.tdpW === undefined ? null : { value: requirePositiveNumber(spec.tdpW, [...path, "tdpW"], 1e5, 0.1), source },
    interconnect: {
      kind: null,
      bandwidthBytesPerS: spec.interconnectBandwidthBytesPerS === undefined ? null : requirePositiveNumber(spec.interconnectBandwidthBytesPerS, [...path, "interconnectBandwidthBytesPerS"], 1e14, LIMITS.minHardwareFigure),
      source,
    },
    measuredCompute,
    measuredBandwidth,
  };
}

export function resolveHardware(input: HardwareInput): ResolvedAccelerator {
  if (typeof input === "string") return fromCatalog(input);
  if (typeof input === "object" && input !== null) return fromSpec(input);
  throw new EstimatorInputError(["hardware"], "hardware must be a catalog id or an accelerator object");
}

/**
 * A BF16 default on an accelerator without BF16 arithmetic (Turing T4, Volta V100): FP16 instead, the
 * 16-bit format mixed-precision training and serving use there (Micikevicius et al. 2018, "Mixed Precision
 * Training", arXiv 1710.03740; BF16 tensor cores start with Ampere). On one with neither (a CPU whose
 * catalog entry publishes FP32 only): FP32, its only published figure. Any other default is kept.
 */
export function sixteenBitDefault<T extends string>(acc: ResolvedAccelerator, fallback: { value: T; source: string }): { value: T | "fp16" | "fp32"; source: string } {
  if (fallback.value !== "bf16" || acc.peakFlopsPerS.bf16) return fallback;
  if (acc.peakFlopsPerS.fp16) {
    return {
      value: "fp16",
      source: `${acc.id} has no published BF16 peak, so FP16 mixed precision, as on GPUs before Ampere (Micikevicius et al. 2018, 'Mixed Precision Training', arXiv 1710.03740); elsewhere: ${fallback.source}`,
    };
  }
  if (!acc.peakFlopsPerS.fp32) return fallback;
  return { value: "fp32", source: `${acc.id} publishes neither a BF16 nor an FP16 peak, so FP32, its only published figure; elsewhere: ${fallback.source}` };
}

/** Peak FLOP/s at a precision; a missing figure is an input error naming the precision field. */
export function peakFlopsPerS(acc: ResolvedAccelerator, precision: Precision, path: string[]): SourcedNumber {
  const peak = acc.peakFlopsPerS[precision];
  if (!peak) {
    const available = Object.keys(acc.peakFlopsPerS).join(", ") || "none";
    throw new EstimatorInputError(path, `${acc.id} has no published ${precision} peak (available: ${available}); choose another precision or give an explicit accelerator`);
  }
  return peak;
}

export function logHardware(acc: ResolvedAccelerator, precision: Precision, peak: SourcedNumber, log: AssumptionLog): void {
  log.add(`${acc.id} peak ${precision} FLOP/s (dense)`, peak.value, "FLOP/s", peak.source);
  log.add(`${acc.id} memory`, acc.memoryBytes.value, "bytes", acc.memoryBytes.source);
  log.add(`${acc.id} memory bandwidth`, acc.memoryBandwidthBytesPerS.value, "bytes/s", acc.memoryBandwidthBytesPerS.source);
  if (acc.tdpW) log.add(`${acc.id} TDP`, acc.tdpW.value, "W", acc.tdpW.source);
}

export function hardwareSummary(acc: ResolvedAccelerator, precision: Precision, peak: SourcedNumber): HardwareSummary {
  return {
    id: acc.id,
    name: acc.name,
    kind: acc.kind,
    precision,
    peakFlopsPerS: peak.value,
    memoryBytes: acc.memoryBytes.value,
    memoryBandwidthBytesPerS: acc.memoryBandwidthBytesPerS.value,
    tdpW: acc.tdpW?.value ?? null,
    source: acc.source,
  };
}

export function logBand(log: AssumptionLog, name: string, b: SourcedBand, unit = "fraction of peak"): void {
  log.addBand(name, b, unit, b.source);
}

/** A request override, else a measured profile's compute band, else null (the caller's published default applies). */
export function computeOverride(acc: ResolvedAccelerator, override: UtilisationOverride | undefined, path: string[] = ["utilisation"]): SourcedBand | null {
  if (override !== undefined) return withSource(validateBand(override, path), "request override");
  return acc.measuredCompute;
}

/**
 * Memory-bandwidth utilisation (MBU, Databricks) band for memory-bound phases: the request's override,
 * else a measured profile's band, else the serving engine's published band, else the default.
 */
export function bandwidthUtilisation(acc: ResolvedAccelerator, override: UtilisationOverride | undefined, log: AssumptionLog, path: string[] = ["bandwidthUtilisation"], engineBand: SourcedBand | null = null): SourcedBand {
  let b: SourcedBand;
  if (override !== undefined) b = withSource(validateBand(override, path), "request override");
  else if (acc.measuredBandwidth) b = acc.measuredBandwidth;
  else if (engineBand) b = engineBand;
  else {
    const d = getDefaults().memoryBandwidthUtilisation;
    b = withSource(d, `${d.source} [${d.date}]`);
  }
  logBand(log, "memory bandwidth utilisation (MBU)", b);
  return b;
}
