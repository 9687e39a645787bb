/**
 * Requests generated from the OpenAPI document, one category of abuse at a time. Generation is pure
 * (fast-check, seeded); anything that depends on the server's state (ids it handed out, current ETags)
 * is a reference resolved when the request is sent.
 */
import fc from "fast-check";
import { exampleValue, malformedBodyArb, validArb, validBodyArb } from "./arbitraries";
import { bodySchema, type Operation, type Parameter } from "./openapi";
import { headerSafe, ODD_STRINGS, pctEncode, renderJson } from "./values";

export type Category =
  | "valid"
  | "malformed-body"
  | "bad-json"
  | "content-type"
  | "huge-body"
  | "query"
  | "path-param"
  | "header"
  | "wrong-method"
  | "auth";

/**
 * Who sends the request: the main admin key, an admin key of another workspace, a read-only key of
 * the main workspace, no Authorization header, or a malformed / unknown / revoked credential.
 */
export type AuthChoice = "main" | "other" | "read" | "none" | { malformed: number };

/** A path parameter: an id harvested earlier (`pool`), or an already percent-encoded segment. */
export type PathValue = { kind: "pool"; index: number; fallback: string } | { kind: "raw"; encoded: string };
/** A header value, or the current ETag of the resource the request targets. */
export type HeaderValue = string | { kind: "etag"; fallback: string };

export type Body =
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string; encoding: "utf8" | "latin1" | "utf16le" }
  | { kind: "huge"; bytes: number };

export interface FuzzRequest {
  /** The operation this request was generated for (the server may route it elsewhere). */
  target: string;
  category: Category;
  auth: AuthChoice;
  method: string;
  pathParams: Record<string, PathValue>;
  /** `[key, value]`, both already percent-encoded. */
  query: [string, string][];
  headers: Record<string, HeaderValue>;
  body?: Body;
  /** Content-Type to send; null = none. */
  contentType?: string | null;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

export interface GenerationOptions {
  /** The server's body limit: huge bodies are generated just above it. */
  maxBodyBytes: number;
  /** Operations (matched on operationId or path) that start long work: only invalid bodies are sent. */
  invalidOnly: (op: Operation) => boolean;
  /** Bodies the server accepted earlier in the run, per operationId (see FuzzSession.corpus). */
  corpus?: Map<string, unknown[]>;
}

const IDEMPOTENCY_KEYS = ["fuzz-key-1", "fuzz-key-2", "fuzz-key-3"];

/** Query/path text for a typed value (numbers and booleans as JSON, strings raw). */
function asParamText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return renderJson(v);
  return String(v);
}

const NASTY_PARAM_TEXT = [
  "", " ", "-1", "0", "-0", "1.5", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "0x10", "1e1", "99999999999999999999",
  "null", "undefined", "true", "[]", "{}", "%", "%zz", "%E0%A4%A", "%00", "%FF%FE", "a%00b", "%252e%252e", "+", "*", "'", "\"",
  "..", ".", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%2F", "a%2Fb", "%5C..%5C", "~", "x".repeat(65), "x".repeat(1000), "x".repeat(6000),
];
const PRE_ENCODED = new Set(NASTY_PARAM_TEXT.filter((t) => t.includes("%")));

function encodedNasty(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...NASTY_PARAM_TEXT).map((t) => (PRE_ENCODED.has(t) ? t : pctEncode(t))),
    fc.constantFrom(...ODD_STRINGS).map(pctEncode),
    fc.string({ unit: "binary", maxLength: 30 }).map(pctEncode),
  );
}

function validParamText(doc: unknown, p: Parameter): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(asParamText(p.example ?? exampleValue(doc, p.schema))),
    validArb(doc, p.schema).map(asParamText),
  );
}

function pathArb(doc: unknown, op: Operation): fc.Arbitrary<Record<string, PathValue>> {
  const model: Record<string, fc.Arbitrary<PathValue>> = {};
  for (const p of op.parameters.filter((x) => x.in === "path")) {
    const fallback = asParamText(p.example ?? exampleValue(doc, p.schema));
    model[p.name] = fc.oneof(
      { weight: 4, arbitrary: fc.nat().map((index): PathValue => ({ kind: "pool", index, fallback })) },
      { weight: 1, arbitrary: validParamText(doc, p).map((t): PathValue => ({ kind: "raw", encoded: pctEncode(t) })) },
    );
  }
  return fc.record(model);
}

function nastyPathArb(doc: unknown, op: Operation): fc.Arbitrary<Record<string, PathValue>> {
  const params = op.parameters.filter((x) => x.in === "path");
  return fc.tuple(pathArb(doc, op), fc.constantFrom(...params.map((p) => p.name)), encodedNasty(), fc.constantFrom("a/b", "../..", "./", "%2F..%2F", "//")).chain(
    ([valid, name, nasty, routing]) =>
      fc.constantFrom<Record<string, PathValue>>(
        { ...valid, [name]: { kind: "raw", encoded: nasty } },
        { ...valid, [name]: { kind: "raw", encoded: routing } },
      ),
  );
}

/** Query value replaced, when sent, by a `nextCursor` the operation returned earlier (or dropped). */
export const HARVESTED_CURSOR = "\u0000harvested-cursor";

function queryArb(doc: unknown, op: Operation, nasty: boolean): fc.Arbitrary<[string, string][]> {
  const params = op.parameters.filter((p) => p.in === "query");
  const perParam = params.map((p) => {
    const text = /cursor/i.test(p.name) ? fc.oneof({ weight: 3, arbitrary: fc.constant(HARVESTED_CURSOR) }, { weight: 1, arbitrary: validParamText(doc, p) }) : validParamText(doc, p);
    const valid = text.map((t) => [[pctEncode(p.name), t === HARVESTED_CURSOR ? t : pctEncode(t)]] as [string, string][]);
    const bad = fc.oneof(
      encodedNasty().map((t) => [[pctEncode(p.name), t]] as [string, string][]),
      fc.tuple(validParamText(doc, p), validParamText(doc, p)).map(([a, b]) => [[pctEncode(p.name), pctEncode(a)], [pctEncode(p.name), pctEncode(b)]] as [string, string][]),
      fc.constant([[`${pctEncode(p.name)}[]`, "1"]] as [string, string][]),
    );
    const required = p.required;
    return nasty
      ? fc.oneof(valid, bad, fc.constant([] as [string, string][]))
      : required
        ? valid
        : fc.option(valid, { nil: [] as [string, string][], freq: 1 });
  });
  const unknown = fc.array(
    fc.tuple(fc.constantFrom("__proto__", "constructor", "debug", "admin", "limit[$gt]", "a.b", "", "x".repeat(300), "\u202e"), encodedNasty()).map(([k, v]) => [pctEncode(k), v] as [string, string]),
    { maxLength: nasty ? 4 : 0 },
  );
  return fc.tuple(fc.tuple(...perParam), unknown).map(([parts, extra]) => [...parts.flat(), ...extra]);
}

function headerValueArb(doc: unknown, p: Parameter, nasty: boolean): fc.Arbitrary<HeaderValue | undefined> {
  const name = p.name.toLowerCase();
  const fallback = asParamText(p.example ?? exampleValue(doc, p.schema));
  const valid: fc.Arbitrary<HeaderValue> =
    name === "if-match" || name === "if-none-match"
      ? fc.oneof(fc.constant<HeaderValue>({ kind: "etag", fallback }), fc.constant("*"), fc.constant(fallback), fc.nat({ max: 50 }).map((n) => `"${n}"`))
      : name === "idempotency-key"
        ? fc.oneof(fc.constantFrom(...IDEMPOTENCY_KEYS), validArb(doc, p.schema).map((v) => headerSafe(asParamText(v))))
        : validArb(doc, p.schema).map((v) => headerSafe(asParamText(v)));
  const bad = fc.oneof(
    fc.constantFrom("", " ", "W/\"1\"", "\"1\", \"2\"", "\"-1\"", "\"999999999999999999999\"", "\"1", "1", "null", "a b", "\t", ",", "*, \"1\"", "x".repeat(256), "x".repeat(4000)),
    fc.constantFrom(...ODD_STRINGS).map(headerSafe),
    fc.string({ unit: "binary", maxLength: 40 }).map(headerSafe),
  );
  if (nasty) return fc.oneof(valid, bad, fc.constant(undefined));
  return p.required ? valid : fc.option(valid, { nil: undefined });
}

function headersArb(doc: unknown, op: Operation, nasty: boolean): fc.Arbitrary<Record<string, HeaderValue>> {
  const params = op.parameters.filter((p) => p.in === "header");
  const model: Record<string, fc.Arbitrary<HeaderValue | undefined>> = {};
  for (const p of params) model[p.name.toLowerCase()] = headerValueArb(doc, p, nasty);
  const extra = nasty
    ? fc.option(fc.constantFrom<Record<string, string>>({ accept: "text/html" }, { accept: "application/xml" }, { "accept-encoding": "br, gzip" }, { "x-http-method-override": "DELETE" }, { "x-forwarded-for": "127.0.0.1, ::1" }, { "content-encoding": "gzip" }), { nil: {} })
    : fc.constant({});
  return fc.tuple(fc.record(model), extra).map(([h, e]) => {
    const out: Record<string, HeaderValue> = { ...e };
    for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
    return out;
  });
}

function jsonTypes(op: Operation): string[] {
  return Object.keys(op.body?.content ?? {}).filter((t) => /json/i.test(t));
}

const WRONG_CONTENT_TYPES = [
  null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "", "application/octet-stream",
  "APPLICATION/JSON", "application/json; charset=utf-8", "application/json;charset=latin1", "application/json ; charset=utf-8",
  "application/vnd.api+json", "application/jsonx", "json", "text/json", "application/json\u00e9",
];

function badJsonTexts(example: string): fc.Arbitrary<Body> {
  const texts: Body[] = [
    { kind: "text", text: "", encoding: "utf8" },
    { kind: "text", text: "   \n", encoding: "utf8" },
    { kind: "text", text: "{", encoding: "utf8" },
    { kind: "text", text: "{\"a\":1,}", encoding: "utf8" },
    { kind: "text", text: "{'name':'x'}", encoding: "utf8" },
    { kind: "text", text: "{name:1}", encoding: "utf8" },
    { kind: "text", text: "{\"a\":NaN}", encoding: "utf8" },
    { kind: "text", text: "// comment\n{}", encoding: "utf8" },
    { kind: "text", text: `${example}garbage`, encoding: "utf8" },
    { kind: "text", text: `${example}${example}`, encoding: "utf8" },
    { kind: "text", text: `\ufeff${example}`, encoding: "utf8" },
    { kind: "text", text: example, encoding: "utf16le" },
    { kind: "text", text: "\xff\xfe\xfd{}", encoding: "latin1" },
    { kind: "text", text: `{"name":"\xc3\x28"}`, encoding: "latin1" }, // invalid UTF-8 sequence inside a string
    { kind: "text", text: "\u0000", encoding: "utf8" },
    { kind: "text", text: "null", encoding: "utf8" },
    { kind: "text", text: "[]", encoding: "utf8" },
    { kind: "text", text: "\"just a string\"", encoding: "utf8" },
    { kind: "text", text: "12", encoding: "utf8" },
    { kind: "text", text: "true", encoding: "utf8" },
    { kind: "text", text: "{\"__proto__\":{\"polluted\":1}}", encoding: "utf8" },
    { kind: "text", text: "[".repeat(300_000), encoding: "utf8" },
    { kind: "text", text: `${"[".repeat(100_000)}${"]".repeat(100_000)}`, encoding: "utf8" },
    { kind: "text", text: `{"a":"${"\\u0000".repeat(1000)}"}`, encoding: "utf8" },
    { kind: "text", text: `{"a":"\\ud800"}`, encoding: "utf8" },
  ];
  return fc.oneof(
    fc.constantFrom(...texts),
    fc.nat({ max: Math.max(0, example.length - 1) }).map((n): Body => ({ kind: "text", text: example.slice(0, n), encoding: "utf8" })),
    fc.string({ unit: "binary", maxLength: 60 }).map((t): Body => ({ kind: "text", text: t, encoding: "utf8" })),
  );
}

/** Number of malformed credentials in MALFORMED_AUTH (see session.ts). */
export const MALFORMED_AUTH_COUNT = 10;

const otherAuthArb: fc.Arbitrary<AuthChoice> = fc.oneof(
  fc.constantFrom<AuthChoice>("other", "read", "none"),
  fc.nat({ max: MALFORMED_AUTH_COUNT - 1 }).map((i): AuthChoice => ({ malformed: i })),
);

/** Every category of request for one operation, weighted. */
export function requestArb(doc: unknown, op: Operation, opts: GenerationOptions, methodsOnPath: string[] = [op.method]): fc.Arbitrary<FuzzRequest> {
  const schema = bodySchema(op);
  const corpus = opts.corpus?.get(op.operationId) ?? [];
  const example = schema ? exampleValue(doc, schema) : undefined;
  const exampleText = example === undefined ? "{}" : renderJson(example);
  const invalidOnly = opts.invalidOnly(op);
  const types = jsonTypes(op);
  const defaultType = types[0] ?? "application/json";
  const mostlyMain: fc.Arbitrary<AuthChoice> = fc.oneof({ weight: 30, arbitrary: fc.constant<AuthChoice>("main") }, { weight: 1, arbitrary: otherAuthArb });
  const base = (category: Category, auth: fc.Arbitrary<AuthChoice> = mostlyMain) =>
    fc.record({ pathParams: pathArb(doc, op), query: queryArb(doc, op, false), headers: headersArb(doc, op, false), auth }).map((r) => ({
      target: op.operationId,
      category,
      method: op.method,
      ...r,
    }));
  const withBody = (category: Category, body: fc.Arbitrary<Body>, contentType: fc.Arbitrary<string | null> = fc.constantFrom(...types.length ? types : [defaultType])) =>
    fc.tuple(base(category), body, contentType, fc.boolean()).map(([r, b, ct, chunked]): FuzzRequest => ({ ...r, body: b, contentType: ct, chunked: chunked && b.kind !== "huge" ? chunked : undefined }));

  const options: { weight: number; arbitrary: fc.Arbitrary<FuzzRequest> }[] = [];
  if (schema) {
    if (!invalidOnly) options.push({ weight: 4, arbitrary: withBody("valid", validBodyArb(doc, schema, corpus).map((value): Body => ({ kind: "json", value }))) });
    options.push({ weight: 5, arbitrary: withBody("malformed-body", malformedBodyArb(doc, schema, corpus).map((value): Body => ({ kind: "json", value }))) });
    options.push({ weight: 2, arbitrary: withBody("bad-json", badJsonTexts(exampleText)) });
    options.push({
      weight: 2,
      arbitrary: withBody(
        "content-type",
        fc.constant<Body>(invalidOnly ? { kind: "text", text: exampleText.slice(0, -1), encoding: "utf8" } : { kind: "json", value: example }),
        fc.constantFrom(...WRONG_CONTENT_TYPES),
      ),
    });
    options.push({
      weight: 1,
      arbitrary: withBody("huge-body", fc.integer({ min: 1, max: 4096 }).map((extra): Body => ({ kind: "huge", bytes: opts.maxBodyBytes + extra }))),
    });
  } else if (!invalidOnly) {
    options.push({ weight: 4, arbitrary: base("valid").map((r): FuzzRequest => r) });
    // A body where none is documented: ignored or refused, never a crash.
    options.push({
      weight: 1,
      arbitrary: fc.tuple(base("bad-json"), badJsonTexts("{}"), fc.constantFrom<string | null>("application/json", null, "text/plain")).map(([r, b, ct]): FuzzRequest =>
        op.method === "GET" || op.method === "HEAD" ? r : { ...r, body: b, contentType: ct },
      ),
    });
  }
  const validBody = (): fc.Arbitrary<Pick<FuzzRequest, "body" | "contentType">> =>
    schema
      ? invalidOnly
        ? fc.constant({ body: { kind: "text", text: "{", encoding: "utf8" } as Body, contentType: defaultType })
        : validBodyArb(doc, schema, corpus).map((value) => ({ body: { kind: "json", value } as Body, contentType: defaultType }))
      : fc.constant({});
  options.push({
    weight: 3,
    arbitrary: fc.tuple(base("query"), queryArb(doc, op, true), validBody()).map(([r, query, b]): FuzzRequest => ({ ...r, query, ...b })),
  });
  if (op.parameters.some((p) => p.in === "path")) {
    options.push({
      weight: 3,
      arbitrary: fc.tuple(base("path-param"), nastyPathArb(doc, op), validBody()).map(([r, pathParams, b]): FuzzRequest => ({ ...r, pathParams, ...b })),
    });
  }
  options.push({
    weight: op.parameters.some((p) => p.in === "header") ? 2 : 1,
    arbitrary: fc.tuple(base("header"), headersArb(doc, op, true), validBody()).map(([r, headers, b]): FuzzRequest => ({ ...r, headers, ...b })),
  });
  options.push({
    weight: 2,
    arbitrary: fc.tuple(base("auth", otherAuthArb), validBody()).map(([r, b]): FuzzRequest => ({ ...r, ...b })),
  });
  const wrongMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].filter((m) => !methodsOnPath.includes(m) && !(m === "GET" && methodsOnPath.includes("HEAD")));
  if (wrongMethods.length) {
    options.push({
      weight: 1,
      arbitrary: fc.tuple(base("wrong-method"), fc.constantFrom(...wrongMethods)).map(([r, method]): FuzzRequest =>
        ["POST", "PUT", "PATCH"].includes(method) ? { ...r, method, body: { kind: "json", value: example ?? {} }, contentType: "application/json" } : { ...r, method },
      ),
    });
  }
  return fc.oneof(...options);
}

/** One request for any operation of the document (operations equally likely). */
export function anyRequestArb(doc: unknown, ops: Operation[], opts: GenerationOptions): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...ops.map((op) => requestArb(doc, op, opts, ops.filter((o) => o.path === op.path).map((o) => o.method))));
}

/** Default for GenerationOptions.invalidOnly: POSTs that start benchmark jobs. */
export function startsLongJob(op: Operation): boolean {
  return op.method === "POST" && /bench/i.test(`${op.operationId} ${op.path}`);
}
