// The subset of autocannon's programmatic API that scripts/load.ts, load-replicas.ts and load-worker.cjs use (the
// package ships no types).
declare module "autocannon" {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      connections?: number;
      duration?: number;
      headers?: Record<string, string>;
      body?: string;
    }
    interface Histogram {
      average: number;
      p50: number;
      p99: number;
      max: number;
    }
    /** A run's result with `skipAggregateResult` (or from a worker thread): histograms still encoded. */
    interface RawResult {
      /** Encoded latency histogram (ms). */
      latencies: string;
      totalCompletedRequests: number;
      /** Seconds the run actually lasted. */
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
    interface Result {
      latency: Histogram;
    }
    /** Merges unaggregated results: percentiles over all their requests. */
    function aggregateResult(results: RawResult[], opts: { url: string; connections?: number }): Result;
  }
  function autocannon(opts: autocannon.Options & { skipAggregateResult: true }): Promise<autocannon.RawResult>;
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
