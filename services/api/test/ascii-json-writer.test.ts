import { describe, expect, it } from "vitest";
import { estimateInference, estimateTraining } from "@modelplan/estimator";
import { asciiBytes, asciiJson, asciiJsonBytes } from "../src/lib/ascii-json";
import { AsciiJsonWriter } from "../src/lib/ascii-json-writer";
import { toModelInput } from "../src/routes/estimates/model-input";

// AsciiJsonWriter must write exactly asciiBytes(asciiJson(JSON.stringify(v))), whatever v is: the
// estimate cache serves its bytes again, and clients parse them as JSON.
const plain = (v: unknown) => {
  const json = JSON.stringify(v) as string | undefined;
  return json === undefined ? undefined : Buffer.from(asciiBytes(asciiJson(json)));
};
const writer = new AsciiJsonWriter((json) => asciiBytes(asciiJson(json)), 4096);
const written = (v: unknown) => {
  const bytes = writer.bytes(v);
  return bytes === undefined ? undefined : Buffer.from(bytes);
};

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const cases: [string, unknown][] = [
  ["scalars", [0, -0, 1.5, -2e-7, 1e21, 123456789012345680000, Number.MAX_VALUE, Number.MIN_VALUE, true, false, null, ""]],
  ["non-finite numbers", { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: [Number.NEGATIVE_INFINITY] }],
  ["escapes", ['quote " backslash \\ slash /', "\b\f\n\r\t\u0000\u001f\u007f", "en dash – times × dot · euro € emoji 😀", "\u2028\u2029", "lone \ud800 and \udfff surrogates"]],
  ["left out in objects, null in arrays", { a: undefined, b: () => 1, c: Symbol("s"), d: 1, e: [undefined, () => 1, Symbol("t"), 2] }],
  ["an object whose only keys are left out", { a: undefined }],
  ["holes", [1, , 3]], // eslint-disable-line no-sparse-arrays
  ["toJSON with its key", { when: new Date(Date.UTC(2026, 0, 2)), custom: { toJSON: (k: string) => `key:${k}` }, list: [{ toJSON: (k: string) => `index:${k}` }] }],
  ["toJSON answering undefined", { gone: { toJSON: () => undefined }, kept: 1 }],
  ["class instances, boxed primitives, maps", { p: new Point(1, 2), n: new Number(3), s: new String("x"), m: new Map([[1, 2]]) }],
  ["null prototype", Object.assign(Object.create(null) as object, { a: 1, "b\u00e9": "c" })],
  ["symbol keys and non-enumerable keys", Object.defineProperty({ [Symbol("k")]: 1, v: 2 }, "hidden", { value: 3, enumerable: false })],
  ["integer-like keys in JSON.stringify's order", { b: 1, 2: "two", a: 3, 1: "one" }],
  ["deep nesting", JSON.parse(`${"[".repeat(200)}1${"]".repeat(200)}`)],
  ["a text over the buffer", { long: "x".repeat(10_000) }],
];

// Values that change as they are read: each serialisation gets one of its own.
const stateful: [string, () => unknown][] = [
  ["a Proxy that answers a key's descriptor once", onceAskedProxy],
  ["an array grown by an element's toJSON", grownArray],
  ["a toJSON getter that answers another function each time", changingToJson],
];

// JSON.stringify asks a Proxy for each key's descriptor once: a writer that asked twice would lose "b".
function onceAskedProxy() {
  let asked = 0;
  return new Proxy({ a: 1, b: 2 }, { getOwnPropertyDescriptor: (t, k) => (++asked > 2 ? undefined : Reflect.getOwnPropertyDescriptor(t, k)) });
}

// JSON.stringify reads an array's length once: the element pushed by toJSON is not written.
function grownArray() {
  const array: unknown[] = [];
  array.push({ toJSON: () => (array.push(1), 0) });
  return array;
}

// JSON.stringify reads toJSON once.
function changingToJson() {
  let reads = 0;
  return { get toJSON() { const n = ++reads; return () => (n === 1 ? "first" : "second"); } };
}

describe("AsciiJsonWriter", () => {
  it.each(cases)("writes JSON.stringify's text, ASCII-escaped: %s", (_name, value) => {
    expect(written(value)).toEqual(plain(value));
    expect(written(value)).toEqual(plain(value)); // again, from the kept strings
    expect(JSON.parse(written(value)!.toString("latin1"))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it.each(stateful)("reads a value as JSON.stringify reads it, once: %s", (_name, make) => {
    expect(written(make())).toEqual(plain(make()));
  });

  it("answers undefined where JSON.stringify does, and throws what it throws", () => {
    expect(written(undefined)).toBeUndefined();
    expect(written(() => 1)).toBeUndefined();
    expect(() => writer.bytes({ big: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => writer.bytes(cycle)).toThrow(TypeError);
    expect(() => writer.bytes({ get boom() { throw new Error("getter"); } })).toThrow("getter");
    // still writing after a throw
    expect(written({ ok: "–" })).toEqual(plain({ ok: "–" }));
  });

  it("writes the estimates' answers byte for byte as the previous path did", () => {
    for (let i = 0; i < 20; i++) {
      const training = estimateTraining({ model: toModelInput({ preset: "llama-2-7b" }), hardware: "a100-80gb", gpus: 8, tokens: 1e9 + i * 7_919 });
      const serving = estimateInference({ model: toModelInput({ preset: "llama-3-8b" }), hardware: "l4", workload: { requestsPerDay: 100_000 + i } });
      for (const answer of [training, serving]) expect(Buffer.from(asciiJsonBytes(answer)).equals(plain(answer)!)).toBe(true);
    }
  });

  it("takes a string's bytes from the previous answer's place only when the text there is the same", () => {
    // the same texts at the same places, as new string objects; then moved, swapped for texts of the
    // same length, and answers of another shape in between
    const built = (a: string, b: string) => ({ first: `${a}–${"x".repeat(3)}`, second: [`${b} ×`, `${a}${b}`] });
    const values = [
      built("alpha", "beta"),
      built("alpha", "beta"),
      built("beta", "alpha"),
      built("alphb", "betb"),
      { other: ["alpha–xxx", "é".repeat(9000), "beta ×"] },
      built("alpha", "beta"),
      { other: ["alpha–xxx", "é".repeat(9000), "beta ×"] },
    ];
    for (const value of values) expect(written(value)).toEqual(plain(value));
  });

  it("keeps no more strings than its bounds: many distinct long texts still come out right", () => {
    // 800 texts of ~3.6 KB escaped: past the 2 MB the writer keeps, so it drops and refills its set
    let same = 0;
    for (let i = 0; i < 800; i++) {
      const value = { text: `${"é".repeat(600)}${i}`, n: i };
      if (Buffer.from(asciiJsonBytes(value)).equals(plain(value)!)) same++;
    }
    expect(same).toBe(800);
  });
});
