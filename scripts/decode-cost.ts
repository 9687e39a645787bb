/**
 * What a JavaScript reader pays to turn a training estimate's answer bytes into text, as the service
 * sends it (ASCII-only JSON, lib/response-cache.ts asciiJson), as plain UTF-8 JSON of the same value,
 * and gzip-encoded — decoded as autocannon does with every body it receives (`"" + buffer`, UTF-8,
 * never inflated) and as fetch's `response.text()` does (TextDecoder).
 *
 *   npx tsx scripts/decode-cost.ts [--iterations 20000]
 *
 * The estimate comes from the API built in-process (createApp on an in-memory database).
 */
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { createApp } from "../services/api/src/app";
import { openDatabase } from "@modelplan/db";
import { createLogger } from "../services/api/src/lib/logger";

const { values } = parseArgs({ options: { iterations: { type: "string", default: "20000" } } });
const iterations = Number(values.iterations);

const database = await openDatabase(":memory:");
const app = createApp({ db: database, logger: createLogger("silent") });
const res = await app.request("/v1/estimates/training", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 }),
});
if (res.status !== 200) throw new Error(`the estimate answered ${res.status}`);
const sent = Buffer.from(await res.arrayBuffer());
await database.close();

const bodies: [string, Buffer][] = [
  ["as sent: ASCII-only JSON", sent],
  ["the same value as UTF-8 JSON", Buffer.from(JSON.stringify(JSON.parse(sent.toString("latin1"))), "utf8")],
  ["as sent, gzip-encoded (level 9)", gzipSync(sent, { level: 9 })],
];
const decoder = new TextDecoder();

/** Mean µs per call of `decode` over `iterations` calls, after a warm-up of a tenth as many. */
function time(decode: (b: Buffer) => number, body: Buffer): number {
  let sink = 0;
  for (let i = 0; i < iterations / 10; i++) sink += decode(body);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += decode(body);
  const us = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  if (sink < 0) console.log(sink); // keeps the work observable
  return us;
}

console.log(`Node ${process.version}, ${iterations} decodes each\n`);
console.log("| body | bytes | `\"\" + buffer` (autocannon) µs | TextDecoder (fetch's text()) µs |");
console.log("|---|---:|---:|---:|");
for (const [name, body] of bodies) {
  const concat = time((b) => ("" + b.subarray(0, b.length)).length, body);
  const textDecoder = time((b) => decoder.decode(b).length, body);
  console.log(`| ${name} | ${body.length} | ${concat.toFixed(1)} | ${textDecoder.toFixed(1)} |`);
}
