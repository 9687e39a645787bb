/**
 * The job queue's bounds and fairness, with an injected suite runner (no TensorFlow.js): owners are
 * served in turn, the queue refuses past its per-owner and global limits, a job past its time cap is
 * stopped and failed, and a plan may not ask for more workers than the machine's cores.
 */
import { describe, expect, it } from "vitest";
import { BenchInputError } from "../src/errors";
import { JobQueue, QueueFullError, usableCores, type JobEvent } from "../src/jobs";
import type { RunSuiteOptions } from "../src/runner";
import type { SuiteResult } from "../src/results";
import { resolveSuite, type SuitePlan } from "../src/suite";

const PLAN = resolveSuite({ items: [{ family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 }], budgetMs: 100, wholeMachine: false, sgemm: false, probeSizes: [64] });

/** A runner whose jobs end when the test says (or when aborted), recording the order they started in. */
function controlledRunner() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const runSuite = (plan: SuitePlan, opts: RunSuiteOptions) =>
    new Promise<SuiteResult>((resolve, reject) => {
      const name = labels.get(plan)!;
      started.push(name);
      const result = { status: "completed", runs: [] } as unknown as SuiteResult;
      finishers.set(name, () => resolve(result));
      opts.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
    });
  return { started, finish: (name: string) => finishers.get(name)!(), runSuite };
}

/** Plans told apart by a label (a plan's own name is its suite's). */
const labels = new WeakMap<SuitePlan, string>();
const named = (label: string): SuitePlan => {
  const plan = { ...PLAN };
  labels.set(plan, label);
  return plan;
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("job queue bounds and fairness", () => {
  it("serves owners in turn, FIFO within an owner", async () => {
    const r = controlledRunner();
    const queue = new JobQueue({ runSuite: r.runSuite, maxPendingPerOwner: 10, maxPending: 10 });
    // Owner a queues three jobs before b and c queue one each: one FIFO would run a's three first; in
    // turn, b and c go before a's second job, as a's first has just started.
    queue.submit(named("a1"), "a1", "a");
    queue.submit(named("a2"), "a2", "a");
    queue.submit(named("a3"), "a3", "a");
    queue.submit(named("b1"), "b1", "b");
    queue.submit(named("c1"), "c1", "c");
    expect(queue.pending().map((j) => j.id)).toEqual(["a1", "b1", "c1", "a2", "a3"]);
    for (const name of ["a1", "b1", "c1", "a2", "a3"]) {
      await tick();
      r.finish(name);
      await queue.wait(name);
    }
    expect(r.started).toEqual(["a1", "b1", "c1", "a2", "a3"]);
  });

  it("refuses past the per-owner and the global limit, and admits again once a job ended", async () => {
    const r = controlledRunner();
    const queue = new JobQueue({ runSuite: r.runSuite, maxPendingPerOwner: 2, maxPending: 3 });
    queue.submit(named("a1"), "a1", "a");
    queue.submit(named("a2"), "a2", "a");
    const owner = (() => {
      try {
        queue.submit(named("a3"), "a3", "a");
      } catch (e) {
        return e;
      }
    })();
    expect(owner).toBeInstanceOf(QueueFullError);
    expect(owner).toMatchObject({ scope: "owner", limit: 2 });
    queue.submit(named("b1"), "b1", "b");
    expect(() => queue.submit(named("c1"), "c1", "c")).toThrow(expect.objectContaining({ scope: "queue", limit: 3 }));
    expect(queue.get("a3")).toBeUndefined(); // nothing of a refused job is kept
    await tick();
    r.finish("a1");
    await queue.wait("a1");
    queue.submit(named("c1"), "c1", "c");
    await queue.close();
  });

  it("stops a job past its time cap and marks it failed naming the cap", async () => {
    const events: JobEvent[] = [];
    const r = controlledRunner();
    const queue = new JobQueue({ runSuite: r.runSuite, jobTimeCapMs: 50, onEvent: (e) => events.push(e) });
    queue.submit(named("slow"), "slow", "a");
    await queue.wait("slow");
    const job = queue.get("slow")!;
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/per-job time cap of .* \(50 ms\)/);
    expect(events.at(-1)).toMatchObject({ type: "finished", job: { status: "failed" } });
  });

  it("fails a job on request with the reason given", async () => {
    const r = controlledRunner();
    const queue = new JobQueue({ runSuite: r.runSuite });
    queue.submit(named("x"), "x", "a");
    queue.submit(named("y"), "y", "a");
    expect(queue.fail("y", "profile full")).toBe(true); // queued
    expect(queue.fail("x", "profile full")).toBe(true); // running
    await queue.wait("x");
    expect([queue.get("x"), queue.get("y")].map((j) => [j!.status, j!.error])).toEqual([
      ["failed", "profile full"],
      ["failed", "profile full"],
    ]);
  });

  it("refuses more workers than the cores the backend can use", () => {
    const queue = new JobQueue({ runSuite: controlledRunner().runSuite, maxWorkers: 4 });
    const err = (() => {
      try {
        queue.submit({ ...PLAN, workers: 5 }, "w", "a");
      } catch (e) {
        return e as BenchInputError;
      }
    })();
    expect(err).toBeInstanceOf(BenchInputError);
    expect(err!.path).toEqual(["workers"]);
    expect(err!.limit).toEqual({ min: 1, max: 4 });
    expect(usableCores()).toBeGreaterThanOrEqual(1);
  });
});
