// The console's invoice list at a million invoices (issue #19): one supplier, 1,000,000 invoices
// over 20,000 customers made with generate_series in a scratch database, then each kind of page
// timed through the real loader (session → role → use case → query): p50/p95 per page, target
// p95 < 100 ms, and the list query's EXPLAIN (ANALYZE) plans. `npm run bench:console`.
import { loadavg } from "node:os";
import pino from "pino";
import { sql } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { loadConfig } from "~/platform/config.server";
import { createSupplier } from "~/features/suppliers/db/suppliers.server";
import { ensureUser } from "~/features/console/db/users.server";
import { insertMembership } from "~/features/console/db/memberships.server";
import { startSession } from "~/platform/sessions/sessions.server";
import { sessionCookieName } from "~/platform/sessions/session-cookie";
import { parseInvoiceListQuery } from "~/domain/console-invoice-list";
import { invoiceListConditions } from "~/features/console/db/invoice-list.server";
import { loader } from "~/routes/app.invoices._index";
import { loader as homeLoader } from "~/routes/app._index";
import { invoiceListPage } from "~/features/console/invoice-list.server";
import { openScratchDatabase } from "./scratch-database";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const CUSTOMERS = 20_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const BASE = "https://pay.example.test";

const config = loadConfig({
  NODE_ENV: "production",
  PUBLIC_BASE_URL: BASE,
  LINK_SIGNING_KEYS: "bench1:0123456789abcdef0123456789abcdef-bench-key",
  CREDENTIALS_KEYS: "bench1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const database = await openScratchDatabase("console", 4);
  const { db } = database;
  try {
    const supplier = await createSupplier(db, { name: "Bench Leverantör AB", timeZone: "Europe/Stockholm" });
    const started = Date.now();
    await db.execute(sql`insert into customers (id, supplier_id, name)
      select 'cus_' || lpad(to_hex(g), 22, '0'), ${supplier.id}, 'Kund ' || g || ' AB' from generate_series(1, ${CUSTOMERS}) g`);
    // Mostly paid, a fifth open, some overdue; rare disputes, delivery problems and cancellations.
    await db.execute(sql`insert into invoices (id, supplier_id, customer_id, number, currency, issue_date, due_date,
        total_net, total_vat, total, amount_paid, ocr, disputed, delivery_status, cancelled_at, paid_at)
      select 'inv_' || lpad(to_hex(g), 22, '0'), ${supplier.id}, 'cus_' || lpad(to_hex(1 + g % ${CUSTOMERS}), 22, '0'),
        'F' || lpad(g::text, 7, '0'), 'SEK', d.issue, d.issue + 30,
        a.net, a.net / 4, a.net + a.net / 4,
        case when g % 10 < 7 then a.net + a.net / 4 else 0 end,
        g::text || '00', g % 97 = 0, case when g % 211 = 0 then 'problem' else 'none' end,
        case when g % 199 = 0 then now() end, case when g % 10 < 7 then now() end
      from generate_series(1, ${INVOICES}) g,
        lateral (select (current_date - (g % 730))::date as issue) d,
        lateral (select (1000 + (g::bigint * 7919) % 2000000) as net) a`);
    await db.execute(sql`analyze invoices; analyze customers`);
    console.log(`Seeded ${INVOICES} invoices, ${CUSTOMERS} customers in ${((Date.now() - started) / 1000).toFixed(0)} s (${database.server})`);

    const user = await ensureUser(db, "bench@example.test", "en");
    await insertMembership(db, user.id, supplier.id, "member");
    const { token } = await startSession(db, { userId: user.id, supplierId: supplier.id, stage: "full", ip: "203.0.113.7", userAgent: "bench", now: new Date() });
    const cookie = `${sessionCookieName(config)}=${token}`;
    const context: AppLoadContext = {
      app: { config, db, log: pino({ level: "silent" }), isDatabaseReady: async () => true },
      request: { requestId: "bench", ip: "203.0.113.7", userAgent: "bench", cspNonce: "n" },
    };
    const page = async (query: string) => {
      const request = new Request(`${BASE}/app/invoices?${query}`, { headers: { cookie } });
      return (await loader({ request, params: {}, context })) as { next: string | null; items: unknown[] };
    };

    // A deep keyset page: the cursor 20,000 rows (400 pages) in, found once by walking.
    const deep = await db.execute<{ due_date: string; id: string }>(sql`select due_date::text, id from invoices where supplier_id = ${supplier.id} order by due_date, id offset ${Math.min(20_000, INVOICES / 2)} limit 1`);
    const deepAfter = `${deep[0]!.due_date}~${deep[0]!.id}`;
    const pages: [string, string][] = [
      ["first page (due date)", ""],
      ["sort issue date desc", "sort=issued&dir=desc"],
      ["sort amount desc", "sort=amount&dir=desc"],
      ["sort number", "sort=number"],
      ["status overdue", "status=overdue"],
      ["status open, sort amount", "status=open&sort=amount&dir=desc"],
      ["status disputed", "status=disputed"],
      ["status delivery problem", "status=delivery_problem"],
      ["status cancelled, sort issued", "status=cancelled&sort=issued"],
      ["due range + amount range", `due_from=${new Date(Date.now() - 200 * 86400000).toISOString().slice(0, 10)}&due_to=${new Date(Date.now() - 100 * 86400000).toISOString().slice(0, 10)}&amount_min=5000&amount_max=9000`],
      ["customer", `customer=cus_${"1f4".padStart(22, "0")}`],
      ["search number prefix", "q=F00123"],
      ["search OCR", "q=12345600"],
      ["search customer name", "q=Kund 1234 AB"],
      ["deep keyset page (20,000 in)", `after=${encodeURIComponent(deepAfter)}`],
    ];

    /** p50 and p95 of RUNS calls, after three to warm the cache and the plan. */
    const timed = async (call: () => Promise<unknown>) => {
      for (let i = 0; i < 3; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return `${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)}`;
    };
    // What every console page pays before its own work (session, user, role, supplier): the
    // home page's loader, to tell the list's own cost from the frame's on a loaded machine.
    const home = () => homeLoader({ request: new Request(`${BASE}/app`, { headers: { cookie } }), params: {}, context });

    console.log(`\nload average before: ${loadavg().map((n) => n.toFixed(2)).join(" ")}`);
    console.log(`console home loader (the frame alone): p50 | p95 ms = ${await timed(home)}`);
    console.log("| page | rows | loader p50 ms | loader p95 ms | use case p50 ms | use case p95 ms |\n|---|---|---|---|---|---|");
    for (const [label, query] of pages) {
      const rows = (await page(query)).items.length;
      const loaderTimes = await timed(() => page(query));
      const useCaseTimes = await timed(() => invoiceListPage(db, supplier.id, new URLSearchParams(query), new Date()));
      console.log(`| ${label} | ${rows} | ${loaderTimes} | ${useCaseTimes} |`);
    }
    console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(" ")}`);

    // The plans, from the same conditions the loader builds.
    const today = new Date().toISOString().slice(0, 10);
    for (const [label, query] of [pages[0]!, pages[4]!, pages[6]!, pages[11]!, pages[13]!, pages[14]!]) {
      const { query: parsed } = parseInvoiceListQuery(new URLSearchParams(query));
      const column = { due: "due_date", issued: "issue_date", amount: "total", number: "number" }[parsed.sort];
      const order = parsed.direction === "asc" ? "asc" : "desc";
      const plan = await db.execute<{ "QUERY PLAN": string }>(sql`explain (analyze, buffers, costs off)
        select invoices.id from invoices join customers on customers.id = invoices.customer_id
        where ${invoiceListConditions(supplier.id, parsed, today)}
        order by ${sql.raw(`invoices.${column} ${order}, invoices.id ${order}`)} limit 51`);
      console.log(`\n-- ${label}\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
    }
  } finally {
    await database.drop();
  }
}

await main();
