// The entry of a worker thread when the service runs from its TypeScript sources (tsx, vitest): loads
// the worker module named in workerData with tsx's API and hands its default export to piscina.
// (`--import tsx` in a worker's execArgv does not register tsx's ESM hooks there on Node 20, and
// piscina's require() fallback cannot load modules with top-level await.) The built service
// (services/api/dist) runs the bundled worker files instead, with plain Node: lib/work-scheduler.ts.
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const mod = await tsImport(workerData.tsEntry, import.meta.url);
export default mod.default;
