/**
 * The request front of the app (create-app.ts) over real HTTP, where it reads bodies from Node's
 * IncomingMessage and writes common headers onto Node's ServerResponse (node-io.ts); the tests that
 * use app.request cover the web-standard path.
 */
import net from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { useTestServers } from "./helpers/test-server";

const TRAINING = { model: { preset: "llama-2-7b" }, hardware: "a100-80gb", gpus: 8, tokens: 2e9 };

const start = useTestServers();

/** A pino logger whose JSON lines land in `lines`. */
function capture(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: "info" }, sink);
}

describe("the request front over HTTP", () => {
  it("answers carry the request id (echoed when well-formed) and the rate-limit headers", async () => {
    const s = await start();
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${s.url}/v1/estimates/training`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(TRAINING) });
    const first = await post({ "x-request-id": "trace-42" });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-request-id")).toBe("trace-42");
    expect(first.headers.get("ratelimit-limit")).toBe("200");
    expect(Number(first.headers.get("ratelimit-remaining"))).toBeLessThanOrEqual(199);
    expect(first.headers.get("connection")).toBe("keep-alive");
    const second = await post({ "x-request-id": "bad id with spaces" });
    expect(second.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await fetch(`${s.url}/v1/nothing`, { headers: { "x-request-id": "trace-43" } });
    expect(problem.status).toBe(404);
    expect(problem.headers.get("x-request-id")).toBe("trace-43");
    expect(((await problem.json()) as { requestId: string }).requestId).toBe("trace-43");
  });

  it("refuses what the body checks refuse: 413 (closing the connection), 415, 400, 422; a UTF-8 BOM is dropped", async () => {
    const s = await start();
    const post = (body: string, type = "application/json") => fetch(`${s.url}/v1/estimates/training`, { method: "POST", headers: { "content-type": type }, body });
    const tooLarge = await post("x".repeat(1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("connection")).toBe("close");
    expect(tooLarge.headers.get("x-request-id")).toBeTruthy();
    expect((await post("hi", "text/plain")).status).toBe(415);
    expect((await post("{")).status).toBe(400);
    expect((await post(`${"[".repeat(40)}${"]".repeat(40)}`)).status).toBe(422);
    expect((await post(`\ufeff${JSON.stringify(TRAINING)}`)).status).toBe(200); // as fetch's Request.text() decodes
    const wrongMethod = await fetch(`${s.url}/v1/estimates/training`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(TRAINING) });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });

  it("writes one log line per request at LOG_LEVEL info, refusals included", async () => {
    const lines: Record<string, unknown>[] = [];
    const s = await start({}, capture(lines));
    const post = () => fetch(`${s.url}/v1/estimates/training`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": "log-1" }, body: JSON.stringify(TRAINING) });
    await (await post()).arrayBuffer();
    await (await post()).arrayBuffer();
    await (await fetch(`${s.url}/v1/nothing`)).arrayBuffer();
    const requests = lines.filter((l) => l.msg === "request");
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ requestId: "log-1", method: "POST", path: "/v1/estimates/training", status: 200 });
    expect(requests[1]).toMatchObject({ requestId: "log-1", status: 200 });
    expect(requests[2]).toMatchObject({ method: "GET", path: "/v1/nothing", status: 404 });
    expect(requests.every((l) => typeof l.ms === "number")).toBe(true);
  });

  it("a client that goes away mid-body gets its request finished (logged as 400), not left pending", async () => {
    const lines: Record<string, unknown>[] = [];
    const s = await start({}, capture(lines));
    const socket = net.connect(s.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write("POST /v1/estimates/training HTTP/1.1\r\nHost: 127.0.0.1:" + s.port + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":");
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const deadline = Date.now() + 5000;
    while (!lines.some((l) => l.msg === "request") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ method: "POST", path: "/v1/estimates/training", status: 400 });
    expect(lines.some((l) => l.msg === "unhandled error")).toBe(false);
    const after = await fetch(`${s.url}/v1/estimates/training`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(TRAINING) });
    expect(after.status).toBe(200);
  });

  it("a chunked body is held to the limit as it is read", async () => {
    const s = await start({ MAX_BODY_BYTES: "2048" });
    const send = (size: number) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const socket = net.connect(s.port, "127.0.0.1", () => {
          const body = JSON.stringify({ ...TRAINING, pad: "x".repeat(size) });
          socket.write(`POST /v1/estimates/training HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
          for (let i = 0; i < body.length; i += 100) {
            const part = body.slice(i, i + 100);
            socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
          }
          socket.write("0\r\n\r\n");
        });
        let text = "";
        socket.on("data", (d: Buffer) => {
          text += d.toString("latin1");
          const head = text.split("\r\n\r\n")[0];
          if (text.includes("\r\n\r\n")) {
            socket.destroy();
            resolve({ status: Number(head.split(" ")[1]), connection: /\r\nconnection: (\S+)/i.exec(head)?.[1] });
          }
        });
        socket.on("error", reject);
      });
    expect(await send(4000)).toMatchObject({ status: 413, connection: "close" });
    // under the limit: read whole, then validated (the unknown field is refused by the schema)
    expect((await send(100)).status).toBe(422);
  });
});
