/** GPU discovery through nvidia-smi (no TensorFlow.js). */
import { execFileSync } from "node:child_process";

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

