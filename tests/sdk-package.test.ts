/**
 * The SDK as a project outside this repository gets it: `npm pack` the package, install the tarball
 * into a fresh project under the system's temp directory, type-check a program and the examples with
 * tsc (strict; NodeNext, Node16 and Bundler resolution) including a line that must fail to compile,
 * then run them with plain `node` against the real server on an ephemeral port, and kill the server
 * to see ModelplanNetworkError.
 *
 * openapi-fetch comes from the npm registry (or npm's cache: --prefer-offline). Without either, the
 * test installs the copy this workspace already has, packed, and says so.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, startChildServer, type ChildServer } from "./helpers/child-server";

const run = promisify(execFile);
const SDK_DIR = path.join(REPO_ROOT, "packages/sdk");
const TSC = path.join(REPO_ROOT, "node_modules/typescript/lib/tsc.js");
const EXAMPLES = ["quickstart", "founder-serving-cost-and-plan", "ml-engineer-fine-tune", "infra-engineer-benchmark"];

/** npm for a project outside the workspace: none of the calling npm's per-run settings (prefix, workspace, package). */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig", "npm_config_strict_ssl", "npm_config_cafile", "npm_config_proxy", "npm_config_https_proxy"]);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.has(k.toLowerCase())));
}

async function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return run("npm", args, { cwd, env: npmEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
}

/** Runs tsc in the consumer project; resolves its exit code and output. */
async function tsc(cwd: string, project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSC, "-p", project, "--pretty", "false"], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

async function node(cwd: string, file: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, [file], { cwd, env: { ...process.env, ...env }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

const compilerOptions = (overrides: Record<string, unknown>) => ({
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    strict: true,
    noEmitOnError: true,
    typeRoots: [path.join(REPO_ROOT, "node_modules/@types")], // the type checker's own Node types
    types: ["node"],
    ...overrides,
  },
});

/** A program a user would write: the README's example is examples/quickstart.ts; this one reaches a dead server. */
const DEAD_SERVER = `import { createClient, ModelplanApiError, ModelplanNetworkError } from "@modelplan/sdk";
const client = createClient({ baseUrl: process.env.MODELPLAN_URL ?? "", retry: { initialDelayMs: 10 } });
try {
  await client.GET("/v1/use-cases", { params: { query: { limit: 1 } } });
  console.log("unexpected: an answer");
  process.exit(1);
} catch (e) {
  if (!(e instanceof ModelplanNetworkError) || e instanceof ModelplanApiError) throw e;
  console.log(JSON.stringify({ name: e.name, code: e.code, attempts: e.attempts, requestId: e.requestId }));
}
`;
/** Compiles only while the SDK's types are live: a string where a number is required. */
const LIVE_TYPES = `import { createClient } from "@modelplan/sdk";
const client = createClient({ baseUrl: "http://127.0.0.1:8787" });
await client.GET("/v1/use-cases", { params: { query: { limit: "ten" } } });
`;

let work: string;
let consumer: string;
let tarball: string;
let installedFrom: string;
let server: ChildServer | undefined;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-sdk-pack-"));
  consumer = path.join(work, "consumer");
  fs.mkdirSync(path.join(consumer, "src"), { recursive: true });

  // 1. The tarball (npm runs the package's prepack: the tsc build into dist/).
  await npm(["pack", "--pack-destination", work], SDK_DIR);
  const packed = fs.readdirSync(work).filter((f) => f.endsWith(".tgz"));
  expect(packed).toHaveLength(1);
  tarball = path.join(work, packed[0]);

  // 2. A fresh project that installs it.
  fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "sdk-consumer", private: true, type: "module" }, null, 2));
  const install = ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"];
  try {
    await npm([...install, "--prefer-offline", tarball], consumer);
    installedFrom = "the npm registry or its cache";
  } catch {
    // No registry and no cache: the workspace's own copies of the SDK's dependencies, packed.
    const deps = ["openapi-fetch", "openapi-typescript-helpers"].map((d) => path.join(REPO_ROOT, "node_modules", d));
    const { stdout } = await npm(["pack", "--pack-destination", work, ...deps], work);
    const files = stdout.trim().split("\n").map((f) => path.join(work, f.trim()));
    await npm([...install, "--offline", tarball, ...files], consumer);
    installedFrom = "the workspace's installed copies (no registry or cache reachable)";
  }
  console.log(`sdk-package: openapi-fetch installed from ${installedFrom}`);

  for (const name of EXAMPLES) fs.copyFileSync(path.join(SDK_DIR, "examples", `${name}.ts`), path.join(consumer, "src", `${name}.ts`));
  fs.writeFileSync(path.join(consumer, "src", "dead-server.ts"), DEAD_SERVER);
  fs.writeFileSync(path.join(consumer, "live-types.ts"), LIVE_TYPES);
  const write = (file: string, json: unknown) => fs.writeFileSync(path.join(consumer, file), JSON.stringify(json, null, 2));
  // NodeNext checks the SDK's .d.ts files too (skipLibCheck off); the others check how they resolve.
  write("tsconfig.json", { ...compilerOptions({ module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: false, outDir: "out", rootDir: "src" }), include: ["src"] });
  write("tsconfig.node16.json", { ...compilerOptions({ module: "Node16", moduleResolution: "Node16", skipLibCheck: true, noEmit: true }), include: ["src"] });
  write("tsconfig.bundler.json", { ...compilerOptions({ module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM"], skipLibCheck: true, noEmit: true }), include: ["src"] });
  write("tsconfig.live-types.json", { ...compilerOptions({ module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: true, noEmit: true }), files: ["live-types.ts"] });
}, 300_000);

afterAll(async () => {
  server?.signal("SIGKILL");
  await server?.waitGone(10_000);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the SDK from its tarball, in a project outside the repository", () => {
  it("ships ESM JavaScript and .d.ts, and depends on nothing but openapi-fetch", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n").sort();
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/schema.d.ts");
    expect(files.filter((f) => f.startsWith("package/src/"))).toEqual([]);
    const installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules/@modelplan/sdk/package.json"), "utf8")) as {
      private?: boolean;
      dependencies: Record<string, string>;
    };
    expect(installed.private).toBeUndefined();
    expect(Object.keys(installed.dependencies)).toEqual(["openapi-fetch"]);
    // The install is real files, not a link into this repository.
    expect(fs.lstatSync(path.join(consumer, "node_modules/@modelplan/sdk")).isSymbolicLink()).toBe(false);
    expect(fs.realpathSync(path.join(consumer, "node_modules/openapi-fetch")).startsWith(consumer)).toBe(true);
  });

  it("type-checks the program and the examples under NodeNext, Node16 and Bundler (strict)", async () => {
    const projects = ["tsconfig.json", "tsconfig.node16.json", "tsconfig.bundler.json"];
    const results = await Promise.all(projects.map((project) => tsc(consumer, project)));
    results.forEach((result, i) => {
      expect(result.output, projects[i]).toBe("");
      expect(result.code, projects[i]).toBe(0);
    });
    for (const name of [...EXAMPLES, "dead-server"]) expect(fs.existsSync(path.join(consumer, "out", `${name}.js`))).toBe(true);
  }, 180_000);

  it("refuses to compile a wrong query type: the types are live, not any", async () => {
    const result = await tsc(consumer, "tsconfig.live-types.json");
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/live-types\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(result.output.trim().split("\n")).toHaveLength(1);
  }, 60_000);

  it("runs the README's example and every example with plain node against the real server, then meets a killed server", async () => {
    server = await startChildServer({ runner: "tsx", dbPath: path.join(work, "server.db") });
    const env = { MODELPLAN_URL: server.url };

    const quickstart = await node(consumer, "out/quickstart.js", env);
    expect(quickstart).toMatch(/^use cases in the catalog: \d{2,}$/m);
    expect(quickstart).toMatch(/scenario scn_\w+ is at version 2/);
    expect(quickstart).toMatch(/refused: 412 Precondition failed \(request id [\w-]+\)/);

    const founder = await node(consumer, "out/founder-serving-cost-and-plan.js", env);
    expect(founder).toMatch(/GPT-4o mini: \$[\d,]+ a month/);
    expect(founder).toMatch(/^break-even month: /m);
    expect(founder).toMatch(/^report: \/v1\/plans\/pln_\w+\/report$/m);

    const ml = await node(consumer, "out/ml-engineer-fine-tune.js", env);
    expect(ml).toMatch(/Llama 2 7B, full-fine-tune, 2\.0e\+9 tokens on 8× NVIDIA A100 80GB/);
    expect(ml).toMatch(/Llama 2 7B, lora,/);
    expect(ml).toMatch(/GPU-hours/);
    expect(ml).toMatch(/the training steps alone: [\d.]+ \([\d.]+–[\d.]+\) tokens\/s per GPU/);

    const infra = await node(consumer, "out/infra-engineer-benchmark.js", env);
    expect(infra).toMatch(/^profile hwp_\w+: /m);
    expect(infra).toMatch(/^predicted training step of a 2-layer GPT: [\d.]+ ms/m);
    expect(infra).toMatch(/^fine-tuning GPT-2 on 10M tokens here: [\d.]+ days/m);

    // Killed: the whole process group, the server behind tsx included.
    server.signal("SIGKILL");
    expect(await server.waitGone(10_000)).toBe(true);
    const dead = JSON.parse(await node(consumer, "out/dead-server.js", env)) as { name: string; code: string; attempts: number; requestId: string };
    expect(dead).toMatchObject({ name: "ModelplanNetworkError", code: "ECONNREFUSED", attempts: 3 });
    expect(dead.requestId).toMatch(/^[0-9a-f-]{36}-r2$/);
  }, 300_000);
});
