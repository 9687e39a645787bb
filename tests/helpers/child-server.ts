/**
 * The API as a child process with PORT and MODELPLAN_DB in the environment: built, the way `npm start`
 * runs it (`node services/api/dist/server.js`, after `npm run build`), or from its sources
 * (`npx tsx services/api/src/server.ts`, `tsx ...`, or `node --import tsx ...`). Started in its own
 * process group so that a signal reaches the server behind the npx/tsx wrappers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SERVER = "services/api/src/server.ts";

export const RUNNERS = ["built", "npx", "tsx", "node"] as const;
export type Runner = (typeof RUNNERS)[number];

export function runnerCommand(runner: Runner): [string, string[]] {
  if (runner === "built") return [process.execPath, [path.join(REPO_ROOT, "services/api/dist/server.js")]];
  if (runner === "npx") return ["npx", ["tsx", SERVER]];
  if (runner === "tsx") return [path.join(REPO_ROOT, "node_modules/.bin/tsx"), [SERVER]];
  return [process.execPath, ["--import", "tsx", SERVER]];
}

const liveGroups = new Set<number>();
let cleanupInstalled = false;

/** SIGKILLs every process group started here that may still run (on exit, even after a crash). */
export function killAllChildGroups(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // gone
    }
  }
  liveGroups.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", killAllChildGroups);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      killAllChildGroups();
      process.exit(130);
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  child: ChildProcess;
  /** Process-group id (= the leader's pid). */
  pgid: number;
  port: number;
  url: string;
  /** Last lines of stdout+stderr, for diagnostics. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to the whole group (default) or only the leader. */
  signal(sig: NodeJS.Signals, target?: "group" | "leader"): void;
  /** Resolves when no process of the group is left (the server behind the wrappers included). */
  waitGone(timeoutMs?: number): Promise<boolean>;
}

/** Starts the server and resolves once GET /health answers 200. */
export async function startChildServer(opts: { runner: Runner; dbPath: string; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<ChildServer> {
  const port = await freePort();
  const [cmd, args] = runnerCommand(opts.runner);
  const child = spawn(cmd, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), MODELPLAN_DB: opts.dbPath, LOG_LEVEL: "warn", ...opts.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString().split("\n")) if (line.trim()) output.push(line.slice(0, 500));
    if (output.length > 80) output.splice(0, output.length - 80);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const pgid = child.pid!;
  installCleanup();
  liveGroups.add(pgid);
  const url = `http://127.0.0.1:${port}`;
  const groupAlive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const server: ChildServer = {
    child,
    pgid,
    port,
    url,
    output,
    exited,
    signal(sig, target = "group") {
      try {
        process.kill(target === "group" ? -pgid : pgid, sig);
      } catch {
        // already gone
      }
    },
    async waitGone(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (!groupAlive()) {
          liveGroups.delete(pgid);
          return true;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return !groupAlive();
    },
  };
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const until = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  while (Date.now() < until) {
    if (exitedEarly) throw new Error(`server exited during start-up:\n${output.join("\n")}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = (globalThis.fetch as typeof fetch)(`${url}/health`).then(
        (r) => resolve(r.ok),
        () => resolve(false),
      );
      void req;
    });
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 50));
  }
  server.signal("SIGKILL");
  throw new Error(`server not ready within ${opts.readyTimeoutMs ?? 90_000} ms:\n${output.join("\n")}`);
}
