// `npm run bench:api`: creating invoices in bulk against the production build (issue #6).
// 10,000 invoices through POST /api/v1/invoices (BENCH_CONCURRENCY requests in flight, default 32)
// and another 10,000 through POST /api/v1/invoices/import as one CSV. Each invoice has two lines
// and one of 1,000 customers, as an ERP's month-end run would. Prints invoices/s; target ≥ 500/s.
// BENCH_INVOICES changes the count (BENCH_WARMUP, default 300, are created first and not counted:
// lazily loaded modules and the JIT would otherwise count in a short run); BENCH_PATHS=import (or
// api) runs one path only;
// BENCH_PROFILE=1 writes a V8 CPU profile of the server to .data/profiles/; BENCH_NO_FSYNC=1
// runs the embedded PostgreSQL without fsync. Besides wall time it prints the CPU time the server
// process and the database's backends spent per invoice (from /proc): on a machine shared with
// other work those stay put while invoices/s drops, and 1,000 / (server ms per invoice) is what
// one free core would do.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { startProductionServer } from "../scripts/production-server";

process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CUSTOMERS = 1000;
const TARGET = 500;
const PATHS = (process.env.BENCH_PATHS ?? "api,import").split(",");
/** Web processes (node:cluster, WEB_CONCURRENCY): one per core unless BENCH_PROCESSES says otherwise. */
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? availableParallelism());

const TICKS_PER_SECOND = 100;

/** utime + stime of a process in ms, or 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** CPU ms so far of the server (our child running server/index.ts) and of the bench database's backends. */
function cpuSnapshot(database: string): { server: number; postgres: Map<number, number> } {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  // The server's primary (our child) and, with WEB_CONCURRENCY > 1, its cluster copies (its children).
  const parentOf = (pid: string) => readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1];
  const servers = pids.filter((pid) => cmdline(pid).includes("server/index.ts"));
  const primaries = servers.filter((pid) => parentOf(pid) === String(process.pid));
  const server = servers.filter((pid) => primaries.includes(pid) || primaries.includes(parentOf(pid) ?? ""));
  const backends = pids.filter((pid) => cmdline(pid).startsWith(`postgres: `) && cmdline(pid).includes(` ${database} `));
  return {
    server: server.reduce((sum, pid) => sum + cpuMs(Number(pid)), 0),
    postgres: new Map(backends.map((pid) => [Number(pid), cpuMs(Number(pid))])),
  };
}

function cpuSince(database: string, before: ReturnType<typeof cpuSnapshot>): { server: number; postgres: number } {
  const after = cpuSnapshot(database);
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  return { server: after.server - before.server, postgres };
}

console.log("Building the production bundle…");
if (spawnSync("npx", ["remix", "build"], { stdio: "ignore" }).status !== 0) throw new Error("remix build failed");

const server = await startProductionServer({
  name: "benchapi",
  durable: !process.env.BENCH_NO_FSYNC,
  nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"] : [],
  // All requests come with one key, as an ERP's would. The per-key limit (API_REQUESTS_PER_MINUTE,
  // default 1,200 a minute: 20/s) is an operator's setting, raised for an integration this busy.
  env: { API_REQUESTS_PER_MINUTE: "100000000", LOG_LEVEL: "warn", WEB_CONCURRENCY: String(PROCESSES) },
});
const auth = { authorization: `Bearer ${server.demo.apiKey}` };
const databaseName = new URL(server.databaseUrl).pathname.slice(1);

/** 10 h at 950.00 (25 %) and 2 books at 199.00 (6 %). */
function invoiceBody(number: string, index: number) {
  return {
    number,
    currency: "SEK",
    issue_date: "2026-03-01",
    due_date: "2026-03-31",
    customer: { external_id: `BENCH-${index % CUSTOMERS}`, name: `Kund ${index % CUSTOMERS} AB` },
    lines: [
      { description: "Konsulttimmar", quantity: 10, unit: "h", unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 },
      { description: "Bok", quantity: 2, unit_price: 19900, vat_rate: 6, net: 39800, vat: 2388 },
    ],
    total_net: 989800,
    total_vat: 239888,
    total: 1229688,
  };
}

/** Answers other than 201, by status: printed so a failing run says why. */
const statuses = new Map<number, number>();

type Result = { seconds: number; failed: number; cpu: { server: number; postgres: number } };

async function throughApi(): Promise<Result> {
  let failed = 0;
  const post = async (prefix: string, count: number) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const response = await fetch(`${server.baseUrl}/api/v1/invoices`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json", "idempotency-key": `bench-${prefix}-${index}` },
          body: JSON.stringify(invoiceBody(`${prefix}-${index}`, index)),
        });
        await response.arrayBuffer();
        if (response.status !== 201) {
          failed++;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  await post("WARM", WARMUP);
  failed = 0;
  statuses.clear();
  const cpu = cpuSnapshot(databaseName);
  const start = performance.now();
  await post("API", INVOICES);
  return { seconds: (performance.now() - start) / 1000, failed, cpu: cpuSince(databaseName, cpu) };
}

function csv(): string {
  const rows = ["number;customer_external_id;customer_name;currency;issue_date;due_date;description;quantity;unit;unit_price;vat_rate"];
  for (let index = 0; index < INVOICES; index++) {
    const customer = `BENCH-${index % CUSTOMERS};Kund ${index % CUSTOMERS} AB;SEK;2026-03-01;2026-03-31`;
    rows.push(`CSV-${index};${customer};Konsulttimmar;10;h;950,00;25`, `CSV-${index};;;;;;Bok;2;;199,00;6`);
  }
  return rows.join("\r\n");
}

async function throughImport(): Promise<Result & { bytes: number }> {
  const body = csv();
  const cpu = cpuSnapshot(databaseName);
  const start = performance.now();
  const response = await fetch(`${server.baseUrl}/api/v1/invoices/import`, {
    method: "POST",
    headers: { ...auth, "content-type": "text/csv" },
    body,
  });
  // 202: the import runs as a job; its Location answers the report when it is done.
  let state = (await response.json()) as { state?: string; report?: { created?: unknown[] } | null };
  const location = new URL(response.headers.get("location") ?? "/", server.baseUrl);
  while (state.state === "queued" || state.state === "running") {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = (await (await fetch(location, { headers: auth })).json()) as typeof state;
  }
  const report = state.report ?? {};
  const seconds = (performance.now() - start) / 1000;
  return { seconds, failed: INVOICES - (report.created?.length ?? 0), bytes: Buffer.byteLength(body), cpu: cpuSince(databaseName, cpu) };
}

const loadAtStart = loadavg()[0]!;
let api: Result | undefined;
let imported: (Result & { bytes: number }) | undefined;
try {
  if (PATHS.includes("api")) api = await throughApi();
  if (PATHS.includes("import")) imported = await throughImport();
} finally {
  await server.stop();
}

if (statuses.size > 0) console.log(`answers other than 201: ${[...statuses].map(([status, count]) => `${count} × ${status}`).join(", ")}`);
const rate = (seconds: number) => Math.round(INVOICES / seconds);
const perInvoice = (ms: number) => (ms / INVOICES).toFixed(2);
const row = (path: string, result: Result) => ({
  path,
  seconds: result.seconds.toFixed(1),
  "invoices/s": rate(result.seconds),
  failed: result.failed,
  "server CPU ms/invoice": perInvoice(result.cpu.server),
  "PostgreSQL CPU ms/invoice": perInvoice(result.cpu.postgres),
});
console.log(`\nproduction build, ${PROCESSES} web process(es) running the worker too; load average (1 min) ${loadAtStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}; ${INVOICES} invoices of 2 lines each, ${CUSTOMERS} customers`);
console.table([
  ...(api ? [row(`POST /api/v1/invoices, ${CONCURRENCY} in flight`, api)] : []),
  ...(imported ? [row(`POST /api/v1/invoices/import (${(imported.bytes / 1e6).toFixed(1)} MB CSV)`, imported)] : []),
]);
for (const [label, result] of [["API", api], ["import", imported]] as const) {
  if (!result) continue;
  const ok = rate(result.seconds) >= TARGET && result.failed === 0;
  console.log(`${label}: ${rate(result.seconds)} invoices/s (target ≥ ${TARGET}/s) ${ok ? "ok" : "BELOW TARGET"}`);
}
if (process.env.BENCH_SUMMARY) {
  // bench/all.ts collects every benchmark's key figures into one JSON summary.
  const figures = (result: Result | undefined) =>
    result && { invoicesPerSecond: rate(result.seconds), failed: result.failed, serverCpuMsPerInvoice: Number(perInvoice(result.cpu.server)), postgresCpuMsPerInvoice: Number(perInvoice(result.cpu.postgres)) };
  writeFileSync(process.env.BENCH_SUMMARY, JSON.stringify({
    processes: PROCESSES, concurrency: CONCURRENCY, invoices: INVOICES, target: TARGET, loadavg: [loadAtStart, loadavg()[0]],
    api: figures(api), import: figures(imported),
  }, null, 2));
}
