import path from "node:path";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Start-up configuration, parsed once from the environment. */
export const ConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** `file:./path.db`, a plain path, or `:memory:`. DATABASE_URL wins over MODELPLAN_DB. */
  DATABASE_URL: z.string().min(1).optional(),
  MODELPLAN_DB: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** How long SIGTERM waits for in-flight requests before closing, in ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

export type Config = {
  host: string;
  port: number;
  databasePath: string;
  logLevel: (typeof LOG_LEVELS)[number];
  maxBodyBytes: number;
  shutdownGraceMs: number;
};

export const DEFAULT_DATABASE_PATH = path.join("data", "modelplan.db");

/** Strips the optional `file:` / `sqlite:` scheme of a DATABASE_URL. */
export function databasePathFromUrl(url: string): string {
  if (url === ":memory:") return url;
  const m = /^(?:file|sqlite):(?:\/\/)?(.*)$/.exec(url);
  return m ? m[1] : url;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with a one-line message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${name}=${JSON.stringify(env[name] ?? "")}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databasePath: e.DATABASE_URL ? databasePathFromUrl(e.DATABASE_URL) : (e.MODELPLAN_DB ?? DEFAULT_DATABASE_PATH),
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}
