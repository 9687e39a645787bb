import { ConfigError, loadConfig } from "./config";
import { startServer } from "./bootstrap";
import { createLogger } from "./lib/logger";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const running = await startServer(config, logger).catch((err: unknown) => {
  console.error(`modelplan failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
logger.info({ url: running.url, docs: `${running.url}/docs`, pid: process.pid }, "modelplan API listening");

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "shutting down: draining in-flight requests");
    running.close().then(
      () => {
        logger.info("shutdown complete");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
