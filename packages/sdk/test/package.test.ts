/**
 * The SDK's package.json is publishable and agrees with the API it is generated from; its README shows
 * the example that CI runs (tests/sdk-package.test.ts runs it from the packed tarball).
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";

const read = (rel: string) => fs.readFileSync(new URL(rel, import.meta.url), "utf8");
const sdk = JSON.parse(read("../package.json")) as {
  name: string;
  version: string;
  private?: boolean;
  type: string;
  exports: Record<string, unknown>;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
};
const root = JSON.parse(read("../../../package.json")) as { version: string; engines: { node: string } };
/** The openapi-fetch the workspace installs and tests with (each workspace declares its own dependencies). */
const installed = JSON.parse(read("../../../node_modules/openapi-fetch/package.json")) as { version: string };
const openapi = JSON.parse(read("../../../openapi/openapi.json")) as { info: { version: string } };

describe("@modelplan/sdk package.json", () => {
  it("carries the API's version (openapi.json info.version, the service's package version)", () => {
    expect(sdk.version).toBe(openapi.info.version);
    expect(sdk.version).toBe(root.version);
  });

  it("is publishable: not private, ESM, types then import in exports, a files list", () => {
    expect(sdk.private).toBeUndefined();
    expect(sdk.type).toBe("module");
    const dot = sdk.exports["."] as Record<string, string>;
    expect(Object.keys(dot)[0]).toBe("types"); // TypeScript takes the first matching condition
    expect(dot).toMatchObject({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(sdk.files).toContain("dist");
  });

  it("declares openapi-fetch with a range the version the workspace is tested with satisfies, and the same Node versions", () => {
    expect(Object.keys(sdk.dependencies)).toEqual(["openapi-fetch"]);
    // ^x.y.z: the same major (the same minor under 1.0), at least x.y.z
    const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(sdk.dependencies["openapi-fetch"]);
    expect(m, sdk.dependencies["openapi-fetch"]).not.toBeNull();
    const [want, got] = [m!.slice(1).map(Number), installed.version.split(".").map(Number)];
    expect(got[0]).toBe(want[0]);
    if (want[0] === 0) expect(got[1]).toBe(want[1]);
    expect(got[1] * 1e6 + got[2]).toBeGreaterThanOrEqual(want[1] * 1e6 + want[2]);
    expect(sdk.engines.node).toBe(root.engines.node);
  });
});

describe("the SDK README", () => {
  const readme = read("../README.md");

  it("shows examples/quickstart.ts as it is", () => {
    const quickstart = read("../examples/quickstart.ts");
    const body = quickstart.slice(quickstart.indexOf("import "));
    expect(readme).toContain(body.trim());
  });

  it("links every example", () => {
    for (const file of fs.readdirSync(new URL("../examples/", import.meta.url))) expect(readme).toContain(`(examples/${file})`);
  });
});
