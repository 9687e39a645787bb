import { describe, expect, it } from "vitest";
import { EstimatorInputError } from "../src";
import { assertFiniteFigures } from "../src/finite";

describe("assertFiniteFigures", () => {
  it("passes finite estimates through unchanged", () => {
    const e = { a: 1, b: { c: [2, 3] }, d: null, e: "text" };
    expect(assertFiniteFigures(e)).toBe(e);
  });

  it("refuses Infinity and NaN anywhere, naming where", () => {
    expect(() => assertFiniteFigures({ gpuHours: { low: 1, expected: Infinity, high: 2 } })).toThrow(/gpuHours\.expected Infinity/);
    expect(() => assertFiniteFigures({ items: [{ x: NaN }] })).toThrow(EstimatorInputError);
    expect(() => assertFiniteFigures({ items: [{ x: 1 }, { x: NaN }] })).toThrow(/make items\[1\]\.x NaN;/);
    expect(() => assertFiniteFigures([0, [1, -Infinity]])).toThrow(/make \[1\]\[1\] -Infinity;/);
  });
});
