#!/usr/bin/env -S npx tsx
/**
 * modelplan-bench: run a benchmark suite on this machine with TensorFlow.js (cli-main.ts).
 *
 * Standalone, it has no service database: it saves the result and prints the exact command that
 * stores it. `npm run bench` (services/api/scripts/bench.ts) runs the same CLI and stores the runs in the
 * service's database (MODELPLAN_DB / DATABASE_URL) by default.
 */
import { runBenchCliMain } from "./cli-main";

runBenchCliMain({ command: "npx tsx packages/bench/src/cli.ts" });
