import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Audit of the OpenAPI document (issue 6): every field a client can send — parameters and request
 * bodies, following $refs — is bounded: strings have maxLength (or are enums/consts), numbers have a
 * minimum and a maximum, arrays have maxItems, and free-form objects are capped.
 */
type Schema = Record<string, unknown>;
const doc = JSON.parse(fs.readFileSync(fileURLToPath(new URL("../openapi/openapi.json", import.meta.url)), "utf8")) as {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

function unbounded(schema: Schema, where: string, out: string[], seen = new Set<string>()): void {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    if (seen.has(name)) return;
    seen.add(name);
    return unbounded(doc.components.schemas[name], `${where}→${name}`, out, seen);
  }
  for (const k of ["anyOf", "oneOf", "allOf"] as const) {
    if (Array.isArray(schema[k])) (schema[k] as Schema[]).forEach((s, i) => unbounded(s, `${where}|${i}`, out, seen));
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  if (schema.enum || schema.const !== undefined) return;
  if (types.includes("string") && schema.maxLength === undefined) out.push(`${where}: string without maxLength`);
  if ((types.includes("number") || types.includes("integer")) && (schema.maximum === undefined && schema.exclusiveMaximum === undefined)) out.push(`${where}: number without maximum`);
  if ((types.includes("number") || types.includes("integer")) && (schema.minimum === undefined && schema.exclusiveMinimum === undefined)) out.push(`${where}: number without minimum`);
  if (types.includes("array")) {
    if (schema.maxItems === undefined) out.push(`${where}: array without maxItems`);
    if (schema.items) unbounded(schema.items as Schema, `${where}[]`, out, seen);
  }
  if (schema.properties) {
    for (const [name, prop] of Object.entries(schema.properties as Record<string, Schema>)) unbounded(prop, `${where}.${name}`, out, seen);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object" && schema.maxProperties === undefined) {
    out.push(`${where}: free-form object without maxProperties`);
  }
}

describe("input bounds audit", () => {
  it("every parameter and request-body field has bounds", () => {
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) unbounded(p.schema, `${method.toUpperCase()} ${path} ${p.in}:${p.name}`, problems);
        for (const [type, content] of Object.entries(op.requestBody?.content ?? {})) unbounded(content.schema, `${method.toUpperCase()} ${path} body(${type})`, problems);
      }
    }
    expect(problems).toEqual([]);
  });
});
