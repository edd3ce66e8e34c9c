// The reminder evaluation on real PostgreSQL with `now` under control: which (invoice, step) rows
// exist after each run, as a supplier and its customers would see the reminders go out.
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { invoices, reminders, suppliers } from "../../../db/schema";
import { connect } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { runCli } from "../../support/cli";
import { testConfig } from "../../support/context";
import { addDays, createInvoiceWithLink, createSupplierWithCustomer, type InvoiceOverrides } from "../../support/fixtures";
import { evaluateReminders } from "~/features/reminders/reminders.server";
import { listInvoiceReminders } from "~/features/reminders/db/reminders.server";
import { DEFAULT_REMINDER_POLICY, dueReminderStep, type ReminderStep } from "~/domain/reminder-policy";
import { isPublicId } from "~/domain/public-id";
import type { SupplierChanges } from "~/features/suppliers/db/suppliers.server";

const database = useTestDatabase();
const config = testConfig();

/** Monday; 3 days before it is a Friday, +5 a Saturday, and Europe changes to summer time in between. */
const DUE = "2026-03-23";

async function supplierWith(changes: SupplierChanges = {}) {
  const owner = await createSupplierWithCustomer(database.get().db, { supplier: changes });
  const invoice = (overrides: InvoiceOverrides = {}) =>
    createInvoiceWithLink(database.get().db, config, owner, { dueDate: DUE, issueDate: "2026-02-21", ...overrides }).then((f) => f.invoice.id);
  /** Runs the evaluation and returns what it queued for this supplier (other tests' suppliers share the database). */
  const run = async (now: string) => {
    const { queued } = await evaluateReminders(database.get().db, { now: new Date(now) });
    return queued.filter((reminder) => reminder.supplierId === owner.supplier.id).map((reminder) => [reminder.invoiceId, reminder.step]);
  };
  return { supplierId: owner.supplier.id, invoice, run };
}

async function stepsOf(invoiceId: string): Promise<ReminderStep[]> {
  const rows = await database.get().db.select().from(reminders).where(eq(reminders.invoiceId, invoiceId));
  return rows.map((row) => row.step).sort((a, b) => ["before_due", "first", "second", "final"].indexOf(a) - ["before_due", "first", "second", "final"].indexOf(b));
}

const setInvoice = (id: string, values: Partial<typeof invoices.$inferInsert>) =>
  database.get().db.update(invoices).set(values).where(eq(invoices.id, id));

describe("evaluateReminders: one invoice through the calendar (Europe/Stockholm, default policy)", () => {
  it("sends before_due, first, second and final once each, only in working hours, and nothing after", async () => {
    const { supplierId, invoice, run } = await supplierWith();
    const id = await invoice();

    expect(await run("2026-03-13T09:00:00+01:00")).toEqual([]); // 10 days before
    expect(await run("2026-03-19T09:00:00+01:00")).toEqual([]); // 4 days before
    expect(await run("2026-03-20T07:30:00+01:00")).toEqual([]); // 3 days before, before opening
    expect(await run("2026-03-20T17:30:00+01:00")).toEqual([]); // …and after closing
    expect(await run("2026-03-20T09:00:00+01:00")).toEqual([[id, "before_due"]]);
    expect(await run("2026-03-20T09:05:00+01:00")).toEqual([]); // the next run finds it queued
    expect(await run("2026-03-28T10:00:00+01:00")).toEqual([]); // +5 is a Saturday
    expect(await run("2026-03-29T12:00:00+02:00")).toEqual([]); // Sunday, now summer time
    // Monday 06:00Z: 07:00 the week before, 08:00 in summer time.
    expect(await run("2026-03-30T05:59:59Z")).toEqual([]);
    expect(await run("2026-03-30T06:00:00Z")).toEqual([[id, "first"]]);
    expect(await run("2026-04-06T09:00:00+02:00")).toEqual([]); // +14
    expect(await run("2026-04-07T09:00:00+02:00")).toEqual([[id, "second"]]); // +15
    expect(await run("2026-04-22T09:00:00+02:00")).toEqual([[id, "final"]]); // +30
    expect(await run("2026-04-23T09:00:00+02:00")).toEqual([]);
    expect(await run("2026-05-07T09:00:00+02:00")).toEqual([]); // +45: nothing after the final notice

    const rows = await listInvoiceReminders(database.get().db, supplierId, id);
    expect(rows.map((row) => row.step)).toEqual(["before_due", "first", "second", "final"]);
    expect(rows.every((row) => row.status === "queued" && row.supplierId === supplierId && isPublicId("rem", row.id))).toBe(true);
  });

  it("a late start queues only the latest step due, then continues from there", async () => {
    const { invoice, run } = await supplierWith();
    const id = await invoice({ dueDate: "2026-04-02" });

    expect(await run("2026-04-22T09:00:00+02:00")).toEqual([[id, "second"]]); // 20 days overdue, never reminded
    expect(await run("2026-04-23T09:00:00+02:00")).toEqual([]);
    expect(await run("2026-05-05T09:00:00+02:00")).toEqual([[id, "final"]]); // +33
    expect(await stepsOf(id)).toEqual(["second", "final"]);
  });

  it("a before-due reminder missed over the weekend goes out on Monday, but never once the due date has come", async () => {
    const { invoice, run } = await supplierWith();
    const dueTuesday = await invoice({ dueDate: "2026-03-24" }); // −3 is a Saturday
    const dueMonday = await invoice({ dueDate: DUE }); // −3 was Friday; nobody ran then

    expect(await run("2026-03-23T09:00:00+01:00")).toEqual([[dueTuesday, "before_due"]]);
    expect(await stepsOf(dueMonday)).toEqual([]);
  });
});

describe("evaluateReminders: invoices that get no reminder", () => {
  it("skips paid, cancelled, disputed, payment-reported invoices and credit notes", async () => {
    const { invoice, run } = await supplierWith();
    const monday0900 = "2026-03-30T09:00:00+02:00"; // +7: the first reminder is due
    const open = await invoice();
    const partlyPaid = await invoice({ amountPaid: 100_000 });
    const reportLapsed = await invoice();
    await setInvoice(reportLapsed, { paymentReportedUntil: new Date("2026-03-30T06:59:00Z") });
    const skipped = {
      paid: await invoice({ amountPaid: 1_229_700 }),
      overpaid: await invoice({ amountPaid: 1_300_000 }),
      paidAt: await invoice({ paidAt: new Date("2026-03-25T10:00:00Z") }),
      cancelled: await invoice({ cancelledAt: new Date("2026-03-01T10:00:00Z") }),
      disputed: await invoice({ disputed: true }),
      paymentReported: await invoice(),
      creditNote: await invoice(),
    };
    await setInvoice(skipped.paymentReported, { paymentReportedUntil: new Date("2026-04-02T12:00:00Z") });
    await setInvoice(skipped.creditNote, { totalNet: -989_800, totalVat: -239_888, rounding: -12, total: -1_229_700 });

    const queued = await run(monday0900);
    expect(queued.sort()).toEqual([[open, "first"], [partlyPaid, "first"], [reportLapsed, "first"]].sort());
    for (const id of Object.values(skipped)) expect(await stepsOf(id)).toEqual([]);

    // Once the dispute is resolved and the report lapses, the reminders resume where they stand.
    await setInvoice(skipped.disputed, { disputed: false });
    expect(await run("2026-04-02T09:00:00+02:00")).toEqual([[skipped.disputed, "first"]]);
    expect(await run("2026-04-03T09:00:00+02:00")).toEqual([[skipped.paymentReported, "first"]]);
  });

  it("a supplier whose stored time zone or policy PostgreSQL cannot use is skipped, and the others still get theirs", async () => {
    const broken = await supplierWith();
    const brokenZone = await broken.invoice();
    await database.get().db.update(suppliers).set({ timeZone: "Mars/Olympus_Mons" }).where(eq(suppliers.id, broken.supplierId));
    const badPolicy = await supplierWith({ reminderPolicy: ["5", "15"] as unknown as Record<string, unknown> });
    const badPolicyInvoice = await badPolicy.invoice();
    const oddPolicy = await supplierWith({ reminderPolicy: { first: "soon", second: 7, nonsense: 1 } });
    const oddPolicyInvoice = await oddPolicy.invoice();
    const fine = await supplierWith();
    const fineInvoice = await fine.invoice();

    expect(await fine.run("2026-03-30T09:00:00+02:00")).toEqual([[fineInvoice, "first"]]);
    expect(await stepsOf(brokenZone)).toEqual([]);
    expect(await stepsOf(badPolicyInvoice)).toEqual([]);
    expect(await stepsOf(oddPolicyInvoice)).toEqual(["second"]); // the valid entry still applies
  });
});

describe("evaluateReminders: each supplier's own time zone and policy", () => {
  it("a supplier in America/New_York gets its reminders in New York working hours", async () => {
    const newYork = await supplierWith({ timeZone: "America/New_York" });
    const stockholm = await supplierWith();
    const nyInvoice = await newYork.invoice();
    const seInvoice = await stockholm.invoice();

    // Monday 2026-03-30 06:00Z: 08:00 in Stockholm, 02:00 in New York.
    expect(await stockholm.run("2026-03-30T06:00:00Z")).toEqual([[seInvoice, "first"]]);
    expect(await stepsOf(nyInvoice)).toEqual([]);
    expect(await newYork.run("2026-03-30T11:59:00Z")).toEqual([]); // 07:59 EDT
    expect(await newYork.run("2026-03-30T12:00:00Z")).toEqual([[nyInvoice, "first"]]); // 08:00 EDT

    // Friday 2026-04-10 16:30 in New York is 22:30 in Stockholm: only New York is open.
    const nyFriday = await newYork.invoice({ dueDate: "2026-04-13" });
    const seFriday = await stockholm.invoice({ dueDate: "2026-04-13" });
    expect((await newYork.run("2026-04-10T20:30:00Z")).sort()).toEqual([[nyFriday, "before_due"], [nyInvoice, "second"]].sort());
    expect(await stepsOf(seFriday)).toEqual([]);
  });

  it("a custom policy replaces the default: no before-due reminder, first after 10 days, final after 20", async () => {
    const { invoice, run } = await supplierWith({ reminderPolicy: { first: 10, final: 20 } });
    const id = await invoice();

    expect(await run("2026-03-20T09:00:00+01:00")).toEqual([]); // −3
    expect(await run("2026-03-30T09:00:00+02:00")).toEqual([]); // +7: the default would send "first"
    expect(await run("2026-04-02T09:00:00+02:00")).toEqual([[id, "first"]]); // +10
    expect(await run("2026-04-07T09:00:00+02:00")).toEqual([]); // +15: no "second" in this policy
    expect(await run("2026-04-14T09:00:00+02:00")).toEqual([[id, "final"]]); // +22
    expect(await stepsOf(id)).toEqual(["first", "final"]);
  });

  it("after a policy change, never a step earlier than one already queued", async () => {
    const { supplierId, invoice, run } = await supplierWith();
    const id = await invoice();
    expect(await run("2026-04-08T09:00:00+02:00")).toEqual([[id, "second"]]); // +16, never reminded before
    await database.get().db.update(suppliers).set({ reminderPolicy: { first: 10, second: 30, final: 40 } }).where(eq(suppliers.id, supplierId));
    expect(await run("2026-04-09T09:00:00+02:00")).toEqual([]); // +17 is "first" by the new policy: too late for it
    expect(await run("2026-04-22T09:00:00+02:00")).toEqual([]); // +30: "second" is queued already
    expect(await run("2026-05-04T09:00:00+02:00")).toEqual([[id, "final"]]); // +42
    expect(await stepsOf(id)).toEqual(["second", "final"]);
  });

  it("agrees with the domain rules for every due date from 40 days before to 45 days after", async () => {
    const { invoice, run } = await supplierWith();
    const now = "2026-04-22T09:00:00+02:00";
    const today = "2026-04-22";
    const byInvoice = new Map<string, string>();
    for (let offset = -45; offset <= 40; offset += 1) byInvoice.set(await invoice({ dueDate: addDays(today, offset) }), addDays(today, offset));

    const queued = await run(now);
    const expected = [...byInvoice].flatMap(([id, dueDate]) => {
      const step = dueReminderStep(DEFAULT_REMINDER_POLICY, { dueDate, today });
      return step ? [[id, step]] : [];
    });
    expect(queued.sort()).toEqual(expected.sort());
    expect(new Set(queued.map(([, step]) => step))).toEqual(new Set(["before_due", "first", "second", "final"]));
  });
});

describe("evaluateReminders: repeated and concurrent runs", () => {
  it("twice in a row, and three at once on three connections, queue each step exactly once", async () => {
    const { supplierId, invoice, run } = await supplierWith();
    const dueDates = new Map<string, string>();
    for (let overdue = -3; overdue <= 35; overdue += 1) {
      const dueDate = addDays("2026-04-22", -overdue);
      dueDates.set(await invoice({ dueDate }), dueDate);
    }
    const expectedSoFar = new Map<string, ReminderStep[]>([...dueDates.keys()].map((id) => [id, []]));

    const connections = [1, 2, 3].map(() => connect(database.url(), { max: 1 }));
    try {
      for (const [now, today] of [["2026-04-22T09:00:00+02:00", "2026-04-22"], ["2026-04-29T09:00:00+02:00", "2026-04-29"], ["2026-05-13T09:00:00+02:00", "2026-05-13"]] as const) {
        const results = await Promise.all(connections.map(({ db }) => evaluateReminders(db, { now: new Date(now) })));
        const claimed = results.flatMap(({ queued }) =>
          queued.filter((reminder) => reminder.supplierId === supplierId).map((reminder) => `${reminder.invoiceId}:${reminder.step}`));
        const expected = [...dueDates].flatMap(([id, dueDate]) => {
          const step = dueReminderStep(DEFAULT_REMINDER_POLICY, { dueDate, today, queued: expectedSoFar.get(id)! });
          if (step) expectedSoFar.get(id)!.push(step);
          return step ? [`${id}:${step}`] : [];
        });
        expect(expected.length).toBeGreaterThan(0);
        // Between them the three runs queued exactly what one would have: no step twice, none missed.
        expect(claimed.sort()).toEqual(expected.sort());
        expect(await run(now)).toEqual([]);
      }
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }

    const [counts] = (await database.get().db.execute(sql`
      select count(*)::int as rows, count(distinct (invoice_id, step))::int as distinct_steps
      from reminders where supplier_id = ${supplierId}`)) as unknown as { rows: number; distinct_steps: number }[];
    expect(counts).toEqual({ rows: [...expectedSoFar.values()].flat().length, distinct_steps: [...expectedSoFar.values()].flat().length });
  });
});

describe("npm run cli -- reminders:run", () => {
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url() });

  it("queues at the given time and prints what it queued, as JSON or a table", async () => {
    const { supplierId, invoice } = await supplierWith({ timeZone: "Pacific/Auckland" });
    // Tuesday 2026-06-09 10:00 in Auckland (UTC+12) is still Monday 06-08 in UTC: by Auckland's
    // date these are +5 (first) and +15 (second) days overdue, by UTC's only +4 and +14.
    const first = await invoice({ number: "CLI-1", dueDate: "2026-06-04" });
    const second = await invoice({ number: "CLI-2", dueDate: "2026-05-25" });

    const asJson = await cli(["reminders:run", "--now", "2026-06-08T22:00:00Z", "--json"]);
    expect(asJson.code, asJson.stderr).toBe(0);
    const printed = JSON.parse(asJson.stdout) as { now: string; queued: Record<string, string>[] };
    expect(printed.now).toBe("2026-06-08T22:00:00.000Z");
    expect(printed.queued.filter((row) => row.supplier_id === supplierId)).toEqual([
      { reminder_id: expect.stringMatching(/^rem_/), supplier_id: supplierId, invoice_id: second, invoice_number: "CLI-2", due_date: "2026-05-25", step: "second" },
      { reminder_id: expect.stringMatching(/^rem_/), supplier_id: supplierId, invoice_id: first, invoice_number: "CLI-1", due_date: "2026-06-04", step: "first" },
    ]);

    const third = await invoice({ number: "CLI-3", dueDate: "2026-05-07" });
    const table = await cli(["reminders:run", "--now", "2026-06-09T10:00:00+12:00"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`final\\s+2026-05-07\\s+CLI-3\\s+${third}\\s+${supplierId}`));
    expect(table.stdout).not.toContain("CLI-1");

    const bad = await cli(["reminders:run", "--now", "2026-06-09 10:00"]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("--now must be an ISO time with an offset");
  });
});
