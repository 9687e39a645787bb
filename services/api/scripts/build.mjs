// Builds the service to JavaScript (services/api/dist), so that `npm start` runs it with plain Node:
// no TypeScript loader at run time, and signals go straight to the server process.
//
// One bundle per entry point: the workspace packages (@modelplan/*, TypeScript sources) are compiled
// into it, their JSON catalogs included; npm dependencies stay imports of node_modules. The
// benchmark worker is its own entry: the pool forks it beside the bundle (packages/bench/src/pool.ts);
// so are the calibration fitting worker and the plan worker, run on threads by lib/work-scheduler.ts
// (routes/benchmarks/fit-scheduler.ts, routes/plans/plan-compute.ts).
// Migrations and the use-case seed are read from the installed @modelplan/db package at run time.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const outdir = fileURLToPath(new URL("../dist", import.meta.url));

/** Bundles our own packages; leaves every other bare import (npm packages, node: modules) to Node. */
const externalNpmPackages = {
  name: "external-npm-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@modelplan/") ? undefined : { path: args.path, external: true }));
  },
};

const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: {
    server: "services/api/src/server.ts",
    keys: "services/api/scripts/keys.ts",
    "bench-worker": "packages/bench/src/worker.ts",
    "fitting-worker": "services/api/src/routes/benchmarks/fitting.worker.ts",
    "plan-worker": "services/api/src/routes/plans/plans.worker.ts",
  },
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  plugins: [externalNpmPackages],
  logLevel: "warning",
});
console.log(`built services/api/dist (server.js, keys.js, bench-worker.js, fitting-worker.js, plan-worker.js) in ${Math.round(performance.now() - started)} ms`);
