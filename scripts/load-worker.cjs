// The load generator of scripts/load.ts: one autocannon measurement in a worker thread of its own
// (so that it does not share the servers' event loop), posted back unaggregated — the main thread
// merges the latency histograms of a row's slices with autocannon.aggregateResult, so that the row's
// percentiles are those of all its requests. Plain CommonJS: started by path with new Worker().
const { parentPort, workerData } = require("node:worker_threads");
const autocannon = require("autocannon");

const { opts, setupRequest } = workerData;
const instance = autocannon(
  { ...opts, skipAggregateResult: true, ...(setupRequest ? { requests: [{ setupRequest: require(setupRequest) }] } : {}) },
  (err, result) => {
    if (err) throw err;
    parentPort.postMessage({ type: "result", result });
  },
);
// The measured run starts now: the main thread takes its CPU figures from here, not from the
// worker's start-up.
instance.once("start", () => parentPort.postMessage({ type: "start" }));
