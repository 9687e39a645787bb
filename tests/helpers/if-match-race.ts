/**
 * The If-Match race of issue 18, over HTTP against one or several servers sharing a database: each
 * client reads a scenario from one server and patches it through another (round robin over `urls`)
 * with the ETag it read, retrying on 412, until it has made `incrementsPerClient` increments of
 * `audience.usersAtLaunch`. Every answer's status is counted, so a caller can require "no 5xx" and
 * "0 lost updates" (the final counter equals the acknowledged increments).
 */
export interface RaceResult {
  scenarioId: string;
  /** How many answers had each status (GETs and PATCHes together). */
  statuses: Record<number, number>;
  /** Answers of 5xx, with their bodies, for the failure message. */
  serverErrors: { status: number; body: string; url: string }[];
  /** PATCHes answered 200: their version and the counter value they stored. */
  acknowledged: { version: number; value: number }[];
  /** The scenario as read at the end. */
  final: { version: number; value: number };
  requests: number;
}

const SCENARIO = {
  name: "Replica race",
  audience: { usersAtLaunch: 0, monthlyGrowthPct: 0, horizonMonths: 1 },
  usage: { requestsPerUserPerDay: 0, peakToAverage: 1 },
  model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
  funding: { cashUsd: 0, monthlyNonComputeBurnUsd: 0 },
};

type Dto = { id: string; version: number; audience: { usersAtLaunch: number } };

export async function ifMatchRace(
  urls: string[],
  opts: { clients: number; incrementsPerClient: number; headers?: Record<string, string>; maxAttempts?: number },
): Promise<RaceResult> {
  const headers = { "content-type": "application/json", ...opts.headers };
  const statuses: Record<number, number> = {};
  const serverErrors: RaceResult["serverErrors"] = [];
  const acknowledged: RaceResult["acknowledged"] = [];
  let requests = 0;
  const send = async (url: string, init: RequestInit) => {
    requests++;
    const res = await fetch(url, init);
    const body = await res.text();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status >= 500) serverErrors.push({ status: res.status, body: body.slice(0, 300), url });
    return { res, body };
  };
  const created = await send(`${urls[0]}/v1/scenarios`, { method: "POST", headers, body: JSON.stringify(SCENARIO) });
  if (created.res.status !== 201) throw new Error(`create answered ${created.res.status}: ${created.body}`);
  const { id } = JSON.parse(created.body) as Dto;
  const maxAttempts = opts.maxAttempts ?? 200;

  const client = async (c: number) => {
    let turn = c;
    for (let done = 0, attempts = 0; done < opts.incrementsPerClient; ) {
      if (++attempts > maxAttempts) throw new Error(`client ${c} made no progress in ${maxAttempts} attempts`);
      const readFrom = urls[turn++ % urls.length];
      const writeTo = urls[turn % urls.length];
      const read = await send(`${readFrom}/v1/scenarios/${id}`, { headers: opts.headers });
      if (read.res.status !== 200) continue;
      const current = JSON.parse(read.body) as Dto;
      const etag = read.res.headers.get("etag") ?? "";
      const patched = await send(`${writeTo}/v1/scenarios/${id}`, {
        method: "PATCH",
        headers: { ...headers, "if-match": etag },
        body: JSON.stringify({ audience: { usersAtLaunch: current.audience.usersAtLaunch + 1 } }),
      });
      if (patched.res.status === 200) {
        const out = JSON.parse(patched.body) as Dto;
        acknowledged.push({ version: out.version, value: out.audience.usersAtLaunch });
        done++;
      } else if (patched.res.status === 412 || patched.res.status === 503) {
        // A real client backs off (jittered) and reads again; 503 carries Retry-After but is retried sooner here.
        await new Promise((r) => setTimeout(r, Math.random() * 5));
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: opts.clients }, (_, c) => client(c)));
  const end = await send(`${urls[0]}/v1/scenarios/${id}`, { headers: opts.headers });
  const final = JSON.parse(end.body) as Dto;
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed && serverErrors.length === 0) throw failed.reason;
  return { scenarioId: id, statuses, serverErrors, acknowledged, final: { version: final.version, value: final.audience.usersAtLaunch }, requests };
}
