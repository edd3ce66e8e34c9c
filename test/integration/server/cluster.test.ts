// `npm start` runs one web process per core (node:cluster): a copy that dies is replaced, a copy
// that can never start stops the group instead of looping, and SIGTERM lets requests in flight
// finish before the processes exit. Real processes, real sockets.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { freePort } from "../../../db/embedded";

const fixture = path.join(import.meta.dirname, "fixtures", "cluster-app.ts");
let running: ChildProcessWithoutNullStreams | undefined;
afterEach(() => void running?.kill("SIGKILL"));

/** Starts the fixture; `lines` grows with what the primary prints, `waitFor` resolves on a line count. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", fixture], { env: { ...process.env, ...env } });
  running = child;
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    lines.push(...chunk.split("\n").filter(Boolean));
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (count: number, prefix: string) => {
    while (lines.filter((line) => line.startsWith(prefix)).length < count) await new Promise<void>((wake) => waiters.push(wake));
    return lines.filter((line) => line.startsWith(prefix)).map((line) => Number(line.split(" ")[1]));
  };
  return { child, lines, waitFor, exited };
}

/** The pid that answered, over a new connection each time (so the primary can hand it to either copy). */
const pidAt = (base: string) =>
  new Promise<number>((resolve, reject) => {
    http.get(`${base}/`, { agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve(Number(body)));
    }).on("error", reject);
  });

it("two copies share the port; one killed is replaced; SIGTERM lets a request in flight finish, then all exit 0", async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = start({ PORT: String(port), COPIES: "2", GRACE_MS: "10000" });
  const [first, second] = await app.waitFor(2, "listening");
  const seen = new Set<number>();
  for (let i = 0; i < 20; i++) seen.add(await pidAt(base));
  expect(seen).toEqual(new Set([first, second]));

  process.kill(first!, "SIGKILL");
  const [, , replacement] = await app.waitFor(3, "listening");
  expect(replacement).not.toBe(first);

  const inFlight = fetch(`${base}/?ms=1500`);
  await app.waitFor(1, "request");
  app.child.kill("SIGTERM");
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(await app.exited).toBe(0);
  await expect(fetch(base)).rejects.toThrow();
}, 120_000);

it("a copy that can never start stops the group with exit 1 instead of restarting it", async () => {
  const app = start({ PORT: String(await freePort()), COPIES: "2", CANNOT_START: "1" });
  expect(await app.exited).toBe(1);
  expect(app.lines.filter((line) => line.startsWith("forked")).length).toBe(2);
}, 120_000);
