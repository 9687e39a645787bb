/** Where the data lives: a SQLite file (the embedded default) or a PostgreSQL database. */
export type DatabaseLocation = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

/** A DATABASE_URL this service cannot use; the message says why (config.ts adds the variable). */
export class DatabaseUrlError extends Error {}

/**
 * The database a DATABASE_URL names: `postgres://` / `postgresql://` a PostgreSQL database;
 * `:memory:`, a plain path, or a path behind `file:` / `sqlite:` a SQLite file. Any other scheme
 * (`mysql://`, `http://`…) throws DatabaseUrlError rather than becoming a relative SQLite path.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url === ":memory:") return { dialect: "sqlite", path: url };
  if (/^postgres(?:ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError("not a valid PostgreSQL URL (postgres://user:password@host:5432/database)");
    }
    if (!parsed.hostname && !parsed.searchParams.get("host")) throw new DatabaseUrlError("the PostgreSQL URL names no host");
    return { dialect: "postgres", url };
  }
  const m = /^(?:file|sqlite):(?:\/\/)?(.*)$/i.exec(url);
  if (m) {
    if (!m[1]) throw new DatabaseUrlError("no file path after the scheme");
    return { dialect: "sqlite", path: m[1] };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  // A one-letter "scheme" is a Windows drive (C:\data\modelplan.db).
  if (scheme && scheme.length > 1) {
    throw new DatabaseUrlError(`unsupported database scheme '${scheme}:' (use postgres://…, a SQLite path, file:<path> or :memory:)`);
  }
  return { dialect: "sqlite", path: url };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@").replace(/([?&]password=)[^&]*/i, "$1***");
}

/** A location for logs: the SQLite path, or the PostgreSQL URL without its password. */
export function describeLocation(location: DatabaseLocation): string {
  return location.dialect === "sqlite" ? location.path : redactUrl(location.url);
}
