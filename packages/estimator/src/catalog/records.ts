// Shapes of the versioned JSON catalogs in packages/estimator/data.
import type { Architecture, Precision } from "../types";

/** A catalog figure: a value with its source and date, or null with a note saying why it is missing. */
export interface SourcedFigure<T> {
  value: T | null;
  source: string | null;
  date?: string;
  note?: string;
}

export interface AcceleratorRecord {
  id: string;
  name: string;
  vendor: string;
  kind: "gpu" | "cpu";
  peakFlopsPerS: Record<Precision, SourcedFigure<number>>;
  memoryBytes: SourcedFigure<number>;
  memoryBandwidthBytesPerS: SourcedFigure<number>;
  tdpW: SourcedFigure<number>;
  interconnect: SourcedFigure<string>;
}

export interface CloudPriceRecord {
  accelerator: string;
  provider: string;
  sku: string;
  region: string | null;
  gpusPerInstance: number;
  onDemandUsdPerGpuHour: number;
  spotUsdPerGpuHour: number | null;
  source: string;
  date: string;
  note: string | null;
}

export interface HostedModelRecord {
  id: string;
  provider: string;
  name: string;
  inputUsdPerMillionTokens: number;
  outputUsdPerMillionTokens: number;
  note: string | null;
  source: string;
  date: string;
}

export interface PublishedFigure {
  value: number;
  source: string;
  date: string;
}

export interface PresetRecord {
  id: string;
  name: string;
  task: string;
  publishedParameters: PublishedFigure;
  publishedActiveParameters?: PublishedFigure;
  publishedForwardMacs?: PublishedFigure;
  architectureSource: string;
  architecture: Architecture;
}

export interface UtilisationRule {
  accelerators: string[];
  precisions: Precision[];
  low: number;
  expected: number;
  high: number;
  source: string;
  date: string;
}

export interface DefaultValue<T = number> {
  value: T;
  unit?: string;
  source: string;
  date?: string;
}

export interface DefaultsRecord {
  computeUtilisation: UtilisationRule[];
  fallbackComputeUtilisation: { low: number; expected: number; high: number; source: string; date: string };
  memoryBandwidthUtilisation: { low: number; expected: number; high: number; source: string; date: string };
  usableMemoryFraction: DefaultValue;
  pue: DefaultValue;
  gridIntensityKgCo2PerKwh: DefaultValue;
  powerDrawFraction: DefaultValue;
  peakToAverage: DefaultValue;
  maxConcurrentSequences: DefaultValue;
  hoursPerMonth: DefaultValue;
  training: {
    precision: DefaultValue<string>;
    optimizer: DefaultValue<string>;
    zeroStage: DefaultValue;
    activationRecomputation: DefaultValue<string>;
    microBatchSequences: DefaultValue;
    trainingSequenceLengthCap: DefaultValue;
    loraRank: DefaultValue;
    loraTargets: DefaultValue<string>;
    qloraQuantConstantsBitsPerParam: DefaultValue;
  };
  inference: {
    quantization: DefaultValue<string>;
    kvCachePrecision: DefaultValue<string>;
    int4GroupOverheadBitsPerWeight: DefaultValue;
    outputTokens: DefaultValue;
    inputTokens: DefaultValue;
    whisperWindowSeconds: DefaultValue;
  };
}

export interface Catalog<T> {
  catalogVersion: string;
  retrieved: string;
  description: string;
  items: T[];
}
