import { ACCURACY_SCOPE, BenchInputError, quantileSorted, type DeviceInfo, type Phase, type RunScope } from "@modelplan/bench";
import type { AcceleratorSpec } from "@modelplan/estimator";
import type { Database, HardwareProfileRow } from "@modelplan/db";
import { ApiError, type ProblemFieldError } from "../../lib/problem";
import { storedPrice, toPriceDto, type ProfilePriceDto, type StoredProfilePrice } from "../hardware-prices/hardware-prices.repository";
import { chooseLocalProfile, findProfile, isEmulatedProfile, okRunsWithFigures } from "./benchmarks.repository";
import { profilePeak, type StoredBandwidths, type StoredCeilings } from "./profile-measurements";

/** True for a hardware reference that names a measured profile: `local` or a profile id. */
export function isMeasuredHardwareRef(ref: unknown): ref is string {
  return typeof ref === "string" && (ref === "local" || ref.startsWith("hwp_"));
}

/** A profile's measured ceilings and memory, as stored with its runs. */
export interface ProfileCeilings {
  id: string;
  name: string;
  kind: "gpu" | "cpu";
  /**
   * The peak: the profile's float32 matmul ceiling of the whole machine (the highest any of its suites
   * measured, from the probe or the best run above it), or its per-core one where no suite measured the
   * whole machine (`peakScope`).
   */
  matmulFlopsPerS: number;
  /** Which ceiling the peak is. Default whole-machine. */
  peakScope?: RunScope;
  /** Where the peak comes from (the suite that measured it). */
  matmulRunId: string;
  /**
   * The profile's kept ceiling of each scope (FLOP/s): a run's share is its achieved rate over the
   * ceiling of its own scope. Default: the peak, for the peak's scope.
   */
  ceilings?: Partial<Record<RunScope, number>>;
  /** Elementwise memory bandwidth measured by the bandwidth probe (whole machine). */
  bandwidthBytesPerS?: number;
  bandwidthRunId?: string;
  /** The memory the profile computes in: the GPU's (nvidia-smi, amdgpu, unified memory) or the machine's. */
  memoryBytes: number;
  memorySource: string;
  measuredAt: string;
  /**
   * The float16 matmul rate over the float32 one on the device's own WGSL kernels (the WebGPU probes of a
   * GPU with shader-f16), when measured: the profile's fp16 peak is its float32 ceiling × this ratio.
   */
  float16Speedup?: { ratio: number; source: string };
}

/** A stored run's figures the utilisation band needs. */
export interface MeasuredRunFigures {
  id: string;
  phase: Phase;
  scope: RunScope;
  achievedFlopsPerS: number;
  /** The run's share of its own suite's ceiling, as recorded: used only where the profile keeps no ceiling of the run's scope. */
  fractionOfCeiling?: number;
}

const gflops = (x: number) => `${(x / 1e9).toPrecision(3)} GFLOP/s`;

/**
 * Describe a measured profile as the estimator's explicit accelerator: peak = the profile's
 * whole-machine float32 matmul ceiling (per-core where no suite measured the whole machine),
 * utilisation band = 10th / 50th / 90th percentile of each run's achieved FLOP/s ÷ the profile's kept
 * ceiling of the run's scope, over the profile's runs of the phase in the peak's scope — so that
 * peak × utilisation is what those runs achieved, whichever suite measured the peak. Where the profile
 * has no runs of the phase in that scope, the runs of the other scope lend their share of their own
 * ceiling (every core assumed to reach the per-core share), and the source says so. Memory = the GPU's
 * for a GPU profile. Needs a bandwidth figure.
 */
export function profileAsAccelerator(profile: ProfileCeilings, runs: readonly MeasuredRunFigures[], phase: Phase): AcceleratorSpec {
  if (!(profile.matmulFlopsPerS > 0)) throw new BenchInputError(["profile"], "the profile has no matmul ceiling");
  if (!(profile.bandwidthBytesPerS && profile.bandwidthBytesPerS > 0)) throw new BenchInputError(["profile"], "the profile has no memory-bandwidth measurement");
  const peakScope: RunScope = profile.peakScope ?? "whole-machine";
  const otherScope: RunScope = peakScope === "whole-machine" ? "per-core" : "whole-machine";
  const ceilings: Partial<Record<RunScope, number>> = profile.ceilings ?? { [peakScope]: profile.matmulFlopsPerS };
  const ofPhase = (scope: RunScope) => runs.filter((r) => r.phase === phase && r.scope === scope);
  const bandScope = ofPhase(peakScope).length > 0 ? peakScope : otherScope;
  const chosen = ofPhase(bandScope);
  if (chosen.length === 0) throw new BenchInputError(["profile"], `the profile has no ${phase} runs`);
  // Each run's share of the profile's ceiling of its own scope; a stored run's own-suite share only where the profile keeps no such ceiling.
  const ceiling = ceilings[bandScope];
  const share = (r: MeasuredRunFigures) => (ceiling && ceiling > 0 ? r.achievedFlopsPerS / ceiling : (r.fractionOfCeiling ?? r.achievedFlopsPerS / profile.matmulFlopsPerS));
  const fractions = chosen
    .map(share)
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  if (fractions.length === 0) throw new BenchInputError(["profile"], `the profile's ${phase} runs have no achieved rate`);
  const q = (p: number) => quantileSorted(fractions, p);
  // A run above the kept ceiling (stored before ceilings were capped at the best observed rate): capped here.
  const cap = (x: number) => Math.min(1, x);
  const band = { low: cap(q(0.1)), expected: cap(q(0.5)), high: cap(q(0.9)) };
  const ids = chosen.map((r) => r.id);
  const MAX_IDS_CHARS = 300;
  let cited = ids.join(", ");
  if (cited.length > MAX_IDS_CHARS) {
    const shown: string[] = [];
    for (const id of ids) {
      if ((shown.join(", ") + id).length > MAX_IDS_CHARS) break;
      shown.push(id);
    }
    cited = `${shown.join(", ")} and ${ids.length - shown.length} more`;
  }
  const against = ceiling && ceiling > 0 ? `the profile's ${bandScope} ceiling ${gflops(ceiling)}` : "each run's own suite ceiling";
  const lent =
    bandScope === peakScope
      ? ""
      : ` (no ${peakScope} ${phase} runs: the ${bandScope} runs' share is applied to the ${peakScope} peak)`;
  const source =
    `measured profile ${profile.id} (${profile.name}), ${profile.measuredAt}: peak = ${peakScope} float32 matmul ceiling ${gflops(profile.matmulFlopsPerS)} (${profile.matmulRunId})` +
    (peakScope === "per-core" ? " — no suite measured the whole machine" : "") +
    (profile.float16Speedup ? `, fp16 peak = that × ${profile.float16Speedup.ratio.toFixed(2)} (${profile.float16Speedup.source})` : "") +
    "; " +
    `${phase} utilisation = p10/p50/p90 of achieved ÷ ${against} over ${ids.length} ${bandScope} runs${lent}: ${cited}${fractions.some((f) => f > 1) ? " (capped at 1)" : ""}; ` +
    `memory: ${profile.memorySource}`;
  return {
    id: `profile:${profile.id}`,
    name: profile.name,
    kind: profile.kind,
    peakFlopsPerS: { fp32: profile.matmulFlopsPerS, ...(profile.float16Speedup ? { fp16: profile.matmulFlopsPerS * profile.float16Speedup.ratio } : {}) },
    memoryBytes: profile.memoryBytes,
    memoryBandwidthBytesPerS: profile.bandwidthBytesPerS,
    utilisation: { compute: { ...band, source } },
    source: profile.bandwidthRunId ? `${source}; bandwidth from ${profile.bandwidthRunId}` : source,
  };
}

/**
 * The memory a stored profile computes in. A GPU profile: the GPU's memory recorded with the device
 * (nvidia-smi, the amdgpu driver, or an Apple GPU's unified memory), or for profiles stored before that
 * record existed, nvidia-smi's first GPU. Otherwise (a CPU profile, software GPU emulation included):
 * system memory.
 */
export function profileMemory(kind: string, device: Partial<DeviceInfo> & { memoryBytes: number }): { bytes: number; source: string } | null {
  if (kind !== "gpu") return { bytes: device.memoryBytes, source: "system memory" };
  if (device.gpuMemory) return device.gpuMemory;
  const g = device.gpus?.[0];
  if (g) return { bytes: g.memoryMiB * 2 ** 20, source: `nvidia-smi memory.total of ${g.name}` };
  return null;
}

/** Precisions a measured profile has a peak for: fp32 always (TF.js runs in float32), fp16 where the device's float16 matmul was measured. */
export type MeasuredPrecision = "fp32" | "fp16";

/** The float16 speed-up of a WebGPU profile's device, from its WGSL probes (both precisions measured). */
function float16Speedup(ceilings: StoredCeilings | null): ProfileCeilings["float16Speedup"] {
  const probes = ceilings?.webgpuProbes;
  const f16 = probes?.bestFloat16?.flopsPerS;
  const f32 = probes?.bestFloat32?.flopsPerS;
  if (!(f16 && f32 && f16 > 0 && f32 > 0)) return undefined;
  return { ratio: f16 / f32, source: `WGSL matmul probes: float16 ${(f16 / 1e9).toPrecision(3)} GFLOP/s at ${probes!.bestFloat16!.n}³ over float32 ${(f32 / 1e9).toPrecision(3)} GFLOP/s at ${probes!.bestFloat32!.n}³` };
}

/** What the estimate answers say about the measured profile they ran on. */
export interface MeasuredHardwareInfo {
  profileId: string;
  name: string;
  kind: "cpu" | "gpu";
  backend: string;
  /** How the request named it. */
  chosenBy: "local" | "id";
  /** Why this profile (for `local`: the fastest non-emulated profile of this machine). */
  reason: string;
  /** Present when the profile is software GPU emulation (only ever named by id). */
  emulation: string | null;
  /** Precisions with a measured peak, and the default one: the precision the profile was measured in. */
  precisions: MeasuredPrecision[];
  defaultPrecision: MeasuredPrecision;
  precisionSource: string;
  /** What the profile's leave-one-out accuracy describes, and how measured efficiency enters an estimate. */
  accuracyScope: string;
  accuracyUrl: string;
  price: ProfilePriceDto | null;
}

export interface MeasuredHardware {
  accelerator: AcceleratorSpec;
  info: MeasuredHardwareInfo;
  price: StoredProfilePrice | null;
}

/** The profile a measured reference names (`local` or an id), with why; 422 on the field otherwise. */
export async function resolveProfileRef(db: Database, workspaceId: string, ref: string, fieldPath = "hardware"): Promise<{ row: HardwareProfileRow; chosenBy: "local" | "id"; reason: string }> {
  if (ref === "local") {
    const local = await chooseLocalProfile(db, workspaceId);
    if (!local.row) throw ApiError.invalidField(fieldPath, `no "local" hardware profile: ${local.reason}`);
    return { row: local.row, chosenBy: "local", reason: local.reason };
  }
  const row = await findProfile(db, workspaceId, ref);
  if (!row) throw ApiError.invalidField(fieldPath, `unknown hardware profile '${ref}' (GET /v1/hardware-profiles)`);
  return { row, chosenBy: "id", reason: `named by its id${isEmulatedProfile(row) ? ": software GPU emulation, which is never chosen as local" : ""}` };
}

/**
 * The field error of a measured reference that names nothing (`local` with no profile of this machine
 * to choose, or an unknown id), else undefined: resolveProfileRef's check, for the validation hook's
 * reference checks (lib/validation-hook.ts).
 */
export async function profileReferenceError(db: Database, workspaceId: string, path: string, ref: string): Promise<ProblemFieldError | undefined> {
  try {
    await resolveProfileRef(db, workspaceId, ref, path);
    return undefined;
  } catch (err) {
    const named = err instanceof ApiError ? err.errors?.[0] : undefined;
    if (named === undefined) throw err;
    return named;
  }
}

/**
 * A measured hardware profile as the estimator's explicit accelerator for a phase — peak = the profile's
 * whole-machine float32 matmul ceiling (and fp16 = that × the device's measured float16 speed-up, on a
 * WebGPU profile with shader-f16), compute utilisation band = p10/p50/p90 of achieved ÷ peak over the
 * profile's runs of the phase, memory bandwidth = its measured elementwise bandwidth, memory = the GPU's
 * for a GPU profile, with a source citing the job and the runs — and what the answer says about it.
 */
export async function resolveMeasuredHardware(db: Database, workspaceId: string, ref: string, phase: Phase, fieldPath = "hardware"): Promise<MeasuredHardware> {
  const { row: profile, chosenBy, reason } = await resolveProfileRef(db, workspaceId, ref, fieldPath);
  const runs = await okRunsWithFigures(db, profile.id);
  const ceilings = profile.ceilings as StoredCeilings | null;
  const bandwidth = profile.bandwidth as StoredBandwidths | null;
  const device = profile.device as DeviceInfo;
  const memory = profileMemory(profile.kind, device);
  const f16 = float16Speedup(ceilings);
  // The peak from the kept ceilings (profile-measurements.ts): the whole-machine one, else the per-core one.
  const peak = profilePeak(ceilings);
  const bw = bandwidth?.wholeMachine ?? bandwidth?.perCore;
  const suite = (by: string | null | undefined) => (by ? (by.startsWith("bjob_") ? `benchmark job ${by}` : `benchmark ${by}`) : "benchmark (suite not recorded)");
  let accelerator: AcceleratorSpec;
  try {
    if (!memory) throw new BenchInputError(["profile"], "the GPU's memory is unknown: WebGPU does not report it and neither nvidia-smi nor the amdgpu driver answered when it was measured");
    accelerator = profileAsAccelerator(
      {
        id: profile.id,
        name: profile.name,
        kind: profile.kind as "cpu" | "gpu",
        matmulFlopsPerS: peak?.ceiling.flopsPerS ?? profile.matmulFlopsPerS ?? 0,
        peakScope: peak?.scope ?? "whole-machine",
        matmulRunId: suite(peak?.ceiling.measuredBy ?? profile.measuredBy),
        ...(peak
          ? {
              ceilings: {
                ...(ceilings?.perCore ? { "per-core": ceilings.perCore.flopsPerS } : {}),
                ...(ceilings?.wholeMachine ? { "whole-machine": ceilings.wholeMachine.flopsPerS } : {}),
              },
            }
          : {}),
        bandwidthBytesPerS: bw?.bytesPerS,
        bandwidthRunId: suite(bw?.measuredBy ?? profile.measuredBy),
        memoryBytes: memory.bytes,
        memorySource: memory.source,
        measuredAt: profile.updatedAt,
        ...(f16 ? { float16Speedup: f16 } : {}),
      },
      runs.flatMap((r) =>
        r.achievedFlopsPerS ? [{ id: r.id, phase: r.phase, scope: r.scope, achievedFlopsPerS: r.achievedFlopsPerS, fractionOfCeiling: r.fractionOfCeiling }] : [],
      ),
      phase,
    );
  } catch (error) {
    if (error instanceof BenchInputError) throw ApiError.invalidField(fieldPath, `hardware profile '${profile.id}': ${error.reason}`);
    throw error;
  }
  const price = storedPrice(profile);
  const precisions: MeasuredPrecision[] = f16 ? ["fp32", "fp16"] : ["fp32"];
  const defaultPrecision: MeasuredPrecision = f16 ? "fp16" : "fp32";
  return {
    accelerator,
    price,
    info: {
      profileId: profile.id,
      name: profile.name,
      kind: profile.kind as "cpu" | "gpu",
      backend: profile.backend,
      chosenBy,
      reason,
      emulation: device.emulation ?? null,
      precisions,
      defaultPrecision,
      precisionSource: f16
        ? `the profile measured float16 on its device (${f16.source}): fp16 is the default, fp32 (the TF.js runs' precision) may be asked for`
        : "the precision the profile was measured in: its TF.js runs and matmul ceiling are float32 (no float16 measurement on this profile)",
      accuracyScope: ACCURACY_SCOPE,
      accuracyUrl: `/v1/hardware-profiles/${profile.id}/accuracy`,
      price: price ? toPriceDto(profile.id, price) : null,
    },
  };
}

/** The measured profile as the estimator's accelerator (see resolveMeasuredHardware). */
export async function measuredAccelerator(db: Database, workspaceId: string, ref: string, phase: Phase, fieldPath = "hardware"): Promise<AcceleratorSpec> {
  return (await resolveMeasuredHardware(db, workspaceId, ref, phase, fieldPath)).accelerator;
}
