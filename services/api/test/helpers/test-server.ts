import { afterEach } from "vitest";
import type { Logger } from "pino";
import { startServer, type RunningServer } from "../../src/bootstrap";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/lib/logger";
import { freshTestDatabase } from "../../../../tests/helpers/test-database";

/**
 * Real servers on loopback, each on its own database (a temporary SQLite file, or a fresh PostgreSQL
 * database when the suite runs on PostgreSQL), stopped and removed after every test of the file that
 * calls this (at module or describe level). An `env` naming MODELPLAN_DB or DATABASE_URL picks the
 * database itself.
 */
export type TestServer = RunningServer & {
  /** The DATABASE_URL it runs on (for another process or connection to open the same database). */
  databaseUrl: string;
};

export function useTestServers(prefix = "server"): (env?: Record<string, string>, logger?: Logger) => Promise<TestServer> {
  const started: { server: RunningServer; drop: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const { server, drop } of started.splice(0)) {
      await server.close();
      await drop();
    }
  });
  return async (env = {}, logger = createLogger("silent")) => {
    const fresh = env.MODELPLAN_DB || env.DATABASE_URL ? undefined : await freshTestDatabase({ file: true, prefix });
    const databaseUrl = env.DATABASE_URL ?? env.MODELPLAN_DB ?? fresh!.url;
    const server = await startServer(loadConfig({ HOST: "127.0.0.1", PORT: "0", ...(fresh ? { DATABASE_URL: fresh.url } : {}), ...env }), logger);
    started.push({ server, drop: fresh?.drop ?? (async () => undefined) });
    return Object.assign(server, { databaseUrl });
  };
}
