// `npm run bench:bank-files`: a BgMax file of 100,000 payments (full payments, splits by TK22
// amounts, TK23 and TK21 deductions, partial payments, unknown references and second payments
// of paid invoices) against 100,000 open invoices, then a camt.054 file, each uploaded as the
// API does and booked by the `import.run` job through the real job path (the queue fetches it),
// with every side effect (payments, balances, events, webhook deliveries and receipts queued).
// Prints payments/s, the peak RSS while booking and the load average (the machine is shared);
// then imports both files again: 0 booked. Targets: ≥ 2,000 payments/s, peak RSS < 500 MB.
// Node's default heap grows far past what is live; NODE_OPTIONS=--max-old-space-size=256 shows
// the booking's live memory is bounded (every import then runs in a 256 MB heap).
// DATABASE_URL's server when set (a scratch database is created and dropped), else an embedded one.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { openScratchDatabase } from "./scratch-database";
import { loadConfig } from "../app/platform/config.server";
import type { AppServices } from "../app/platform/context";
import { drainJobs } from "../app/platform/jobs/queue.server";
import { getImport, IMPORT_RUN_JOB } from "../app/platform/imports/imports.server";
import { startBankFileImport, type BankFileReport } from "../app/features/bank-files/bank-file-import.server";
import { createSupplier } from "../app/features/suppliers/db/suppliers.server";
import { insertEndpoint } from "../app/features/webhooks/db/webhooks.server";
import { generateWebhookSecret } from "../app/domain/standard-webhooks";
import { makeOcrFromNumber } from "../app/domain/ocr";
import { BANKGIRO, IBAN } from "../test/integration/bank-files/bank-file-helpers";

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 100_000);
/** camt.054 is ~900 bytes an entry: the 20 MB file limit holds about 20,000. */
const CAMT_PAYMENTS = Number(process.env.BENCH_CAMT_PAYMENTS ?? 15_000);
const CUSTOMERS = 1_000;
const TOTAL = 100_000; // öre: 1,000.00 SEK an invoice
const TARGET_PER_SECOND = 2_000;
const TARGET_RSS_MB = 500;

const seconds = (start: number) => (performance.now() - start) / 1000;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const ocrOf = (n: number) => makeOcrFromNumber(1_000_000 + n);

/** Builds the two files in a child process (bench/bank-files-generate.ts, which describes the mix) and reads them back. */
function generateFiles(): { bgmax: Buffer; camt: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "bench-bank-files-"));
  try {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL("./bank-files-generate.ts", import.meta.url)), dir, String(PAYMENTS), String(CAMT_PAYMENTS)], { stdio: "inherit" });
    if (child.status !== 0) throw new Error(`generating the files failed (${child.status ?? child.signal})`);
    return { bgmax: readFileSync(join(dir, "bgmax.txt")), camt: readFileSync(join(dir, "camt.xml")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const database = await openScratchDatabase("bankfiles", 4);
const config = loadConfig({
  NODE_ENV: "development",
  PUBLIC_BASE_URL: "https://pay.example.test",
  LINK_SIGNING_KEYS: `bench1:${randomBytes(32).toString("hex")}`,
  LOG_LEVEL: "silent",
});
const services: AppServices = { config, db: database.db, log: pino({ level: "silent" }), isDatabaseReady: async () => true };
const actor = { actor: "operator" as const, actorId: "bench" };

async function generate(supplierId: string) {
  const sql = database.sql;
  await sql`update suppliers set bankgiro = ${BANKGIRO}, iban = ${IBAN} where id = ${supplierId}`;
  await sql`
    insert into customers (id, supplier_id, name)
    select 'cus_' || lpad(c::text, 22, '0'), ${supplierId}, 'Kund ' || c || ' AB' from generate_series(1, ${CUSTOMERS}) c`;
  await sql`
    insert into contacts (id, supplier_id, customer_id, name, email, channel, is_billing)
    select 'con_' || lpad(c::text, 22, '0'), ${supplierId}, 'cus_' || lpad(c::text, 22, '0'), 'Ekonomi ' || c, 'faktura@kund' || c || '.example', 'email', true
    from generate_series(1, ${CUSTOMERS}) c`;
  const count = PAYMENTS + CAMT_PAYMENTS + 20;
  const ocrs = Array.from({ length: count }, (_, n) => ocrOf(n));
  await sql`
    insert into invoices (id, supplier_id, customer_id, number, currency, issue_date, due_date, total_net, total_vat, total, amount_paid, ocr)
    select 'inv_' || lpad(n::text, 22, '0'), ${supplierId}, 'cus_' || lpad((n % ${CUSTOMERS} + 1)::text, 22, '0'), 'B-' || n, 'SEK',
           date '2026-03-01', date '2026-03-31', 80000, 20000, ${TOTAL}, 0, ocr
    from unnest(${ocrs}::text[]) with ordinality as o(ocr, n1) cross join lateral (select (n1 - 1)::int as n) x`;
  await sql`analyze`;
}

type Run = { report: BankFileReport; seconds: number; peakRss: number; load: number[] };

/** Uploads the file and lets the queue run its import job; samples RSS meanwhile. */
async function importThroughJob(supplierId: string, bytes: Buffer): Promise<Run> {
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  const started = await startBankFileImport(database.db, { supplierId, bytes, actor });
  if (!started.ok) throw new Error(JSON.stringify(started.problem));
  await drainJobs(services, { names: [IMPORT_RUN_JOB] });
  const elapsed = seconds(start);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const done = (await getImport(database.db, supplierId, started.body.id))!;
  if (done.state !== "succeeded") throw new Error(`import ${done.state}: ${JSON.stringify(done.problem)}`);
  return { report: done.report as BankFileReport, seconds: elapsed, peakRss, load: loadavg() };
}

async function counts(supplierId: string) {
  const [row] = await database.sql<{ payments: number; events: number; deliveries: number; emails: number; jobs: number }[]>`
    select (select count(*)::int from payments where supplier_id = ${supplierId}) as payments,
           (select count(*)::int from events where supplier_id = ${supplierId}) as events,
           (select count(*)::int from webhook_deliveries) as deliveries,
           (select count(*)::int from emails where supplier_id = ${supplierId}) as emails,
           (select count(*)::int from pgboss.job where name in ('webhook.deliver', 'email.send')) as jobs`;
  return row!;
}

/** The RSS before the first import: the growth above it is the booking's own (the rest is tsx and the app's modules). */
let baselineRss = 0;

function line(label: string, entries: number, run: Run) {
  const perSecond = Math.round(entries / run.seconds);
  const flags = Object.entries(run.report.flag_counts).map(([kind, count]) => `${kind} ${count}`).join(", ");
  console.log(
    `${label.padEnd(22)} ${String(entries).padStart(8)} ${run.seconds.toFixed(1).padStart(7)} s ${String(perSecond).padStart(8)}/s ${String(mb(run.peakRss)).padStart(6)} MB (+${mb(run.peakRss - baselineRss)}) ` +
      `${String(run.report.booked).padStart(7)} ${String(run.report.already_imported).padStart(8)}   load ${run.load.map((value) => value.toFixed(1)).join(" ")}`,
  );
  console.log(`${"".padEnd(22)} flags: ${flags}`);
  return perSecond;
}

try {
  const genStart = performance.now();
  const supplier = await createSupplier(database.db, { name: "Nordljus Konsult AB", timeZone: "Europe/Stockholm", language: "sv" });
  await generate(supplier.id);
  await insertEndpoint(database.db, { supplierId: supplier.id, url: "https://erp.example.test/hooks", secret: generateWebhookSecret(), eventTypes: null });
  const { bgmax, camt } = generateFiles();
  console.log(
    `Generated ${(PAYMENTS + CAMT_PAYMENTS).toLocaleString("en")} open invoices, a BgMax file of ${PAYMENTS.toLocaleString("en")} payments (${mb(bgmax.length)} MB) ` +
      `and a camt.054 file of ${CAMT_PAYMENTS.toLocaleString("en")} (${mb(camt.length)} MB) in ${seconds(genStart).toFixed(1)} s, on ${database.server}.`,
  );
  global.gc?.();
  baselineRss = process.memoryUsage().rss;
  console.log(`RSS before the first import (the app's modules loaded, the files in memory; built by a child process): ${mb(baselineRss)} MB.`);
  console.log(`\n${"file".padEnd(22)} ${"payments".padStart(8)} ${"time".padStart(9)} ${"rate".padStart(10)} ${"RSS".padStart(9)} ${"booked".padStart(7)} ${"already".padStart(8)}`);
  const bgmaxRun = await importThroughJob(supplier.id, bgmax);
  const bgmaxRate = line("BgMax", PAYMENTS, bgmaxRun);
  const afterBgmax = await counts(supplier.id);
  const camtRun = await importThroughJob(supplier.id, camt);
  const camtRate = line("camt.054", CAMT_PAYMENTS, camtRun);
  const afterCamt = await counts(supplier.id);
  const bgmaxAgain = await importThroughJob(supplier.id, bgmax);
  line("BgMax again", PAYMENTS, bgmaxAgain);
  const camtAgain = await importThroughJob(supplier.id, camt);
  line("camt.054 again", CAMT_PAYMENTS, camtAgain);
  const atEnd = await counts(supplier.id);

  console.log(
    `\nSide effects of the two first imports: ${afterCamt.payments.toLocaleString("en")} ledger payments, ${afterCamt.events.toLocaleString("en")} audit events, ` +
      `${afterCamt.deliveries.toLocaleString("en")} webhook deliveries, ${afterCamt.emails.toLocaleString("en")} receipts, ${afterCamt.jobs.toLocaleString("en")} jobs queued ` +
      `(BgMax alone: ${afterBgmax.payments.toLocaleString("en")} payments).`,
  );
  const reimportClean = bgmaxAgain.report.booked === 0 && camtAgain.report.booked === 0 && atEnd.payments === afterCamt.payments && atEnd.events === afterCamt.events + 2;
  const peak = Math.max(bgmaxRun.peakRss, camtRun.peakRss, bgmaxAgain.peakRss, camtAgain.peakRss);
  console.log(`Re-imports booked ${bgmaxAgain.report.booked + camtAgain.report.booked} and wrote no payment: ${reimportClean ? "yes" : "NO"}.`);
  console.log(
    `Target ≥ ${TARGET_PER_SECOND.toLocaleString("en")} payments/s: BgMax ${bgmaxRate >= TARGET_PER_SECOND ? "met" : "MISSED"}, camt.054 ${camtRate >= TARGET_PER_SECOND ? "met" : "MISSED"}; ` +
      `peak RSS ${mb(peak)} MB < ${TARGET_RSS_MB} MB: ${mb(peak) < TARGET_RSS_MB ? "met" : "MISSED"}. Load average (1, 5, 15 min) at the end: ${loadavg().map((value) => value.toFixed(1)).join(", ")}.`,
  );
  if (!reimportClean) process.exitCode = 1;
} finally {
  await database.drop();
}
