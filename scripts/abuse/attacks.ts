/**
 * The attacks of scripts/abuse.ts, one entry each (issue 14). An attack sends what an attacker would,
 * through `ctx.client(...)` (every answer tallied), and says whether the service bounded it; the run
 * adds the checks every attack shares: each error answer is problem+json and /health p99 stays under
 * the target while it runs.
 *
 * Phase B entries would be findings not fixed yet: expected to fail, and not changing the exit status.
 * Every finding of issue 14 is fixed now, so every entry is judged ("A": the run fails if one regresses).
 */
import http from "node:http";
import { syntheticUpload } from "../../tests/helpers/synthetic-upload";
import type { RawResponse } from "../../tests/fuzz/lib/http";
import type { AbuseServer, AttackClient, Tally } from "./harness";

export interface AbuseContext {
  /** The server under attack (the shared one, or the attack's own). */
  target: AbuseServer;
  /** A client with the named key of `target` (none: no Authorization header), tallying into the attack's answers. */
  client(keyName?: string): AttackClient;
  tally: Tally;
  /** Smaller sizes and shorter floods (the smoke test). */
  quick: boolean;
}

export interface AttackOutcome {
  /** Whether the service refused or bounded the attack as it should. */
  bounded: boolean;
  /** What happened, in a few words (shown in the table). */
  detail: string;
}

export interface Attack {
  name: string;
  /** The finding of issue 14 it repeats. */
  finding: number;
  /** "A": fixed, judged (a failure fails the run); "B": not fixed yet, expected to fail, not judged. */
  phase: "A" | "B";
  /** Run against a server of its own (started before the probe, closed after) instead of the shared one. */
  ownServer?: { keys?: Record<string, { workspaceId: string; scope: "read" | "write" | "admin" }>; env?: Record<string, string> };
  /** Preparation outside the measured window (building profiles, request bodies); its answers are not tallied. */
  setup?(ctx: AbuseContext): Promise<void>;
  run(ctx: AbuseContext): Promise<AttackOutcome>;
}

/**
 * Keys of the shared server: an attacker workspace (admin and read), a victim workspace, and a workspace
 * of its own for the report's escaping (whose plan must not wait on the plans other attacks leave running
 * in the attacker's workspace: its per-workspace cap would answer 429).
 */
export const SHARED_KEYS = {
  attacker: { workspaceId: "ws_attacker", scope: "admin" },
  attackerRead: { workspaceId: "ws_attacker", scope: "read" },
  victim: { workspaceId: "ws_victim", scope: "admin" },
  reporter: { workspaceId: "ws_reporter", scope: "write" },
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A request closed by the caller after `afterMs` (not tallied: it has no answer by design). */
function abandonedGet(target: AbuseServer, path: string, key: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port: target.port, path, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve());
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    setTimeout(() => req.destroy(), afterMs);
  });
}

/** Uploads `runs` synthetic runs under tag `tag` (250 a request); the profile id, or undefined. */
async function profileOf(c: AttackClient, runs: number, tag: string): Promise<string | undefined> {
  let id: string | undefined;
  for (let from = 0; from < runs; from += 250) {
    const res = await c.json("POST", "/v1/benchmarks/results", syntheticUpload(Math.min(250, runs - from), { from, tag }));
    if (res?.status !== 201) return undefined;
    id = (JSON.parse(res.text) as { hardwareProfileId: string }).hardwareProfileId;
  }
  return id;
}

/** A fit's answer is bounded: the result, 429 (the workspace's share), or 503 naming the time budget. */
function fitBounded(res: RawResponse | undefined): boolean {
  if (!res) return false;
  if (res.status === 200 || res.status === 429) return true;
  return res.status === 503 && /time-budget-exceeded/.test(res.text);
}

export const ATTACKS: Attack[] = [
  {
    name: "baseline: no attack",
    finding: 0,
    phase: "A",
    async run() {
      await sleep(1000);
      return { bounded: true, detail: "the probe alone: the machine's own noise" };
    },
  },
  ((): Attack => {
    let bodies: { huge: Buffer; over: Buffer; uploads: Buffer[] } | undefined;
    const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));
    const post = (c: AttackClient, body: Buffer) => c.send({ method: "POST", path: "/v1/benchmarks/results", headers: { "content-type": "application/json" }, body });
    return {
      name: "uploads past the run caps (2,000-run upload, then 250-run uploads until refused)",
      finding: 1,
      phase: "A",
      async setup() {
        bodies = {
          huge: bytes(syntheticUpload(2000, { tag: "capped" })),
          over: bytes(syntheticUpload(251, { tag: "capped" })),
          uploads: [0, 1, 2, 3].map((i) => bytes(syntheticUpload(250, { from: 250 * i, tag: "capped" }))),
        };
      },
      async run(ctx) {
        const c = ctx.client("attacker");
        const huge = await post(c, bodies!.huge);
        const over = await post(c, bodies!.over);
        const statuses: number[] = [];
        for (const body of bodies!.uploads) statuses.push((await post(c, body))?.status ?? 0);
        const profiles = await c.get("/v1/hardware-profiles?limit=100");
        const held = profiles ? Math.max(0, ...(JSON.parse(profiles.text) as { items: { runCount: number }[] }).items.map((p) => p.runCount)) : -1;
        const refused = [huge?.status, over?.status].every((s) => s === 413 || s === 422) && statuses.join() === "201,201,422,422";
        return { bounded: refused && held === 500, detail: `uploads ${statuses.join(", ")}; largest profile holds ${held} runs` };
      },
    };
  })(),
  ((): Attack => {
    let profile: string | undefined;
    return {
      name: "leave-one-out and predictions on the largest profile",
      finding: 1,
      phase: "A",
      async setup(ctx) {
        profile = await profileOf(ctx.client("attacker"), ctx.quick ? 60 : 500, "largest");
      },
      async run(ctx) {
        const c = ctx.client("attacker");
        if (!profile) return { bounded: false, detail: "could not build the profile" };
        const started = performance.now();
        const answers = await Promise.all([
          c.get(`/v1/hardware-profiles/${profile}/accuracy`),
          ...[8, 16, 32].map((b) => c.json("POST", "/v1/benchmarks/predict", { hardwareProfileId: profile, family: "mlp", phase: "training", batchSize: b })),
        ]);
        const s = Math.round((performance.now() - started) / 100) / 10;
        return { bounded: answers.every(fitBounded), detail: `${ctx.quick ? 60 : 500} runs: ${answers.map((a) => a?.status).join(", ")} in ${s} s` };
      },
    };
  })(),
  ((): Attack => {
    let profile: string | undefined;
    return {
      name: "fits abandoned by their callers (6 requests closed after 300 ms, each on a new profile version)",
      finding: 1,
      phase: "A",
      async setup(ctx) {
        profile = await profileOf(ctx.client("attacker"), ctx.quick ? 60 : 400, "abandoned");
      },
      async run(ctx) {
        const c = ctx.client("attacker");
        if (!profile) return { bounded: false, detail: "could not build the profile" };
        const runs = JSON.parse((await c.get(`/v1/benchmarks/runs?hardwareProfileId=${profile}&limit=10`))!.text) as { items: { id: string }[] };
        for (const run of runs.items.slice(0, 6)) {
          await c.send({ method: "DELETE", path: `/v1/benchmarks/runs/${run.id}` }); // a new version: a new fit
          await abandonedGet(ctx.target, `/v1/hardware-profiles/${profile}/accuracy`, ctx.target.keys.attacker.key, 300);
        }
        // Had the abandoned fits gone on, the workspace's 2 fits in flight would refuse this one (429).
        const after = await c.get(`/v1/hardware-profiles/${profile}/accuracy`);
        return { bounded: after?.status === 200 || after?.status === 503, detail: `the next fit answered ${after?.status ?? "nothing"}` };
      },
    };
  })(),
  ((): Attack => {
    let profiles: (string | undefined)[] = [];
    let victimProfile: string | undefined;
    return {
      name: "fits past a workspace's share (6 at once on 3 profiles) while another workspace fits",
      finding: 1,
      phase: "A",
      async setup(ctx) {
        const c = ctx.client("attacker");
        // 150 runs in the quick run too: a fit of 40 runs can end before the third computation arrives,
        // and then nothing is over the share to refuse (seen in CI on a fast, quiet machine).
        const n = 150;
        profiles = [await profileOf(c, n, "share-1"), await profileOf(c, n, "share-2"), await profileOf(c, n, "share-3")];
        victimProfile = await profileOf(ctx.client("victim"), 40, "victim");
      },
      async run(ctx) {
        const c = ctx.client("attacker");
        const v = ctx.client("victim");
        if (profiles.includes(undefined) || !victimProfile) return { bounded: false, detail: "could not build the profiles" };
        const attacks = profiles.flatMap((p) => [c.get(`/v1/hardware-profiles/${p}/accuracy`), c.get(`/v1/hardware-profiles/${p}/accuracy`)]);
        await sleep(50);
        const victim = await v.get(`/v1/hardware-profiles/${victimProfile}/accuracy`);
        const answers = await Promise.all(attacks);
        const refused = answers.filter((a) => a?.status === 429).length;
        return { bounded: refused >= 1 && victim?.status === 200 && answers.every(fitBounded), detail: `attacker refused ${refused} of 6 (429); victim answered ${victim?.status}` };
      },
    };
  })(),
  {
    name: "benchmark job with 48 workers",
    finding: 4,
    phase: "A",
    async run(ctx) {
      const res = await ctx.client("attacker").json("POST", "/v1/benchmarks", { suite: "quick", workers: 48 });
      const problem = res ? (JSON.parse(res.text) as { errors?: { path: string; message: string }[] }) : {};
      return { bounded: res?.status === 422 && problem.errors?.[0]?.path === "workers", detail: problem.errors?.[0]?.message ?? `answered ${res?.status}` };
    },
  },
  {
    name: "benchmark queue flood (10 jobs from one workspace, then one from another)",
    finding: 4,
    phase: "A",
    async run(ctx) {
      const c = ctx.client("attacker");
      const v = ctx.client("victim");
      const tiny = { items: [{ family: "mlp", config: { inputDim: 16, hiddenUnits: [32], classes: 4 }, batchSize: 8 }], budgetMs: 100, wholeMachine: false, sgemm: false, probeSizes: [64] };
      const admitted: { id: string; client: AttackClient }[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await c.json("POST", "/v1/benchmarks", tiny);
        if (res?.status === 202) admitted.push({ id: (JSON.parse(res.text) as { id: string }).id, client: c });
      }
      const attackerAdmitted = admitted.length;
      const victim = await v.json("POST", "/v1/benchmarks", tiny);
      if (victim?.status === 202) admitted.push({ id: (JSON.parse(victim.text) as { id: string }).id, client: v });
      for (const j of admitted.reverse()) await j.client.send({ method: "DELETE", path: `/v1/benchmarks/jobs/${j.id}` });
      const retryAfter = c.tally.count(429) > 0;
      return { bounded: attackerAdmitted <= 3 && victim?.status === 202 && retryAfter, detail: `attacker admitted ${attackerAdmitted}, refused ${c.tally.count(429)} (429); victim ${victim?.status}` };
    },
  },
  {
    name: "a new key's answer kept by a cache",
    finding: 7,
    phase: "A",
    async run(ctx) {
      const res = await ctx.client("attacker").json("POST", "/v1/keys", { name: "abuse", scope: "read" });
      const cc = String(res?.headers["cache-control"] ?? "");
      return { bounded: res?.status === 201 && /no-store/.test(cc), detail: `Cache-Control: ${cc || "(none)"}` };
    },
  },

  // ---------------------------------------------------------------- fixed in phase B

  {
    name: "reopen an exposed service by revoking its last key",
    finding: 2,
    phase: "A",
    ownServer: { keys: { only: { workspaceId: "ws_owner", scope: "admin" } }, env: { HOST: "0.0.0.0" } },
    async run(ctx) {
      await ctx.client("only").send({ method: "DELETE", path: `/v1/keys/${ctx.target.keys.only.id}` });
      const res = await ctx.client().json("POST", "/v1/keys", { name: "taken over", scope: "admin" });
      const read = await ctx.client().get("/v1/scenarios");
      return { bounded: res?.status === 401 && read?.status === 401, detail: `keyless POST /v1/keys answered ${res?.status}, GET ${read?.status}` };
    },
  },
  {
    name: "DNS rebinding: admin key from a foreign Host and Origin (open loopback)",
    finding: 3,
    phase: "A",
    ownServer: {},
    async run(ctx) {
      const host = `rebind.attacker.example:${ctx.target.port}`;
      const res = await ctx.client().json("POST", "/v1/keys", { name: "rebound", scope: "admin" }, { host, origin: `http://${host}` });
      const read = await ctx.client().get("/v1/scenarios", { host });
      const type = res ? (JSON.parse(res.text) as { type?: string }).type : undefined;
      return { bounded: res?.status === 403 && read?.status === 403 && type === "/problems/host-not-allowed", detail: `POST /v1/keys ${res?.status} (${type}), GET ${read?.status}` };
    },
  },
  {
    name: "cross-origin browser write with a valid key",
    finding: 3,
    phase: "A",
    async run(ctx) {
      const c = ctx.client("attacker");
      const res = await c.json("POST", "/v1/scenarios", { name: "csrf" }, { origin: "https://evil.example" });
      const type = res ? (JSON.parse(res.text) as { type?: string }).type : undefined;
      return { bounded: res?.status === 403 && type === "/problems/cross-origin-write", detail: `answered ${res?.status} (${type})` };
    },
  },
  {
    name: "one workspace, many keys, each with its own rate-limit burst",
    finding: 6,
    phase: "A",
    async run(ctx) {
      const admin = ctx.client("attacker");
      const keys: string[] = [];
      let refusedMint = 0;
      for (let i = 0; i < (ctx.quick ? 3 : 25); i++) {
        const res = await admin.json("POST", "/v1/keys", { name: `burst ${i}`, scope: "read" });
        if (res?.status === 201) keys.push((JSON.parse(res.text) as { key: string }).key);
        else if (res?.status === 429) refusedMint++;
      }
      const perKey = ctx.quick ? 20 : 220;
      const started = performance.now();
      let accepted = 0;
      let victimOk = 0;
      const victim = ctx.client("victim");
      const flood = Promise.all(
        keys.map(async (k) => {
          const c = ctx.client();
          for (let i = 0; i < perKey; i++) if ((await c.get("/v1/scenarios?limit=1", { authorization: `Bearer ${k}` }))?.status === 200) accepted++;
          c.close();
        }),
      );
      for (let i = 0; i < 20; i++) if ((await victim.get("/v1/scenarios?limit=1"))?.status === 200) victimOk++;
      await flood;
      // One workspace's bucket: its burst plus its rate over the flood (5% slack for timing).
      const allowed = (200 + 100 * ((performance.now() - started) / 1000)) * 1.05;
      const bounded = accepted <= allowed && victimOk === 20 && (ctx.quick || refusedMint > 0);
      return { bounded, detail: `${keys.length} keys minted, ${refusedMint} refused; ${accepted} requests accepted (one workspace's burst + rate: ${Math.round(allowed)}); victim ${victimOk}/20` };
    },
  },
  {
    name: "120-month plans over 20 use cases from two clients",
    finding: 5,
    phase: "A",
    async run(ctx) {
      const c = ctx.client("attacker");
      const useCases = [
        "news-topic-classification", "email-spam-filtering", "review-sentiment-analysis", "machine-translation", "article-report-generation",
        "smart-customer-service", "intelligent-writing-assistant", "document-question-answering", "ecommerce-product-recommendation", "music-streaming-recommendation",
        "news-feed-recommendation", "social-content-recommendation", "market-price-forecasting", "transaction-fraud-risk", "credit-scoring",
        "financial-report-analysis", "ai-tutor", "essay-grading-feedback", "code-completion", "code-review-assistant",
      ];
      const created = await c.json("POST", "/v1/scenarios", {
        name: "abuse: long plan",
        useCases,
        audience: { usersAtLaunch: 50_000, monthlyGrowthPct: 8, horizonMonths: 120 },
        usage: { requestsPerUserPerDay: 6 },
        model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
        pricing: { model: "perSeatMonthly", priceUsd: 12 },
        funding: { cashUsd: 1_500_000, monthlyNonComputeBurnUsd: 80_000 },
      });
      if (created?.status !== 201) return { bounded: false, detail: `scenario answered ${created?.status}` };
      const id = (JSON.parse(created.text) as { id: string }).id;
      const until = performance.now() + (ctx.quick ? 500 : 15_000);
      let wireBytes = 0;
      const client = async () => {
        const own = ctx.client("attacker");
        while (performance.now() < until) {
          const res = await own.json("POST", `/v1/scenarios/${id}/plan`, {}, { "accept-encoding": "gzip" });
          if (res?.status === 201) wireBytes = res.wireBytes;
          if (res?.status === 429) await sleep(200);
        }
        own.close();
      };
      await Promise.all([client(), client()]);
      const list = await c.get(`/v1/scenarios/${id}/plans?limit=100`);
      const stored = list ? (JSON.parse(list.text) as { items: unknown[] }).items.length : -1;
      const bounded = ctx.tally.total > 0 && [...ctx.tally.statuses.keys()].every((s) => s === 200 || s === 201 || s === 429 || s === 503);
      return { bounded, detail: `${stored} plans stored (${Math.round(wireBytes / 1024)} KiB each as sent, gzip), ${ctx.tally.count(429)} refused (429: the workspace's plans in progress)` };
    },
  },
  {
    name: "invalid UTF-8 in a stored name",
    finding: 7,
    phase: "A",
    async run(ctx) {
      const text = JSON.stringify({ name: "bad @@ byte", audience: { usersAtLaunch: 10, monthlyGrowthPct: 1, horizonMonths: 12 }, usage: { requestsPerUserPerDay: 1 }, model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" }, funding: { cashUsd: 1000, monthlyNonComputeBurnUsd: 10 } });
      const at = text.indexOf("@@");
      const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at + 2))]); // C3 28: not UTF-8
      const res = await ctx.client("attacker").send({ method: "POST", path: "/v1/scenarios", headers: { "content-type": "application/json" }, body: bytes });
      return { bounded: res?.status === 422, detail: `answered ${res?.status}` };
    },
  },
  {
    name: "Node's own 400 (invalid Host) and 431 (20 KB header)",
    finding: 7,
    phase: "A",
    async run(ctx) {
      const c = ctx.client("attacker");
      const bad = await c.get("/v1/use-cases?limit=1", { host: "example.com:99999" });
      const big = await c.get("/v1/use-cases?limit=1", { "x-big": "a".repeat(20_000) });
      const withId = (r: RawResponse | undefined) => r !== undefined && typeof r.headers["x-request-id"] === "string" && String(r.headers["content-type"]).startsWith("application/problem+json");
      return {
        bounded: bad?.status === 400 && big?.status === 431 && withId(bad) && withId(big),
        detail: `invalid Host ${bad?.status} ${bad?.headers["content-type"] ?? "(no type)"}; big header ${big?.status} ${big?.headers["content-type"] ?? "(no type)"}`,
      };
    },
  },
  {
    name: "80,000 unknown keys echoed in a 422",
    finding: 7,
    phase: "A",
    async run(ctx) {
      const n = ctx.quick ? 5000 : 80_000;
      const body = `{${Array.from({ length: n }, (_, i) => `"k${i}":0`).join(",")}}`;
      const res = await ctx.client("attacker").send({ method: "POST", path: "/v1/scenarios", headers: { "content-type": "application/json" }, body: Buffer.from(body) });
      const kib = Math.round((res?.wireBytes ?? 0) / 1024);
      const omitted = res ? (JSON.parse(res.text) as { errorsOmitted?: number }).errorsOmitted : undefined;
      return { bounded: res?.status === 422 && (res?.wireBytes ?? Infinity) <= 64 * 1024, detail: `${n} keys → ${res?.status}, ${kib} KiB, errorsOmitted ${omitted}` };
    },
  },
  {
    name: "storage quotas: scenarios, plans and keys of one workspace (quotas lowered to 40, 3, 4)",
    finding: 6,
    phase: "A",
    ownServer: {
      keys: { owner: { workspaceId: "ws_quota", scope: "admin" }, other: { workspaceId: "ws_other", scope: "admin" } },
      env: { MAX_SCENARIOS_PER_WORKSPACE: "40", MAX_PLANS_PER_WORKSPACE: "3", MAX_KEYS_PER_WORKSPACE: "4" },
    },
    async run(ctx) {
      const c = ctx.client("owner");
      const body = { name: "quota", useCases: ["smart-customer-service"], audience: { usersAtLaunch: 100, monthlyGrowthPct: 1, horizonMonths: 12 }, usage: { requestsPerUserPerDay: 1 }, model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" }, pricing: { model: "perSeatMonthly", priceUsd: 5 }, funding: { cashUsd: 1000, monthlyNonComputeBurnUsd: 10 } };
      const quotaOf = (r: RawResponse | undefined) => (r?.status === 429 ? (JSON.parse(r.text) as { limit?: { name: string } }).limit?.name : undefined);
      let scenarioId = "";
      let scenarios = 0;
      let refusedScenario: string | undefined;
      for (let i = 0; i < 45 && !refusedScenario; i++) {
        const r = await c.json("POST", "/v1/scenarios", body);
        if (r?.status === 201) (scenarios++, (scenarioId ||= (JSON.parse(r.text) as { id: string }).id));
        refusedScenario = quotaOf(r);
      }
      let plans = 0;
      let refusedPlan: string | undefined;
      for (let i = 0; i < 5 && !refusedPlan; i++) {
        const r = await c.json("POST", `/v1/scenarios/${scenarioId}/plan`, {});
        if (r?.status === 201) plans++;
        refusedPlan = quotaOf(r);
      }
      let keys = 1;
      let refusedKey: string | undefined;
      for (let i = 0; i < 6 && !refusedKey; i++) {
        const r = await c.json("POST", "/v1/keys", { name: `k${i}`, scope: "read" });
        if (r?.status === 201) keys++;
        refusedKey = quotaOf(r);
      }
      const other = await ctx.client("other").json("POST", "/v1/scenarios", body);
      const bounded = scenarios === 40 && refusedScenario === "maxScenariosPerWorkspace" && plans === 3 && refusedPlan === "maxPlansPerWorkspace" && keys === 4 && refusedKey === "maxKeysPerWorkspace" && other?.status === 201;
      return { bounded, detail: `stored ${scenarios} scenarios, ${plans} plans, ${keys} keys, then 429 naming ${refusedScenario}, ${refusedPlan}, ${refusedKey}; another workspace ${other?.status}` };
    },
  },
  {
    name: "Idempotency-Key rows expire (TTL lowered to 2 s)",
    finding: 6,
    phase: "A",
    ownServer: { keys: { owner: { workspaceId: "ws_idem", scope: "write" } }, env: { IDEMPOTENCY_TTL_HOURS: String(2 / 3600) } },
    async run(ctx) {
      const c = ctx.client("owner");
      const body = (name: string) => ({ name, audience: { usersAtLaunch: 10, monthlyGrowthPct: 1, horizonMonths: 12 }, usage: { requestsPerUserPerDay: 1 }, model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" }, funding: { cashUsd: 1000, monthlyNonComputeBurnUsd: 10 } });
      const key = { "idempotency-key": "abuse-1" };
      const first = await c.json("POST", "/v1/scenarios", body("first"), key);
      const replay = await c.json("POST", "/v1/scenarios", body("first"), key);
      const reused = await c.json("POST", "/v1/scenarios", body("second"), key);
      await sleep(2100);
      const after = await c.json("POST", "/v1/scenarios", body("second"), key);
      const bounded = first?.status === 201 && replay?.headers["idempotent-replayed"] === "true" && reused?.status === 422 && after?.status === 201 && after.headers["idempotent-replayed"] === undefined;
      return { bounded, detail: `first ${first?.status}, replay ${replay?.status} (replayed), other body ${reused?.status}; after the TTL ${after?.status} (new)` };
    },
  },
  ((): Attack => {
    const TRAINING = { model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 };
    return {
      name: "estimate cache probing: one workspace floods new estimates to evict another's",
      finding: 7,
      phase: "A",
      async run(ctx) {
        const v = ctx.client("victim");
        const a = ctx.client("attacker");
        // asked twice: an answer is stored on its second request (second-request admission), and the
        // attacker asks each new estimate twice so that its answers are stored too
        for (let twice = 0; twice < 2; twice++) await v.json("POST", "/v1/estimates/training", TRAINING);
        for (let i = 1; i <= (ctx.quick ? 300 : 2000); i++) for (let twice = 0; twice < 2; twice++) await a.json("POST", "/v1/estimates/training", { ...TRAINING, tokens: 1e9 + i });
        const again = await v.json("POST", "/v1/estimates/training", TRAINING);
        const hit = again?.headers["x-cache"];
        return { bounded: hit === "hit", detail: `victim's answer after the flood: X-Cache ${hit}` };
      },
    };
  })(),
  {
    name: "scenario name as HTML and Markdown in the report",
    finding: 7,
    phase: "A",
    async run(ctx) {
      const c = ctx.client("reporter");
      const name = "<script>alert(1)</script> [x](javascript:alert(1))";
      const created = await c.json("POST", "/v1/scenarios", { name, useCases: ["smart-customer-service"], audience: { usersAtLaunch: 100, monthlyGrowthPct: 1, horizonMonths: 12 }, usage: { requestsPerUserPerDay: 1 }, model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" }, pricing: { model: "perSeatMonthly", priceUsd: 5 }, funding: { cashUsd: 1000, monthlyNonComputeBurnUsd: 10 } });
      if (created?.status !== 201) return { bounded: false, detail: `scenario answered ${created?.status}` };
      const plan = await c.json("POST", `/v1/scenarios/${(JSON.parse(created.text) as { id: string }).id}/plan`, {});
      if (plan?.status !== 201) return { bounded: false, detail: `plan answered ${plan?.status}` };
      const id = (JSON.parse(plan.text) as { id: string }).id;
      const html = await c.get(`/v1/plans/${id}/report`);
      const md = await c.get(`/v1/plans/${id}/report`, { accept: "text/markdown" });
      const csp = String(html?.headers["content-security-policy"] ?? "");
      const ok = csp.includes("default-src 'none'") && html?.headers["x-content-type-options"] === "nosniff" && !html.text.includes("<script>") && !md?.text.includes("<script>") && !md?.text.includes("[x](");
      return { bounded: ok, detail: `HTML: CSP ${csp ? "sent" : "missing"}, nosniff ${html?.headers["x-content-type-options"] ?? "missing"}, raw <script> ${html?.text.includes("<script>") ? "present" : "absent"}; Markdown escaped: ${!md?.text.includes("<script>")}` };
    },
  },
];
