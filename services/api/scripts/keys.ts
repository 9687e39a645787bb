// API key management on the service's database (same DATABASE_URL / MODELPLAN_DB as the server):
//   npm run keys -- create --workspace acme --scope admin [--name laptop] [--json]
//   npm run keys -- list [--workspace acme] [--json]
//   npm run keys -- revoke <key id>
//   npm run keys -- --help
import { parseArgs } from "node:util";
import { createApiKey, listApiKeys, revokeApiKey } from "../src/auth/api-keys.repository";
import { SCOPES } from "../src/auth/scopes";
import { ConfigError, loadConfig } from "../src/config";
import { openDatabase } from "@modelplan/db";

const USAGE = `usage: npm run keys -- create --workspace <id> --scope read|write|admin [--name <label>] [--json]
       npm run keys -- list [--workspace <id>] [--json]
       npm run keys -- revoke <key id>
       npm run keys -- --help`;

const COMMANDS = ["create", "list", "revoke"];

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/**
 * The command line, or the usage: on stdout with exit 0 for --help (-h, or `help`), on stderr with
 * exit 2 for an option it does not know, an option without its value, or an unknown command — before
 * the database is opened, never as a parseArgs stack trace.
 */
function parseCommandLine(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { workspace: { type: "string" }, scope: { type: "string" }, name: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) fail(`${(err as Error).message}\n${USAGE}`);
    throw err;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || command === "help") {
    console.log(USAGE);
    process.exit(0);
  }
  if (command === undefined || !COMMANDS.includes(command)) fail(command === undefined ? USAGE : `unknown command '${command}'\n${USAGE}`);
  return parsed;
}

const { positionals, values } = parseCommandLine(process.argv.slice(2));
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
