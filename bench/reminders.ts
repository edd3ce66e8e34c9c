// `npm run bench:reminders`: 1,000,000 invoices over 100 suppliers (time zones, policies and
// invoice states in a known mix), generated in SQL; then one reminder evaluation at a fixed time.
// The number queued must equal the number the TypeScript rules (app/domain/reminder-policy.ts)
// expect from the same mix, computed here without the database. Target: under 60 s.
// DATABASE_URL's server when set (a scratch database is created and dropped), else an embedded one.
import type postgres from "postgres";
import { openScratchDatabase } from "./scratch-database";
import { addDays } from "../app/domain/late-payment";
import {
  DEFAULT_REMINDER_POLICY, dueReminderStep, isWithinWorkingHours, localClock, type ReminderPolicy, type ReminderStep,
} from "../app/domain/reminder-policy";
import { evaluateReminders, REMINDER_SEND_JOB } from "../app/features/reminders/reminders.server";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const SUPPLIERS = 100;
const TARGET_SECONDS = 60;
/** Wednesday 10:00 in Stockholm and 11:00 in Helsinki (open); 04:00 in New York and 17:00 in Tokyo (closed). */
const NOW = new Date("2026-04-22T08:00:00Z");
const NOW_SQL = NOW.toISOString();
const BASE_DATE = "2026-04-22";

// The mix, as functions of the supplier number s (1…100) and the invoice number i (1…N). The SQL
// below states the same formulas; `expected()` reads them from here.
const zoneOf = (s: number) => ["America/New_York", "Asia/Tokyo", "Europe/Helsinki"][s % 10] ?? "Europe/Stockholm";
const POLICIES: (ReminderPolicy | null)[] = [{ first: 10, second: 20, final: 40 }, { before_due: -5, final: 25 }];
const policyOf = (s: number) => POLICIES[s % 7] ?? null;
const supplierOf = (i: number) => (i % SUPPLIERS) + 1;
/** Due dates from 60 days before to 30 days after BASE_DATE, spread evenly. */
const dueOffsetOf = (i: number) => ((i * 37) % 91) - 60;
/** Per hundred invoices: 40 paid, 3 cancelled, 2 disputed, 2 payment reported, 1 report lapsed, 1 credit note, 5 partly paid, 46 open. */
const bucketOf = (i: number) => Math.floor(i / SUPPLIERS) % 100;
const SKIPPED = (b: number) => b < 47 || b === 48; // paid, cancelled, disputed, reported, credit note
/** Every 13th invoice already had its first reminder queued. */
const hadFirst = (i: number) => i % 13 === 0;

function expected(): Map<ReminderStep, number> {
  const counts = new Map<ReminderStep, number>();
  const suppliers = Array.from({ length: SUPPLIERS }, (_, k) => {
    const zone = zoneOf(k + 1);
    return { open: isWithinWorkingHours(zone, NOW), today: localClock(zone, NOW).date, policy: policyOf(k + 1) ?? DEFAULT_REMINDER_POLICY };
  });
  const dueDates = new Map<number, string>();
  for (let offset = -60; offset <= 30; offset += 1) dueDates.set(offset, addDays(BASE_DATE, offset));
  for (let i = 1; i <= INVOICES; i += 1) {
    const supplier = suppliers[supplierOf(i) - 1]!;
    if (!supplier.open || SKIPPED(bucketOf(i))) continue;
    const dueDate = dueDates.get(dueOffsetOf(i))!;
    const step = dueReminderStep(supplier.policy, { dueDate, today: supplier.today, queued: hadFirst(i) ? ["first"] : [] });
    if (step) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  return counts;
}

async function generate(sql: postgres.Sql) {
  await sql`set synchronous_commit = off`;
  await sql`
    insert into suppliers (id, name, time_zone, reminder_policy)
    select 'sup_' || lpad(s::text, 22, '0'), 'Bench supplier ' || s,
           case s % 10 when 0 then 'America/New_York' when 1 then 'Asia/Tokyo' when 2 then 'Europe/Helsinki' else 'Europe/Stockholm' end,
           case s % 7 when 0 then ${JSON.stringify(POLICIES[0])}::jsonb when 1 then ${JSON.stringify(POLICIES[1])}::jsonb end
    from generate_series(1, ${SUPPLIERS}) s`;
  await sql`
    insert into customers (id, supplier_id, name)
    select 'cus_' || lpad(s::text, 22, '0'), 'sup_' || lpad(s::text, 22, '0'), 'Bench customer ' || s
    from generate_series(1, ${SUPPLIERS}) s`;
  await sql`
    insert into invoices (id, supplier_id, customer_id, number, currency, issue_date, due_date,
                          total_net, total_vat, total, amount_paid, ocr, disputed, paid_at, cancelled_at, payment_reported_until)
    select 'inv_' || lpad(i::text, 22, '0'), 'sup_' || lpad(s::text, 22, '0'), 'cus_' || lpad(s::text, 22, '0'),
           i::text, 'SEK', due - 30, due,
           sign * 80000, sign * 20000, sign * 100000,
           case when b < 40 then 100000 when b between 49 and 53 then 40000 else 0 end,
           i::text, b in (43, 44),
           case when b < 40 then ${NOW_SQL}::timestamptz - interval '1 day' end,
           case when b between 40 and 42 then ${NOW_SQL}::timestamptz - interval '2 days' end,
           case when b in (45, 46) then ${NOW_SQL}::timestamptz + interval '2 days'
                when b = 47 then ${NOW_SQL}::timestamptz - interval '1 day' end
    from generate_series(1, ${INVOICES}) i
    cross join lateral (select
      (i % ${SUPPLIERS}) + 1 as s,
      ${BASE_DATE}::date + ((i * 37) % 91 - 60) as due,
      (i / ${SUPPLIERS}) % 100 as b) mix
    cross join lateral (select case when b = 48 then -1 else 1 end as sign) credit`;
  await sql`
    insert into reminders (id, supplier_id, invoice_id, step, created_at)
    select 'rem_' || lpad(i::text, 22, '0'), 'sup_' || lpad(((i % ${SUPPLIERS}) + 1)::text, 22, '0'),
           'inv_' || lpad(i::text, 22, '0'), 'first', ${NOW_SQL}::timestamptz - interval '10 days'
    from generate_series(13, ${INVOICES}, 13) i`;
  await sql`analyze suppliers, customers, invoices, reminders`;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

const database = await openScratchDatabase("reminders", 2);
try {
  let start = performance.now();
  await generate(database.sql);
  console.log(`Generated ${INVOICES.toLocaleString("en")} invoices over ${SUPPLIERS} suppliers in ${seconds(start).toFixed(1)} s.`);

  start = performance.now();
  const expectedSteps = expected();
  const expectedTotal = [...expectedSteps.values()].reduce((sum, n) => sum + n, 0);
  console.log(`Expected from the TypeScript rules in ${seconds(start).toFixed(1)} s: ${expectedTotal.toLocaleString("en")} reminders.`);

  start = performance.now();
  const { queued } = await evaluateReminders(database.db, { now: NOW });
  const elapsed = seconds(start);
  start = performance.now();
  const again = await evaluateReminders(database.db, { now: NOW });
  const elapsedAgain = seconds(start);

  const [jobs] = await database.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = ${REMINDER_SEND_JOB}`;
  const queuedSteps = new Map<ReminderStep, number>();
  for (const reminder of queued) queuedSteps.set(reminder.step, (queuedSteps.get(reminder.step) ?? 0) + 1);
  const steps: ReminderStep[] = ["before_due", "first", "second", "final"];
  const matches = queued.length === expectedTotal && jobs!.n === expectedTotal && steps.every((step) => (queuedSteps.get(step) ?? 0) === (expectedSteps.get(step) ?? 0));

  console.log(`\nreminder evaluation at ${NOW.toISOString()}: one SQL statement for the rows, one for their ${REMINDER_SEND_JOB} jobs, ${database.server}`);
  console.table([
    { run: "first", invoices: INVOICES, queued: queued.length, jobs: jobs!.n, expected: expectedTotal, seconds: Number(elapsed.toFixed(2)), "invoices/s": Math.round(INVOICES / elapsed) },
    { run: "again (nothing left)", invoices: INVOICES, queued: again.queued.length, jobs: 0, expected: 0, seconds: Number(elapsedAgain.toFixed(2)), "invoices/s": Math.round(INVOICES / elapsedAgain) },
  ]);
  console.table(steps.map((step) => ({ step, queued: queuedSteps.get(step) ?? 0, expected: expectedSteps.get(step) ?? 0 })));
  const ok = matches && again.queued.length === 0 && elapsed < TARGET_SECONDS;
  console.log(`${matches ? "queued = jobs = expected" : "MISMATCH between queued, jobs and expected"}; ${elapsed.toFixed(2)} s (target < ${TARGET_SECONDS} s): ${ok ? "PASS" : "FAIL"}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await database.drop();
}
