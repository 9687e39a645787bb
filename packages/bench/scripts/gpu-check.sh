#!/usr/bin/env bash
# The GPU check: the bench quick suite on the WebGPU backend, and on tfjs-node-gpu where it loads, on the
# machine at hand; JSON (the SuiteResult, the body POST /v1/benchmarks/results takes) and Markdown (tables
# and leave-one-out accuracy) go to $OUT (default .tmp/gpu-check), with the machine's GPU and Vulkan facts
# and a summary that says plainly whether a GPU was measured or only a software adapter (lavapipe:
# emulation, not a GPU).
#
# On a lent GPU machine (no Node.js, no node_modules, no network): run packages/bench/scripts/gpu-bundle.sh
# here first, then  device run  carry [".gpu-bundle", ".gl"]  command "bash packages/bench/scripts/gpu-check.sh".
# Here (lavapipe), a short suite:
#   GPU_CHECK_ARGS='--items [{"family":"mlp","batchSize":8}] --rounds 1 --probe-sizes 64' bash packages/bench/scripts/gpu-check.sh
#
# Environment: OUT (results folder), GPU_CHECK_SUITE (quick), GPU_CHECK_ARGS (replace the suite, e.g. --items …),
# GPU_CHECK_BACKENDS ("webgpu node-gpu"), GPU_CHECK_USE_BUNDLE=1 (run the bundle even where node_modules exist).
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
OUT=${OUT:-$ROOT/.tmp/gpu-check}
mkdir -p "$OUT"
SUITE_ARGS=${GPU_CHECK_ARGS:---suite ${GPU_CHECK_SUITE:-quick}}
BACKENDS=${GPU_CHECK_BACKENDS:-webgpu node-gpu}
ENV_TXT="$OUT/environment.txt"
SUMMARY="$OUT/summary.md"
say() { echo "$*" | tee -a "$ENV_TXT"; }
: >"$ENV_TXT"

# 1. Vulkan: the loader packages carried in .gl (device README), and the NVIDIA ICD of the lent machines.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' && ls .gl/*.deb >/dev/null 2>&1; then
  say "unpacking the carried Vulkan loader packages (.gl)"
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  say "VK_DRIVER_FILES=$VK_DRIVER_FILES"
fi
# Dawn prints a harmless warning without it.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# 2. Node.js and the bench CLI: the repository's (tsx + node_modules), else the carried bundle.
NODE=$(command -v node || true)
if [ -n "$NODE" ] && [ "$("$NODE" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]; then NODE=""; fi
if [ -z "$NODE" ] && [ -f .gpu-bundle/node.xz ]; then
  xz -dc .gpu-bundle/node.xz >/tmp/modelplan-node && chmod +x /tmp/modelplan-node && NODE=/tmp/modelplan-node
fi
if [ -z "$NODE" ]; then
  echo "no Node.js >= 20 here and no .gpu-bundle/node.xz: run packages/bench/scripts/gpu-bundle.sh and carry .gpu-bundle" | tee "$SUMMARY"
  exit 1
fi
if [ -d node_modules/tsx ] && [ -d node_modules/webgpu ] && [ "${GPU_CHECK_USE_BUNDLE:-0}" != 1 ]; then
  CLI=("$NODE" --import tsx packages/bench/src/cli.ts)
  say "bench: the repository's sources (tsx)"
elif [ -f .gpu-bundle/app/cli.mjs ]; then
  dawn=.gpu-bundle/node_modules/webgpu/dist/linux-x64/dawn.node
  [ -f "$dawn" ] || xz -dc "$dawn.xz" >"$dawn"
  export MODELPLAN_BENCH_WORKER=$ROOT/.gpu-bundle/app/worker.mjs
  CLI=("$NODE" .gpu-bundle/app/cli.mjs)
  say "bench: the carried bundle (.gpu-bundle)"
else
  echo "no node_modules and no .gpu-bundle: run packages/bench/scripts/gpu-bundle.sh and carry .gpu-bundle" | tee "$SUMMARY"
  exit 1
fi

# 3. What this machine is.
say "node $("$NODE" --version) · $(uname -srm) · $(nproc) CPUs"
if command -v nvidia-smi >/dev/null 2>&1; then
  say "nvidia-smi: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tr '\n' ';')"
else
  say "nvidia-smi: not present"
fi
command -v vulkaninfo >/dev/null 2>&1 && vulkaninfo --summary >>"$ENV_TXT" 2>&1

# 4. The suite on each backend; a backend that cannot start says why and the next one runs.
{
  echo "# GPU check ($(date -u +%Y-%m-%d))"
  echo
  echo "Suite: \`$SUITE_ARGS\`. Tables: \`<backend>.md\`; records: \`<backend>.json\`; logs: \`<backend>.log\`."
  echo
} >"$SUMMARY"
status=0
for b in $BACKENDS; do
  echo "== $b: $SUITE_ARGS"
  # shellcheck disable=SC2086
  "${CLI[@]}" --backend "$b" $SUITE_ARGS --markdown --out "$OUT/$b.json" >"$OUT/$b.md" 2>"$OUT/$b.log"
  rc=$?
  if [ ! -s "$OUT/$b.json" ]; then
    reason=$(grep -E '^(error|invalid input|.*could not start)' "$OUT/$b.log" | tail -1)
    echo "- **$b**: did not run (exit $rc): ${reason:-see $b.log}" >>"$SUMMARY"
    [ "$b" = webgpu ] && status=1
    continue
  fi
  "$NODE" -e '
    const saved = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const result = saved.leaveOneOut && saved.result ? saved.result : saved; // a SuiteResult (older bundles: { result, leaveOneOut })
    const b = result.backend, d = result.device, ok = result.runs.filter((r) => r.status === "ok");
    const fams = [...new Set(ok.map((r) => r.family + "/" + r.phase))];
    const gpu = b.computeDevice === "gpu";
    const what = b.emulation ? `SOFTWARE GPU EMULATION, NOT A GPU (${d.gpuAdapter?.description})` : gpu ? `GPU: ${d.gpuAdapter?.description || d.gpus.map((g) => g.name).join(", ")}` : "CPU";
    const ceil = (result.ceilings.wholeMachine ?? result.ceilings.perCore)?.flopsPerS;
    const w = result.webgpuProbes;
    console.log(`- **${b.choice}** on ${what}: ${ok.length}/${result.runs.length} runs ok (${fams.length} family/phase pairs), ${(result.durationMs / 1000).toFixed(0)} s; tfjs matmul ceiling ${(ceil / 1e9).toFixed(1)} GFLOP/s` +
      (w ? `; WGSL matmul f32 ${((w.bestFloat32?.flopsPerS ?? 0) / 1e9).toFixed(1)}, f16 ${w.bestFloat16 ? (w.bestFloat16.flopsPerS / 1e9).toFixed(1) : "n/a"} GFLOP/s; copy ${((w.bandwidth?.bytesPerS ?? 0) / 1e9).toFixed(1)} GB/s` : "") +
      `; fingerprint ${result.fingerprint}`);
    for (const r of result.runs.filter((r) => r.status !== "ok")) console.log(`  - FAILED ${r.modelKey} ${r.mode}: ${r.error}`);
  ' "$OUT/$b.json" >>"$SUMMARY" || status=1
  [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ] && status=1
done
if ! grep -q '^- \*\*[a-z-]*\*\* on GPU:' "$SUMMARY"; then
  echo "- **No GPU was measured in this check**: no backend computed on a GPU (figures above from a software adapter or a CPU are not GPU figures)." >>"$SUMMARY"
fi
echo >>"$SUMMARY"
cat "$SUMMARY"
exit $status
