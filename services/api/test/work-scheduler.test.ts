/**
 * The generic scheduler of heavy work (lib/work-scheduler.ts) on a one-thread pool of a test worker
 * (fixtures/busy-worker.mjs): what a caller gets when it asks for a computation that is being stopped.
 */
import { afterAll, describe, expect, it } from "vitest";
import { WorkScheduler } from "../src/lib/work-scheduler";
import { ApiError } from "../src/lib/problem";

interface Task {
  id: string;
  ms: number;
}

const scheduler = new WorkScheduler<Task, { id: string }>({
  filename: new URL("./fixtures/busy-worker.mjs", import.meta.url).href,
  threads: 1,
  words: { plural: "test computations", budgetName: "testBudgetMs", inFlightName: "maxTestsInFlight", queuedName: "maxTestsQueued", overBudgetHint: "Retry.", retryAfterS: 1 },
});
const limits = { budgetMs: 60_000, maxInFlightPerWorkspace: 4, maxQueued: 8 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => scheduler.close());

describe("WorkScheduler", () => {
  it("a caller arriving while an abandoned computation is being stopped gets a computation of its own", async () => {
    const gone = new AbortController();
    const first = scheduler.run("same key", "ws", () => ({ id: "first", ms: 600 }), limits, gone.signal, "The test computation").catch((e: unknown) => e);
    await sleep(100); // on its thread now
    gone.abort(new Error("the caller closed the connection"));
    const refused = await first;
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(503);
    // The first is stopping but its thread is still busy (the task does not look at the flag): the next
    // caller for the same key must not be handed the first caller's reason (it answered 500 before).
    const second = await scheduler.run("same key", "ws", () => ({ id: "second", ms: 10 }), limits, undefined, "The test computation");
    expect(second.id).toBe("second");
    expect(scheduler.stats().inFlight).toBe(0);
  }, 20_000);

  it("callers asking for the same key while it runs share one computation", async () => {
    const a = scheduler.run("shared", "ws", () => ({ id: "a", ms: 200 }), limits, undefined, "The test computation");
    const b = scheduler.run("shared", "ws", () => ({ id: "b", ms: 200 }), limits, undefined, "The test computation");
    expect((await a).id).toBe("a");
    expect((await b).id).toBe("a");
  }, 20_000);
});
