// Texts built once (src/texts.ts) must be the texts the inputs make: each memoised text is checked
// against the figures of its own answer over a sweep that varies every input the texts depend on,
// asked in an order that reuses texts across answers.
import { describe, expect, it } from "vitest";
import { estimateTraining, type TrainingInput } from "../src";
import { citation, memoText } from "../src/texts";

const assumption = (e: ReturnType<typeof estimateTraining>, name: string) => e.assumptions.find((a) => a.name === name);

describe("memoText and citation", () => {
  it("build a text once per owner and key, and hand out the same string after that", () => {
    const owner = {};
    let builds = 0;
    const build = () => `text ${++builds}`;
    expect(memoText(owner, "k", build)).toBe("text 1");
    expect(memoText(owner, "k", build)).toBe("text 1");
    expect(memoText(owner, "other", build)).toBe("text 2");
    expect(memoText({}, "k", build)).toBe("text 3"); // another owner, another text
    const record = { source: "a datasheet", date: "2026-01" };
    expect(citation(record)).toBe("a datasheet [2026-01]");
    expect(citation(record)).toBe(citation(record));
    expect(citation({ source: "undated" })).toBe("undated");
  });

  it("give every answer of a sweep the texts of its own inputs", () => {
    const inputs: TrainingInput[] = [];
    for (const preset of ["llama-2-7b", "llama-3-8b", "mistral-7b"])
      for (const hardware of ["a100-80gb", "h100-sxm"])
        for (const method of ["pre-train", "lora"] as const)
          for (const gpus of [8, 16, 64])
            for (const precision of ["bf16", "fp8"] as const) {
              if (precision === "fp8" && hardware === "a100-80gb") continue;
              inputs.push({ model: { preset }, hardware, method, gpus, precision, tokens: 1e10 });
            }
    // forwards, then backwards: a text built for one answer is reused by the others with the same key
    for (const input of [...inputs, ...inputs.slice().reverse()]) {
      const e = estimateTraining(input);
      const mfu = e.throughputModel;
      expect(e.utilisation.source).toContain(`at ${e.gpus} GPUs`);
      if (mfu.frameworkMfu !== null) expect(e.utilisation.source).toContain(`framework MFU ${mfu.frameworkMfu.toFixed(3)}`);
      const length = assumption(e, "training sequence length");
      expect(length?.source).toContain(input.method === "pre-train" ? "Llama 3 pre-trained at 8K" : "TRL SFTConfig");
      const steps = assumption(e, "gradient-accumulation steps per optimizer step");
      if (input.method === "pre-train") expect(steps?.source).toContain(`${e.parallelism.dataParallel} data-parallel GPUs`);
    }
  });
});
