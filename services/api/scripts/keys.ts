// API key management on the service's database (same DATABASE_URL / MODELPLAN_DB as the server):
//   npm run keys -- create --workspace acme --scope admin [--name laptop]
//   npm run keys -- list [--workspace acme] [--json]
//   npm run keys -- revoke <key id>
import { parseArgs } from "node:util";
import { createApiKey, listApiKeys, revokeApiKey } from "../src/auth/api-keys.repository";
import { SCOPES } from "../src/auth/scopes";
import { ConfigError, loadConfig } from "../src/config";
import { openDatabase } from "@modelplan/db";

const USAGE = `usage: npm run keys -- create --workspace <id> --scope read|write|admin [--name <label>]
       npm run keys -- list [--workspace <id>] [--json]
       npm run keys -- revoke <key id>`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { workspace: { type: "string" }, scope: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
});
const [command, arg] = positionals;

let config;
try {
  config = loadConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}
const db = await openDatabase(config.database, { lockTimeoutMs: config.databaseLockTimeoutMs, poolMax: 1 }).catch((err: unknown) =>
  fail(`cannot open the database: ${err instanceof Error ? err.message : String(err)}`),
);
const now = new Date();
try {
  if (command === "create") {
    const workspace = values.workspace ?? fail(`--workspace is required\n${USAGE}`);
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(workspace)) fail("--workspace must be 1–64 lowercase letters, digits, '-' or '_'");
    const given = values.scope ?? fail(`--scope is required\n${USAGE}`);
    const scope = SCOPES.find((s) => s === given) ?? fail(`--scope must be one of ${SCOPES.join(", ")}`);
    const name = (values.name ?? `${scope} key`).slice(0, 100);
    const { row, key } = await createApiKey(db, { workspaceId: workspace, scope, name }, now);
    if (values.json) console.log(JSON.stringify({ id: row.id, workspaceId: row.workspaceId, scope: row.scope, key }));
    else {
      console.log(`created ${row.id} (workspace ${row.workspaceId}, scope ${row.scope})`);
      console.log(`key: ${key}`);
      console.log("This is the only time the key is shown; only its hash is stored.");
    }
  } else if (command === "list") {
    const rows = await listApiKeys(db, values.workspace);
    if (values.json) console.log(JSON.stringify(rows.map(({ hash: _hash, ...r }) => r)));
    else if (!rows.length) console.log("no keys");
    else for (const r of rows) console.log(`${r.id}  ${r.prefix}…  ${r.workspaceId}  ${r.scope}  ${r.revokedAt ? `revoked ${r.revokedAt}` : "active"}  ${r.name}`);
  } else if (command === "revoke") {
    if (!arg) fail(USAGE);
    const row = await revokeApiKey(db, arg, now);
    if (!row) fail(`no key ${arg}`);
    console.log(`revoked ${row.id}`);
  } else {
    fail(USAGE);
  }
} finally {
  await db.close();
}
