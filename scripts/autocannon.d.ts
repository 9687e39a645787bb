// The subset of autocannon's programmatic API that scripts/load.ts uses (the package ships no types).
declare module "autocannon" {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      connections?: number;
      duration?: number;
      workers?: number;
      headers?: Record<string, string>;
      body?: string;
      /** Request sequence; in workers mode setupRequest is the path of a module exporting the function. */
      requests?: { setupRequest?: string }[];
    }
    interface Histogram {
      average: number;
      /** For `requests` and `throughput`: the total over the run. */
      total: number;
      p50: number;
      p99: number;
      max: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      /** Seconds the run actually lasted. */
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
