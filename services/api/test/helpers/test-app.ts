import { createApp, type ApiOptions } from "../../src/app";
import { openDatabase, loadUseCaseCatalog, type Database } from "@modelplan/db";
import { readUseCaseCatalog } from "../../src/routes/use-cases/use-cases.catalog";
import { createLogger } from "../../src/lib/logger";
import { countActiveKeys } from "../../src/auth/api-keys.repository";
import { closeBenchmarkService } from "../../src/routes/benchmarks/benchmarks.service";
import type { AppDeps, AppOpenAPI } from "../../src/lib/types";
import { freshTestDatabase } from "../../../../tests/helpers/test-database";

export interface TestApp {
  app: AppOpenAPI;
  database: Database;
  /** Sends a request through app.request; JSON-encodes `body` unless it is a string. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Stops its benchmark queue, closes the database and removes it. */
  close(): Promise<void>;
}

/**
/**
 * A fresh app on its own database with the real use-case catalog loaded: in-memory SQLite, or a new
 * PostgreSQL database when the suite runs on PostgreSQL (tests/helpers/test-database.ts). `seed` runs
 * before the app is built (what exists when the service starts: API keys, say).
 */
export async function createTestApp(overrides: Partial<AppDeps> & ApiOptions & { seed?: (database: Database) => Promise<unknown> } = {}): Promise<TestApp> {
  const fresh = await freshTestDatabase();
  const database = await openDatabase(fresh.location, { poolMax: 4, seed: async (d) => void (await loadUseCaseCatalog(d, readUseCaseCatalog())) });
  const { estimateCache, seed, ...deps } = overrides;
  await seed?.(database);
  let app: AppOpenAPI;
  try {
    const activeKeysAtStart = await countActiveKeys(database);
    app = createApp({ db: database, logger: createLogger("silent"), activeKeysAtStart, ...deps }, { estimateCache });
  } catch (err) {
    // The app refused to start (StartupRefused, say): its database goes too.
    await database.close();
    await fresh.drop();
    throw err;
  }
  return {
    app,
    database,
    call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        const text = typeof body === "string" ? body : JSON.stringify(body);
        init.body = text;
        init.headers = { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers };
      }
      return Promise.resolve(app.request(path, init));
    },
    async close() {
      await closeBenchmarkService(database);
      await database.close();
      await fresh.drop();
    },
  };
}

/** A valid scenario body, the base of most scenario tests. */
export function sampleScenario(overrides: Record<string, unknown> = {}) {
  return {
    name: "Support bot — 50k users",
    description: "Smart customer service for a mid-size e-commerce shop.",
    useCases: [] as string[],
    audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 24 },
    usage: { requestsPerUserPerDay: 6 },
    model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
    pricing: { model: "perSeatMonthly", priceUsd: 12 },
    funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 },
    ...overrides,
  };
}

/** Asserts the RFC 9457 shape and returns the parsed problem. */
export async function expectProblem(res: Response, status: number) {
  const body = (await res.json()) as {
    type: string; title: string; status: number; detail: string; instance: string; requestId: string;
    errors?: { path: string; location: string; message: string }[];
  };
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(body)}`);
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) throw new Error(`not problem+json: ${res.headers.get("content-type")}`);
  for (const k of ["type", "title", "status", "detail", "instance", "requestId"] as const) {
    if (body[k] === undefined) throw new Error(`problem lacks ${k}`);
  }
  return body;
}
