// Writes the OpenAPI document the app serves to openapi/openapi.json (run through `npm run openapi`,
// which then regenerates the SDK types from that file).
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { renderOpenApiJson } from "../src/openapi-document";

const target = fileURLToPath(new URL("../../../openapi/openapi.json", import.meta.url));
fs.writeFileSync(target, renderOpenApiJson());
console.log(`wrote ${target}`);
