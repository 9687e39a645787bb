#!/usr/bin/env bash
# Prepare what packages/bench/scripts/gpu-check.sh needs on a lent GPU machine that has no Node.js, no
# node_modules and no network: .gpu-bundle/ (the bench CLI and its worker compiled by esbuild, Dawn's
# linux-x64 dawn.node, the package.json files the version record reads, and this machine's node binary,
# xz-compressed) and .gl/ (the Vulkan loader packages, per the device README). Both are git-ignored; name
# them in the device call's `carry`. Run from anywhere inside the repository, here, before the call.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
B=.gpu-bundle
rm -rf "$B" && mkdir -p "$B/app" "$B/node_modules"

echo "== esbuild: bench CLI and worker"
npx esbuild packages/bench/src/cli.ts packages/bench/src/worker.ts \
  --bundle --platform=node --format=esm --target=node20 --outdir="$B/app" --out-extension:.js=.mjs \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --external:better-sqlite3 \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --log-level=warning

echo "== Dawn (linux-x64) and the package.json files of the recorded versions"
mkdir -p "$B/node_modules/webgpu/dist/linux-x64"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$B/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$B/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
for p in node_modules/@tensorflow/*/package.json; do
  mkdir -p "$B/$(dirname "$p")" && cp "$p" "$B/$p"
done

echo "== node $(node --version) (xz)"
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" >"$B/node.xz"

if [ ! -d .gl ] && command -v apt-get >/dev/null 2>&1; then
  echo "== Vulkan loader packages (.gl, device README)"
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update -qq && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
fi
du -sh "$B" .gl 2>/dev/null || true
echo "carry: [\"$B\", \".gl\"] — command: bash packages/bench/scripts/gpu-check.sh"
