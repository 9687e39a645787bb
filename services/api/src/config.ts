import path from "node:path";
import { z } from "zod";
import { DatabaseUrlError, parseDatabaseUrl, redactUrl, type DatabaseLocation } from "@modelplan/db";
import { DEFAULT_QUOTAS, type WorkspaceQuotas } from "./lib/quotas";
import type { BucketPolicy } from "./lib/rate-limit";
import { DEFAULT_BENCHMARK_LIMITS, type BenchmarkLimits } from "./routes/benchmarks/limits";
import { DEFAULT_PLAN_LIMITS, type PlanLimits } from "./routes/plans/plan-limits";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export const AUTH_MODES = ["auto", "on", "off"] as const;

/**
 * "auto": open when bound to loopback with no API key at start-up (closed for good once a key exists);
 * "on": keys always required; "off": always open. Decided at start-up: auth/auth-policy.ts.
 */
export type AuthMode = (typeof AUTH_MODES)[number];

export interface RateLimitOptions {
  /** Every request of a workspace (all its keys together; a client address when running open). */
  requests: BucketPolicy;
  /** Every request of one key, inside its workspace's bucket (omitted: as large as the workspace's). */
  keyRequests?: BucketPolicy;
  /** Benchmark submissions (POST /v1/benchmarks) of a workspace, counted separately. */
  benchmarks: BucketPolicy;
}

/** The defaults of the variables below (100 req/s, burst 200; 30 benchmark submissions/hour, burst 5). */
export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  requests: { capacity: 200, refillPerSec: 100 },
  benchmarks: { capacity: 5, refillPerSec: 30 / 3600 },
};

/** Every bound on what one caller or workspace can make the service do or keep (docs/security.md). */
export interface ServiceLimits {
  quotas: WorkspaceQuotas;
  plans: PlanLimits;
  benchmarks: BenchmarkLimits;
  /** How long a remembered Idempotency-Key answer is replayed, ms (then swept). */
  idempotencyTtlMs: number;
}

export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

export const DEFAULT_LIMITS: Readonly<ServiceLimits> = Object.freeze({
  quotas: DEFAULT_QUOTAS,
  plans: DEFAULT_PLAN_LIMITS,
  benchmarks: DEFAULT_BENCHMARK_LIMITS,
  idempotencyTtlMs: DEFAULT_IDEMPOTENCY_TTL_HOURS * 3600_000,
});

const int = (min: number, max: number, value: number) => z.coerce.number().int().min(min).max(max).default(value);

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
  /** A running benchmark job whose replica sent no heartbeat for this long is marked interrupted by another (ms). */
  JOB_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** How long SIGTERM waits for in-flight requests before closing, in ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** auto: open on loopback while no API key exists; on: keys required; off: no auth (loud warning). */
  AUTH: z.enum(AUTH_MODES).default("auto"),
  /** Sustained requests per second per workspace (or per client address when open), and the burst. */
  RATE_LIMIT_RPS: z.coerce.number().min(0.01).max(1_000_000).default(100),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** Per API key, inside its workspace's bucket (default: the workspace's). */
  KEY_RATE_LIMIT_RPS: z.coerce.number().min(0.01).max(1_000_000).optional(),
  KEY_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Benchmark submissions per hour per workspace, and the burst. */
  BENCHMARK_RATE_LIMIT_PER_HOUR: z.coerce.number().min(0.01).max(100_000).default(30),
  BENCHMARK_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Active API keys per workspace (POST /v1/keys beyond: 429). */
  MAX_KEYS_PER_WORKSPACE: int(1, 10_000, DEFAULT_QUOTAS.maxKeysPerWorkspace),
  /** Idempotency-Key answers are replayed for this long, then swept. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().min(1 / 3600).max(24 * 365).default(DEFAULT_IDEMPOTENCY_TTL_HOURS),
  /** Storage quotas per workspace. */
  MAX_SCENARIOS_PER_WORKSPACE: int(1, 10_000_000, DEFAULT_QUOTAS.maxScenariosPerWorkspace),
  MAX_PLANS_PER_WORKSPACE: int(1, 10_000_000, DEFAULT_QUOTAS.maxPlansPerWorkspace),
  MAX_PLAN_MB_PER_WORKSPACE: int(1, 1_000_000, DEFAULT_QUOTAS.maxPlanBytesPerWorkspace / (1024 * 1024)),
  MAX_RUNS_PER_WORKSPACE: int(1, 10_000_000, DEFAULT_BENCHMARK_LIMITS.maxRunsPerWorkspace),
  /** Plan computations (worker threads): time budget, per workspace in flight, waiting in all. */
  PLAN_TIME_BUDGET_MS: int(100, 3_600_000, DEFAULT_PLAN_LIMITS.planTimeBudgetMs),
  MAX_PLANS_IN_FLIGHT_PER_WORKSPACE: int(1, 1000, DEFAULT_PLAN_LIMITS.maxPlansInFlightPerWorkspace),
  MAX_PLANS_QUEUED: int(0, 10_000, DEFAULT_PLAN_LIMITS.maxPlansQueued),
  /** Benchmark limits (routes/benchmarks/limits.ts). */
  MAX_RUNS_PER_PROFILE: int(1, 1_000_000, DEFAULT_BENCHMARK_LIMITS.maxRunsPerProfile),
  MAX_RUNS_PER_UPLOAD: int(1, 100_000, DEFAULT_BENCHMARK_LIMITS.maxRunsPerUpload),
  FIT_TIME_BUDGET_MS: int(100, 3_600_000, DEFAULT_BENCHMARK_LIMITS.fitTimeBudgetMs),
  MAX_FITS_IN_FLIGHT_PER_WORKSPACE: int(1, 1000, DEFAULT_BENCHMARK_LIMITS.maxFitsInFlightPerWorkspace),
  MAX_FITS_QUEUED: int(0, 10_000, DEFAULT_BENCHMARK_LIMITS.maxFitsQueued),
  MAX_JOBS_PER_WORKSPACE: int(1, 1000, DEFAULT_BENCHMARK_LIMITS.maxJobsPerWorkspace),
  MAX_JOBS_QUEUED: int(1, 100_000, DEFAULT_BENCHMARK_LIMITS.maxJobsQueued),
  JOB_TIME_CAP_MINUTES: int(1, 24 * 60, DEFAULT_BENCHMARK_LIMITS.jobTimeCapMs / 60_000),
});

export type Config = {
  host: string;
  port: number;
  database: DatabaseLocation;
  databaseLockTimeoutMs: number;
  /** PostgreSQL connections this process keeps at most. */
  databasePoolMax: number;
  /** Benchmark jobs: the lease and heartbeat between replicas (routes/benchmarks/benchmarks.service.ts). */
  jobCoordination: { leaseMs: number; heartbeatMs: number };
  logLevel: (typeof LOG_LEVELS)[number];
  maxBodyBytes: number;
  shutdownGraceMs: number;
  authMode: AuthMode;
  rateLimits: RateLimitOptions;
  limits: ServiceLimits;
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
    // Several heartbeats per lease, so one slow beat does not cost a live replica its job.
    jobCoordination: { leaseMs: e.JOB_LEASE_MS, heartbeatMs: Math.max(100, Math.min(2000, Math.floor(e.JOB_LEASE_MS / 5))) },
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    authMode: e.AUTH,
    rateLimits: {
      requests: { capacity: e.RATE_LIMIT_BURST, refillPerSec: e.RATE_LIMIT_RPS },
      keyRequests: { capacity: e.KEY_RATE_LIMIT_BURST ?? e.RATE_LIMIT_BURST, refillPerSec: e.KEY_RATE_LIMIT_RPS ?? e.RATE_LIMIT_RPS },
      benchmarks: { capacity: e.BENCHMARK_RATE_LIMIT_BURST, refillPerSec: e.BENCHMARK_RATE_LIMIT_PER_HOUR / 3600 },
    },
    limits: {
      quotas: {
        maxScenariosPerWorkspace: e.MAX_SCENARIOS_PER_WORKSPACE,
        maxPlansPerWorkspace: e.MAX_PLANS_PER_WORKSPACE,
        maxPlanBytesPerWorkspace: e.MAX_PLAN_MB_PER_WORKSPACE * 1024 * 1024,
        maxKeysPerWorkspace: e.MAX_KEYS_PER_WORKSPACE,
      },
      plans: { planTimeBudgetMs: e.PLAN_TIME_BUDGET_MS, maxPlansInFlightPerWorkspace: e.MAX_PLANS_IN_FLIGHT_PER_WORKSPACE, maxPlansQueued: e.MAX_PLANS_QUEUED },
      benchmarks: {
        maxRunsPerProfile: e.MAX_RUNS_PER_PROFILE,
        maxRunsPerUpload: e.MAX_RUNS_PER_UPLOAD,
        maxRunsPerWorkspace: e.MAX_RUNS_PER_WORKSPACE,
        fitTimeBudgetMs: e.FIT_TIME_BUDGET_MS,
        maxFitsInFlightPerWorkspace: e.MAX_FITS_IN_FLIGHT_PER_WORKSPACE,
        maxFitsQueued: e.MAX_FITS_QUEUED,
        maxJobsPerWorkspace: e.MAX_JOBS_PER_WORKSPACE,
        maxJobsQueued: e.MAX_JOBS_QUEUED,
        jobTimeCapMs: e.JOB_TIME_CAP_MINUTES * 60_000,
      },
      idempotencyTtlMs: Math.round(e.IDEMPOTENCY_TTL_HOURS * 3600_000),
    },
  };
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}
