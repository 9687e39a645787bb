import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import { countActiveKeys } from "./auth/api-keys.repository";
import { authAtStart } from "./auth/auth-policy";
import type { Config } from "./config";
import { createHttpServer } from "./lib/http-server";
import { startIdempotencySweep } from "./lib/idempotency";
import { describeLocation, loadUseCaseCatalog, openDatabase, type Database, type LoadResult } from "@modelplan/db";
import { readUseCaseCatalog } from "./routes/use-cases/use-cases.catalog";
import { createLogger, type Logger } from "./lib/logger";
import type { ResponseCache } from "./lib/response-cache";
import { benchmarkService, closeBenchmarkService, setBenchmarkLimits } from "./routes/benchmarks/index";
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
  // Open or closed, decided once, here (auth/auth-policy.ts); the app decides the same from the same facts.
  let auth;
  try {
    auth = authAtStart(config.authMode, config.host, await countActiveKeys(database));
  } catch (err) {
    await database.close();
    throw err;
  }
  if (config.authMode === "off") {
    logger.warn("AUTH=off: every request is served without an API key, in the default workspace. Never expose this beyond a trusted network.");
  } else if (auth.open) {
    logger.warn("no API key exists: running OPEN on loopback in the default workspace (loopback Host names only); the first key created (npm run keys -- create ..., or POST /v1/keys) closes it for good");
  } else {
    logger.info({ reason: auth.reason }, "API keys required");
  }
  setBenchmarkLimits(database, config.limits.benchmarks);
  // Running benchmark jobs of replicas that stopped sending heartbeats are marked interrupted now; queued ones wait for a claim.
  const benchmarks = benchmarkService(database, logger, undefined, config.jobCoordination);
  await benchmarks.ready;
  const responseCache = estimateResponseCache();
  // GET /ready answers 503 once shutdown begins, so a load balancer stops sending new requests.
  const lifecycle = { draining: false };
  const app = createApp(
    {
      db: database,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      authMode: config.authMode,
      host: config.host,
      rateLimits: config.rateLimits,
      limits: config.limits,
      activeKeysAtStart: await countActiveKeys(database),
      lifecycle,
    },
    { estimateCache: responseCache },
  );

  const stopSweep = startIdempotencySweep(database, config.limits.idempotencyTtlMs, logger);

  // Node's HTTP server; @hono/node-server turns each request into the app's fetch call, and what never
  // reaches the app (Node's 400/408/431, an invalid Host) is answered as problem+json too.
  const server: Server = createHttpServer(app, logger);
  await new Promise<void>((resolve, reject) => {
    // A port in use or an address not on this machine: start-up fails with the reason.
    const failed = (err: Error) => {
      stopSweep();
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
      lifecycle.draining = true;
      stopSweep();
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
