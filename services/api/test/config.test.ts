import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";
import { REPO_ROOT } from "../../../tests/helpers/child-server";

describe("loadConfig", () => {
  it("has local defaults", () => {
    expect(loadConfig({})).toMatchObject({ host: "127.0.0.1", port: 8787, database: { dialect: "sqlite", path: "data/modelplan.db" }, logLevel: "info" });
  });

  it("takes DATABASE_URL over MODELPLAN_DB and strips the scheme", () => {
    expect(loadConfig({ DATABASE_URL: "file:./x.db", MODELPLAN_DB: "y.db" }).database).toEqual({ dialect: "sqlite", path: "./x.db" });
    expect(loadConfig({ MODELPLAN_DB: "y.db" }).database).toEqual({ dialect: "sqlite", path: "y.db" });
  });

  it("names the bad variable in one line", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/^Invalid configuration: PORT="70000"/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("refuses a database URL it cannot use instead of making it a SQLite path", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://u:secret@db:3306/x" })).toThrow(/^Invalid configuration: DATABASE_URL="mysql:\/\/u:\*\*\*@db:3306\/x": unsupported database scheme 'mysql:'/);
    expect(() => loadConfig({ DATABASE_URL: "http://example.com/db" })).toThrow(ConfigError);
    expect(() => loadConfig({ MODELPLAN_DB: "redis://localhost" })).toThrow(/MODELPLAN_DB/);
    expect(() => loadConfig({ DATABASE_URL: "file:" })).toThrow(/no file path/);
    // the password never reaches the message
    expect(() => loadConfig({ DATABASE_URL: "mysql://u:secret@db/x" })).not.toThrow(/secret/);
    expect(loadConfig({ DATABASE_URL: "sqlite:///tmp/a.db" }).database).toEqual({ dialect: "sqlite", path: "/tmp/a.db" });
    expect(loadConfig({ DATABASE_URL: ":memory:" }).database).toEqual({ dialect: "sqlite", path: ":memory:" });
    expect(loadConfig({ DATABASE_URL: "C:\\data\\m.db" }).database).toEqual({ dialect: "sqlite", path: "C:\\data\\m.db" });
  });

  it("takes a PostgreSQL URL as a PostgreSQL database, and refuses one without a host", () => {
    const url = "postgres://modelplan:pw@127.0.0.1:5432/modelplan";
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ dialect: "postgres", url });
    expect(loadConfig({ DATABASE_URL: "postgresql://u@db.internal/m" }).database).toMatchObject({ dialect: "postgres" });
    expect(() => loadConfig({ DATABASE_URL: "postgres:///m" })).toThrow(/names no host/);
  });

  it("stops start-up with one line on such a URL, creating nothing", () => {
    const { MODELPLAN_DB: _ignored, ...env } = process.env;
    const res = spawnSync(process.execPath, ["--import", "tsx", "services/api/src/server.ts"], {
      cwd: REPO_ROOT,
      env: { ...env, DATABASE_URL: "mongodb://user:pw@127.0.0.1:27017/db", PORT: "0", LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Invalid configuration: DATABASE_URL=.*unsupported database scheme 'mongodb:'/)]);
    expect(fs.existsSync(path.join(REPO_ROOT, "mongodb:"))).toBe(false);
  }, 60_000);
});
