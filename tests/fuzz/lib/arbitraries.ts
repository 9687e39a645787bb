/**
 * fast-check arbitraries derived from JSON schemas: documented examples, valid values (respecting
 * bounds, patterns, enums, unions), and schema-aware malformed values (boundaries just outside the
 * bounds, wrong types, missing and unknown properties, NaN/Infinity, huge numbers, odd Unicode, deep
 * nesting).
 */
import fc from "fast-check";
import { deref, isValid, type JsonSchema } from "./json-schema";
import { DeepNest, ODD_STRINGS, PoolRef, RawJson } from "./values";

type S = Record<string, unknown>;
const MAX_DEPTH = 7;

function asObject(doc: unknown, schema: JsonSchema): S {
  const s = deref(doc, schema);
  return s === true ? {} : s === false ? { not: {} } : s;
}

function typesOf(s: S): string[] {
  if (Array.isArray(s.type)) return s.type as string[];
  if (typeof s.type === "string") return [s.type];
  if (s.properties || s.additionalProperties !== undefined) return ["object"];
  if (s.items || s.prefixItems) return ["array"];
  return [];
}

function unionOf(s: S): JsonSchema[] | undefined {
  return (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
}

/** allOf of object schemas merged into one object schema (enough for zod's intersections). */
function mergeAllOf(doc: unknown, s: S): S {
  if (!Array.isArray(s.allOf)) return s;
  const parts = (s.allOf as JsonSchema[]).map((p) => mergeAllOf(doc, asObject(doc, p)));
  const { allOf: _drop, ...rest } = s;
  return {
    ...rest,
    type: "object",
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), rest.properties ?? {}),
    required: [...new Set(parts.flatMap((p) => (p.required ?? []) as string[]).concat((rest.required ?? []) as string[]))],
    ...(parts.some((p) => p.additionalProperties === false) ? { additionalProperties: false } : {}),
  };
}

function numericBounds(s: S, integer: boolean): { lo: number; hi: number; loIn: boolean; hiIn: boolean } {
  let lo = -1e6;
  let hi = 1e6;
  let loIn = true;
  let hiIn = true;
  if (typeof s.minimum === "number") lo = s.minimum;
  if (typeof s.exclusiveMinimum === "number") [lo, loIn] = [s.exclusiveMinimum, false];
  if (typeof s.maximum === "number") hi = s.maximum;
  if (typeof s.exclusiveMaximum === "number") [hi, hiIn] = [s.exclusiveMaximum, false];
  if (typeof s.minimum === "number" && typeof s.maximum !== "number" && typeof s.exclusiveMaximum !== "number") hi = Math.max(lo + 1e6, lo * 2);
  if (typeof s.maximum === "number" && typeof s.minimum !== "number" && typeof s.exclusiveMinimum !== "number") lo = Math.min(hi - 1e6, -Math.abs(hi));
  if (integer) {
    lo = loIn ? Math.ceil(lo) : Math.floor(lo) + 1;
    hi = hiIn ? Math.floor(hi) : Math.ceil(hi) - 1;
    loIn = hiIn = true;
  }
  return { lo, hi, loIn, hiIn };
}

function integerArb(lo: number, hi: number): fc.Arbitrary<number> {
  const small = fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31 - 1) });
  const wide = fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((x) => Math.min(hi, Math.max(lo, Math.round(x))));
  const edges = fc.constantFrom(lo, hi, Math.min(hi, Math.max(lo, 0)), Math.min(hi, Math.max(lo, 1)));
  if (lo > 2 ** 31 - 1 || hi < -(2 ** 31)) return fc.oneof(edges, wide);
  return fc.oneof({ weight: 3, arbitrary: small }, { weight: 1, arbitrary: wide }, { weight: 1, arbitrary: edges });
}

function codePointLength(s: string): number {
  return [...s].length;
}

/**
 * Free-form JSON (a schema slot that allows anything): small values, and very deep nesting, which is
 * valid by the document and exactly what breaks recursive serialisers.
 */
const freeFormArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.record({ depth: fc.constantFrom(64, 1000, 5000, 20000), kind: fc.constantFrom<"array" | "object">("array", "object") }).map((d) => new DeepNest(d.depth, d.kind)) },
);

function stringArb(s: S): fc.Arbitrary<string> {
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : 64;
  const fits = (v: string) => {
    const n = codePointLength(v);
    return n >= min && n <= max;
  };
  const examples = [s.example, ...((s.examples as unknown[]) ?? [])].filter((e): e is string => typeof e === "string");
  if (typeof s.pattern === "string") {
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, "u");
    } catch {
      re = new RegExp(s.pattern);
    }
    const matching = fc.stringMatching(re).map((v) => (codePointLength(v) > max ? [...v].slice(0, max).join("") : v)).filter((v) => re.test(v) && fits(v));
    return examples.length ? fc.oneof(fc.constantFrom(...examples), matching) : matching;
  }
  if (s.format === "date-time") return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
  const cap = Math.min(max, Math.max(min, 40));
  const options: fc.Arbitrary<string>[] = [
    fc.string({ minLength: min, maxLength: cap }),
    fc.string({ unit: "grapheme", minLength: min, maxLength: cap }).filter(fits),
    // Lone surrogates are valid JSON Schema strings; what the server does with them is part of the test.
    fc.constantFrom(...ODD_STRINGS).map((v) => (codePointLength(v) > max ? [...v].slice(0, max).join("") : v)).filter(fits),
  ];
  if (max <= 100_000) options.push(fc.constant("x".repeat(Math.max(min, max))));
  if (examples.length) options.push(fc.constantFrom(...examples.filter(fits).concat(["x".repeat(Math.max(min, 1))]).filter(fits)));
  return fc.oneof(...options);
}

/** A value valid against `schema` (up to rules the document cannot express, such as cross-field checks). */
export function validArb(doc: unknown, schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = mergeAllOf(doc, asObject(doc, schema));
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const union = unionOf(s);
  if (union) return fc.oneof(...union.map((b) => validArb(doc, b, depth + 1)));
  const types = typesOf(s);
  if (!types.length) return freeFormArb;
  if (depth > MAX_DEPTH) return fc.constant(exampleValue(doc, s));
  return fc.oneof(...types.map((t) => validArbForType(doc, s, t, depth)));
}

function validArbForType(doc: unknown, s: S, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const { lo, hi } = numericBounds(s, true);
      return integerArb(lo, hi);
    }
    case "number": {
      const { lo, hi, loIn, hiIn } = numericBounds(s, false);
      const zeroInside = (lo < 0 || (lo === 0 && loIn)) && (hi > 0 || (hi === 0 && hiIn));
      const edges = [loIn ? lo : undefined, hiIn ? hi : undefined, zeroInside ? 0 : undefined].filter((v): v is number => v !== undefined);
      const inner = fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true, minExcluded: !loIn, maxExcluded: !hiIn });
      return edges.length ? fc.oneof({ weight: 4, arbitrary: inner }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : inner;
    }
    case "string":
      return stringArb(s);
    case "array": {
      const items = (s.items as JsonSchema | undefined) ?? {};
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      const max = typeof s.maxItems === "number" ? s.maxItems : 5;
      const item = validArb(doc, items, depth + 1);
      const arr = fc.array(item, { minLength: min, maxLength: Math.max(min, Math.min(max, 4)) });
      return max <= 100 && max > 4 ? fc.oneof({ weight: 4, arbitrary: arr }, { weight: 1, arbitrary: fc.array(item, { minLength: max, maxLength: max }) }) : arr;
    }
    case "object": {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s.required ?? []) as string[]);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, p] of Object.entries(props)) {
        const ps = asObject(doc, p);
        const v = validArb(doc, p, depth + 1);
        // String fields that name another resource may point at an id the server handed out.
        const hint = k.replace(/Ids?$/, "") || undefined;
        model[k] = /(^id$|Id$)/.test(k) && typesOf(ps).includes("string") ? fc.oneof(v, fc.nat().map((i) => new PoolRef(i, String(exampleValue(doc, ps)), hint))) : v;
        // Arrays of ids (`scenarioIds`): ids handed out earlier, within the documented item count.
        if (/Ids$/.test(k) && typesOf(ps).includes("array")) {
          const items = asObject(doc, (ps.items as JsonSchema) ?? {});
          const min = typeof ps.minItems === "number" ? ps.minItems : 0;
          const max = Math.max(min, Math.min(typeof ps.maxItems === "number" ? ps.maxItems : 5, 5));
          const refs = fc.array(fc.nat().map((i) => new PoolRef(i, String(exampleValue(doc, items)), hint)), { minLength: min, maxLength: max });
          model[k] = fc.oneof(v, refs);
        }
      }
      const base = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
      const ap = s.additionalProperties;
      if (ap === undefined || ap === false) return base;
      const names = s.propertyNames ? (validArb(doc, s.propertyNames as JsonSchema, depth + 1) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 12 });
      const extra = fc.dictionary(names, validArb(doc, ap === true ? {} : (ap as JsonSchema), depth + 1), { maxKeys: 4 });
      return fc.tuple(base, extra).map(([b, e]) => ({ ...e, ...b }));
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/**
 * The documented example of a schema: the schema's own `example` when it is valid, else one built
 * from its properties' examples (first branch of a union, first enum value, lower bound...).
 */
export function exampleValue(doc: unknown, schema: JsonSchema, depth = 0): unknown {
  const s = mergeAllOf(doc, asObject(doc, schema));
  if (s.example !== undefined && isValid(s, s.example, doc)) return s.example;
  if (Array.isArray(s.examples) && s.examples.length && isValid(s, s.examples[0], doc)) return s.examples[0];
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined && isValid(s, s.default, doc)) return s.default;
  const union = unionOf(s);
  if (union) return exampleValue(doc, union[0], depth + 1);
  const t = typesOf(s).filter((x) => x !== "null")[0] ?? typesOf(s)[0];
  if (depth > MAX_DEPTH) return null;
  switch (t) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) out[k] = exampleValue(doc, p, depth + 1);
      return out;
    }
    case "array": {
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      const item = exampleValue(doc, (s.items as JsonSchema) ?? {}, depth + 1);
      return Array.from({ length: Math.max(min, 1) }, () => item).slice(0, typeof s.maxItems === "number" ? s.maxItems : undefined);
    }
    case "string":
      return "x".repeat(typeof s.minLength === "number" ? Math.max(1, s.minLength) : 1);
    case "integer":
    case "number": {
      const { lo, hi } = numericBounds(s, t === "integer");
      return Math.min(hi, Math.max(lo, 1));
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return {};
  }
}

/** Values that are wrong for any schema slot, or for most: wrong types, NaN-like, huge, deep, odd text. */
export const genericNastyArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, "", "string", [], {}, [1, 2, 3], { a: 1 }, [null], [[]], [{}]),
  fc.constantFrom<unknown>(
    new RawJson("NaN"), new RawJson("Infinity"), new RawJson("-Infinity"), new RawJson("1e999"), new RawJson("-1e999"),
    new RawJson("-0"), new RawJson("1E400"), new RawJson("9007199254740993"), new RawJson("123456789012345678901234567890"),
    new RawJson("0.0000000000000000000000000000000000000000001"), new RawJson("1e-400"),
  ),
  fc.constantFrom<unknown>("NaN", "Infinity", "-Infinity", "1e999", "0x1F", " 12 ", "12abc", "null", "true", "1,5", "٣"),
  fc.constantFrom<unknown>(1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, -(2 ** 31) - 1, 2 ** 32, 0.1 + 0.2),
  fc.constantFrom(...ODD_STRINGS),
  fc.record({ depth: fc.constantFrom(33, 100, 1000, 5000, 20000, 60000), kind: fc.constantFrom<"array" | "object">("array", "object") }).map((d) => new DeepNest(d.depth, d.kind)),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => "x".repeat(n)),
);

const UNKNOWN_KEYS = ["__proto__", "constructor", "prototype", "extra", "", "a".repeat(300), "\ud83d\udca5", "\u0000", "id", "version", "workspaceId", "$where", "toString"];

/** Values at or just outside the bounds of one schema slot. */
function boundaryValues(doc: unknown, s: S, base: unknown): unknown[] {
  const out: unknown[] = [];
  const types = typesOf(s);
  if (types.includes("integer") || types.includes("number")) {
    const { lo, hi } = numericBounds(s, false);
    if (typeof s.minimum === "number") out.push(s.minimum, s.minimum - 1, s.minimum - Number.EPSILON * Math.max(1, Math.abs(s.minimum)));
    if (typeof s.maximum === "number") out.push(s.maximum, s.maximum + 1, s.maximum * 10 + 1);
    if (typeof s.exclusiveMinimum === "number") out.push(s.exclusiveMinimum, s.exclusiveMinimum + Number.MIN_VALUE);
    if (typeof s.exclusiveMaximum === "number") out.push(s.exclusiveMaximum);
    if (types.includes("integer")) out.push(Math.min(hi, Math.max(lo, 1)) + 0.5, 2 ** 53 + 2);
    out.push(String(typeof base === "number" ? base : lo));
  }
  if (types.includes("string")) {
    if (typeof s.maxLength === "number") out.push("y".repeat(s.maxLength), "y".repeat(s.maxLength + 1), "\ud83d\ude00".repeat(s.maxLength));
    if (typeof s.minLength === "number" && s.minLength > 0) out.push("y".repeat(s.minLength - 1));
    if (typeof s.pattern === "string") out.push("UPPER CASE", "-a-", "a_b", "a--b", " a", "é");
    if (Array.isArray(s.enum)) {
      const e = String(s.enum[0]);
      out.push(e.toUpperCase(), `${e} `, ` ${e}`, `${e}\u0000`, e.slice(0, -1));
    }
    if (typeof base === "string") out.push(`${base}\ud800`, `\u202e${base}`, `${base}\u200b`);
    out.push(42, ["x"]);
  }
  if (types.includes("array")) {
    const item = Array.isArray(base) && base.length ? base[0] : exampleValue(doc, (s.items as JsonSchema) ?? {});
    if (typeof s.maxItems === "number" && s.maxItems <= 10_000) out.push(Array.from({ length: s.maxItems + 1 }, () => item), Array.from({ length: s.maxItems }, () => item));
    if (typeof s.minItems === "number" && s.minItems > 0) out.push([]);
    out.push(Array.from({ length: 5000 }, () => item), item, [null]);
  }
  if (types.includes("object") && base !== null && typeof base === "object" && !Array.isArray(base)) {
    const obj = base as Record<string, unknown>;
    for (const r of (s.required ?? []) as string[]) {
      const { [r]: _gone, ...rest } = obj;
      out.push(rest);
    }
    for (const k of UNKNOWN_KEYS) out.push({ ...obj, [k]: 1 });
    out.push({}, [obj], Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])));
  }
  return out;
}

/** One malformed value for this schema slot: boundary, wrong type, or a generic nasty. */
export function nastyArb(doc: unknown, schema: JsonSchema, base: unknown): fc.Arbitrary<unknown> {
  const s = mergeAllOf(doc, asObject(doc, schema));
  const edges = boundaryValues(doc, s, base);
  return edges.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: genericNastyArb }) : genericNastyArb;
}

/**
 * `base` with one slot replaced by a value from `leaf(slotSchema, slotValue)`, the slot chosen at any
 * depth along the schema (properties, array items, the matching union branch).
 */
export function perturbArb(
  doc: unknown,
  schema: JsonSchema,
  base: unknown,
  leaf: (s: JsonSchema, v: unknown) => fc.Arbitrary<unknown>,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = mergeAllOf(doc, asObject(doc, schema));
  const self = leaf(s, base);
  if (depth > MAX_DEPTH) return self;
  const union = unionOf(s);
  if (union) {
    // Any branch: the one the base value is in, or another one starting from that branch's example.
    return fc.oneof(
      self,
      ...union.map((b) =>
        isValid(b, base, doc)
          ? perturbArb(doc, b, base, leaf, depth + 1)
          : fc.oneof(perturbArb(doc, b, exampleValue(doc, b), leaf, depth + 1), validArb(doc, b, depth + 1).chain((v) => perturbArb(doc, b, v, leaf, depth + 1))),
      ),
    );
  }
  const options: { weight: number; arbitrary: fc.Arbitrary<unknown> }[] = [{ weight: 1, arbitrary: self }];
  if (base !== null && typeof base === "object" && !Array.isArray(base) && s.properties) {
    const props = s.properties as Record<string, JsonSchema>;
    const keys = Object.keys(props);
    if (keys.length) {
      const obj = base as Record<string, unknown>;
      options.push({
        weight: 4,
        arbitrary: fc
          .constantFrom(...keys)
          .chain((k) => perturbArb(doc, props[k], k in obj ? obj[k] : exampleValue(doc, props[k]), leaf, depth + 1).map((v) => ({ ...obj, [k]: v }))),
      });
    }
  }
  if (Array.isArray(base) && base.length && s.items) {
    options.push({
      weight: 2,
      arbitrary: fc.nat({ max: base.length - 1 }).chain((i) => perturbArb(doc, s.items as JsonSchema, base[i], leaf, depth + 1).map((v) => base.map((x, j) => (j === i ? v : x)))),
    });
  }
  return fc.oneof(...options);
}

/**
 * Valid bodies: the documented example, random valid values, and the example (or a body the server
 * accepted earlier in the run, from `corpus`) with one slot re-drawn validly.
 */
export function validBodyArb(doc: unknown, schema: JsonSchema, corpus: unknown[] = []): fc.Arbitrary<unknown> {
  const example = exampleValue(doc, schema);
  const leaf = (s: JsonSchema) => validArb(doc, s);
  const options = [
    { weight: 2, arbitrary: fc.constant(example) },
    { weight: 2, arbitrary: validArb(doc, schema) },
    { weight: 3, arbitrary: perturbArb(doc, schema, example, leaf) },
  ];
  if (corpus.length) options.push({ weight: 3, arbitrary: fc.constantFrom(...corpus).chain((b) => perturbArb(doc, schema, b, leaf)) });
  return fc.oneof(...options);
}

/**
 * Malformed bodies: the example, a random valid value, or a body the server accepted earlier in the
 * run (which gets past rules the document cannot express), with one slot made malformed.
 */
export function malformedBodyArb(doc: unknown, schema: JsonSchema, corpus: unknown[] = []): fc.Arbitrary<unknown> {
  const example = exampleValue(doc, schema);
  const leaf = (s: JsonSchema, v: unknown) => nastyArb(doc, s, v);
  const options = [
    { weight: 3, arbitrary: perturbArb(doc, schema, example, leaf) },
    { weight: 1, arbitrary: validArb(doc, schema).chain((v) => perturbArb(doc, schema, v, leaf)) },
  ];
  if (corpus.length) options.push({ weight: 3, arbitrary: fc.constantFrom(...corpus).chain((b) => perturbArb(doc, schema, b, leaf)) });
  return fc.oneof(...options);
}
