// `npm run bench:portal`: the production build under autocannon. The portal page against a bare
// Remix route of the same app (one database read), 50 connections for 10 s each, then a fixed
// rate of 200 req/s on the portal page (bench/fixed-rate.ts). Prints a table; targets: portal ≥ 60 % of the bare
// route's throughput, p99 < 30 ms at 200 req/s.
import { spawnSync } from "node:child_process";
import autocannon, { type Result } from "autocannon";
import { fixedRate } from "./fixed-rate";
import { startProductionServer } from "../scripts/production-server";

process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

console.log("Building the production bundle…");
if (spawnSync("npx", ["remix", "build"], { stdio: "ignore" }).status !== 0) throw new Error("remix build failed");

const server = await startProductionServer({
  name: "bench",
  durable: !process.env.BENCH_NO_FSYNC,
  // BENCH_PROFILE=1 writes a V8 CPU profile of the server to .data/profiles/ for a closer look.
  nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"] : [],
  env: {
    BENCH_ROUTES: "true",
    // The load comes from one IP; the limits would otherwise answer 429 after a few hundred.
    PORTAL_REQUESTS_PER_MINUTE: "100000000",
  },
});
const baseUrl = server.baseUrl;
const portalUrl = server.demo.invoices.find((invoice) => invoice.label === "due")!.url;

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

await server.stop();

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
