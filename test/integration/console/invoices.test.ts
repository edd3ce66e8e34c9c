// The console's invoices (/app/invoices, /app/invoices/:id): the list's filters, search, paging and
// CSV match what a clerk asked for; each action writes what the API's use case writes, with the
// user on the audit log; another supplier's invoice is a 404 and a sales user a 403, nothing written.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { contacts, customers, emails, events, invoices, payments } from "../../../db/schema";
import { t } from "~/i18n";
import * as listRoute from "~/routes/app.invoices._index";
import * as pageRoute from "~/routes/app.invoices.$id";
import * as csvRoute from "~/routes/app.invoices[.]csv";
import { newPublicId } from "~/domain/public-id";
import { parseInvoiceListQuery, cursorAfter, INVOICE_SORT_KEYS } from "~/domain/console-invoice-list";
import { listConsoleInvoices } from "~/features/console/db/invoice-list.server";
import { insertDispute } from "~/features/invoices/db/disputes.server";
import { useTestDatabase } from "../../support/database";
import { testContext, testConfig } from "../../support/context";
import { addDays, createInvoiceWithLink, createSupplierWithCustomer } from "../../support/fixtures";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());
const today = new Date().toISOString().slice(0, 10);

/** A supplier with one invoice in each state, two customers, and a signed-in user of `role`. */
async function world(role: "member" | "sales" = "member") {
  const owner = await createSupplierWithCustomer(db());
  const other = newPublicId("cus");
  await db().insert(customers).values({ id: other, supplierId: owner.supplier.id, name: "Sjöbris Handel AB" });
  const make = (number: string, overrides: Parameters<typeof createInvoiceWithLink>[3] = {}, customerId = owner.customerId) =>
    createInvoiceWithLink(db(), testConfig(), { supplier: owner.supplier, customerId }, { number, issueDate: addDays(today, -10), dueDate: addDays(today, 20), ...overrides });
  const open = await make("A-100");
  const overdue = await make("A-101", { dueDate: addDays(today, -3) });
  const paid = await make("A-102", { amountPaid: 1_229_700, paidAt: new Date() });
  const cancelled = await make("B-200", { cancelledAt: new Date() });
  const disputed = await make("B-201", { disputed: true, issueDate: addDays(today, -40) });
  const problem = await make("B-202", {}, other);
  await db().update(invoices).set({ deliveryStatus: "problem" }).where(eq(invoices.id, problem.invoice.id));
  const user = await newConsoleUser(db(), owner.supplier.id, role);
  const cookie = await signedInCookie(db(), user.user.id, owner.supplier.id);
  const ids = { open, overdue, paid, cancelled, disputed, problem };
  return { owner, other, user, cookie, ...Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.invoice])) as Record<keyof typeof ids, typeof open.invoice> };
}

type ListData = { items: { id: string; number: string; statuses: string[] }[]; errors: string[]; next: string | null };

async function list(cookie: string, query: string): Promise<ListData> {
  const response = await getPage(listRoute, context(), `/app/invoices?${query}`, { cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as ListData;
}

const numbers = (data: ListData) => data.items.map((item) => item.number).sort();

describe("the list", () => {
  it("filters by each status exactly as the rows show their statuses", async () => {
    const w = await world();
    const expected: Record<string, string[]> = {
      open: ["A-100", "B-201", "B-202"],
      overdue: ["A-101"],
      disputed: ["B-201"],
      delivery_problem: ["B-202"],
      paid: ["A-102"],
      cancelled: ["B-200"],
    };
    const all = await list(w.cookie, "");
    for (const [status, wanted] of Object.entries(expected)) {
      expect(numbers(await list(w.cookie, `status=${status}`)), status).toEqual(wanted);
      expect(all.items.filter((item) => item.statuses.includes(status)).map((item) => item.number).sort(), status).toEqual(wanted);
    }
  });

  it("searches by number prefix, OCR and customer name; filters by customer, dates and amount", async () => {
    const w = await world();
    expect(numbers(await list(w.cookie, "q=B-20"))).toEqual(["B-200", "B-201", "B-202"]);
    const [ocr] = await db().select({ ocr: invoices.ocr }).from(invoices).where(eq(invoices.id, w.overdue.id));
    expect(numbers(await list(w.cookie, `q=${ocr!.ocr}`))).toEqual(["A-101"]);
    expect(numbers(await list(w.cookie, "q=sjöbris"))).toEqual(["B-202"]);
    expect(numbers(await list(w.cookie, `customer=${w.other}`))).toEqual(["B-202"]);
    expect(numbers(await list(w.cookie, `due_to=${addDays(today, -1)}`))).toEqual(["A-101"]);
    expect(numbers(await list(w.cookie, `issued_to=${addDays(today, -30)}`))).toEqual(["B-201"]);
    expect(numbers(await list(w.cookie, "amount_min=12297&amount_max=12 297,00"))).toHaveLength(6);
    expect(numbers(await list(w.cookie, "amount_min=12297,01"))).toEqual([]);
    const wrong = await list(w.cookie, "status=late&due_from=2026-02-30&amount_max=lots");
    expect(wrong.errors.sort()).toEqual(["amount_max", "due_from", "status"]);
    expect(wrong.items).toEqual([]);
  });

  it("keyset pages in every sort walk every invoice once, in order", async () => {
    const w = await world();
    for (const sort of INVOICE_SORT_KEYS) {
      for (const dir of ["asc", "desc"]) {
        const seen: string[] = [];
        let after: string | undefined;
        for (let guard = 0; guard < 10; guard++) {
          const { query } = parseInvoiceListQuery(new URLSearchParams({ sort, dir, ...(after ? { after } : {}) }));
          const { rows, hasMore } = await listConsoleInvoices(db(), w.owner.supplier.id, query, today, 4);
          seen.push(...rows.map((row) => row.number));
          if (!hasMore) break;
          after = cursorAfter(rows.at(-1)!, sort);
        }
        const { query } = parseInvoiceListQuery(new URLSearchParams({ sort, dir }));
        const whole = (await listConsoleInvoices(db(), w.owner.supplier.id, query, today, 100)).rows.map((row) => row.number);
        expect(seen, `${sort} ${dir}`).toEqual(whole);
        expect(new Set(seen).size).toBe(6);
      }
    }
  });

  it("exports the filtered list as CSV, every matching row and no other", async () => {
    const w = await world();
    await db().update(customers).set({ name: "=HYPERLINK(\"x\")" }).where(eq(customers.id, w.other));
    const response = await getPage(csvRoute, context(), "/app/invoices.csv?q=B-20&sort=number", { cookie: w.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).replace(/^\ufeff/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^invoice_id,number,ocr/);
    expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual(["B-200", "B-201", "B-202"]);
    expect(lines[3]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

const counts = async () => {
  const [row] = await db().execute<Record<string, unknown>>(sql`
    select (select count(*) from invoices) as invoices, (select count(*) from payments) as payments,
           (select count(*) from events) as events, (select count(*) from emails) as emails,
           (select count(*) from links) as links, (select count(*) from idempotency_keys) as keys,
           (select count(*) from reminders) as reminders,
           (select string_agg(id || amount_paid || coalesce(cancelled_at::text, '') || coalesce(reminders_paused_at::text, ''), ',' order by id) from invoices) as state`);
  return row;
};

const ACTIONS: Record<string, Record<string, string>> = {
  record_payment: { amount: "100,00", currency: "SEK", method: "bank_transfer" },
  cancel: { reason: "Fel kund" },
  credit: { scope: "full", number: "K-1" },
  reissue_link: {},
  send: {},
  resolve_dispute: { dispute_id: newPublicId("dsp"), status: "accepted" },
  send_reminder: {},
  pause_reminders: { pause: "resumed", reason: "Avbetalningsplan" },
  resume_reminders: {},
};

describe("the invoice page's actions", () => {
  const post = (cookie: string, id: string, fields: Record<string, string>) =>
    postForm(pageRoute, context(), `/app/invoices/${id}`, fields, { cookie, params: { id } });

  it("shows the facts, payments and timeline; each action writes what the API's use case writes, by the user", async () => {
    const w = await world();
    const page = await getPage(pageRoute, context(), `/app/invoices/${w.open.id}`, { cookie: w.cookie, params: { id: w.open.id } });
    expect(page.status).toBe(200);
    const data = (await page.json()) as { work: boolean; page: { invoice: { number: string }; timeline: { what: string }[] } };
    expect(data.work).toBe(true);
    expect(data.page.invoice.number).toBe("A-100");
    expect(data.page.timeline.map((e) => e.what)).toContain("link.issued");

    const paid = await post(w.cookie, w.open.id, { intent: "record_payment", amount: "12 297,00", currency: "SEK", method: "bank_transfer", received_on: today, reference: "BG-1" });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ ok: true, intent: "record_payment" });
    const [invoice] = await db().select().from(invoices).where(eq(invoices.id, w.open.id));
    expect(invoice!.amountPaid).toBe(1_229_700);
    const [recorded] = await db().select().from(events).where(and(eq(events.invoiceId, w.open.id), eq(events.type, "payment.recorded")));
    expect(recorded).toMatchObject({ actor: "user", actorId: w.user.user.id });
    expect(await db().select().from(payments).where(eq(payments.invoiceId, w.open.id))).toHaveLength(1);

    const wrong = await post(w.cookie, w.overdue.id, { intent: "record_payment", amount: "0", currency: "SEK", method: "bank_transfer" });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ ok: false, intent: "record_payment" });

    const noAmount = await post(w.cookie, w.overdue.id, { intent: "credit", scope: "part", number: "K-6" });
    expect(noAmount.status).toBe(422);
    expect(await noAmount.json()).toMatchObject({ ok: false, intent: "credit", missingAmount: true });

    const credit = await post(w.cookie, w.overdue.id, { intent: "credit", scope: "part", number: "K-7", amount: "125,00", vat_rate: "25" });
    expect(await credit.json()).toMatchObject({ ok: true });
    const [note] = await db().select().from(invoices).where(eq(invoices.creditsInvoiceId, w.overdue.id));
    expect(note).toMatchObject({ number: "K-7", total: -12_500, totalNet: -10_000, totalVat: -2_500 });

    const full = await post(w.cookie, w.disputed.id, { intent: "credit", scope: "full", number: "K-8" });
    expect(await full.json()).toMatchObject({ ok: true });

    const reissued = await post(w.cookie, w.disputed.id, { intent: "reissue_link" });
    expect(((await reissued.json()) as { shown: string }).shown).toMatch(/^https:\/\/pay\.example\.test\/i\//);

    const dispute = await insertDispute(db(), { supplierId: w.owner.supplier.id, invoiceId: w.disputed.id, kind: "invoice", reason: "wrong_amount" }, new Date());
    const answered = await post(w.cookie, w.disputed.id, { intent: "resolve_dispute", dispute_id: dispute.id, status: "rejected", message: "Beloppet stämmer." });
    expect(await answered.json()).toMatchObject({ ok: true });
    const [resolved] = await db().select().from(events).where(and(eq(events.invoiceId, w.disputed.id), eq(events.type, "dispute.resolved")));
    expect(resolved).toMatchObject({ actor: "user", actorId: w.user.user.id });

    const sent = await post(w.cookie, w.disputed.id, { intent: "send" });
    // The fixture's customer has no billing contact: the API's refusal, shown on the page.
    expect(await sent.json()).toMatchObject({ ok: false, intent: "send", problem: { detail: expect.stringContaining("billing contact") } });

    const cancelled = await post(w.cookie, w.problem.id, { intent: "cancel", reason: "Fel kund" });
    expect(await cancelled.json()).toMatchObject({ ok: true });
    const [gone] = await db().select().from(events).where(and(eq(events.invoiceId, w.problem.id), eq(events.type, "invoice.cancelled")));
    expect(gone).toMatchObject({ actor: "user", actorId: w.user.user.id });
  });

  it("sends a reminder now, pauses and resumes reminders as the user; refusals come as codes the page words in sv or en", async () => {
    const w = await world();
    await db().insert(contacts).values({ id: newPublicId("con"), supplierId: w.owner.supplier.id, customerId: w.owner.customerId, name: "Reskontra", email: "ap@fjallbacka.test" });
    const pageOf = async () =>
      ((await (await getPage(pageRoute, context(), `/app/invoices/${w.overdue.id}`, { cookie: w.cookie, params: { id: w.overdue.id } })).json()) as {
        page: { nextReminder: Record<string, unknown>; pausedBy: string | null; invoice: { reminder_pause: Record<string, unknown> | null } };
      }).page;
    expect((await pageOf()).nextReminder).toEqual({ ok: false, refusal: "not_sent" });
    const notSent = await post(w.cookie, w.overdue.id, { intent: "send_reminder" });
    expect(notSent.status).toBe(422);
    expect(await notSent.json()).toMatchObject({ ok: false, intent: "send_reminder", refusal: "not_sent" });
    expect(t("sv", "console.invoice.reminderRefused.not_sent")).toMatch(/aldrig skickats/);

    expect(await (await post(w.cookie, w.overdue.id, { intent: "send" })).json()).toMatchObject({ ok: true });
    // Three days overdue: the policy's next step is the first reminder, with no fee (none agreed).
    expect((await pageOf()).nextReminder).toEqual({ ok: true, step: "first", fee: 0, interest: 0 });
    expect(await (await post(w.cookie, w.overdue.id, { intent: "send_reminder" })).json()).toMatchObject({ ok: true });
    const sent = await db().select().from(emails).where(and(eq(emails.invoiceId, w.overdue.id), eq(emails.template, "payment-reminder")));
    expect(sent.map((e) => e.props.step)).toEqual(["first"]);
    const [reminded] = await db().select().from(events).where(and(eq(events.invoiceId, w.overdue.id), eq(events.type, "reminder.sent")));
    expect(reminded).toMatchObject({ actor: "user", actorId: w.user.user.id });

    const noDate = await post(w.cookie, w.overdue.id, { intent: "pause_reminders", pause: "until", until: "" });
    expect(await noDate.json()).toMatchObject({ ok: false, refusal: "until_missing" });
    const badDate = await post(w.cookie, w.overdue.id, { intent: "pause_reminders", pause: "until", until: "2027-02-30" });
    expect(await badDate.json()).toMatchObject({ ok: false, refusal: "until_invalid" });
    expect(await (await post(w.cookie, w.overdue.id, { intent: "pause_reminders", pause: "resumed", reason: "Avbetalningsplan" })).json()).toMatchObject({ ok: true });
    const paused = await pageOf();
    expect(paused.invoice.reminder_pause).toMatchObject({ until: null, by: "user", by_id: w.user.user.id, reason: "Avbetalningsplan" });
    expect(paused.pausedBy).toBe(w.user.user.email);
    expect(paused.nextReminder).toEqual({ ok: false, refusal: "paused" });
    expect(await (await post(w.cookie, w.overdue.id, { intent: "resume_reminders" })).json()).toMatchObject({ ok: true });
    expect((await pageOf()).invoice.reminder_pause).toBeNull();
    const audited = await db().select({ type: events.type, actor: events.actor }).from(events).where(eq(events.invoiceId, w.overdue.id));
    expect(audited).toEqual(expect.arrayContaining([{ type: "invoice.reminders_paused", actor: "user" }, { type: "invoice.reminders_resumed", actor: "user" }]));
  });

  it("another supplier's invoice: 404 on the page and on every action, nothing written", async () => {
    const w = await world();
    const theirs = await createSupplierWithCustomer(db());
    const foreign = await createInvoiceWithLink(db(), testConfig(), theirs);
    const page = await getPage(pageRoute, context(), `/app/invoices/${foreign.invoice.id}`, { cookie: w.cookie, params: { id: foreign.invoice.id } });
    expect(page.status).toBe(404);
    const before = await counts();
    for (const [intent, fields] of Object.entries(ACTIONS)) {
      const response = await post(w.cookie, foreign.invoice.id, { intent, ...fields });
      expect(response.status, intent).toBe(404);
    }
    expect(await counts()).toEqual(before);
    const listed = await list(w.cookie, `q=${foreign.invoice.number}`);
    expect(listed.items.map((i) => i.id)).not.toContain(foreign.invoice.id);
  });

  it("a sales user reads the invoice without forms and gets 403 on every action, nothing written", async () => {
    const w = await world("sales");
    const page = await getPage(pageRoute, context(), `/app/invoices/${w.open.id}`, { cookie: w.cookie, params: { id: w.open.id } });
    expect(await page.json()).toMatchObject({ work: false, record: false });
    const before = await counts();
    for (const [intent, fields] of Object.entries(ACTIONS)) {
      const response = await post(w.cookie, w.open.id, { intent, ...fields });
      expect(response.status, intent).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });
});
