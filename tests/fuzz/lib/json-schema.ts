/**
 * A small JSON Schema (2020-12, as used by OpenAPI 3.1) validator for the fuzzer's oracle: does a
 * response body match the documented schema, and is a generated request body valid by the document?
 *
 * It supports the keywords zod-openapi emits and a few more. A keyword it does not know is reported as
 * an issue (never silently ignored), so a schema the oracle cannot check makes the check fail loudly.
 * Lengths are counted in Unicode code points as JSON Schema specifies (zod counts UTF-16 units, so the
 * server is never more lenient than this validator on lengths).
 */

export type JsonSchema = Record<string, unknown> | boolean;

export interface SchemaIssue {
  /** JSON-pointer-like location in the value, e.g. `$.audience.usersAtLaunch`. */
  path: string;
  message: string;
}

/** Keywords that only annotate; they never make a value invalid. */
const ANNOTATIONS = new Set([
  "description", "example", "examples", "default", "title", "deprecated", "readOnly", "writeOnly",
  "$schema", "$id", "$comment", "$anchor", "externalDocs", "xml", "contentMediaType", "contentEncoding",
  "discriminator", "format", "id", "nullable",
]);

const VALIDATORS = new Set([
  "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
  "propertyNames", "minProperties", "maxProperties", "items", "prefixItems", "minItems", "maxItems",
  "uniqueItems", "contains", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
  "exclusiveMaximum", "multipleOf", "oneOf", "anyOf", "allOf", "not", "if", "then", "else",
]);

const regexCache = new Map<string, RegExp>();
function compilePattern(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = new RegExp(pattern);
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/** Resolves a local `$ref` (`#/components/schemas/X`) against the document root. */
export function resolveRef(root: unknown, ref: string): JsonSchema {
  if (!ref.startsWith("#")) throw new Error(`Only local $ref are supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in (node as object))) throw new Error(`Unresolvable $ref ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node as JsonSchema;
}

/** Follows `$ref` chains until a schema without `$ref` (siblings of `$ref` are merged in). */
export function deref(root: unknown, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 32 && typeof s === "object" && typeof s.$ref === "string"; i++) {
    const { $ref, ...rest } = s;
    const target = resolveRef(root, $ref as string);
    s = typeof target === "object" ? { ...target, ...rest } : target;
  }
  return s;
}

export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  if (type === "number") return actual === "number" || actual === "integer";
  return actual === type;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/**
 * Validates `value` against `schema`; returns every issue found (empty = valid). `root` is the
 * document that local `$ref`s point into.
 */
export function validate(schema: JsonSchema, value: unknown, root: unknown, path = "$"): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(schema, value, root, path, issues, 0);
  return issues;
}

export function isValid(schema: JsonSchema, value: unknown, root: unknown): boolean {
  return validate(schema, value, root).length === 0;
}

function check(schemaIn: JsonSchema, value: unknown, root: unknown, path: string, out: SchemaIssue[], depth: number): void {
  if (depth > 200) {
    out.push({ path, message: "value nested deeper than the validator follows (200)" });
    return;
  }
  if (schemaIn === true || schemaIn === undefined) return;
  if (schemaIn === false) {
    out.push({ path, message: "no value is allowed here" });
    return;
  }
  const schema = deref(root, schemaIn);
  if (typeof schema === "boolean") return check(schema, value, root, path, out, depth + 1);

  for (const key of Object.keys(schema)) {
    if (!VALIDATORS.has(key) && !ANNOTATIONS.has(key) && !key.startsWith("x-")) {
      out.push({ path, message: `unsupported schema keyword '${key}' (extend tests/fuzz/lib/json-schema.ts)` });
    }
  }

  const t = schema.type as string | string[] | undefined;
  if (t !== undefined) {
    const types = Array.isArray(t) ? t : [t];
    const nullable = schema.nullable === true && value === null;
    if (!nullable && !types.some((ty) => matchesType(value, ty))) {
      out.push({ path, message: `expected ${types.join(" | ")}, got ${typeOf(value)}` });
      return;
    }
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => deepEqual(e, value))) {
    out.push({ path, message: `${short(value)} is not one of ${short(schema.enum)}` });
  }
  if ("const" in schema && !deepEqual(schema.const, value)) out.push({ path, message: `expected constant ${short(schema.const)}` });

  if (typeof value === "string") {
    const n = codePoints(value);
    if (typeof schema.minLength === "number" && n < schema.minLength) out.push({ path, message: `shorter than ${schema.minLength}` });
    if (typeof schema.maxLength === "number" && n > schema.maxLength) out.push({ path, message: `longer than ${schema.maxLength}` });
    if (typeof schema.pattern === "string" && !compilePattern(schema.pattern).test(value)) out.push({ path, message: `does not match /${schema.pattern}/` });
  }

  if (typeof value === "number") {
    if (!Number.isFinite(value)) out.push({ path, message: "not a finite number" });
    if (typeof schema.minimum === "number" && value < schema.minimum) out.push({ path, message: `below minimum ${schema.minimum}` });
    if (typeof schema.maximum === "number" && value > schema.maximum) out.push({ path, message: `above maximum ${schema.maximum}` });
    // OpenAPI 3.1: numeric exclusive bounds; OpenAPI 3.0: boolean modifiers of minimum/maximum.
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) out.push({ path, message: `not above ${schema.exclusiveMinimum}` });
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) out.push({ path, message: `not below ${schema.exclusiveMaximum}` });
    if (schema.exclusiveMinimum === true && typeof schema.minimum === "number" && value <= schema.minimum) out.push({ path, message: `not above ${schema.minimum}` });
    if (schema.exclusiveMaximum === true && typeof schema.maximum === "number" && value >= schema.maximum) out.push({ path, message: `not below ${schema.maximum}` });
    if (typeof schema.multipleOf === "number") {
      const q = value / schema.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) out.push({ path, message: `not a multiple of ${schema.multipleOf}` });
    }
  }

  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) out.push({ path, message: `fewer than ${schema.minItems} items` });
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) out.push({ path, message: `more than ${schema.maxItems} items` });
    const prefix = (schema.prefixItems as JsonSchema[] | undefined) ?? (Array.isArray(schema.items) ? (schema.items as JsonSchema[]) : []);
    prefix.forEach((s, i) => {
      if (i < value.length) check(s, value[i], root, `${path}[${i}]`, out, depth + 1);
    });
    if (schema.items !== undefined && !Array.isArray(schema.items)) {
      for (let i = prefix.length; i < value.length; i++) check(schema.items as JsonSchema, value[i], root, `${path}[${i}]`, out, depth + 1);
    }
    if (schema.uniqueItems === true) {
      for (let i = 0; i < value.length; i++) {
        for (let j = i + 1; j < value.length; j++) {
          if (deepEqual(value[i], value[j])) {
            out.push({ path, message: `items ${i} and ${j} are equal` });
            i = value.length;
            break;
          }
        }
      }
    }
    if (schema.contains !== undefined && !value.some((v) => isValid(schema.contains as JsonSchema, v, root))) {
      out.push({ path, message: "no item matches `contains`" });
    }
  }

  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const r of (schema.required ?? []) as string[]) {
      if (!Object.hasOwn(obj, r)) out.push({ path: `${path}.${r}`, message: "required property is missing" });
    }
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) out.push({ path, message: `fewer than ${schema.minProperties} properties` });
    if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) out.push({ path, message: `more than ${schema.maxProperties} properties` });
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, JsonSchema>);
    for (const k of keys) {
      const childPath = `${path}.${k}`;
      if (schema.propertyNames !== undefined) {
        for (const issue of validate(schema.propertyNames as JsonSchema, k, root, childPath)) out.push({ path: childPath, message: `property name: ${issue.message}` });
      }
      let matched = false;
      if (Object.hasOwn(props, k)) {
        matched = true;
        check(props[k], obj[k], root, childPath, out, depth + 1);
      }
      for (const [p, s] of patterns) {
        if (compilePattern(p).test(k)) {
          matched = true;
          check(s, obj[k], root, childPath, out, depth + 1);
        }
      }
      if (!matched && schema.additionalProperties !== undefined) {
        if (schema.additionalProperties === false) out.push({ path: childPath, message: "property is not allowed" });
        else check(schema.additionalProperties as JsonSchema, obj[k], root, childPath, out, depth + 1);
      }
    }
  }

  if (Array.isArray(schema.allOf)) for (const s of schema.allOf as JsonSchema[]) check(s, value, root, path, out, depth + 1);
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as JsonSchema[]).map((s) => validate(s, value, root, path));
    if (!branches.some((b) => b.length === 0)) out.push(...bestBranch(branches, path, "anyOf"));
  }
  if (Array.isArray(schema.oneOf)) {
    const branches = (schema.oneOf as JsonSchema[]).map((s) => validate(s, value, root, path));
    const ok = branches.filter((b) => b.length === 0).length;
    if (ok === 0) out.push(...bestBranch(branches, path, "oneOf"));
    else if (ok > 1) out.push({ path, message: `matches ${ok} branches of oneOf, expected exactly one` });
  }
  if (schema.not !== undefined && isValid(schema.not as JsonSchema, value, root)) out.push({ path, message: "matches a `not` schema" });
  if (schema.if !== undefined) {
    const branch = isValid(schema.if as JsonSchema, value, root) ? schema.then : schema.else;
    if (branch !== undefined) check(branch as JsonSchema, value, root, path, out, depth + 1);
  }
}

/** For a failed union, report the branch that came closest (fewest issues). */
function bestBranch(branches: SchemaIssue[][], path: string, kw: string): SchemaIssue[] {
  const best = [...branches].sort((a, b) => a.length - b.length)[0] ?? [];
  return [{ path, message: `matches no branch of ${kw}` }, ...best];
}
