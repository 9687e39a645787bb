/**
 * GPU discovery outside TensorFlow.js: nvidia-smi, the amdgpu driver's memory counters, and a probe
 * process that tells whether tfjs-node-gpu's TensorFlow really created a CUDA device.
 */
import { execFile, execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import type { GpuAdapterRecord } from "./adapter";

export interface NvidiaGpu {
  name: string;
  memoryMiB: number;
  driver: string;
}

/** The GPUs nvidia-smi lists, or null when no CUDA device answers. */
export function queryNvidiaSmi(): NvidiaGpu[] | null {
  try {
    const out = execFileSync("nvidia-smi", ["--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"], {
      encoding: "utf8",
      timeout: 10_000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const gpus = out
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name, mem, driver] = line.split(",").map((s) => s.trim());
        return { name, memoryMiB: Number(mem), driver };
      });
    return gpus.length > 0 ? gpus : null;
  } catch {
    return null;
  }
}

/** Total VRAM of each amdgpu device (Linux sysfs mem_info_vram_total), in bytes. */
function amdgpuVramBytes(): number[] {
  if (os.platform() !== "linux") return [];
  try {
    return readdirSync("/sys/class/drm")
      .filter((d) => /^card\d+$/.test(d))
      .flatMap((d) => {
        try {
          const v = Number(readFileSync(`/sys/class/drm/${d}/device/mem_info_vram_total`, "utf8").trim());
          return Number.isFinite(v) && v > 0 ? [v] : [];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

export interface GpuMemory {
  bytes: number;
  /** Where the figure comes from. */
  source: string;
}

/**
 * The memory of the GPU a backend computes on. WebGPU does not expose it, so it comes from nvidia-smi
 * (an NVIDIA adapter, or tfjs-node-gpu), the amdgpu driver (an AMD adapter on Linux), or — for Apple
 * GPUs and software adapters, which compute in system memory — the machine's memory. Null when none
 * of these applies (the estimator then cannot use the profile's memory).
 */
export function gpuMemory(adapter: GpuAdapterRecord | undefined, nvidia: NvidiaGpu[] | null): GpuMemory | null {
  const vendor = (adapter?.vendor ?? "").toLowerCase();
  if (adapter?.software) return { bytes: os.totalmem(), source: "system memory (a software adapter computes in it)" };
  if (nvidia && nvidia.length > 0 && (!adapter || vendor.includes("nvidia"))) {
    const named = adapter ? nvidia.find((g) => adapter.description.toLowerCase().includes(g.name.toLowerCase().replace(/^nvidia /, ""))) : undefined;
    const g = named ?? nvidia[0];
    return { bytes: g.memoryMiB * 2 ** 20, source: `nvidia-smi memory.total of ${g.name} (${g.memoryMiB} MiB)` };
  }
  if (vendor.includes("amd") || vendor.includes("ati")) {
    const vram = amdgpuVramBytes();
    if (vram.length > 0) return { bytes: Math.max(...vram), source: "amdgpu driver, /sys/class/drm/card*/device/mem_info_vram_total" };
  }
  if (vendor.includes("apple") || (adapter && os.platform() === "darwin")) {
    return { bytes: os.totalmem(), source: "unified memory: the Mac's system memory (os.totalmem)" };
  }
  return null;
}

const NODE_GPU_PROBE = `
const tf = require("@tensorflow/tfjs-node-gpu");
const a = tf.randomNormal([64, 64]);
tf.matMul(a, a).dataSync();
process.stdout.write("probe-done\\n");
`;

/**
 * Load tfjs-node-gpu in a separate Node process with TensorFlow's logging on and report whether it
 * created a GPU device. TensorFlow falls back to the CPU, with only a log line, when the CUDA 11.2 /
 * cuDNN 8.1 libraries it was built against (libcudart.so.11.0, libcudnn.so.8) are missing; loading the
 * package in this process would not tell.
 */
export function probeNodeGpu(timeoutMs = 60_000): Promise<{ ok: true; device: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-e", NODE_GPU_PROBE],
      { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "0" }, timeout: timeoutMs, maxBuffer: 8 * 2 ** 20 },
      (err, stdout, stderr) => {
        const log = `${stderr}`;
        const created = /Created device \S*device:GPU:\d+[^\n]*/.exec(log);
        if (!err && stdout.includes("probe-done") && created) return resolve({ ok: true, device: created[0].trim() });
        const missing = log
          .split("\n")
          .filter((l) => /Could not load dynamic library|Cannot dlopen|Skipping registering GPU|cannot open shared object|CUDA_ERROR|no CUDA-capable device/i.test(l))
          .map((l) => l.replace(/^.*?\] /, "").trim())
          .slice(0, 3);
        if (err && !stdout.includes("probe-done")) {
          const last = (log.trim().split("\n").pop() ?? err.message).slice(0, 400);
          return resolve({ ok: false, reason: `@tensorflow/tfjs-node-gpu failed to load: ${missing.join("; ") || last}` });
        }
        resolve({
          ok: false,
          reason: `@tensorflow/tfjs-node-gpu loaded but TensorFlow created no GPU device${missing.length ? `: ${missing.join("; ")}` : ""} (it needs CUDA 11.2 and cuDNN 8.1: libcudart.so.11.0, libcudnn.so.8)`,
        });
      },
    );
  });
}
