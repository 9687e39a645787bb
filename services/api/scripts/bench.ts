// `npm run bench`: the bench CLI (@modelplan/bench) storing its runs in the service's own database —
// the DATABASE_URL / MODELPLAN_DB the server uses (config.ts) — so that the service sees them (GET
// /v1/hardware-profiles, "hardware": "local"). --no-store saves the result to a file instead and prints
// the command that stores it; --server URL --api-key KEY posts to a remote service.
//
//   npm run bench -- --suite quick [--backend webgpu] [--workspace ws_default] [--no-store]
//   npm run bench -- --upload modelplan-bench-quick-….json
import { runBenchCliMain } from "@modelplan/bench";
import { loadConfig } from "../src/config";
import { databaseStore } from "../src/routes/benchmarks/cli-store";

runBenchCliMain({ store: databaseStore(() => loadConfig().database), command: "npm run bench --" });
