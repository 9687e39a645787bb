import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "./app";
import { countActiveKeys } from "./auth/api-keys.repository";
import { isLoopbackHost, type Config } from "./config";
import { describeLocation, loadUseCaseCatalog, openDatabase, type Database, type LoadResult } from "@modelplan/db";
import { readUseCaseCatalog } from "./routes/use-cases/use-cases.catalog";
import { createLogger, type Logger } from "./lib/logger";
import type { ResponseCache } from "./lib/response-cache";
import { benchmarkService, closeBenchmarkService } from "./routes/benchmarks/index";
import { estimateResponseCache } from "./routes/estimates/estimates.cache";
import type { AppOpenAPI } from "./lib/types";

export interface RunningServer {
  url: string;
  port: number;
  app: AppOpenAPI;
  database: Database;
  logger: Logger;
  /** The cache of estimate answers (its stats say how many requests it answered). */
  responseCache: ResponseCache;
  /** Stops accepting connections, waits for in-flight requests (up to the grace period), closes the DB. */
  close(): Promise<void>;
}

/**
 * Opens the database (applying migrations), loads the use-case catalog idempotently, builds the app
 * and listens. Used by `npm start` and by the integration tests (port 0 = an ephemeral port).
 */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  let catalog: LoadResult | undefined;
  const database = await openDatabase(config.database, {
    lockTimeoutMs: config.databaseLockTimeoutMs,
    poolMax: config.databasePoolMax,
    applicationName: `modelplan ${process.pid}`,
    onMigrationLockWait: () => logger.info("another replica is migrating the database: waiting for it"),
    onPoolError: (err) => logger.warn({ err }, "an idle PostgreSQL connection failed; the pool replaces it"),
    // Under the migration lock on PostgreSQL: replicas starting together load the catalog one at a time.
    seed: async (d) => {
      catalog = await loadUseCaseCatalog(d, readUseCaseCatalog());
    },
  });
  logger.info({ db: describeLocation(config.database), dialect: database.dialect, catalog }, "database ready");
  const keys = await countActiveKeys(database);
  if (config.authMode === "off") {
    logger.warn("AUTH=off: every request is served without an API key, in the default workspace. Never expose this beyond a trusted network.");
  } else if (keys === 0) {
    if (config.authMode === "on" || !isLoopbackHost(config.host)) {
      await database.close();
      throw new Error(
        `no API key exists and the service would be reachable on ${config.host}: create one with \`npm run keys -- create --workspace <id> --scope admin\`, bind HOST=127.0.0.1, or set AUTH=off to run without keys`,
      );
    }
    logger.warn("no API key exists: running OPEN on loopback in the default workspace; create a key (npm run keys -- create ...) to require keys");
  }
  // Benchmark jobs a previous process left queued or running are marked interrupted now.
  const benchmarks = benchmarkService(database, logger);
  await benchmarks.ready;
  const responseCache = estimateResponseCache();
  const app = createApp(
    { db: database, logger, maxBodyBytes: config.maxBodyBytes, authMode: config.authMode, rateLimits: config.rateLimits },
    { estimateCache: responseCache },
  );

  // Node's HTTP server; @hono/node-server turns each request into the app's fetch call.
  const server: Server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    // A port in use or an address not on this machine: start-up fails with the reason.
    const failed = (err: Error) => {
      void closeBenchmarkService(database)
        .then(() => database.close())
        .finally(() => reject(err));
    };
    server.once("error", failed);
    server.listen(config.port, config.host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const benchmarksStopped = closeBenchmarkService(database); // stops a running job's worker processes
      const timer = setTimeout(() => {
        logger.warn({ graceMs: config.shutdownGraceMs }, "grace period over; closing remaining connections");
        server.closeAllConnections();
      }, config.shutdownGraceMs);
      timer.unref();
      // In-flight requests finish; a kept-alive connection becomes idle once its response is sent, so
      // idle connections are closed again every 50 ms until the server is down.
      const closeIdle = () => server.closeIdleConnections();
      const sweep = setInterval(closeIdle, 50);
      sweep.unref();
      server.close(() => {
        clearTimeout(timer);
        clearInterval(sweep);
        void benchmarksStopped
          .catch((err: unknown) => logger.error({ err }, "benchmark queue did not stop cleanly"))
          .then(() => database.close())
          .catch((err: unknown) => logger.error({ err }, "database did not close cleanly"))
          .then(() => resolve());
      });
      closeIdle();
    }));

  return { url, port, app, database, logger, responseCache, close };
}
