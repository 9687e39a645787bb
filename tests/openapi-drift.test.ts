import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderOpenApiJson } from "../services/api/src/openapi-document";

const root = fileURLToPath(new URL("..", import.meta.url));
const committed = (rel: string) => fs.readFileSync(`${root}/${rel}`, "utf8");

describe("contract drift", () => {
  it("openapi/openapi.json is exactly what the app serves (run `npm run openapi` after changing a route)", () => {
    expect(committed("openapi/openapi.json")).toBe(renderOpenApiJson());
  });

  it("the SDK's generated types are up to date with openapi/openapi.json (openapi-typescript --check)", () => {
    const bin = `${root}/node_modules/.bin/openapi-typescript`;
    expect(() =>
      execFileSync(bin, ["openapi/openapi.json", "-o", "packages/sdk/src/schema.d.ts", "--check"], { cwd: root, stdio: "pipe" }),
    ).not.toThrow();
  });

  it("documents every operation with an operationId, tags, summary, and every schema property with a description", () => {
    const doc = JSON.parse(committed("openapi/openapi.json")) as {
      paths: Record<string, Record<string, { operationId?: string; tags?: string[]; summary?: string }>>;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.operationId, `${method} ${path}`).toBeTruthy();
        expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
      }
    }
    const undocumented: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (!node || typeof node !== "object") return;
      const obj = node as Record<string, unknown>;
      if (obj.properties && typeof obj.properties === "object") {
        for (const [name, prop] of Object.entries(obj.properties as Record<string, Record<string, unknown>>)) {
          if (!prop.description && !prop.$ref) undocumented.push(`${where}.${name}`);
        }
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${where}.${k}`);
    };
    walk(JSON.parse(committed("openapi/openapi.json")), "$");
    expect(undocumented).toEqual([]);
  });
});
