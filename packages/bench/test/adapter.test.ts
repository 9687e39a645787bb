/** Software-adapter classification, labels and fingerprints: pure, no Dawn. */
import { describe, expect, it } from "vitest";
import { adapterRecord, SOFTWARE_GPU_LABEL, softwareAdapterReason } from "../src/adapter";
import { backendLabel } from "../src/backend-choice";
import { profileFingerprint } from "../src/device";
import { gpuMemory } from "../src/gpu";

// What Dawn reported on this machine for Mesa 25's lavapipe (Debian bookworm-backports).
const LAVAPIPE = {
  vendor: "mesa",
  architecture: "software",
  device: "llvmpipe-llvm-15-0-6-256-bits-",
  description: "llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1",
  isFallbackAdapter: true,
};

describe("software adapters", () => {
  it("classifies lavapipe, SwiftShader, WARP and fallback adapters as software, whatever field gives it away", () => {
    expect(softwareAdapterReason(LAVAPIPE)).toMatch(/fallback/);
    expect(softwareAdapterReason({ ...LAVAPIPE, isFallbackAdapter: false })).toMatch(/architecture "software"/);
    expect(softwareAdapterReason({ ...LAVAPIPE, isFallbackAdapter: false, architecture: "" })).toMatch(/lavapipe\/llvmpipe/);
    expect(softwareAdapterReason({ vendor: "google", architecture: "", device: "", description: "SwiftShader Device (Subzero)" })).toMatch(/SwiftShader/);
    expect(softwareAdapterReason({ vendor: "microsoft", architecture: "", device: "", description: "Microsoft Basic Render Driver" })).toMatch(/WARP/);
  });

  it("keeps real GPUs as hardware", () => {
    expect(softwareAdapterReason({ vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H100 80GB HBM3" })).toBeNull();
    expect(softwareAdapterReason({ vendor: "amd", architecture: "rdna-3", device: "", description: "AMD Radeon RX 7900 XTX" })).toBeNull();
    expect(softwareAdapterReason({ vendor: "apple", architecture: "metal-3", device: "", description: "Apple M2 Max" })).toBeNull();
    expect(softwareAdapterReason({ vendor: "intel", architecture: "xe-lpg", device: "", description: "Intel(R) Arc(TM) Graphics (warpath)" })).toBeNull();
  });

  it("records features, shader-f16 and the kept limits", () => {
    const r = adapterRecord(LAVAPIPE, ["timestamp-query", "shader-f16"], { maxBufferSize: 4294967295, maxStorageBufferBindingSize: 134217728, somethingElse: 3 }, "0.6.2");
    expect(r.software).toBe(true);
    expect(r.features).toEqual(["shader-f16", "timestamp-query"]);
    expect(r.shaderF16).toBe(true);
    expect(r.limits).toEqual({ maxBufferSize: 4294967295, maxStorageBufferBindingSize: 134217728 });
    expect(backendLabel({ choice: "webgpu", computeDevice: "cpu", emulation: SOFTWARE_GPU_LABEL, adapter: r })).toContain("software GPU emulation (not a GPU)");
    const hw = adapterRecord({ vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H100 80GB HBM3" }, [], {}, "0.6.2");
    expect(backendLabel({ choice: "webgpu", computeDevice: "gpu", adapter: hw })).toBe("webgpu on GPU NVIDIA H100 80GB HBM3 (nvidia hopper)");
  });
});

describe("profiles of one machine", () => {
  const machine = { cpuModel: "AMD EPYC 9654", logicalCores: 16, memoryBytes: 128 * 2 ** 30, arch: "x64", gpus: [{ name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driver: "550.54.15" }] };
  const versions = { node: "20.20.2", "tfjs-core": "4.22.0" };
  const h100 = adapterRecord({ vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H100 80GB HBM3" }, ["shader-f16"], {}, "0.6.2");
  const lvp = adapterRecord(LAVAPIPE, [], {}, "0.6.2");

  it("separates the GPU profile, the CPU profile and a software adapter's profile", () => {
    const gpu = profileFingerprint(machine, { choice: "webgpu", versions, computeDevice: "gpu", adapter: h100 });
    const cpu = profileFingerprint(machine, { choice: "wasm", versions });
    const soft = profileFingerprint(machine, { choice: "webgpu", versions, computeDevice: "cpu", adapter: lvp });
    expect(new Set([gpu, cpu, soft]).size).toBe(3);
    // Other backends hash what they hashed before WebGPU existed: stored profiles keep their fingerprint.
    expect(profileFingerprint(machine, { choice: "wasm", versions, computeDevice: "cpu" })).toBe(cpu);
  });

  it("takes the GPU's memory from nvidia-smi for an NVIDIA adapter and from system memory for a software one", () => {
    const m = gpuMemory(h100, machine.gpus);
    expect(m?.bytes).toBe(81559 * 2 ** 20);
    expect(m?.source).toMatch(/nvidia-smi/);
    expect(gpuMemory(lvp, null)?.source).toMatch(/system memory/);
  });
});
