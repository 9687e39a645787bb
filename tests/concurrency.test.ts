/**
 * Many clients updating one scenario at once, over HTTP against the real server (temporary SQLite
 * file): with If-Match read-modify-write loops no update is lost; without If-Match every acknowledged
 * patch is still applied exactly once (the server merges each patch into the current row inside one
 * transaction) and the row stays valid.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchDocument, startFuzzServer, type FuzzServer } from "./fuzz/lib/harness";
import { HttpClient } from "./fuzz/lib/http";
import { validate } from "./fuzz/lib/json-schema";
import type { OpenApiDocument } from "./fuzz/lib/openapi";

const CLIENTS = 20;
const INCREMENTS_PER_CLIENT = 4;
const PATCHES_PER_CLIENT = 8;

let server: FuzzServer;
let doc: OpenApiDocument;

beforeAll(async () => {
  server = await startFuzzServer();
  doc = await fetchDocument(server.url);
});
afterAll(async () => {
  await server.close();
});

interface ScenarioDto {
  id: string;
  version: number;
  description?: string;
  audience: Record<string, number>;
  usage: Record<string, number>;
  funding: Record<string, number>;
}

async function createScenario(client: HttpClient): Promise<ScenarioDto> {
  const body = {
    name: "Concurrency target",
    description: "initial",
    audience: { usersAtLaunch: 0, monthlyGrowthPct: 0, horizonMonths: 1 },
    usage: { requestsPerUserPerDay: 0, peakToAverage: 1 },
    model: { strategy: "hosted-api", hostedModel: "gpt-4o-mini" },
    funding: { cashUsd: 0, monthlyNonComputeBurnUsd: 0 },
  };
  const res = await client.send({ method: "POST", path: "/v1/scenarios", headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) });
  expect(res.status, res.text).toBe(201);
  return JSON.parse(res.text) as ScenarioDto;
}

function patch(client: HttpClient, id: string, body: unknown, ifMatch?: string) {
  const headers: Record<string, string> = { "content-type": "application/merge-patch+json" };
  if (ifMatch !== undefined) headers["if-match"] = ifMatch;
  return client.send({ method: "PATCH", path: `/v1/scenarios/${id}`, headers, body: Buffer.from(JSON.stringify(body)) });
}

async function read(client: HttpClient, id: string): Promise<{ dto: ScenarioDto; etag: string }> {
  const res = await client.send({ method: "GET", path: `/v1/scenarios/${id}`, headers: {} });
  expect(res.status, res.text).toBe(200);
  const dto = JSON.parse(res.text) as ScenarioDto;
  const issues = validate({ $ref: "#/components/schemas/Scenario" }, dto, doc);
  expect(issues, "stored scenario still matches the documented schema").toEqual([]);
  return { dto, etag: String(res.headers.etag) };
}

function integrityCheck(): string {
  const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma("integrity_check", { simple: true }));
  } finally {
    db.close();
  }
}

describe("concurrent updates of one scenario", () => {
  it(`${CLIENTS} clients incrementing a counter with If-Match retry loops lose no update`, async () => {
    const setup = new HttpClient(server.url);
    const { id } = await createScenario(setup);
    const acknowledged: { version: number; value: number }[] = [];
    let conflicts = 0;

    const worker = async () => {
      const client = new HttpClient(server.url);
      try {
        let attempt = 0;
        for (let done = 0; done < INCREMENTS_PER_CLIENT; ) {
          const { dto, etag } = await read(client, id);
          const next = dto.audience.usersAtLaunch + 1;
          const res = await patch(client, id, { audience: { usersAtLaunch: next } }, etag);
          if (res.status === 200) {
            const out = JSON.parse(res.text) as ScenarioDto;
            acknowledged.push({ version: out.version, value: out.audience.usersAtLaunch });
            attempt = 0;
            expect(res.headers.etag).toBe(`"${out.version}"`);
            done++;
          } else if (res.status === 412) {
            conflicts++;
            // Jittered back-off, as a real client would: keeps the race without a thundering herd.
            await new Promise((r) => setTimeout(r, Math.random() * 4 * Math.min(++attempt, 5)));
          } else {
            throw new Error(`unexpected ${res.status}: ${res.text}`);
          }
        }
      } finally {
        client.close();
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, worker));

    const total = CLIENTS * INCREMENTS_PER_CLIENT;
    const { dto } = await read(setup, id);
    setup.close();
    expect(acknowledged).toHaveLength(total);
    expect(dto.audience.usersAtLaunch).toBe(total);
    expect(dto.version).toBe(1 + total);
    // Every acknowledged increment has its own version, and its value is the count at that version.
    expect(new Set(acknowledged.map((a) => a.version)).size).toBe(total);
    for (const a of acknowledged) expect(a.value).toBe(a.version - 1);
    // The clients did race (the test would prove nothing if they had taken turns).
    expect(conflicts).toBeGreaterThan(0);
    expect(integrityCheck()).toBe("ok");
  });

  it("without If-Match every acknowledged patch is applied exactly once and the row stays valid", async () => {
    const setup = new HttpClient(server.url);
    const { id } = await createScenario(setup);
    // One client per numeric field (its last acknowledged value must survive every other client's
    // patches: the server merges patches, it does not write back stale copies), the others all
    // replacing `description` (the value acknowledged last must win). Every patch changes its field
    // (none sets the value created, 1 for horizonMonths and peakToAverage): a patch that changes
    // nothing keeps the version, and each here must make one.
    const fields: [string, string, (j: number) => number][] = [
      ["audience", "usersAtLaunch", (j) => 1000 + j],
      ["audience", "monthlyGrowthPct", (j) => j + 0.5],
      ["audience", "horizonMonths", (j) => j + 2],
      ["usage", "requestsPerUserPerDay", (j) => 100 + j],
      ["usage", "peakToAverage", (j) => 2 + j],
      ["funding", "cashUsd", (j) => 5000 + j],
      ["funding", "monthlyNonComputeBurnUsd", (j) => 700 + j],
    ];
    const lastAck = new Map<string, { version: number; value: number | string }>();
    const descriptionAcks: { version: number; value: string }[] = [];
    const versions: number[] = [];

    const worker = async (c: number) => {
      const client = new HttpClient(server.url);
      try {
        for (let j = 0; j < PATCHES_PER_CLIENT; j++) {
          const field = fields[c];
          const body = field ? { [field[0]]: { [field[1]]: field[2](j) } } : { description: `client ${c} patch ${j}` };
          const res = await patch(client, id, body);
          expect(res.status, res.text).toBe(200);
          const out = JSON.parse(res.text) as ScenarioDto;
          versions.push(out.version);
          if (field) lastAck.set(`${field[0]}.${field[1]}`, { version: out.version, value: field[2](j) });
          else descriptionAcks.push({ version: out.version, value: (body as { description: string }).description });
        }
      } finally {
        client.close();
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => worker(c)));

    const { dto } = await read(setup, id);
    setup.close();
    const total = CLIENTS * PATCHES_PER_CLIENT;
    expect(dto.version).toBe(1 + total);
    expect(new Set(versions).size).toBe(total);
    for (const [group, name] of fields) {
      const ack = lastAck.get(`${group}.${name}`)!;
      expect((dto as unknown as Record<string, Record<string, number>>)[group][name], `${group}.${name}`).toBe(ack.value);
    }
    const latest = descriptionAcks.reduce((a, b) => (b.version > a.version ? b : a));
    expect(dto.description).toBe(latest.value);
    expect(integrityCheck()).toBe("ok");
  });
});
