/** The `npm run keys` CLI's command line: usage for --help, and for a mistake the usage with exit code 2 — never a stack trace. */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

type Ran = { args: readonly string[]; status: number | null; stdout: string; stderr: string };

// DATABASE_URL points nowhere usable: none of these may open the database. Run side by side (each starts tsx).
function run(args: readonly string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "services/api/scripts/keys.ts", ...args], { env: { ...process.env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ args, status, stdout, stderr }));
  });
}

describe("npm run keys -- <command line>", () => {
  it("prints the usage on stdout for --help, -h and help, and exits 0", async () => {
    for (const r of await Promise.all([["--help"], ["-h"], ["help"], ["create", "--help"]].map(run))) {
      expect(r.status, r.args.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^usage: npm run keys -- create --workspace <id>/);
      expect(r.stdout).toContain("npm run keys -- revoke <key id>");
      expect(r.stderr).toBe("");
    }
  }, 60_000);

  it("answers an unknown option, an option without its value, an unknown or missing command with the usage on stderr and exit 2", async () => {
    const cases = [
      [["--bogus"], "Unknown option '--bogus'"],
      [["list", "--json", "--verbose"], "Unknown option '--verbose'"],
      [["create", "--workspace"], "'--workspace <value>' argument missing"],
      [["frobnicate"], "unknown command 'frobnicate'"],
      [[], "usage:"],
    ] as const;
    const ran = await Promise.all(cases.map(([args]) => run(args)));
    for (const [i, r] of ran.entries()) {
      const said = cases[i][1];
      expect(r.status, r.args.join(" ")).toBe(2);
      expect(r.stderr).toContain(said);
      expect(r.stderr).toContain("usage: npm run keys -- create");
      expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
      expect(r.stdout).toBe("");
    }
  }, 60_000);
});
