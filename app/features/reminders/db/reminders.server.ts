// Reminder rows: one per (invoice, step), unique in the database. Queuing is one set-based
// statement over every open invoice of every supplier; app/domain/reminder-policy.ts states the
// same rules in TypeScript (the tests and the benchmark hold the two to each other).
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { customers, emails, invoices, reminders } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { REMINDER_STEPS, type ReminderPolicy, type ReminderStep, type WorkingHours } from "~/domain/reminder-policy";

export type ReminderRow = typeof reminders.$inferSelect;

export type QueuedReminder = {
  reminderId: string;
  supplierId: string;
  invoiceId: string;
  invoiceNumber: string;
  dueDate: string;
  step: ReminderStep;
};

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const LOW_62_BITS = (1n << 62n) - 1n;

/**
 * A `<prefix>_…` id in the format of ~/domain/public-id (22 base62 characters) from two random
 * 62-bit numbers `hi` and `lo`, 11 characters each: with hi below 2^62 the whole stays below
 * 2^128, so isPublicId accepts it. Inline arithmetic: a subquery per row cost several times more.
 */
function publicIdSql(prefix: string, hi: string, lo: string): SQL {
  const digits = (half: string) =>
    Array.from({ length: 11 }, (_, k) => `substr('${ALPHABET}', (${half} / ${62n ** BigInt(10 - k)} % 62)::int + 1, 1)`);
  return sql.raw(`'${prefix}_' || ${[...digits(hi), ...digits(lo)].join(" || ")}`);
}

/** A random 62-bit number from half of a gen_random_uuid() (a CSPRNG; 58 or 62 of the bits random). */
const random62 = (from: 1 | 9) =>
  sql.raw(`('x' || encode(substring(uuid_send(gen_random_uuid()) from ${from} for 8), 'hex'))::bit(64)::bigint & ${LOW_62_BITS}`);

const STEP_RANKS = sql.raw(`(values ${REMINDER_STEPS.map((step, rank) => `('${step}', ${rank})`).join(", ")})`);

/**
 * Queues the reminder each open invoice is due for at `now` and returns what was queued. Per
 * supplier in its working hours: its local date, its policy (or the default), and for each step
 * the due dates for which that step is the latest one come due; each invoice falls in at most one
 * such window. Paid, cancelled, disputed, payment-reported and paused invoices and credit notes are skipped,
 * and so is any step at or before one already queued. The unique (invoice, step) key makes
 * concurrent runs queue each step once.
 */
export async function queueDueReminders(
  db: DbOrTx,
  input: { now: Date; defaultPolicy: ReminderPolicy; hours: WorkingHours },
): Promise<QueuedReminder[]> {
  const now = input.now.toISOString();
  const weekdays = `{${input.hours.weekdays.join(",")}}`;
  const query: SQL = sql`
    with step_ranks (step, rank) as ${STEP_RANKS},
    -- A time zone PostgreSQL does not know would fail the whole run: such a supplier is left out.
    known_zones as materialized (
      select s.id, s.time_zone, s.reminder_policy from suppliers s
      where s.time_zone in (select name from pg_timezone_names)
    ),
    suppliers_now as (
      select z.id as supplier_id, local.at::date as today,
             coalesce(z.reminder_policy, ${JSON.stringify(input.defaultPolicy)}::jsonb) as policy
      from known_zones z
      cross join lateral (select ${now}::timestamptz at time zone z.time_zone as at) local
      where extract(isodow from local.at) = any(${weekdays}::int[])
        and local.at::time >= ${input.hours.start}::time and local.at::time < ${input.hours.end}::time
    ),
    -- Policies are validated when saved; here a malformed entry is skipped rather than fatal.
    -- Ordering by days (not by step) keeps the windows below disjoint even for a policy stored
    -- out of order, so an invoice can never get two steps in one run.
    steps as (
      select sn.supplier_id, sn.today, p.step, p.days::int as days,
             lead(p.days::int) over (partition by sn.supplier_id order by p.days::int) as next_days,
             array(select later.step from step_ranks later where later.rank >= r.rank) as this_or_later
      from suppliers_now sn
      cross join lateral jsonb_each_text(case when jsonb_typeof(sn.policy) = 'object' then sn.policy else '{}' end) p(step, days)
      join step_ranks r on r.step = p.step
      where p.days ~ '^-?[0-9]{1,3}$'
    ),
    -- Due dates in (due_after, due_until]: the step has come due and the next one has not. The
    -- before-due reminder only while the due date is still ahead.
    windows as (
      select supplier_id, step, this_or_later,
             today - days as due_until,
             case when step = 'before_due' then greatest(today, today - next_days)
                  else coalesce(today - next_days, '-infinity') end as due_after
      from steps
    ),
    -- Materialized so that each row's random draws are made once, in this row (a volatile call in
    -- an inlined subquery may be evaluated once for the whole statement under some plans).
    candidates as materialized (
      select i.id as invoice_id, i.supplier_id, w.step, ${random62(1)} as hi, ${random62(9)} as lo
      from windows w
      join invoices i on i.supplier_id = w.supplier_id and i.due_date <= w.due_until and i.due_date > w.due_after
      -- The first three conditions are those of the partial index invoices_open_due_idx.
      where i.cancelled_at is null and i.paid_at is null and i.amount_paid < i.total
        and i.total > 0
        and not i.disputed
        and (i.payment_reported_until is null or i.payment_reported_until <= ${now}::timestamptz)
        -- A clerk's pause, until its date or (no date) until resumed; apart from the payer's report above.
        and (i.reminders_paused_at is null or (i.reminders_paused_until is not null and i.reminders_paused_until <= ${now}::timestamptz))
        and not exists (
          select 1 from reminders r where r.invoice_id = i.id and r.step = any(w.this_or_later)
        )
    ),
    inserted as (
      insert into reminders (id, supplier_id, invoice_id, step)
      select ${publicIdSql("rem", "c.hi", "c.lo")}, c.supplier_id, c.invoice_id, c.step
      from candidates c
      on conflict (invoice_id, step) do nothing
      returning id, supplier_id, invoice_id, step
    )
    select ins.id, ins.supplier_id, ins.invoice_id, i.number, i.due_date::text as due_date, ins.step
    from inserted ins join invoices i on i.id = ins.invoice_id
    order by ins.supplier_id, i.due_date, i.number`;
  const rows = (await db.execute(query)) as unknown as {
    id: string; supplier_id: string; invoice_id: string; number: string; due_date: string; step: ReminderStep;
  }[];
  return rows.map((row) => ({
    reminderId: row.id,
    supplierId: row.supplier_id,
    invoiceId: row.invoice_id,
    invoiceNumber: row.number,
    dueDate: row.due_date,
    step: row.step,
  }));
}

export async function listInvoiceReminders(db: DbOrTx, supplierId: string, invoiceId: string): Promise<ReminderRow[]> {
  return db
    .select()
    .from(reminders)
    .where(and(eq(reminders.supplierId, supplierId), eq(reminders.invoiceId, invoiceId)))
    .orderBy(asc(reminders.createdAt), asc(reminders.id));
}

/** Whether the invoice ever reached the payer from us: its notice or a reminder was queued to an address. */
export async function invoiceWasSent(db: DbOrTx, supplierId: string, invoiceId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: emails.id })
    .from(emails)
    .where(and(eq(emails.supplierId, supplierId), eq(emails.invoiceId, invoiceId), inArray(emails.template, ["invoice-notice", "payment-reminder"])))
    .limit(1);
  return row !== undefined;
}

export async function customerRow(db: DbOrTx, supplierId: string, customerId: string) {
  const [row] = await db.select().from(customers).where(and(eq(customers.supplierId, supplierId), eq(customers.id, customerId))).limit(1);
  return row;
}

/** A step queued by hand; undefined when the schedule queued the same step meanwhile (unique per invoice and step). */
export async function insertReminder(tx: Tx, row: { id: string; supplierId: string; invoiceId: string; step: ReminderStep; now: Date }) {
  const [inserted] = await tx
    .insert(reminders)
    .values({ id: row.id, supplierId: row.supplierId, invoiceId: row.invoiceId, step: row.step, createdAt: row.now })
    .onConflictDoNothing()
    .returning();
  return inserted;
}

export async function reminderById(db: DbOrTx, id: string): Promise<ReminderRow | undefined> {
  const [row] = await db.select().from(reminders).where(eq(reminders.id, id)).limit(1);
  return row;
}

export type ReminderPause = { until: Date | null; by: "supplier" | "user"; byId: string | null; reason: string | null };

/** Sets (or with null, ends) the clerk's pause; the caller holds the invoice's lock. */
export async function setReminderPause(tx: Tx, supplierId: string, invoiceId: string, pause: ReminderPause | null, now: Date): Promise<void> {
  await tx
    .update(invoices)
    .set({
      remindersPausedAt: pause ? now : null,
      remindersPausedUntil: pause?.until ?? null,
      remindersPausedBy: pause?.by ?? null,
      remindersPausedById: pause?.byId ?? null,
      remindersPauseReason: pause?.reason ?? null,
      updatedAt: now,
    })
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, invoiceId)));
}

/** The invoice as stored, unlocked: for showing what an action would do. */
export async function invoiceRow(db: DbOrTx, supplierId: string, id: string) {
  const [row] = await db.select().from(invoices).where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id))).limit(1);
  return row;
}
