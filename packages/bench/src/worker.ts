/**
 * Entry of a benchmark worker process (forked by pool.ts with tsx registered). It starts a backend,
 * then executes tasks one at a time; with a barrier it warms up, reports "armed" and waits for "go"
 * so that all workers time the same window.
 */
import { initBackend, releaseBackend } from "./backend";
import type { FromWorker, ToWorker } from "./protocol";
import { executeTask, TaskContext } from "./task";

const send = (msg: FromWorker) => process.send?.(msg);
const ctx = new TaskContext();
const goWaiters = new Map<number, () => void>();
/** "go" that arrived before this worker armed (the pool releases a barrier early when a worker fails). */
const earlyGo = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

process.on("message", (raw) => {
  const msg = raw as ToWorker;
  switch (msg.type) {
    case "init":
      queue = queue.then(async () => {
        try {
          send({ type: "ready", backend: await initBackend({ backend: msg.backend, wasmKernels: msg.wasmKernels }) });
        } catch (err) {
          send({ type: "init-failed", error: errorText(err) });
        }
      });
      return;
    case "go": {
      const resolve = goWaiters.get(msg.id);
      if (resolve) {
        goWaiters.delete(msg.id);
        resolve();
      } else earlyGo.add(msg.id);
      return;
    }
    case "release":
      queue = queue.then(() => ctx.release());
      return;
    case "task":
      queue = queue.then(async () => {
        const arm = msg.barrier
          ? () =>
              new Promise<void>((resolve) => {
                if (earlyGo.delete(msg.id)) return resolve();
                goWaiters.set(msg.id, resolve);
                send({ type: "armed", id: msg.id });
              })
          : undefined;
        try {
          send({ type: "result", id: msg.id, result: await executeTask(msg.task, ctx, arm) });
        } catch (err) {
          // A failed model leaves its tensors behind: drop the cached model so the next task starts clean.
          try {
            ctx.release();
          } catch {
            /* the backend may be unusable; the pool replaces a worker that dies */
          }
          send({ type: "failed", id: msg.id, error: errorText(err) });
        }
      });
      return;
  }
});

// The parent went away: release the GPU device (Node does not exit while one is alive) and end.
process.on("disconnect", () => {
  try {
    releaseBackend();
  } finally {
    process.exit(0);
  }
});
