/**
 * What machine the benchmarks ran on: CPU, memory, GPUs (nvidia-smi, the WebGPU adapter), and the
 * machine's sgemm limit measured outside TensorFlow.js with numpy/OpenBLAS when python3 and numpy are
 * present.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import os from "node:os";
import type { GpuAdapterRecord } from "./adapter";
import type { BackendInfo } from "./backend-choice";
import { gpuMemory, queryNvidiaSmi, type GpuMemory } from "./gpu";

export interface DeviceInfo {
  /**
   * What the profile computes on: "gpu" when the backend that ran computes on a GPU (tfjs-node-gpu on a
   * CUDA device, WebGPU on a hardware adapter), else "cpu" — the CPU profile of a GPU machine and
   * software GPU emulation included.
   */
  kind: "gpu" | "cpu";
  cpuModel: string;
  /** Logical CPUs available to this process. */
  logicalCores: number;
  memoryBytes: number;
  platform: string;
  arch: string;
  /** GPUs of the machine that answered nvidia-smi (whatever the backend). */
  gpus: { name: string; memoryMiB: number; driver: string }[];
  /** The WebGPU adapter the backend ran on (backend webgpu). */
  gpuAdapter?: GpuAdapterRecord;
  /** Memory of the GPU computed on (kind "gpu", or a software adapter's system memory), with its source. */
  gpuMemory?: GpuMemory;
  /** "software GPU emulation (not a GPU)" when the backend ran on a software adapter. */
  emulation?: string;
}

/** The machine, and — once the backend is known — what it computes on. */
export function describeDevice(backend?: Pick<BackendInfo, "computeDevice" | "adapter" | "emulation" | "choice">): DeviceInfo {
  const cpus = os.cpus();
  const nvidia = queryNvidiaSmi();
  const gpus = nvidia ?? [];
  // Without a backend (before it starts) the machine counts as a GPU machine when a CUDA device answers.
  const kind = backend ? backend.computeDevice : gpus.length > 0 ? "gpu" : "cpu";
  const usesGpuApi = backend && (backend.choice === "webgpu" || backend.choice === "node-gpu");
  const memory = usesGpuApi ? gpuMemory(backend.adapter, nvidia) : null;
  return {
    kind,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    logicalCores: typeof os.availableParallelism === "function" ? os.availableParallelism() : cpus.length,
    memoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    gpus,
    ...(backend?.adapter ? { gpuAdapter: backend.adapter } : {}),
    ...(memory ? { gpuMemory: memory } : {}),
    ...(backend?.emulation ? { emulation: backend.emulation } : {}),
  };
}

/**
 * Hardware profile fingerprint: device, backend and the versions involved. Two runs share a profile
 * exactly when these agree (memory is rounded to GiB; a GPU's driver counts). A WebGPU run adds what it
 * computes on and the adapter's identity, so that a GPU profile, the CPU profile of the same machine
 * and a software adapter's profile never share a fingerprint; other backends hash exactly what they
 * hashed before the WebGPU backend existed (their stored profiles keep their ids).
 */
export function profileFingerprint(
  device: Pick<DeviceInfo, "cpuModel" | "logicalCores" | "memoryBytes" | "arch" | "gpus">,
  backend: { choice: string; versions: Record<string, string>; computeDevice?: string; adapter?: Pick<GpuAdapterRecord, "vendor" | "architecture" | "device" | "description" | "software"> },
): string {
  const a = backend.adapter;
  const key = JSON.stringify({
    cpu: device.cpuModel,
    cores: device.logicalCores,
    memGiB: Math.round(device.memoryBytes / 1024 ** 3),
    arch: device.arch,
    gpus: device.gpus.map((g) => `${g.name}/${g.memoryMiB}/${g.driver}`),
    backend: backend.choice,
    versions: Object.entries(backend.versions).sort(([x], [y]) => x.localeCompare(y)),
    ...(backend.choice === "webgpu"
      ? { compute: backend.computeDevice ?? "unknown", adapter: a ? [a.vendor, a.architecture, a.device, a.description, a.software ? "software" : "hardware"] : null }
      : {}),
  });
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export interface SgemmLimit {
  /** float32 GEMM n×n×n, median of the timed repetitions, 2n³ FLOPs each. */
  perCoreFlopsPerS: number;
  wholeMachineFlopsPerS: number;
  threads: number;
  n: number;
  tool: string;
  method: string;
  measuredAt: string;
}

const SGEMM_PY = `
import json, time, sys
import numpy as np
n = int(sys.argv[1]); reps = int(sys.argv[2])
rng = np.random.default_rng(0)
a = rng.random((n, n), dtype=np.float32); b = rng.random((n, n), dtype=np.float32)
for _ in range(2): a @ b
ts = []
for _ in range(reps):
    t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
ts.sort()
blas = "unknown BLAS"
try:
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    blas = f"{cfg.get('name')} {cfg.get('version')}"
except Exception:
    pass
print(json.dumps({"median_s": ts[len(ts)//2], "numpy": np.__version__, "blas": blas}))
`;

function runSgemm(n: number, reps: number, threads: number): Promise<{ median_s: number; numpy: string; blas: string } | null> {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  return new Promise((resolve) => {
    execFile("python3", ["-c", SGEMM_PY, String(n), String(reps)], { env, timeout: 60_000 }, (err, stdout) => {
      if (err) return resolve(null);
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? ""));
      } catch {
        resolve(null);
      }
    });
  });
}

/**
 * The machine's float32 matrix-multiply limit outside TensorFlow.js: numpy's a @ b (OpenBLAS or
 * whichever BLAS numpy links) on 2048² float32 matrices with the BLAS pinned to 1 thread (per core)
 * and to all logical cores (whole machine). Null when python3 with numpy is not available.
 */
export async function measureSgemmLimit(opts: { n?: number; reps?: number; threads?: number } = {}): Promise<SgemmLimit | null> {
  const n = opts.n ?? 2048;
  const reps = opts.reps ?? 5;
  const threads = opts.threads ?? describeDevice().logicalCores;
  const one = await runSgemm(n, reps, 1);
  if (!one) return null;
  const all = threads > 1 ? await runSgemm(n, reps, threads) : one;
  if (!all) return null;
  const flops = 2 * n ** 3;
  return {
    perCoreFlopsPerS: flops / one.median_s,
    wholeMachineFlopsPerS: flops / all.median_s,
    threads,
    n,
    tool: `numpy ${one.numpy} (${one.blas})`,
    method: `float32 ${n}x${n} @ ${n}x${n}, 2 warm-up + ${reps} timed, median; BLAS threads 1 and ${threads}; measured outside TensorFlow.js`,
    measuredAt: new Date().toISOString(),
  };
}
