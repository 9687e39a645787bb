/**
 * What a WebGPU adapter is: its record (vendor, architecture, device, description, features, limits) and
 * whether it is a real GPU or a software rasteriser running on the CPU. Pure: no Dawn, no I/O.
 *
 * Software adapters — Mesa's lavapipe (llvmpipe behind Vulkan), SwiftShader, Microsoft's WARP, a
 * fallback adapter — compute on the CPU through a GPU API. They are what the WebGPU backend's numeric
 * checks run on in CI; they are never chosen automatically and never presented as a GPU.
 */

/** The label every record and table carries for a run on a software adapter. */
export const SOFTWARE_GPU_LABEL = "software GPU emulation (not a GPU)";

/** Limits of a WebGPU adapter the record keeps (GPUSupportedLimits, bytes or counts). */
export const ADAPTER_LIMIT_NAMES = [
  "maxBufferSize",
  "maxStorageBufferBindingSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBuffersPerShaderStage",
] as const;
export type AdapterLimitName = (typeof ADAPTER_LIMIT_NAMES)[number];

/** GPUAdapterInfo as Dawn reports it (all strings may be empty). */
export interface RawAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface GpuAdapterRecord {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** GPUAdapterInfo.isFallbackAdapter (or the adapter's own flag in older implementations). */
  isFallbackAdapter: boolean;
  /** A CPU implementation of the GPU API (see classifyAdapter). */
  software: boolean;
  /** Why it was classified software, when it was. */
  softwareReason?: string;
  /** GPUSupportedFeatures, sorted. */
  features: string[];
  /** `shader-f16`: WGSL f16 arithmetic is available (the float16 matmul probe runs). */
  shaderF16: boolean;
  limits: Partial<Record<AdapterLimitName, number>>;
  /** The Dawn build that found it: the `webgpu` npm package's version. */
  dawnPackageVersion: string | null;
}

/** Names that mark CPU implementations of a GPU API, matched in the vendor, device and description. */
const SOFTWARE_NAMES: { pattern: RegExp; name: string }[] = [
  { pattern: /llvmpipe|lavapipe/i, name: "Mesa lavapipe/llvmpipe" },
  { pattern: /softpipe/i, name: "Mesa softpipe" },
  { pattern: /swiftshader/i, name: "SwiftShader" },
  { pattern: /microsoft basic render|\bwarp\b/i, name: "Microsoft WARP" },
];

/**
 * Classify an adapter: software when the implementation says it is a fallback adapter, when its
 * architecture reads "software" (Dawn's report for CPU Vulkan devices), or when its names are those of
 * a known CPU rasteriser. Returns the reason, or null for a hardware adapter.
 */
export function softwareAdapterReason(info: RawAdapterInfo): string | null {
  if (info.isFallbackAdapter) return "the implementation marks it a fallback adapter (isFallbackAdapter)";
  if ((info.architecture ?? "").toLowerCase() === "software") return `adapter architecture "software" (${describeAdapter(info)})`;
  const names = [info.vendor, info.device, info.description].filter(Boolean).join(" ");
  for (const s of SOFTWARE_NAMES) if (s.pattern.test(names)) return `${s.name} (${describeAdapter(info)})`;
  return null;
}

/** "vendor architecture — description" for messages. */
export function describeAdapter(info: RawAdapterInfo): string {
  const head = [info.vendor, info.architecture].filter(Boolean).join(" ");
  const tail = info.description || info.device || "";
  return [head || "unknown vendor", tail].filter(Boolean).join(" — ");
}

/** The record of an adapter from its info, features and limits. */
export function adapterRecord(
  info: RawAdapterInfo,
  features: Iterable<string>,
  limits: Partial<Record<string, number>>,
  dawnPackageVersion: string | null,
): GpuAdapterRecord {
  const reason = softwareAdapterReason(info);
  const featureList = [...features].sort();
  const kept: Partial<Record<AdapterLimitName, number>> = {};
  for (const name of ADAPTER_LIMIT_NAMES) {
    const v = limits[name];
    if (typeof v === "number" && Number.isFinite(v)) kept[name] = v;
  }
  return {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    device: info.device ?? "",
    description: info.description ?? "",
    isFallbackAdapter: Boolean(info.isFallbackAdapter),
    software: reason !== null,
    ...(reason !== null ? { softwareReason: reason } : {}),
    features: featureList,
    shaderF16: featureList.includes("shader-f16"),
    limits: kept,
    dawnPackageVersion,
  };
}
