// `npm run bench:portal`: the production build under autocannon. The portal page against a bare
// Remix route of the same app (one database read), 50 connections for 10 s each, then a fixed
// rate of 200 req/s on the portal page (bench/fixed-rate.ts). Prints a table; targets: portal ≥ 60 % of the bare
// route's throughput, p99 < 30 ms at 200 req/s.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import autocannon, { type Result } from "autocannon";
import { fixedRate } from "./fixed-rate";
import { startEmbeddedPostgres, databaseUrl, freePort, type EmbeddedDatabase } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { connect } from "../db/client";
import { loadConfig } from "../app/config.server";
import { seedDemo } from "../db/seed";

process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

console.log("Building the production bundle…");
if (spawnSync("npx", ["remix", "build"], { stdio: "ignore" }).status !== 0) throw new Error("remix build failed");

let embedded: EmbeddedDatabase | undefined;
let serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  embedded = await startEmbeddedPostgres({ dataDir: ".data/bench-pg", durable: !process.env.BENCH_NO_FSYNC });
  serverUrl = embedded.url;
}
const name = `pp_bench_${randomBytes(4).toString("hex")}`;
const admin = postgres(databaseUrl(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = databaseUrl(serverUrl, name);
await runMigrations(url);

const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const env = {
  NODE_ENV: "production" as const,
  PORT: String(port),
  HOST: "127.0.0.1",
  PUBLIC_BASE_URL: baseUrl,
  DATABASE_URL: url,
  LINK_SIGNING_KEYS: `bench1:${randomBytes(32).toString("base64url")}`,
  BENCH_ROUTES: "true",
  // The load comes from one IP; the limits would otherwise answer 429 after a few hundred.
  PORTAL_REQUESTS_PER_MINUTE: "100000000",
  LOG_LEVEL: "info",
};
const database = connect(url, { max: 2 });
const demo = await seedDemo({ config: loadConfig(env), db: database.db });
await database.close();
const portalUrl = demo.invoices.find((invoice) => invoice.label === "due")!.url;

// BENCH_PROFILE=1 writes a V8 CPU profile of the server to .data/profiles/ for a closer look.
const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"] : [];
const server = spawn(process.execPath, [...profile, "--import", "tsx", "server/index.ts"], {
  env: { ...process.env, ...env },
  stdio: ["ignore", "ignore", "inherit"],
});
for (let ready = false; !ready; ) {
  ready = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
  if (!ready) await new Promise((resolve) => setTimeout(resolve, 100)); // polling an external process
}

async function load(label: string, target: string, options: { connections: number }) {
  // A short warm-up so the JIT and the connection pool are ready before measuring.
  await autocannon({ url: target, connections: options.connections, duration: 2 });
  const result: Result = await autocannon({ url: target, duration: DURATION, ...options });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) console.warn(`${label}: ${bad} failed responses`);
  return { label, result };
}

const bare = await load("bare Remix route (1 DB read)", `${baseUrl}/bench/bare`, { connections: 50 });
const portal = await load("portal page /i/<token>", portalUrl, { connections: 50 });
await fixedRate(portalUrl, 200, 2); // warm-up
const paced = await fixedRate(portalUrl, 200, DURATION);

server.kill("SIGTERM");
await new Promise((resolve) => server.once("exit", resolve));
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.end();
await embedded?.stop();

const rows = [bare, portal].map(({ label, result }) => ({
  target: label,
  "req/s": Math.round(result.requests.average),
  "p50 ms": result.latency.p50,
  "p99 ms": result.latency.p99,
  errors: result.non2xx + result.errors + result.timeouts,
}));
rows.push({ target: "portal page, fixed 200 req/s", "req/s": Math.round(paced.ok / DURATION), "p50 ms": paced.p50, "p99 ms": paced.p99, errors: paced.failed });
console.log(`\nproduction build, one server process, 2-core machine; ${DURATION} s per run`);
console.log("closed loop: autocannon, 50 connections; fixed rate: open-loop schedule, latency from the scheduled time");
console.table(rows);
const ratio = portal.result.requests.average / bare.result.requests.average;
console.log(`portal / bare throughput: ${(ratio * 100).toFixed(1)} % (target ≥ 60 %)`);
console.log(`p99 at 200 req/s: ${paced.p99} ms (target < 30 ms)`);
