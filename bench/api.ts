// `npm run bench:api`: creating invoices in bulk against the production build (issue #6).
// 10,000 invoices through POST /api/v1/invoices (BENCH_CONCURRENCY requests in flight, default 32)
// and another 10,000 through POST /api/v1/invoices/import as one CSV. Each invoice has two lines
// and one of 1,000 customers, as an ERP's month-end run would. Prints invoices/s; target ≥ 500/s.
// BENCH_INVOICES changes the count; BENCH_PROFILE=1 writes a V8 CPU profile of the server to
// .data/profiles/; BENCH_NO_FSYNC=1 runs the embedded PostgreSQL without fsync.
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { startProductionServer } from "../scripts/production-server";

process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CUSTOMERS = 1000;
const TARGET = 500;

console.log("Building the production bundle…");
if (spawnSync("npx", ["remix", "build"], { stdio: "ignore" }).status !== 0) throw new Error("remix build failed");

const server = await startProductionServer({
  name: "benchapi",
  durable: !process.env.BENCH_NO_FSYNC,
  nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"] : [],
  // All requests come with one key; the per-key limit would answer 429 after 1,200 a minute.
  env: { API_REQUESTS_PER_MINUTE: "100000000", LOG_LEVEL: "warn" },
});
const auth = { authorization: `Bearer ${server.demo.apiKey}` };

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

async function throughApi(): Promise<{ seconds: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < INVOICES) {
      const index = next++;
      const response = await fetch(`${server.baseUrl}/api/v1/invoices`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", "idempotency-key": `bench-${index}` },
        body: JSON.stringify(invoiceBody(`API-${index}`, index)),
      });
      await response.arrayBuffer();
      if (response.status !== 201) failed++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { seconds: (performance.now() - start) / 1000, failed };
}

function csv(): string {
  const rows = ["number;customer_external_id;customer_name;currency;issue_date;due_date;description;quantity;unit;unit_price;vat_rate"];
  for (let index = 0; index < INVOICES; index++) {
    const customer = `BENCH-${index % CUSTOMERS};Kund ${index % CUSTOMERS} AB;SEK;2026-03-01;2026-03-31`;
    rows.push(`CSV-${index};${customer};Konsulttimmar;10;h;950,00;25`, `CSV-${index};;;;;;Bok;2;;199,00;6`);
  }
  return rows.join("\r\n");
}

async function throughImport(): Promise<{ seconds: number; failed: number; bytes: number }> {
  const body = csv();
  const start = performance.now();
  const response = await fetch(`${server.baseUrl}/api/v1/invoices/import`, {
    method: "POST",
    headers: { ...auth, "content-type": "text/csv" },
    body,
  });
  const report = (await response.json()) as { created?: unknown[] };
  const seconds = (performance.now() - start) / 1000;
  return { seconds, failed: INVOICES - (report.created?.length ?? 0), bytes: Buffer.byteLength(body) };
}

let api: Awaited<ReturnType<typeof throughApi>>;
let imported: Awaited<ReturnType<typeof throughImport>>;
try {
  api = await throughApi();
  imported = await throughImport();
} finally {
  await server.stop();
}

const rate = (seconds: number) => Math.round(INVOICES / seconds);
console.log(`\nproduction build, one server process; ${INVOICES} invoices of 2 lines each, ${CUSTOMERS} customers`);
console.table([
  { path: `POST /api/v1/invoices, ${CONCURRENCY} in flight`, seconds: api.seconds.toFixed(1), "invoices/s": rate(api.seconds), failed: api.failed },
  { path: `POST /api/v1/invoices/import (${(imported.bytes / 1e6).toFixed(1)} MB CSV)`, seconds: imported.seconds.toFixed(1), "invoices/s": rate(imported.seconds), failed: imported.failed },
]);
for (const [label, result] of [["API", api], ["import", imported]] as const) {
  const ok = rate(result.seconds) >= TARGET && result.failed === 0;
  console.log(`${label}: ${rate(result.seconds)} invoices/s (target ≥ ${TARGET}/s) ${ok ? "ok" : "BELOW TARGET"}`);
}
