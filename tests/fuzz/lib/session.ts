/**
 * Sends generated requests to a running server and checks every answer against the OpenAPI document:
 *
 *  1. no 5xx, and no request left without an answer;
 *  2. the status is one the document declares for the operation the request reached (404/405 when it
 *     reached none);
 *  3. every 4xx is application/problem+json matching the documented Problem schema, with `status`
 *     equal to the HTTP status and `requestId` equal to X-Request-Id;
 *  4. every 2xx body matches the documented response schema (204: empty);
 *  5. a 2xx never answers a body the document says is invalid, or a missing required body;
 *  6. a rejected write (POST/PUT/PATCH/DELETE answered >= 400) leaves every table unchanged;
 *  7. an accepted write reads back identically (GET Location / the same path), echoes the fields it
 *     was sent, and a deleted resource answers 404 afterwards.
 *
 * It also remembers ids and ETags from 2xx answers so later requests can hit existing resources.
 */
import { declaredResponse, matchRoute, type OpenApiDocument, type Operation } from "./openapi";
import { isValid, validate, type JsonSchema } from "./json-schema";
import { HttpClient, type RawResponse } from "./http";
import { HARVESTED_CURSOR, type Category, type FuzzRequest } from "./requests";
import { DeepNest, PoolRef, RawJson, renderJson, resolveRefs, pctEncode } from "./values";
import type { ChangeDetector, TableDigests } from "./db-snapshot";

export interface Failure {
  kind:
    | "server-error"
    | "no-response"
    | "undeclared-status"
    | "not-problem-json"
    | "problem-schema"
    | "response-schema"
    | "accepted-invalid"
    | "data-changed"
    | "readback-mismatch"
    | "echo-mismatch"
    | "undocumented-2xx"
    | "auth-bypass"
    | "connection-dropped"
    | "tenant-leak";
  message: string;
  request: string;
  response?: string;
}

export interface Principal {
  /** Key id (protected from the fuzzer's own revocations). */
  id: string;
  key: string;
  workspaceId: string;
}

export interface Principals {
  /** Admin key the fuzzer normally uses. */
  main: Principal;
  /** Admin key of another workspace: must never see or change the main workspace's data. */
  other: Principal;
  /** Read-scope key of the main workspace: must never change stored data. */
  read: Principal;
  /** A revoked key: must be refused. */
  revokedKey: string;
}

export interface SessionOptions {
  /** API keys to send; without them requests go out with no Authorization header. */
  principals?: Principals;
  baseUrl: string;
  doc: OpenApiDocument;
  ops: Operation[];
  /** Detects stored-data changes around each write (see db-snapshot.ts). */
  changes?: ChangeDetector;
  /** Operations that must only receive invalid bodies (long jobs): valid ones are skipped, not sent. */
  invalidOnly?: (op: Operation) => boolean;
  /** Routes outside the document that may answer 2xx (e.g. /docs). */
  undocumentedRoutes?: string[];
  timeoutMs?: number;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const POOL_MAX = 64;

type StatKey = string;

export class FuzzSession {
  readonly client: HttpClient;
  /** Requests sent, per operation reached (or `unrouted`) and status. */
  readonly byOperation = new Map<string, Map<number, number>>();
  /** Requests sent, per category and status. */
  readonly byCategory = new Map<Category | "readback", Map<number, number>>();
  readonly failures: Failure[] = [];
  requests = 0;
  skipped = 0;
  /** JSON bodies the server accepted (2xx), per operationId: seeds for later perturbations. */
  readonly corpus = new Map<string, unknown[]>();
  private readonly pools = new Map<StatKey, string[]>();
  private readonly allIds: string[] = [];
  /** `nextCursor` values per operation, for later pages. */
  private readonly cursors = new Map<string, string[]>();
  private readonly etags = new Map<string, string>();
  private readonly problemSchema: JsonSchema;
  private readonly poolKeys: { collection: string; param: string; key: string }[] = [];
  private cached?: { marker: string; digests: TableDigests };

  /** Statuses declared by every operation that requires a key. */
  private readonly globalStatuses: number[];

  constructor(readonly opts: SessionOptions) {
    const authed = opts.ops.filter((o) => o.requiresAuth);
    const basis = authed.length ? authed : opts.ops;
    this.globalStatuses = basis.length
      ? Object.keys(basis[0].responses).map(Number).filter((st) => basis.every((o) => String(st) in o.responses))
      : [];
    this.client = new HttpClient(opts.baseUrl, opts.timeoutMs);
    this.problemSchema = opts.doc.components?.schemas?.Problem ?? { type: "object", required: ["type", "title", "status", "detail"] };
    const seen = new Set<string>();
    for (const op of opts.ops) {
      const segs = op.path.split("/");
      segs.forEach((seg, i) => {
        const m = /^\{([^}]+)\}$/.exec(seg);
        if (!m) return;
        const collection = segs.slice(0, i).join("/");
        const key = `${collection}|${m[1]}`;
        if (!seen.has(key)) {
          seen.add(key);
          this.poolKeys.push({ collection, param: m[1], key });
        }
      });
    }
  }

  close(): void {
    this.client.close();
  }

  /** Sends one generated request (plus a read-back after accepted writes); returns the failures it caused. */
  async run(req: FuzzRequest): Promise<Failure[]> {
    const found: Failure[] = [];
    const target = this.opts.ops.find((o) => o.operationId === req.target);
    if (!target) throw new Error(`unknown operation ${req.target}`);

    // Resolve state-dependent parts.
    let path = target.path;
    for (const [name, v] of Object.entries(req.pathParams)) {
      const encoded = v.kind === "raw" ? v.encoded : pctEncode(this.pick(this.pools.get(`${target.path.split(`/{${name}}`)[0]}|${name}`), v.index) ?? v.fallback);
      path = path.replace(`{${name}}`, encoded);
    }
    const cursors = this.cursors.get(target.operationId);
    const pairs = req.query.flatMap(([k, v]): [string, string][] => {
      if (v !== HARVESTED_CURSOR) return [[k, v]];
      const c = this.pick(cursors, k.length + req.query.length);
      return c ? [[k, encodeURIComponent(c)]] : [];
    });
    const query = pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : "";
    const fullPath = `${path}${query}`;
    const pathname = new URL(fullPath, "http://x").pathname;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = typeof v === "string" ? v : (this.etags.get(pathname) ?? v.fallback);
    if (req.contentType !== undefined && req.contentType !== null) headers["content-type"] = req.contentType;
    const principal = this.principalFor(req.auth);
    const authHeader = this.authHeaderFor(req.auth);
    if (authHeader !== undefined) headers.authorization = authHeader;
    const resolve = (r: PoolRef) => this.pick(this.idsFor(r.hint), r.index) ?? this.pick(this.allIds, r.index) ?? r.fallback;
    let bodyBuf: Buffer | undefined;
    let sentValue: unknown;
    let parsedOk = false;
    if (req.body) {
      if (req.body.kind === "json") {
        const text = renderJson(req.body.value, resolve);
        bodyBuf = Buffer.from(text, "utf8");
        sentValue = resolveRefs(req.body.value, resolve);
      } else if (req.body.kind === "text") {
        bodyBuf = Buffer.from(req.body.text, req.body.encoding);
      } else {
        bodyBuf = Buffer.alloc(req.body.bytes, 0x20);
        bodyBuf.write(`{"padding":"`, 0);
      }
      try {
        // RFC 8259 §8.1: a parser MAY ignore a byte order mark; the server does.
        sentValue = JSON.parse(bodyBuf.toString("utf8").replace(/^\ufeff/, ""));
        parsedOk = true;
      } catch {
        parsedOk = false;
      }
    }

    const match = matchRoute(this.opts.ops, req.method, pathname);
    const op = match.operation;
    const jsonType = (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    const schemaForBody = op?.body ? (op.body.content[jsonType] ?? op.body.content["application/json"]) : undefined;
    const bodyDocValid = op?.body && parsedOk && schemaForBody ? isValid(schemaForBody, sentValue, this.opts.doc) : false;
    if (op && this.opts.invalidOnly?.(op) && (bodyDocValid || (!op.body && req.method === op.method))) {
      this.skipped++;
      return found;
    }

    const describe = () =>
      `${req.method} ${fullPath.length > 300 ? `${fullPath.slice(0, 300)}...(${fullPath.length} chars)` : fullPath} [${req.category} for ${req.target}]` +
      ` headers=${JSON.stringify(headers).slice(0, 300)}` +
      (bodyBuf ? ` body(${bodyBuf.length}B${req.chunked ? ", chunked" : ""})=${JSON.stringify(bodyBuf.subarray(0, 300).toString("utf8"))}` : "");

    const isWrite = WRITE_METHODS.has(req.method);
    const detector = isWrite ? this.opts.changes : undefined;
    let before: { marker: string; digests: TableDigests } | undefined;
    if (detector) {
      const marker = detector.marker();
      before = this.cached?.marker === marker ? this.cached : { marker, digests: detector.digests() };
    }

    let res: RawResponse;
    try {
      res = await this.client.send({ method: req.method, path: fullPath, headers, body: bodyBuf, chunked: req.chunked }, describe());
    } catch (err) {
      found.push({ kind: "no-response", message: (err as Error).message, request: describe() });
      this.record(op, req.category, 0);
      this.failures.push(...found);
      return found;
    }
    this.record(op, req.category, res.status);
    const summary = () => `${res.status} ${res.headers["content-type"] ?? "(no content-type)"} ${res.text.slice(0, 400)}`;
    const fail = (kind: Failure["kind"], message: string) => found.push({ kind, message, request: describe(), response: summary() });

    if (res.droppedAfter !== undefined) {
      fail(
        "connection-dropped",
        `the server closed a kept-alive connection without sending Connection: close, so this request (sent on it) was lost and had to be retried; the connection's previous request was: ${res.droppedAfter.slice(0, 200)}`,
      );
    }
    const json = parseJson(res);
    const unauthenticated = this.opts.principals !== undefined && (req.auth === "none" || typeof req.auth === "object");
    const extraAllowed = unauthenticated ? [401] : req.auth === "read" ? [403] : [];
    this.checkResponse(op, match.pathExists, req.method, pathname, res, json, fail, extraAllowed);
    if (unauthenticated && op?.requiresAuth && res.status < 300) fail("auth-bypass", `answered ${res.status} without a valid API key (${JSON.stringify(req.auth)})`);
    if (principal && res.status < 300 && json.ok) {
      const foreign = foreignWorkspace(json.value, principal.workspaceId);
      if (foreign) fail("tenant-leak", `a key of workspace '${principal.workspaceId}' received data of workspace '${foreign}'`);
    }

    if (res.status >= 200 && res.status < 300 && op && req.body?.kind === "json" && parsedOk && op.method === req.method && !hasMarker(req.body.value) && bodyBuf!.length < 20_000) {
      let list = this.corpus.get(op.operationId);
      if (!list) this.corpus.set(op.operationId, (list = []));
      if (list.length < 32) list.push(sentValue);
      else list[this.requests % 32] = sentValue;
    }
    if (res.status >= 200 && res.status < 300 && op) {
      if (op.body && schemaForBody && parsedOk && !bodyDocValid) {
        const issues = validate(schemaForBody, sentValue, this.opts.doc).slice(0, 3);
        fail("accepted-invalid", `answered ${res.status} to a body the document says is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
      }
      if (op.body?.required && (!bodyBuf || !parsedOk)) fail("accepted-invalid", `answered ${res.status} without a parseable required body`);
      if (op.body?.required && jsonType && !/json/.test(jsonType)) fail("accepted-invalid", `answered ${res.status} to Content-Type ${jsonType}`);
    }

    if (detector && before) {
      const marker = detector.marker();
      const after = marker === before.marker ? before : { marker, digests: detector.digests() };
      this.cached = after;
      const changed = after === before ? [] : diffDigests(before.digests, after.digests);
      if (changed.length && res.status >= 400) fail("data-changed", `rejected with ${res.status} but changed table(s): ${changed.join(", ")}`);
      else if (changed.length && (req.auth === "read" || unauthenticated)) fail("auth-bypass", `a ${JSON.stringify(req.auth)} request changed table(s) ${changed.join(", ")} (answered ${res.status})`);
    }

    if (res.status >= 200 && res.status < 300 && op) {
      if (!principal || principal === this.opts.principals?.main) {
        this.harvest(op, pathname, res, json);
        if (isWrite) await this.readBack(req, op, pathname, res, json, sentValue, fail);
      }
    }
    this.failures.push(...found);
    return found;
  }

  private principalFor(auth: FuzzRequest["auth"]): Principal | undefined {
    const p = this.opts.principals;
    if (!p) return undefined;
    return auth === "main" ? p.main : auth === "other" ? p.other : auth === "read" ? p.read : undefined;
  }

  /** The Authorization header for a choice (undefined: none). Malformed variants index MALFORMED. */
  private authHeaderFor(auth: FuzzRequest["auth"]): string | undefined {
    const p = this.opts.principals;
    if (!p || auth === "none") return undefined;
    if (typeof auth === "object") {
      const malformed = [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        `Bearer mp_${"x".repeat(32)}`,
        `Bearer ${p.main.key}x`,
        `Bearer ${p.revokedKey}`,
        `Bearer ${p.main.key.toUpperCase()}`,
        `Bearer ${"a".repeat(300)}`,
        `Token ${p.main.key}`,
        `Bearer ${p.main.key} ${p.main.key}`,
      ];
      return malformed[auth.malformed % malformed.length];
    }
    return `Bearer ${this.principalFor(auth)!.key}`;
  }

  /** Ids harvested from collections named like `hint` (`scenario` → /v1/scenarios). */
  private idsFor(hint: string | undefined): string[] | undefined {
    if (!hint) return undefined;
    const kebab = hint.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
    const out: string[] = [];
    for (const { collection, key } of this.poolKeys) {
      if ((collection.split("/").pop() ?? "").startsWith(kebab)) out.push(...(this.pools.get(key) ?? []));
    }
    return out.length ? out : undefined;
  }

  private pick(list: string[] | undefined, index: number): string | undefined {
    return list && list.length ? list[index % list.length] : undefined;
  }

  private record(op: Operation | undefined, category: Category | "readback", status: number): void {
    this.requests++;
    const key = op ? op.operationId : "(no documented operation)";
    for (const [map, k] of [[this.byOperation, key], [this.byCategory, category]] as const) {
      let m = (map as Map<string, Map<number, number>>).get(k);
      if (!m) (map as Map<string, Map<number, number>>).set(k, (m = new Map()));
      m.set(status, (m.get(status) ?? 0) + 1);
    }
  }

  private checkResponse(
    op: Operation | undefined,
    pathExists: boolean,
    method: string,
    pathname: string,
    res: RawResponse,
    json: { ok: boolean; value?: unknown },
    fail: (kind: Failure["kind"], message: string) => void,
    extraAllowed: number[] = [],
  ): void {
    const status = res.status;
    if (status >= 500) fail("server-error", `answered ${status}`);
    const contentType = String(res.headers["content-type"] ?? "");
    const declared = op ? declaredResponse(op, status) : undefined;
    if (op && !declared) fail("undeclared-status", `${status} is not declared for ${op.operationId} (declared: ${Object.keys(op.responses).join(", ")})`);
    if (!op) {
      const undocumentedOk = status < 300 && method === "GET" && (this.opts.undocumentedRoutes ?? ["/docs", "/openapi.json"]).includes(pathname);
      // Middleware that runs before routing (body limit, content type, JSON guards, rate limit) may
      // answer first with one of the statuses every authenticated operation declares.
      const expected = [...(pathExists ? [405, 404] : [404, 405]), ...extraAllowed, ...this.globalStatuses.filter((g) => g >= 400 && g < 500)];
      if (!undocumentedOk && !expected.includes(status) && status < 500) {
        fail(status < 300 ? "undocumented-2xx" : "undeclared-status", `no documented operation for ${method} ${pathname}; expected ${expected.join(" or ")}, got ${status}`);
      }
    }
    if (status >= 400) {
      if (!contentType.startsWith("application/problem+json")) {
        fail("not-problem-json", `${status} answered with Content-Type '${contentType}'`);
        return;
      }
      if (!json.ok) {
        fail("not-problem-json", `${status} body is not JSON`);
        return;
      }
      const schema = declared?.content["application/problem+json"] ?? this.problemSchema;
      const issues = validate(schema, json.value, this.opts.doc);
      if (issues.length) fail("problem-schema", issues.slice(0, 4).map((i) => `${i.path}: ${i.message}`).join("; "));
      const p = json.value as Record<string, unknown>;
      if (p && p.status !== status) fail("problem-schema", `problem.status ${String(p.status)} differs from HTTP ${status}`);
      const rid = res.headers["x-request-id"];
      if (p && rid !== undefined && p.requestId !== rid) fail("problem-schema", `problem.requestId ${String(p.requestId)} differs from X-Request-Id ${String(rid)}`);
      return;
    }
    if (status >= 200 && status < 300 && op && declared) {
      const types = Object.keys(declared.content);
      if (!types.length) {
        if (res.body.length) fail("response-schema", `${status} declares no content but sent ${res.body.length} bytes`);
        return;
      }
      const mediaType = contentType.split(";")[0].trim().toLowerCase();
      if (!types.includes(mediaType)) {
        fail("response-schema", `Content-Type '${contentType}' is not one of the declared ${types.join(", ")}`);
        return;
      }
      const schema = declared.content[mediaType];
      if (schema && /json/.test(mediaType)) {
        if (!json.ok) fail("response-schema", "body is not JSON");
        else {
          const issues = validate(schema, json.value, this.opts.doc);
          if (issues.length) fail("response-schema", issues.slice(0, 4).map((i) => `${i.path}: ${i.message}`).join("; "));
        }
      }
    }
  }

  /** Remembers ids (per collection and globally) and ETags from a 2xx answer. */
  private harvest(op: Operation, pathname: string, res: RawResponse, json: { ok: boolean; value?: unknown }): void {
    const etag = res.headers.etag;
    const location = typeof res.headers.location === "string" ? res.headers.location : undefined;
    if (typeof etag === "string") this.etags.set(location && res.status === 201 ? location.split("?")[0] : pathname, etag);
    if (!json.ok) return;
    const objects: Record<string, unknown>[] = [];
    const v = json.value;
    const push = (x: unknown) => {
      if (x && typeof x === "object" && !Array.isArray(x)) objects.push(x as Record<string, unknown>);
    };
    if (Array.isArray(v)) v.forEach(push);
    else if (v && typeof v === "object") {
      push(v);
      for (const x of Object.values(v)) if (Array.isArray(x)) x.forEach(push);
    }
    const isProtected = (id: string) => [this.opts.principals?.main.id, this.opts.principals?.other.id, this.opts.principals?.read.id].includes(id);
    for (const o of objects) if (typeof o.id === "string" && !isProtected(o.id)) addTo(this.allIds, o.id);
    const next = (v as Record<string, unknown> | null)?.nextCursor;
    if (typeof next === "string") {
      let list = this.cursors.get(op.operationId);
      if (!list) this.cursors.set(op.operationId, (list = []));
      addTo(list, next);
    }
    for (const { collection, param, key } of this.poolKeys) {
      if (op.path !== collection && !op.path.startsWith(`${collection}/{${param}}`)) continue;
      let list = this.pools.get(key);
      if (!list) this.pools.set(key, (list = []));
      for (const o of objects) {
        const id = o[param] ?? o.id;
        if (typeof id === "string" && !isProtected(id)) addTo(list, id);
      }
    }
  }

  private async readBack(
    req: FuzzRequest,
    op: Operation,
    pathname: string,
    res: RawResponse,
    json: { ok: boolean; value?: unknown },
    sentValue: unknown,
    fail: (kind: Failure["kind"], message: string) => void,
  ): Promise<void> {
    const location = typeof res.headers.location === "string" && res.headers.location.startsWith("/") ? res.headers.location : undefined;
    const readPath = location ?? (req.method === "POST" ? undefined : pathname);
    // An Idempotency-Key replay returns the original answer, which may describe a resource deleted since.
    if (!readPath || res.headers["idempotent-replayed"] !== undefined) return;
    const getMatch = matchRoute(this.opts.ops, "GET", new URL(readPath, "http://x").pathname);
    if (!getMatch.operation) return;
    let got: RawResponse;
    try {
      const authorization = this.authHeaderFor("main");
      got = await this.client.send({ method: "GET", path: readPath, headers: authorization ? { authorization } : {} });
    } catch (err) {
      fail("no-response", `read-back GET ${readPath}: ${(err as Error).message}`);
      return;
    }
    this.record(getMatch.operation, "readback", got.status);
    const gotJson = parseJson(got);
    this.checkResponse(getMatch.operation, true, "GET", readPath, got, gotJson, (kind, message) => fail(kind, `read-back GET ${readPath}: ${message}`));
    if (req.method === "DELETE") {
      if (got.status !== 404) fail("readback-mismatch", `GET ${readPath} after a ${res.status} DELETE answered ${got.status}, expected 404`);
      return;
    }
    if (!json.ok || res.status === 202) return;
    if (got.status !== 200 || !gotJson.ok) {
      fail("readback-mismatch", `GET ${readPath} after a ${res.status} ${req.method} answered ${got.status}`);
      return;
    }
    // A Location that names a collection: compare with the created item in it (when on this page).
    let stored = gotJson.value;
    const created = json.value as Record<string, unknown> | undefined;
    const page = gotJson.value as { items?: unknown[] } | undefined;
    if (Array.isArray(page?.items) && !Array.isArray(created?.items) && created && typeof created.id === "string") {
      stored = page.items.find((i) => (i as Record<string, unknown>)?.id === created.id);
      if (stored === undefined) return;
    }
    const diff = firstDifference(json.value, stored);
    if (diff) fail("readback-mismatch", `GET ${readPath} differs from the ${req.method} answer at ${diff}`);
    if (stored === gotJson.value && typeof res.headers.etag === "string" && got.headers.etag !== res.headers.etag) {
      fail("readback-mismatch", `ETag ${String(got.headers.etag)} on read-back differs from ${res.headers.etag}`);
    }
    // Stored resources (answered with an ETag) echo the fields they were sent.
    if (typeof res.headers.etag === "string" && sentValue && typeof sentValue === "object" && !Array.isArray(sentValue)) {
      const mismatch = echoMismatch(sentValue as Record<string, unknown>, json.value, "$");
      if (mismatch) fail("echo-mismatch", `the ${req.method} answer does not carry the value sent at ${mismatch}`);
    }
    this.harvest(getMatch.operation, readPath, got, gotJson);
  }
}

/** Whether a generated value contains raw tokens or deep-nesting markers (kept out of the corpus). */
function hasMarker(v: unknown): boolean {
  if (v instanceof DeepNest || v instanceof RawJson) return true;
  if (v && typeof v === "object") return Object.values(v as object).some(hasMarker);
  return false;
}

/** The first `workspaceId` in a JSON answer (top level, items, nested objects) that is not `own`. */
function foreignWorkspace(value: unknown, own: string, depth = 0): string | undefined {
  if (depth > 6 || value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const f = foreignWorkspace(v, own, depth + 1);
      if (f) return f;
    }
    return undefined;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.workspaceId === "string" && o.workspaceId !== own) return o.workspaceId;
  for (const v of Object.values(o)) {
    const f = foreignWorkspace(v, own, depth + 1);
    if (f) return f;
  }
  return undefined;
}

function parseJson(res: RawResponse): { ok: boolean; value?: unknown } {
  if (!res.body.length) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(res.text) };
  } catch {
    return { ok: false };
  }
}

function addTo(list: string[], id: string): void {
  if (list.includes(id)) return;
  list.push(id);
  if (list.length > POOL_MAX) list.shift();
}

export function diffDigests(a: TableDigests, b: TableDigests): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n)).sort();
}

/** Path of the first difference between two JSON values, or undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path = "$"): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return `${path} (${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)})`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path} (array vs object)`;
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** First primitive leaf of `sent` (outside arrays) whose value differs in `got` (strings compared trimmed). */
function echoMismatch(sent: Record<string, unknown>, got: unknown, path: string): string | undefined {
  if (!got || typeof got !== "object" || Array.isArray(got)) return undefined;
  for (const [k, v] of Object.entries(sent)) {
    if (!(k in (got as object))) continue;
    const g = (got as Record<string, unknown>)[k];
    if (v === null || v === undefined || Array.isArray(v)) continue;
    if (typeof v === "object") {
      const inner = echoMismatch(v as Record<string, unknown>, g, `${path}.${k}`);
      if (inner) return inner;
    } else if (typeof v === "string" ? typeof g !== "string" || v.trim() !== g.trim() : v !== g) {
      return `${path}.${k} (sent ${JSON.stringify(v)?.slice(0, 60)}, got ${JSON.stringify(g)?.slice(0, 60)})`;
    }
  }
  return undefined;
}
