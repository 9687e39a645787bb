/**
 * `npm run bench` reaches the service: the CLI stores its runs in the service's own database by default,
 * and the running service serves them. Where it cannot store, it keeps the result in a file and prints
 * the commands that store it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BenchInputError, BenchRunError, runBenchCli } from "@modelplan/bench";
import { afterEach, describe, expect, it } from "vitest";
import { databaseStore } from "../src/routes/benchmarks/cli-store";
import { useTestServers } from "./helpers/test-server";

const startServer = useTestServers();
const TINY = JSON.stringify([{ family: "mlp", config: { inputDim: 16, hiddenUnits: [16], classes: 4 }, batchSize: 8, phases: ["training"], latency: false }]);
const FAST = ["--items", TINY, "--backend", "cpu", "--rounds", "1", "--budget-ms", "100", "--probe-sizes", "32", "--no-sgemm", "--no-whole-machine"];
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("bench CLI and the service's database", () => {
  it("stores a suite into the database the running service reads; saves and prints the upload commands where it cannot", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelplan-bench-cli-"));
    dirs.push(dir);
    const dbPath = path.join(dir, "service.db");
    const server = await startServer({ MODELPLAN_DB: dbPath });
    const store = databaseStore(() => ({ dialect: "sqlite", path: dbPath }));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), cwd: dir };
    const outFile = path.join(dir, "result.json");

    expect(await runBenchCli([...FAST, "--out", outFile], { store, ...io })).toBe(0);
    expect(err.join("")).toMatch(/stored 1 runs in the service's database .*service\.db \(workspace ws_default\) under hardware profile hwp_/);
    expect(out.join("")).toMatch(/scope: This is the accuracy of step-time prediction for the TensorFlow\.js reference models/);
    const local = (await (await fetch(`${server.url}/v1/hardware-profiles/local`)).json()) as { id: string; source: string; backend: string; runCount: number };
    expect(local).toMatchObject({ source: "local", backend: "cpu", runCount: 1 });
    const runs = (await (await fetch(`${server.url}/v1/benchmarks/runs?hardwareProfileId=${local.id}`)).json()) as { items: { warmup: { steps: number } }[] };
    expect(runs.items[0].warmup.steps).toBeGreaterThanOrEqual(2);

    // --no-store (or a store that fails): the file and the exact commands that store it
    err.length = 0;
    expect(await runBenchCli(["--upload", outFile, "--no-store"], { store, ...io })).toBe(0);
    expect(err.join("")).toContain("npm run bench -- --upload result.json");
    expect(err.join("")).toContain("--data-binary @result.json");

    // The file --out writes is the body POST /v1/benchmarks/results takes: the printed curl command posts it as it is.
    err.length = 0;
    const unstored = path.join(dir, "unstored.json");
    expect(await runBenchCli([...FAST, "--no-store", "--out", unstored], { store, ...io })).toBe(0);
    const printed = err.join("").match(/curl -X POST https:\/\/<service>(\/v1\/benchmarks\/results) -H 'content-type: application\/json' -H 'authorization: Bearer <key>' --data-binary @(\S+)$/m);
    expect(printed, err.join("")).not.toBeNull();
    expect(path.resolve(dir, printed![2])).toBe(unstored);
    const saved = fs.readFileSync(unstored);
    expect(JSON.parse(saved.toString())).not.toHaveProperty("leaveOneOut");
    const posted = await fetch(`${server.url}${printed![1]}`, { method: "POST", headers: { "content-type": "application/json" }, body: saved });
    expect(posted.status, await posted.clone().text()).toBe(201);
    expect(((await posted.json()) as { stored: number }).stored).toBe(1);
    // A file of an earlier version ({ result, leaveOneOut }) is still read, and the command printed for it unwraps it.
    const legacy = path.join(dir, "legacy.json");
    fs.writeFileSync(legacy, JSON.stringify({ result: JSON.parse(saved.toString()), leaveOneOut: {} }));
    err.length = 0;
    expect(await runBenchCli(["--upload", legacy, "--no-store"], { store, ...io })).toBe(0);
    expect(err.join("")).toContain("jq .result legacy.json | curl -X POST https://<service>/v1/benchmarks/results");
    expect(err.join("")).toContain("--data-binary @-");
    const broken = { describe: () => "a database that is gone", store: () => Promise.reject(new Error("SQLITE_CANTOPEN")) };
    await expect(runBenchCli(["--upload", outFile], { store: broken, ...io })).rejects.toThrow(BenchRunError);
    expect(err.join("")).toMatch(/could not store the runs in a database that is gone: SQLITE_CANTOPEN/);
    // the standalone bin has no database: uploading needs --server
    await expect(runBenchCli(["--upload", outFile], io)).rejects.toThrow(BenchInputError);
  }, 120_000);
});
