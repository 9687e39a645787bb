import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import type { Logger } from "pino";
import { startServer, type RunningServer } from "../../src/bootstrap";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/lib/logger";

/**
 * Real servers on loopback, each on its own temporary SQLite file, stopped and removed after every
 * test of the file that calls this (at module or describe level).
 */
export function useTestServers(prefix: string): (env?: Record<string, string>, logger?: Logger) => Promise<RunningServer> {
  const started: { server: RunningServer; dir: string }[] = [];
  afterEach(async () => {
    for (const { server, dir } of started.splice(0)) {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return async (env = {}, logger = createLogger("silent")) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `modelplan-${prefix}-`));
    const server = await startServer(loadConfig({ HOST: "127.0.0.1", PORT: "0", MODELPLAN_DB: path.join(dir, "t.db"), ...env }), logger);
    started.push({ server, dir });
    return server;
  };
}
