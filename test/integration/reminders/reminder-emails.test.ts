// Reminders end to end on real PostgreSQL and pg-boss: the evaluation queues a reminder.send job
// per (invoice, step), the job queues one email per billing contact, the email job sends it with
// its own portal link and the invoice PDF. The clock is fixed per step of the calendar, and the
// tests assert exactly which emails exist, as the payer's inbox would show them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { contacts, emails, events, invoices, reminders, webhookMessages } from "../../../db/schema";
import { connect } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer, tokenFromUrl, type InvoiceOverrides } from "../../support/fixtures";
import { fakeResend } from "../../support/fake-resend";
import { drainJobs } from "~/platform/jobs/queue.server";
import { evaluateReminders, REMINDER_SEND_JOB } from "~/features/reminders/reminders.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import { newPublicId } from "~/domain/public-id";
import type { SupplierChanges } from "~/features/suppliers/db/suppliers.server";
import type { AppServices } from "~/platform/context";
import { loader as portalLoader } from "~/routes/i.$token";

const database = useTestDatabase();
const db = () => database.get().db;
// Interest needs the reference rate of 2026's half-years, which only configuration knows.
const config = testConfig({ REFERENCE_RATES: "2026-01-01:2.00" });

/** Monday. Three days before is a Friday, +5 a Saturday, and Europe moves to summer time between. */
const DUE = "2026-03-23";

const resend = fakeResend();
beforeAll(() => resend.start());
afterAll(() => resend.stop());

let clock = new Date();
const services = (overrides: Partial<AppServices> = {}): AppServices => ({ ...testContext(database.get(), config).app, now: () => clock, ...overrides });

async function supplierWith(changes: SupplierChanges = {}, billing: { email: string; language?: "sv" | "en" }[] = [{ email: "ap@fjallbacka.test" }]) {
  const owner = await createSupplierWithCustomer(db(), { supplier: changes });
  for (const contact of billing) {
    await db().insert(contacts).values({
      id: newPublicId("con"), supplierId: owner.supplier.id, customerId: owner.customerId,
      name: "Accounts payable", email: contact.email, language: contact.language ?? null,
    });
  }
  const invoice = (overrides: InvoiceOverrides = {}) =>
    createInvoiceWithLink(db(), config, owner, { dueDate: DUE, issueDate: "2026-02-21", ...overrides }).then((f) => f.invoice.id);
  return { supplierId: owner.supplier.id, customerId: owner.customerId, invoice };
}

/** The evaluation and both jobs at one instant, as the scheduled run and the worker would do. */
async function runAt(iso: string, app = services()) {
  clock = new Date(iso);
  await evaluateReminders(app.db, { now: clock });
  await drainJobs(app, { names: [REMINDER_SEND_JOB, EMAIL_SEND_JOB] });
}

/** The reminder emails of an invoice, oldest first: [step, to]. */
async function reminderEmails(invoiceId: string) {
  const rows = await db()
    .select()
    .from(emails)
    .where(and(eq(emails.invoiceId, invoiceId), eq(emails.template, "payment-reminder")))
    .orderBy(asc(emails.createdAt), asc(emails.toAddress));
  return rows.map((row) => [row.props.step, row.toAddress]);
}

const setInvoice = (id: string, values: Partial<typeof invoices.$inferInsert>) => db().update(invoices).set(values).where(eq(invoices.id, id));

describe("reminder emails through the calendar (Europe/Stockholm, default policy)", () => {
  it("mails before_due, first, second and final once each to every billing contact, in working hours only", async () => {
    const { supplierId, invoice } = await supplierWith({}, [{ email: "ap@fjallbacka.test" }, { email: "cfo@fjallbacka.test", language: "en" }]);
    const id = await invoice();
    const both = (step: string) => [[step, "ap@fjallbacka.test"], [step, "cfo@fjallbacka.test"]];

    await runAt("2026-03-13T09:00:00+01:00"); // 10 days before
    await runAt("2026-03-19T09:00:00+01:00"); // 4 days before
    await runAt("2026-03-20T07:30:00+01:00"); // 3 days before, before opening
    await runAt("2026-03-20T17:00:00+01:00"); // …and at closing
    expect(await reminderEmails(id)).toEqual([]);
    await runAt("2026-03-20T09:00:00+01:00");
    expect(await reminderEmails(id)).toEqual(both("before_due"));
    await runAt("2026-03-20T09:10:00+01:00"); // the next scheduled run finds it sent
    expect(await reminderEmails(id)).toEqual(both("before_due"));

    await runAt("2026-03-28T10:00:00+01:00"); // +5 is a Saturday
    await runAt("2026-03-30T05:59:59Z"); // Monday 07:59 summer time
    expect(await reminderEmails(id)).toEqual(both("before_due"));
    await runAt("2026-03-30T06:00:00Z"); // Monday 08:00
    expect(await reminderEmails(id)).toEqual([...both("before_due"), ...both("first")]);
    await runAt("2026-03-30T10:00:00Z"); // later that day: nothing more
    await runAt("2026-04-07T09:00:00+02:00"); // +15
    await runAt("2026-04-22T09:00:00+02:00"); // +30
    await runAt("2026-05-22T09:00:00+02:00"); // two months later: nothing after the final notice
    expect(await reminderEmails(id)).toEqual([...both("before_due"), ...both("first"), ...both("second"), ...both("final")]);

    const sent = await db().select().from(emails).where(and(eq(emails.invoiceId, id), eq(emails.template, "payment-reminder")));
    expect(sent.map((row) => [row.status, row.locale, row.attachInvoicePdf])).toEqual(
      sent.map((row) => ["sent", row.toAddress.startsWith("cfo") ? "en" : "sv", true]),
    );
    const timeline = await db().select().from(events).where(and(eq(events.invoiceId, id), eq(events.type, "reminder.sent")));
    expect(timeline.map((event) => event.data.step)).toEqual(["before_due", "first", "second", "final"]);
    const hooks = await db().select().from(webhookMessages).where(and(eq(webhookMessages.supplierId, supplierId), eq(webhookMessages.type, "reminder.sent")));
    expect(hooks.map((hook) => [hook.payload.step, (hook.payload.invoice as { id: string }).id])).toEqual(
      ["before_due", "first", "second", "final"].map((step) => [step, id]),
    );
  });

  it("starting late sends only the latest step that has come due", async () => {
    const { invoice } = await supplierWith();
    const id = await invoice({ dueDate: "2026-02-27", issueDate: "2026-01-28" }); // 18 days overdue on 17 March
    await runAt("2026-03-17T09:00:00+01:00");
    expect(await reminderEmails(id)).toEqual([["second", "ap@fjallbacka.test"]]);
  });

  it("sends nothing for a paid, cancelled, disputed or payment-reported invoice, and resumes when the report lapses", async () => {
    const { invoice } = await supplierWith();
    const paid = await invoice({ amountPaid: 1_229_700, paidAt: new Date("2026-03-25T10:00:00Z") });
    const cancelled = await invoice({ cancelledAt: new Date("2026-03-25T10:00:00Z") });
    const disputed = await invoice({ disputed: true });
    const reported = await invoice();
    await setInvoice(reported, { paymentReportedUntil: new Date("2026-04-01T12:00:00Z") });

    await runAt("2026-03-30T09:00:00+02:00");
    for (const id of [paid, cancelled, disputed, reported]) expect(await reminderEmails(id)).toEqual([]);
    await runAt("2026-04-02T09:00:00+02:00"); // the pause is over: the latest due step, once
    expect(await reminderEmails(reported)).toEqual([["first", "ap@fjallbacka.test"]]);
  });

  it("skips a queued reminder whose invoice was paid before the job ran, and says why", async () => {
    const { invoice } = await supplierWith();
    const id = await invoice();
    clock = new Date("2026-03-30T09:00:00+02:00");
    await evaluateReminders(db(), { now: clock });
    await setInvoice(id, { amountPaid: 1_229_700, paidAt: clock });
    await drainJobs(services(), { names: [REMINDER_SEND_JOB, EMAIL_SEND_JOB] });

    expect(await reminderEmails(id)).toEqual([]);
    const [row] = await db().select().from(reminders).where(eq(reminders.invoiceId, id));
    expect([row?.status, row?.skipReason]).toEqual(["skipped", "paid"]);
  });

  it("puts off a job that runs after working hours until they open, then sends it once", async () => {
    // Dates ahead of the real clock: pg-boss holds the put-off job until its real start_after.
    const { invoice } = await supplierWith();
    const id = await invoice({ dueDate: "2099-03-23", issueDate: "2099-02-21" }); // a Monday
    clock = new Date("2099-03-30T16:58:00+02:00");
    await evaluateReminders(db(), { now: clock });
    clock = new Date("2099-03-30T17:30:00+02:00"); // the worker got to it after closing
    await drainJobs(services(), { names: [REMINDER_SEND_JOB, EMAIL_SEND_JOB] });
    expect(await reminderEmails(id)).toEqual([]);

    const [job] = (await db().execute(
      sql`select start_after from pgboss.job where name = ${REMINDER_SEND_JOB} and state = 'created' and data->>'reminderId' = (select id from reminders where invoice_id = ${id})`,
    )) as unknown as { start_after: Date }[];
    expect(new Date(job!.start_after).toISOString()).toBe("2099-03-31T06:00:00.000Z"); // Tuesday 08:00
    await db().execute(sql`update pgboss.job set start_after = now() where name = ${REMINDER_SEND_JOB} and state = 'created'`);
    await runAt("2099-03-31T08:00:00+02:00");
    expect(await reminderEmails(id)).toEqual([["first", "ap@fjallbacka.test"]]);
  });

  it("states the agreed fee (capped at 60 kr) and the late-payment interest on overdue steps only", async () => {
    const { invoice } = await supplierWith({ reminderFeeAgreed: true, reminderFee: 9_000 });
    const early = await invoice();
    await runAt("2026-03-20T09:00:00+01:00");
    const late = await invoice({ dueDate: "2026-03-10", issueDate: "2026-02-01" });
    await runAt("2026-03-31T09:00:00+02:00");

    // The early invoice gets its overdue reminder on the 31st too: the first email is the one before the due date.
    const [beforeDue] = await db().select().from(emails).where(eq(emails.invoiceId, early)).orderBy(emails.createdAt);
    expect(beforeDue?.props).toMatchObject({ step: "before_due", fee: 0, interest: null });
    const [overdue] = await db().select().from(emails).where(and(eq(emails.invoiceId, late), eq(emails.template, "payment-reminder")));
    // 12 297,00 kr at 2 % + 8 % = 10 % a year for 21 days (10–31 March): 70,75 kr.
    expect(overdue?.props).toMatchObject({ step: "second", fee: 6_000, interest: { amount: 7_075, rateBp: 1_000, from: "2026-03-10" } });
    const [row] = await db().select().from(reminders).where(eq(reminders.invoiceId, late));
    expect([row?.fee, row?.interest]).toEqual([6_000, 7_075]);
  });

  it("mails the customer's billing contacts only, and records a skip when it has none", async () => {
    const { invoice } = await supplierWith({}, []);
    const id = await invoice();
    await runAt("2026-03-30T09:00:00+02:00");
    expect(await db().select().from(emails).where(eq(emails.invoiceId, id))).toEqual([]);
    const [row] = await db().select().from(reminders).where(eq(reminders.invoiceId, id));
    expect([row?.status, row?.skipReason]).toEqual(["skipped", "no_recipient"]);
  });
});

describe("three app instances", () => {
  it("evaluating and draining at the same time send each (invoice, step) to each contact once", async () => {
    const { invoice } = await supplierWith({}, [{ email: "ap@fjallbacka.test" }, { email: "cfo@fjallbacka.test" }]);
    const ids: string[] = [];
    for (let n = 0; n < 20; n += 1) ids.push(await invoice({ dueDate: "2026-06-22", issueDate: "2026-05-22" }));
    const instances = Array.from({ length: 3 }, () => connect(database.url(), { max: 4 }));
    try {
      clock = new Date("2026-06-29T09:00:00+02:00"); // +7: the first reminder
      const apps = instances.map((instance) => services({ db: instance.db }));
      await Promise.all(apps.map((app) => evaluateReminders(app.db, { now: clock })));
      await Promise.all(apps.map((app) => drainJobs(app, { names: [REMINDER_SEND_JOB, EMAIL_SEND_JOB] })));
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
    const rows = (await db().execute(sql`
      select invoice_id, props->>'step' as step, to_address, count(*)::int as n, bool_and(status = 'sent') as sent
      from emails where invoice_id in ${sql.raw(`(${ids.map((id) => `'${id}'`).join(",")})`)}
      group by 1, 2, 3`)) as unknown as { n: number; sent: boolean; step: string }[];
    expect(rows).toHaveLength(40);
    expect(rows.every((row) => row.n === 1 && row.sent && row.step === "first")).toBe(true);
  });
});

describe("what the payer receives (Resend)", () => {
  it("a reminder carries a working portal link, the amount due, the OCR and the invoice PDF; the stored copy has no working link", async () => {
    const { invoice } = await supplierWith();
    const id = await invoice({ dueDate: "2026-09-21", issueDate: "2026-08-21" });
    const app = services({
      config: testConfig({ REFERENCE_RATES: "2026-01-01:2.00", RESEND_API_KEY: "re_test_key_123", RESEND_BASE_URL: resend.url() }),
    });
    resend.requests.length = 0;
    await runAt("2026-09-28T09:00:00+02:00", app); // +7: the first reminder
    const [row] = await db().select().from(invoices).where(eq(invoices.id, id));

    // Other tests' invoices are due for reminders at this time too: this invoice's mail only.
    const mine = resend.requests.filter((request) => String(request.body.subject).includes(row!.number));
    expect(mine).toHaveLength(1);
    const body = mine[0]!.body as { html: string; text: string; attachments: { filename: string; content: string }[] };
    const url = /https:\/\/pay\.example\.test\/i\/[A-Za-z0-9._-]+/.exec(body.text)?.[0];
    expect(url).toBeDefined();
    expect(body.html).toContain(url);
    expect(body.text).toMatch(/12\s297,00\s+kr/);
    expect(body.text).toContain(row!.ocr);
    expect(body.attachments.map((file) => file.filename)).toEqual([expect.stringMatching(/\.pdf$/)]);
    expect(Buffer.from(body.attachments[0]!.content, "base64").subarray(0, 5).toString()).toBe("%PDF-");

    const page = await callRoute(portalLoader, testContext(database.get(), config), { path: new URL(url!).pathname, params: { token: tokenFromUrl(url!) } });
    expect(page.status).toBe(200);
    const [stored] = await db().select().from(emails).where(and(eq(emails.invoiceId, id), eq(emails.template, "payment-reminder")));
    expect(stored!.html).not.toContain(url);
    expect(stored!.text).not.toContain(url);
  });
});
