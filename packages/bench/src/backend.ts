/**
 * Choose and start a TensorFlow.js backend. Order of preference (backend-choice.ts): tfjs-node-gpu
 * (installed, a CUDA device answers nvidia-smi, and its TensorFlow creates a GPU device), WebGPU through
 * Dawn (a hardware adapter only), tfjs-node, wasm (SIMD, loaded from node_modules), pure-JS cpu.
 * Override with the option `backend` or the environment variable MODELPLAN_TF_BACKEND.
 */
import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import path from "node:path";
import { SOFTWARE_GPU_LABEL, type GpuAdapterRecord } from "./adapter";
import { BACKEND_CHOICES, BACKEND_PACKAGES, parseBackendChoice, type BackendAttempt, type BackendChoice, type BackendInfo } from "./backend-choice";
import { probeNodeGpu, queryNvidiaSmi } from "./gpu";
import { registerWasmKernels } from "./wasm-kernels";
import { releaseWebGpu, startWebGpu } from "./webgpu";

export { BACKEND_CHOICES, parseBackendChoice, type BackendChoice, type BackendInfo };

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

/** Directory holding the wasm backend's .wasm files. */
export function wasmDir(): string {
  return path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
}

type Started = { ok: true; tfBackend: string; adapter?: GpuAdapterRecord; note?: string } | { ok: false; reason: string };

async function tryStart(choice: BackendChoice, explicit: boolean): Promise<Started> {
  const pkg = BACKEND_PACKAGES[choice];
  try {
    switch (choice) {
      case "node-gpu":
      case "node": {
        if (!isInstalled(pkg)) return { ok: false, reason: `${pkg} is not installed` };
        let note: string | undefined;
        if (choice === "node-gpu") {
          if (!queryNvidiaSmi()) return { ok: false, reason: "no CUDA device answers nvidia-smi" };
          const probe = await probeNodeGpu();
          if (!probe.ok) return { ok: false, reason: probe.reason };
          note = probe.device;
        }
        const spec: string = pkg; // a variable specifier: the package is optional and may be absent
        await import(spec);
        if (!tf.findBackend("tensorflow")) {
          return { ok: false, reason: `${pkg} loaded but registered no 'tensorflow' backend on this @tensorflow/tfjs (version mismatch?)` };
        }
        if (!(await tf.setBackend("tensorflow"))) return { ok: false, reason: "tf.setBackend('tensorflow') failed" };
        return { ok: true, tfBackend: "tensorflow", note };
      }
      case "webgpu": {
        if (!isInstalled(pkg)) return { ok: false, reason: `${pkg} is not installed` };
        if (!isInstalled("webgpu")) return { ok: false, reason: "the webgpu package (Dawn's Node bindings) is not installed" };
        const r = await startWebGpu(explicit);
        if (!r.ok) return r;
        return { ok: true, tfBackend: "webgpu", adapter: r.record, note: r.record.software ? `${r.record.softwareReason}: ${SOFTWARE_GPU_LABEL}` : undefined };
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

/**
 * Start the best backend present (or the one asked for) and describe it. An explicit choice that
 * cannot start is an error (no silent fallback); the automatic order falls through with reasons. The
 * automatic order never takes a WebGPU software adapter; an explicit `webgpu` runs on one, labelled.
 */
export async function initBackend(opts: { backend?: BackendChoice | "auto"; wasmKernels?: boolean } = {}): Promise<BackendInfo> {
  const fromOption = opts.backend && opts.backend !== "auto" ? opts.backend : undefined;
  const fromEnv = parseBackendChoice(process.env.MODELPLAN_TF_BACKEND, "MODELPLAN_TF_BACKEND");
  const forced = fromOption ?? fromEnv;
  const order: BackendChoice[] = forced ? [forced] : [...BACKEND_CHOICES];
  const attempts: BackendAttempt[] = [];
  for (const choice of order) {
    const r = await tryStart(choice, forced !== undefined);
    if (!r.ok) {
      attempts.push({ choice, ok: false, reason: r.reason });
      continue;
    }
    const why = forced ? `chosen by ${fromOption ? "option" : "MODELPLAN_TF_BACKEND"}` : "best present";
    attempts.push({ choice, ok: true, reason: r.note ? `${why}; ${r.note}` : why });
    await tf.ready();
    // The bench engine's wasm kernels are on unless asked off (option, or MODELPLAN_WASM_KERNELS=off),
    // which measures the wasm backend as shipped.
    const patch = opts.wasmKernels ?? process.env.MODELPLAN_WASM_KERNELS !== "off";
    const wasmKernels = choice === "wasm" && patch ? registerWasmKernels() : undefined;
    const flags = tf.env().features as Record<string, unknown>;
    const software = r.adapter?.software === true;
    const onGpu = choice === "node-gpu" || (choice === "webgpu" && !software);
    return {
      choice,
      tfBackend: r.tfBackend,
      package: BACKEND_PACKAGES[choice],
      packageVersion: packageVersion(BACKEND_PACKAGES[choice]),
      selectedBy: fromOption ? "option" : fromEnv ? "env" : "auto",
      attempts,
      // wasm in Node loads its single-threaded build (the threaded build needs a browser worker pool).
      threadsPerInstance: choice === "wasm" ? (flags.WASM_HAS_MULTITHREAD_SUPPORT ? null : 1) : choice === "cpu" ? 1 : null,
      simd: choice === "wasm" ? Boolean(flags.WASM_HAS_SIMD_SUPPORT) : null,
      precision: "float32",
      computeDevice: onGpu ? "gpu" : "cpu",
      ...(software ? { emulation: SOFTWARE_GPU_LABEL } : {}),
      asynchronous: choice === "webgpu" || r.tfBackend === "tensorflow",
      ...(r.adapter ? { adapter: r.adapter } : {}),
      wasmKernels,
      versions: {
        node: process.versions.node,
        ...tf.version,
        [BACKEND_PACKAGES[choice]]: packageVersion(BACKEND_PACKAGES[choice]) ?? "unknown",
        ...(choice === "wasm" ? { "modelplan-wasm-kernels": wasmKernels ? "on" : "off" } : {}),
        ...(choice === "webgpu" ? { webgpu: r.adapter?.dawnPackageVersion ?? "unknown" } : {}),
      },
    };
  }
  const detail = attempts.map((a) => `${a.choice}: ${a.reason}`).join("; ");
  throw new Error(forced ? `backend ${forced} could not start (${detail})` : `no TensorFlow.js backend could start (${detail})`);
}

/**
 * Release what the backend holds outside the JS heap so that the process can end: the WebGPU device
 * (Node does not exit while a GPUDevice is alive). Idempotent.
 */
export function releaseBackend(): void {
  releaseWebGpu();
}
