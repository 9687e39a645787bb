/**
 * The README's start command as an operator runs it: `npm start` builds the service to JavaScript and
 * runs it with plain Node, and SIGTERM to the npm process reaches the server, which drains and exits
 * and frees its port (no orphan left holding it).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-npm-start-"));
let serverPid: number | undefined;
afterAll(() => {
  // Only when the test failed: stop the server it started, by its own pid.
  if (serverPid !== undefined) {
    try {
      process.kill(serverPid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("runs the built server, and SIGTERM to npm stops it and frees the port", async () => {
    const npm = spawn("npm", ["start"], {
      cwd: root,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", MODELPLAN_DB: path.join(dir, "start.db"), LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /"url":"(http:\/\/[^"]+)".*"pid":(\d+)/.exec(output);
        if (m) {
          serverPid = Number(m[2]);
          resolve(m[1]);
        }
      };
      npm.stdout.on("data", onData);
      npm.stderr.on("data", onData);
      npm.once("exit", (code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)));
    });
    expect(output).toContain("node services/api/dist/server.js");
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
    npm.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("shutdown complete");
    // Nothing answers on the port any more: the server went with npm.
    await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    serverPid = undefined;
  }, 120_000);
});
