import path from "node:path";
import { z } from "zod";
import { DatabaseUrlError, parseDatabaseUrl, redactUrl, type DatabaseLocation } from "@modelplan/db";
import type { BucketPolicy } from "./lib/rate-limit";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export const AUTH_MODES = ["auto", "on", "off"] as const;

/** "auto": open on loopback while no API key exists; "on": keys always required; "off": always open. */
export type AuthMode = (typeof AUTH_MODES)[number];

export interface RateLimitOptions {
  /** Every request of a key (or of a client address when running open). */
  requests: BucketPolicy;
  /** Benchmark submissions (POST /v1/benchmarks), counted separately. */
  benchmarks: BucketPolicy;
}

/** The defaults of the variables below (100 req/s, burst 200; 30 benchmark submissions/hour, burst 5). */
export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  requests: { capacity: 200, refillPerSec: 100 },
  benchmarks: { capacity: 5, refillPerSec: 30 / 3600 },
};

/** Start-up configuration, parsed once from the environment. */
export const ConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** `postgres://user:password@host:5432/db`, or SQLite: `file:./path.db`, a plain path, `:memory:`. DATABASE_URL wins over MODELPLAN_DB. */
  DATABASE_URL: z.string().min(1).optional(),
  MODELPLAN_DB: z.string().min(1).optional(),
  /** How long a statement waits for another connection's lock before its request answers 503 (SQLite busy_timeout, PostgreSQL lock_timeout). */
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** PostgreSQL: connections one process (replica) keeps open at most. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** How long SIGTERM waits for in-flight requests before closing, in ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** auto: open on loopback while no API key exists; on: keys required; off: no auth (loud warning). */
  AUTH: z.enum(AUTH_MODES).default("auto"),
  /** Sustained requests per second per API key (or per client address when open), and the burst. */
  RATE_LIMIT_RPS: z.coerce.number().min(0.01).max(1_000_000).default(100),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** Benchmark submissions per hour per key, and the burst. */
  BENCHMARK_RATE_LIMIT_PER_HOUR: z.coerce.number().min(0.01).max(100_000).default(30),
  BENCHMARK_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000).default(5),
});

export type Config = {
  host: string;
  port: number;
  database: DatabaseLocation;
  databaseLockTimeoutMs: number;
  /** PostgreSQL connections this process keeps at most. */
  databasePoolMax: number;
  logLevel: (typeof LOG_LEVELS)[number];
  maxBodyBytes: number;
  shutdownGraceMs: number;
  authMode: AuthMode;
  rateLimits: RateLimitOptions;
};

export const DEFAULT_DATABASE_PATH = path.join("data", "modelplan.db");

export class ConfigError extends Error {}

/**
 * The database of a DATABASE_URL (or MODELPLAN_DB): a postgres:// URL, or a SQLite file (`:memory:`,
 * a plain path, or a path behind `file:` / `sqlite:`). Any other scheme (`mysql://`, `http://`…) is a
 * database this service cannot use: ConfigError naming the variable, so start-up stops with one line
 * instead of creating a SQLite file under a folder named after the scheme.
 */
export function databaseFromUrl(url: string, variable = "DATABASE_URL"): DatabaseLocation {
  try {
    return parseDatabaseUrl(url);
  } catch (err) {
    if (err instanceof DatabaseUrlError) throw new ConfigError(`Invalid configuration: ${variable}=${JSON.stringify(redactUrl(url))}: ${err.message}`);
    throw err;
  }
}

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
    database: e.DATABASE_URL
      ? databaseFromUrl(e.DATABASE_URL)
      : e.MODELPLAN_DB
        ? databaseFromUrl(e.MODELPLAN_DB, "MODELPLAN_DB")
        : { dialect: "sqlite", path: DEFAULT_DATABASE_PATH },
    databaseLockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_MS,
    databasePoolMax: e.DATABASE_POOL_MAX,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    authMode: e.AUTH,
    rateLimits: {
      requests: { capacity: e.RATE_LIMIT_BURST, refillPerSec: e.RATE_LIMIT_RPS },
      benchmarks: { capacity: e.BENCHMARK_RATE_LIMIT_BURST, refillPerSec: e.BENCHMARK_RATE_LIMIT_PER_HOUR / 3600 },
    },
  };
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}
