/**
 * Serialising an estimate's answer: JSON.stringify alone, the previous ASCII path
 * (asciiBytes(asciiJson(JSON.stringify(v)))) and AsciiJsonWriter (lib/ascii-json-writer.ts), over 50
 * computed training estimates, best of 5 rounds (µs per answer); then the writer on fresh answers, each
 * computed just before it is written once, as a sweep of new requests has them (best of 15 rounds).
 * Checks first that the writer's bytes are identical to the previous path's.
 *
 *   npx tsx services/api/scripts/bench-ascii-json.ts
 */
import { estimateTraining } from "@modelplan/estimator";
import { asciiBytes, asciiJson, asciiJsonBytes } from "../src/lib/ascii-json";
import { toModelInput } from "../src/routes/estimates/model-input";

const answers = Array.from({ length: 50 }, (_, i) =>
  estimateTraining({ model: toModelInput({ preset: "llama-2-7b" }), hardware: "a100-80gb", gpus: 8, tokens: 1e9 + i * 12_345 }),
);
const plain = (v: unknown) => asciiBytes(asciiJson(JSON.stringify(v)));
for (const a of answers) if (Buffer.compare(asciiJsonBytes(a), plain(a)) !== 0) throw new Error("AsciiJsonWriter's bytes differ from asciiJson(JSON.stringify(v))");
console.log(`answer: ${plain(answers[0]).length} bytes`);

function bench(name: string, f: (v: unknown) => unknown, n = 2000): void {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f(answers[i % answers.length]);
    best = Math.min(best, ((performance.now() - t) / n) * 1000);
  }
  console.log(`${name}: ${best.toFixed(1)} µs`);
}
bench("JSON.stringify", (v) => JSON.stringify(v));
bench("asciiBytes(asciiJson(JSON.stringify(v)))", plain);
bench("AsciiJsonWriter (asciiJsonBytes)", asciiJsonBytes);

// A new answer every time: its texts are new strings unless the estimator kept them (packages/estimator/src/texts.ts).
{
  const model = toModelInput({ preset: "llama-2-7b" });
  let next = 0;
  let best = Infinity;
  for (let round = 0; round < 15; round++) {
    let written = 0;
    for (let i = 0; i < 2000; i++) {
      const answer = estimateTraining({ model, hardware: "a100-80gb", gpus: 8, tokens: 2e9 + next++ });
      const t = performance.now();
      asciiJsonBytes(answer);
      written += performance.now() - t;
    }
    best = Math.min(best, (written / 2000) * 1000);
  }
  console.log(`AsciiJsonWriter on fresh answers: ${best.toFixed(1)} µs`);
}
