// The console inbox for a supplier with 1,000,000 invoices (`npx tsx bench/console-inbox.ts`; the
// lead joins it into bench/console.ts). Generated in SQL: the big supplier's invoices, its payers'
// problem reports, delivery problems and "I have paid" reports, failing addresses, and their inbox
// items in a known mix of states and assignees (mostly done, as a year's inbox is), plus a
// second supplier whose items the big one must never walk. Then each of the inbox page's views
// and the new-items badge through the real route loaders (session → supplier → role → use case
// → render data), timed (p50/p95; target p95 < 100 ms), and the plan of each view's list query.
// DATABASE_URL's server when set (a scratch database is created and dropped), else an embedded one.
import { performance } from "node:perf_hooks";
import type { AppLoadContext } from "@remix-run/node";
import pino from "pino";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "../db/schema";
import type { Db } from "../db/client";
import { openScratchDatabase } from "./scratch-database";
import { loadConfig } from "../app/platform/config.server";
import { startSession } from "../app/platform/sessions/sessions.server";
import { sessionCookieName } from "../app/platform/sessions/session-cookie";
import { loader as inboxLoader } from "../app/routes/app.inbox._index";
import { loader as layoutLoader } from "../app/routes/app";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const TARGET_P95_MS = 100;
const BASE_URL = "https://pay.example.test";
const BIG = "sup_" + "1".padStart(22, "0");
const OTHER = "sup_" + "2".padStart(22, "0");
const USERS = 5;
const userId = (n: number) => "usr_" + String(n).padStart(22, "0");

// Per 1,000 invoices of the big supplier: 30 problem reports (every 33rd), 5 delivery problems
// (every 200th), 20 "I have paid" (every 50th, offset), 2 failing addresses (every 500th).
// Item states: 1 in 10 new, 1 in 10 in progress, 1 in 20 waiting, the rest done; 4 in 5 assigned.
async function generate(sql: postgres.Sql) {
  await sql`set synchronous_commit = off`;
  await sql`insert into suppliers (id, name) values (${BIG}, 'Big supplier AB'), (${OTHER}, 'Other supplier AB')`;
  await sql`
    insert into customers (id, supplier_id, name)
    select 'cus_' || lpad(c::text, 22, '0'), case when c <= 10000 then ${BIG} else ${OTHER} end, 'Customer ' || c
    from generate_series(1, 10100) c`;
  await sql`
    insert into users (id, email, language) select 'usr_' || lpad(u::text, 22, '0'), 'clerk' || u || '@big.example', 'en' from generate_series(1, ${USERS}) u`;
  await sql`insert into memberships (user_id, supplier_id, role) select 'usr_' || lpad(u::text, 22, '0'), ${BIG}, 'member' from generate_series(1, ${USERS}) u`;
  // The other supplier: a tenth of the invoices, the same mix.
  await sql`
    insert into invoices (id, supplier_id, customer_id, number, currency, issue_date, due_date, total_net, total_vat, total, amount_paid, ocr)
    select 'inv_' || lpad(i::text, 22, '0'), case when i <= ${INVOICES} then ${BIG} else ${OTHER} end,
           'cus_' || lpad((case when i <= ${INVOICES} then i % 10000 + 1 else 10001 + i % 100 end)::text, 22, '0'),
           'F-' || i, 'SEK', date '2026-01-01' + (i % 300), date '2026-01-31' + (i % 300), 80000, 20000, 100000, 0, i::text
    from generate_series(1, ${INVOICES + INVOICES / 10}) i`;
  await sql`
    insert into deliveries (id, supplier_id, invoice_id, description, status)
    select 'dlv_' || lpad(i::text, 22, '0'), inv.supplier_id, inv.id, 'Pallet ' || i, 'problem'
    from generate_series(200, ${INVOICES + INVOICES / 10}, 200) i join invoices inv on inv.id = 'inv_' || lpad(i::text, 22, '0')`;
  const created = (i: string) => `timestamptz '2026-01-01' + (${i} * interval '25 seconds')`;
  await sql.unsafe(`
    insert into disputes (id, supplier_id, invoice_id, kind, delivery_id, reason, message, status, created_at)
    select 'dsp_' || lpad(i::text, 22, '0'), inv.supplier_id, inv.id,
           case when i % 200 = 0 then 'delivery' else 'invoice' end,
           case when i % 200 = 0 then 'dlv_' || lpad(i::text, 22, '0') end,
           case when i % 200 = 0 then 'not_received' else 'wrong_amount' end, 'The price is not what we agreed.',
           case when i % 10 < 3 then 'open' else 'rejected' end, ${created("i")}
    from generate_series(1, ${INVOICES + INVOICES / 10}) i join invoices inv on inv.id = 'inv_' || lpad(i::text, 22, '0')
    where i % 33 = 0 or i % 200 = 0`);
  await sql.unsafe(`
    insert into payment_reports (id, supplier_id, invoice_id, paid_on, amount, currency, method, created_at)
    select 'prp_' || lpad(i::text, 22, '0'), inv.supplier_id, inv.id, date '2026-02-01', 100000, 'SEK', 'bank_transfer', ${created("i")}
    from generate_series(7, ${INVOICES + INVOICES / 10}, 50) i join invoices inv on inv.id = 'inv_' || lpad(i::text, 22, '0')`);
  await sql.unsafe(`
    insert into email_suppressions (supplier_id, address, reason, detail, created_at)
    select case when i <= ${INVOICES} then '${BIG}' else '${OTHER}' end, 'ap' || i || '@customer.example', 'bounced', '550 No such user', ${created("i")}
    from generate_series(500, ${INVOICES + INVOICES / 10}, 500) i`);
  // The items, as the sources' use cases open them, then worked by the team.
  await sql.unsafe(`
    insert into inbox_items (id, supplier_id, kind, source_id, invoice_id, customer_id, state, assignee_id, opened_at, updated_at)
    select 'ibx_' || lpad(row_number() over ()::text, 22, '0'), src.supplier_id, src.kind, src.source_id, src.invoice_id, src.customer_id,
           case when n % 10 = 0 then 'new' when n % 10 = 1 then 'in_progress' when n % 20 = 2 then 'waiting' else 'done' end,
           case when n % 5 = 4 or n % 10 = 0 then null else 'usr_' || lpad((n / 10 % ${USERS} + 1)::text, 22, '0') end,
           src.opened_at, src.opened_at
    from (
      select d.supplier_id, case when d.kind = 'delivery' then 'delivery_problem' else 'dispute' end as kind, d.id as source_id, d.invoice_id,
             i.customer_id, d.created_at as opened_at, hashtext(d.id) & 1023 as n
      from disputes d join invoices i on i.id = d.invoice_id
      union all
      select r.supplier_id, 'payment_report', r.id, r.invoice_id, i.customer_id, r.created_at, hashtext(r.id) & 1023
      from payment_reports r join invoices i on i.id = r.invoice_id
      union all
      select s.supplier_id, 'failing_address', s.address, null, null, s.created_at, hashtext(s.address) & 1023
      from email_suppressions s
    ) src`);
  await sql`analyze`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const VIEWS: { view: string; query: string }[] = [
  { view: "default (not done)", query: "" },
  { view: "new", query: "?state=new" },
  { view: "all", query: "?state=all" },
  { view: "waiting", query: "?state=waiting" },
  { view: "assigned to me", query: "?assignee=me" },
  { view: "nobody's, not done", query: "?assignee=none" },
  { view: "failing addresses (rare kind)", query: "?kind=failing_address" },
  { view: "delivery problems, new", query: "?kind=delivery_problem&state=new" },
  { view: "done, mine, page 2", query: "?state=done&assignee=me&cursor=PAGE2" },
];

const database = await openScratchDatabase("console_inbox", 4);
// A second client that records each statement with its parameters, for EXPLAIN.
let recording: { query: string; parameters: unknown[] }[] | null = null;
const recorder = postgres(database.url, {
  max: 2,
  onnotice: () => {},
  debug: (_connection, query, parameters) => recording?.push({ query, parameters: parameters as unknown[] }),
});
const recordedDb = drizzle(recorder, { schema }) as unknown as Db;
try {
  let start = performance.now();
  await generate(database.sql);
  const [counts] = await database.sql<{ items: number; big: number; fresh: number }[]>`
    select count(*)::int as items, count(*) filter (where supplier_id = ${BIG})::int as big,
           count(*) filter (where supplier_id = ${BIG} and state = 'new')::int as fresh from inbox_items`;
  console.log(
    `Generated ${INVOICES.toLocaleString("en")} invoices for the big supplier (and ${(INVOICES / 10).toLocaleString("en")} for another), ` +
      `${counts!.items.toLocaleString("en")} inbox items (${counts!.big.toLocaleString("en")} the big supplier's, ${counts!.fresh.toLocaleString("en")} new) ` +
      `in ${((performance.now() - start) / 1000).toFixed(1)} s, ${database.server}.`,
  );

  const config = loadConfig({
    NODE_ENV: "test", PUBLIC_BASE_URL: BASE_URL, LINK_SIGNING_KEYS: "bench1:0123456789abcdef0123456789abcdef-bench-key",
    CREDENTIALS_KEYS: "bench1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  });
  const contextFor = (db: Db): AppLoadContext => ({
    app: { config, db, log: pino({ level: "silent" }), isDatabaseReady: async () => true },
    request: { requestId: "bench", ip: "203.0.113.7", userAgent: "bench", cspNonce: "nonce" },
  });
  const { token } = await startSession(database.db, { userId: userId(1), supplierId: BIG, stage: "full", ip: "203.0.113.7", userAgent: "bench", now: new Date() });
  const cookie = `${sessionCookieName(config)}=${token}`;
  const load = async (loader: typeof inboxLoader | typeof layoutLoader, path: string, db: Db = database.db) => {
    const request = new Request(new URL(path, BASE_URL), { headers: { cookie } });
    return (await loader({ request, params: {}, context: contextFor(db) })) as { nextCursor?: string | null; items?: unknown[]; newInboxItems?: number };
  };

  // Page 2 of "done, mine": the cursor page 1 hands out.
  const firstPage = await load(inboxLoader, "/app/inbox?state=done&assignee=me");
  const page2 = `cursor=${encodeURIComponent(firstPage.nextCursor ?? "")}`;
  const views = VIEWS.map((view) => ({ ...view, path: `/app/inbox${view.query.replace("cursor=PAGE2", page2)}` }));

  const rows = [];
  for (const target of [...views.map((view) => ({ name: `inbox: ${view.view}`, run: () => load(inboxLoader, view.path) })), { name: "badge (layout loader, every page)", run: () => load(layoutLoader, "/app") }]) {
    for (let i = 0; i < 10; i += 1) await target.run(); // warm the pool's statements and the caches
    const times: number[] = [];
    let shown = 0;
    for (let i = 0; i < RUNS; i += 1) {
      start = performance.now();
      const answer = await target.run();
      times.push(performance.now() - start);
      shown = answer.items?.length ?? answer.newInboxItems ?? 0;
    }
    times.sort((a, b) => a - b);
    rows.push({ page: target.name, shown, p50_ms: Number(percentile(times, 50).toFixed(1)), p95_ms: Number(percentile(times, 95).toFixed(1)), max_ms: Number(times.at(-1)!.toFixed(1)) });
  }
  console.log(`\nThe inbox's route loaders, ${RUNS} runs each after 10 warm-up runs, one at a time (session, supplier, role, the use case):`);
  console.table(rows);

  // The plans: each view's list query and the badge's count, as the loaders send them.
  for (const view of [...views, { view: "badge", path: "/app" }]) {
    recording = [];
    await load(view.view === "badge" ? layoutLoader : inboxLoader, view.path, recordedDb);
    const statements = recording.filter((entry) => /"inbox_items"|inbox_items/.test(entry.query) && /^select/i.test(entry.query.trim()));
    recording = null;
    for (const statement of statements) {
      const plan = await recorder.unsafe(`explain (analyze, buffers, costs off) ${statement.query}`, statement.parameters as postgres.ParameterOrJSON<never>[]);
      console.log(`\n-- ${view.view} (${view.path})\n${plan.map((line) => line["QUERY PLAN"]).join("\n")}`);
    }
  }

  const worst = Math.max(...rows.map((row) => row.p95_ms));
  const ok = worst < TARGET_P95_MS;
  console.log(`\nworst p95 ${worst} ms (target < ${TARGET_P95_MS} ms): ${ok ? "PASS" : "FAIL"}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await recorder.end();
  await database.drop();
}
