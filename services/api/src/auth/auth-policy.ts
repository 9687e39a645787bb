import { isLoopbackHost, type AuthMode } from "../config";
import type { Logger } from "../lib/logger";

/**
 * Whether the service runs open (no API key needed: the default workspace, every scope), decided once
 * at start-up from the configuration and the bind address, never per request (issue 14, finding 2):
 *
 * - `AUTH=off`: open, always (logged as a loud warning at start-up).
 * - `AUTH=on`: closed, always.
 * - `AUTH=auto` (default): open only when bound to loopback and no active key exists at start-up; bound
 *   to any other address with no key, the service refuses to start (StartupRefused).
 *
 * An open `auto` service closes for good as soon as a key exists — one created through the API, or
 * by the keys CLI against the running service (seen within KEY_LOOKUP_TTL_MS) — and stays closed
 * until it restarts, whatever happens to the keys afterwards: revoking the last key never reopens it.
 * Closing at once (rather than at the next restart) is the safer choice for a user: whoever creates a
 * key means the service to require keys from now on (typically before sharing or exposing it), and
 * every moment it stayed open would let any local process — or a browser page rebinding a DNS name to
 * 127.0.0.1 — mint admin keys of its own. The key's creator loses nothing: the secret is in the
 * answer (or the CLI's output).
 */
export type AuthAtStart = { open: boolean; reason: string };

export class StartupRefused extends Error {}

export function authAtStart(mode: AuthMode, host: string, activeKeys: number): AuthAtStart {
  if (mode === "off") return { open: true, reason: "AUTH=off" };
  if (mode === "on") return { open: false, reason: "AUTH=on" };
  if (activeKeys > 0) return { open: false, reason: `${activeKeys} active API key${activeKeys === 1 ? "" : "s"} at start-up` };
  if (!isLoopbackHost(host)) {
    throw new StartupRefused(
      `no API key exists and the service would be reachable on ${host}: create one with \`npm run keys -- create --workspace <id> --scope admin\`, bind HOST=127.0.0.1, or set AUTH=off to run without keys`,
    );
  }
  return { open: true, reason: "bound to loopback with no API key at start-up" };
}

/**
 * The open/closed state of one running service: what authAtStart decided, then closed once and for
 * all (AUTH=auto only) when a key appears. Read by `authenticate` and by `localOrigin` (the Host and
 * Origin checks of open mode) on every request.
 */
export class AuthGate {
  private isOpen: boolean;

  constructor(
    readonly mode: AuthMode,
    start: AuthAtStart,
    /** Whether an active key exists (reused lookups: auth/api-keys.repository.ts keyLookups). */
    private readonly anyActiveKey: () => Promise<boolean>,
    private readonly logger?: Logger,
  ) {
    this.isOpen = start.open;
  }

  /**
   * Whether a request without a key is served (in the default workspace, every scope). A key created
   * by another process (the keys CLI, another replica) closes it within KEY_LOOKUP_TTL_MS.
   */
  async open(): Promise<boolean> {
    if (this.isOpen && this.mode === "auto" && (await this.anyActiveKey())) this.close("an API key was created (by the keys CLI or another process)");
    return this.isOpen;
  }

  /** Closes an open `auto` service for good (a key was created); AUTH=off stays open. */
  close(reason: string): void {
    if (!this.isOpen || this.mode === "off") return;
    this.isOpen = false;
    this.logger?.warn({ reason }, "API keys are required from now on: the service ran open on loopback and a key now exists; it stays closed until restarted, even if every key is revoked");
  }
}
