/**
 * Choose and start a TensorFlow.js backend. Order of preference: tfjs-node-gpu (installed and a CUDA
 * device answers nvidia-smi), tfjs-node, wasm (SIMD, loaded from node_modules), pure-JS cpu.
 * Override with the option `backend` or the environment variable MODELPLAN_TF_BACKEND.
 */
import * as tf from "@tensorflow/tfjs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { registerWasmKernels, type WasmPatchReport } from "./wasm-kernels";

export const BACKEND_CHOICES = ["node-gpu", "node", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

const PACKAGES: Record<BackendChoice, string> = {
  "node-gpu": "@tensorflow/tfjs-node-gpu",
  node: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs-backend-cpu",
};

export interface BackendAttempt {
  choice: BackendChoice;
  ok: boolean;
  reason: string;
}

export interface BackendInfo {
  /** Which of the four ran. */
  choice: BackendChoice;
  /** The tfjs backend name ('tensorflow' for both tfjs-node variants). */
  tfBackend: string;
  package: string;
  packageVersion: string | null;
  /** Why this one: the default order, an override, and what was tried before it. */
  selectedBy: "auto" | "option" | "env";
  attempts: BackendAttempt[];
  /** Threads one backend instance computes with (wasm and cpu in Node: 1). */
  threadsPerInstance: number | null;
  simd: boolean | null;
  precision: "float32";
  wasmKernels?: WasmPatchReport;
  versions: Record<string, string>;
}

const require = createRequire(import.meta.url);

export function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** First answer of nvidia-smi, or null when no CUDA device answers. */
export function queryNvidiaSmi(): { name: string; memoryMiB: number; driver: string }[] | null {
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

/** Directory holding the wasm backend's .wasm files. */
export function wasmDir(): string {
  return path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
}

async function tryStart(choice: BackendChoice): Promise<{ ok: true; tfBackend: string } | { ok: false; reason: string }> {
  const pkg = PACKAGES[choice];
  try {
    switch (choice) {
      case "node-gpu":
      case "node": {
        if (!isInstalled(pkg)) return { ok: false, reason: `${pkg} is not installed` };
        if (choice === "node-gpu" && !queryNvidiaSmi()) return { ok: false, reason: "no CUDA device answers nvidia-smi" };
        const spec: string = pkg; // a variable specifier: the package is optional and may be absent
        await import(spec);
        if (!tf.findBackend("tensorflow")) {
          return { ok: false, reason: `${pkg} loaded but registered no 'tensorflow' backend on this @tensorflow/tfjs (version mismatch?)` };
        }
        if (!(await tf.setBackend("tensorflow"))) return { ok: false, reason: "tf.setBackend('tensorflow') failed" };
        return { ok: true, tfBackend: "tensorflow" };
      }
      case "wasm": {
        if (!isInstalled(pkg)) return { ok: false, reason: `${pkg} is not installed` };
        const wasm = (await import("@tensorflow/tfjs-backend-wasm")) as typeof import("@tensorflow/tfjs-backend-wasm");
        wasm.setWasmPaths(wasmDir());
        if (!(await tf.setBackend("wasm"))) return { ok: false, reason: "tf.setBackend('wasm') failed" };
        return { ok: true, tfBackend: "wasm" };
      }
      case "cpu": {
        if (!(await tf.setBackend("cpu"))) return { ok: false, reason: "tf.setBackend('cpu') failed" };
        return { ok: true, tfBackend: "cpu" };
      }
    }
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export function parseBackendChoice(value: string | undefined, source: string): BackendChoice | undefined {
  if (value === undefined || value === "" || value === "auto") return undefined;
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new Error(`${source}: unknown backend ${JSON.stringify(value)}; use one of ${BACKEND_CHOICES.join(", ")} or auto`);
}

/**
 * Start the best backend present (or the one asked for) and describe it. An explicit choice that
 * cannot start is an error (no silent fallback); the automatic order falls through with reasons.
 */
export async function initBackend(opts: { backend?: BackendChoice | "auto" } = {}): Promise<BackendInfo> {
  const fromOption = opts.backend && opts.backend !== "auto" ? opts.backend : undefined;
  const fromEnv = parseBackendChoice(process.env.MODELPLAN_TF_BACKEND, "MODELPLAN_TF_BACKEND");
  const forced = fromOption ?? fromEnv;
  const order: BackendChoice[] = forced ? [forced] : [...BACKEND_CHOICES];
  const attempts: BackendAttempt[] = [];
  for (const choice of order) {
    const r = await tryStart(choice);
    if (!r.ok) {
      attempts.push({ choice, ok: false, reason: r.reason });
      continue;
    }
    attempts.push({ choice, ok: true, reason: forced ? `chosen by ${fromOption ? "option" : "MODELPLAN_TF_BACKEND"}` : "best present" });
    await tf.ready();
    const wasmKernels = choice === "wasm" ? registerWasmKernels() : undefined;
    const flags = tf.env().features as Record<string, unknown>;
    return {
      choice,
      tfBackend: r.tfBackend,
      package: PACKAGES[choice],
      packageVersion: packageVersion(PACKAGES[choice]),
      selectedBy: fromOption ? "option" : fromEnv ? "env" : "auto",
      attempts,
      // wasm in Node loads its single-threaded build (the threaded build needs a browser worker pool).
      threadsPerInstance: choice === "wasm" ? (flags.WASM_HAS_MULTITHREAD_SUPPORT ? null : 1) : choice === "cpu" ? 1 : null,
      simd: choice === "wasm" ? Boolean(flags.WASM_HAS_SIMD_SUPPORT) : null,
      precision: "float32",
      wasmKernels,
      versions: { node: process.versions.node, ...tf.version, [PACKAGES[choice]]: packageVersion(PACKAGES[choice]) ?? "unknown" },
    };
  }
  const detail = attempts.map((a) => `${a.choice}: ${a.reason}`).join("; ");
  throw new Error(forced ? `backend ${forced} could not start (${detail})` : `no TensorFlow.js backend could start (${detail})`);
}
