/**
 * What machine the benchmarks ran on: CPU, memory, GPUs (nvidia-smi), and the machine's sgemm limit
 * measured outside TensorFlow.js with numpy/OpenBLAS when python3 and numpy are present.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import os from "node:os";
import { queryNvidiaSmi } from "./gpu";

export interface DeviceInfo {
  kind: "gpu" | "cpu";
  cpuModel: string;
  /** Logical CPUs available to this process. */
  logicalCores: number;
  memoryBytes: number;
  platform: string;
  arch: string;
  gpus: { name: string; memoryMiB: number; driver: string }[];
}

export function describeDevice(): DeviceInfo {
  const cpus = os.cpus();
  const gpus = queryNvidiaSmi() ?? [];
  return {
    kind: gpus.length > 0 ? "gpu" : "cpu",
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    logicalCores: typeof os.availableParallelism === "function" ? os.availableParallelism() : cpus.length,
    memoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    gpus,
  };
}

/**
 * Hardware profile fingerprint: device, backend and the versions involved. Two runs share a profile
 * exactly when these agree (memory is rounded to GiB; a GPU's driver counts).
 */
export function profileFingerprint(device: DeviceInfo, backend: { choice: string; versions: Record<string, string> }): string {
  const key = JSON.stringify({
    cpu: device.cpuModel,
    cores: device.logicalCores,
    memGiB: Math.round(device.memoryBytes / 1024 ** 3),
    arch: device.arch,
    gpus: device.gpus.map((g) => `${g.name}/${g.memoryMiB}/${g.driver}`),
    backend: backend.choice,
    versions: Object.entries(backend.versions).sort(([a], [b]) => a.localeCompare(b)),
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
