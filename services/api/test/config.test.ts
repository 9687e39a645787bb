import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("loadConfig", () => {
  it("has local defaults", () => {
    expect(loadConfig({})).toMatchObject({ host: "127.0.0.1", port: 8787, databasePath: "data/modelplan.db", logLevel: "info" });
  });

  it("takes DATABASE_URL over MODELPLAN_DB and strips the scheme", () => {
    expect(loadConfig({ DATABASE_URL: "file:./x.db", MODELPLAN_DB: "y.db" }).databasePath).toBe("./x.db");
    expect(loadConfig({ MODELPLAN_DB: "y.db" }).databasePath).toBe("y.db");
  });

  it("names the bad variable in one line", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/^Invalid configuration: PORT="70000"/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
