// A clerk's reminder actions through the API: pause (the evaluation then skips the invoice),
// resume (due again, but never ending the payer's own "I have paid" pause), and send the next
// reminder now: one email per contact with the policy's step and the fee the law allows, once per
// Idempotency-Key, refused with a 409 that says why; another supplier's invoice is unknown.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { contacts, emails, events, invoices, reminders, webhookMessages } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { addDays, createInvoiceWithLink, createSupplierWithCustomer, type InvoiceOverrides } from "../../support/fixtures";
import { createApiKey } from "~/api/db/api-keys.server";
import { newPublicId } from "~/domain/public-id";
import { todayIn } from "~/domain/invoice-status";
import { evaluateReminders } from "~/features/reminders/reminders.server";
import type { SupplierChanges } from "~/features/suppliers/db/suppliers.server";
import * as remindersRoute from "~/routes/api.v1.invoices.$id.reminders";
import * as pauseRoute from "~/routes/api.v1.invoices.$id.reminders.pause";
import * as resumeRoute from "~/routes/api.v1.invoices.$id.reminders.resume";
import * as sendRoute from "~/routes/api.v1.invoices.$id.send";

const database = useTestDatabase();
const db = () => database.get().db;
const config = testConfig();
const context = () => testContext(database.get(), config);
const today = todayIn("Europe/Stockholm", new Date());
/** A Monday in working hours, for the evaluation: the invoice below is then 7 days overdue (the first reminder). */
const EVALUATED_AT = new Date("2026-03-30T10:00:00+02:00");

async function supplierWith(changes: SupplierChanges = {}) {
  const owner = await createSupplierWithCustomer(db(), { supplier: changes });
  await db().insert(contacts).values({
    id: newPublicId("con"), supplierId: owner.supplier.id, customerId: owner.customerId, name: "Accounts payable", email: "ap@fjallbacka.test",
  });
  const key = await createApiKey(db(), owner.supplier.id);
  const headers = { authorization: `Bearer ${key.key}` };
  const invoice = async (overrides: InvoiceOverrides = {}) =>
    (await createInvoiceWithLink(db(), config, owner, { issueDate: "2026-03-01", dueDate: "2026-03-23", ...overrides })).invoice.id;
  const post = (route: typeof pauseRoute, suffix: string, id: string, init: { json?: unknown; headers?: Record<string, string> } = {}) =>
    callRoute(route.action as never, context(), {
      method: "POST", path: `/api/v1/invoices/${id}${suffix}`, params: { id }, headers: { ...headers, ...init.headers }, json: init.json,
    });
  return {
    supplierId: owner.supplier.id,
    invoice,
    pause: (id: string, json?: unknown) => post(pauseRoute, "/reminders/pause", id, { json }),
    resume: (id: string) => post(resumeRoute, "/reminders/resume", id),
    sendNow: (id: string, key?: string) => post(remindersRoute, "/reminders", id, key ? { headers: { "idempotency-key": key } } : {}),
    sendInvoice: async (id: string) => expect((await post(sendRoute, "/send", id)).status).toBe(202),
  };
}

const queuedFor = async (id: string) => (await evaluateReminders(db(), { now: EVALUATED_AT })).queued.filter((r) => r.invoiceId === id).map((r) => r.step);
const eventTypes = async (id: string) => (await db().select({ type: events.type }).from(events).where(eq(events.invoiceId, id))).map((e) => e.type);
const reminderEmails = (id: string) => db().select().from(emails).where(and(eq(emails.invoiceId, id), eq(emails.template, "payment-reminder")));

describe("pause and resume", () => {
  it("a paused invoice is skipped by the evaluation; resuming makes it due again", async () => {
    const s = await supplierWith();
    const id = await s.invoice();
    const paused = await s.pause(id, { reason: "Payment plan agreed by phone" });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({
      reminders_paused: true,
      reminder_pause: { until: null, by: "api_key", reason: "Payment plan agreed by phone" },
    });
    expect(await queuedFor(id)).toEqual([]);

    const resumed = await s.resume(id);
    expect(await resumed.json()).toMatchObject({ reminders_paused: false, reminder_pause: null });
    expect(await queuedFor(id)).toEqual(["first"]);
    expect(await eventTypes(id)).toEqual(expect.arrayContaining(["invoice.reminders_paused", "invoice.reminders_resumed"]));
    const hooks = await db().select({ type: webhookMessages.type }).from(webhookMessages).where(eq(webhookMessages.supplierId, s.supplierId));
    expect(hooks.map((h) => h.type)).toEqual(expect.arrayContaining(["invoice.reminders_paused", "invoice.reminders_resumed"]));
  });

  it("a pause until a date holds reminders back before that date; a date not ahead is a 422", async () => {
    const s = await supplierWith();
    const id = await s.invoice();
    const until = addDays(today, 10);
    const paused = (await (await s.pause(id, { until })).json()) as { reminder_pause: { until: string } };
    expect(todayIn("Europe/Stockholm", new Date(paused.reminder_pause.until))).toBe(until);
    // The date has not come yet: the evaluation (at a fixed instant before it) skips the invoice.
    expect(await queuedFor(id)).toEqual([]);
    const wrong = await s.pause(id, { until: today });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ errors: [{ field: "until" }] });
  });

  it("resuming ends the clerk's pause only: the payer's 'I have paid' still holds reminders back", async () => {
    const s = await supplierWith();
    const id = await s.invoice();
    const reportedUntil = new Date(Date.now() + 5 * 86_400_000);
    await db().update(invoices).set({ paymentReportedUntil: reportedUntil }).where(eq(invoices.id, id));
    await s.pause(id);
    const resumed = (await (await s.resume(id)).json()) as Record<string, unknown>;
    expect(resumed).toMatchObject({ reminders_paused: true, reminder_pause: null, payment_reported_until: reportedUntil.toISOString() });
    expect(await s.sendNow(id).then((r) => r.status)).toBe(409);
  });
});

describe("send the next reminder now", () => {
  it("sends one email with the policy's step and the agreed fee; the same Idempotency-Key sends it once", async () => {
    const s = await supplierWith({ reminderFeeAgreed: true, reminderFee: 9_000 });
    // 20 days overdue: the schedule's step today is the second (after 15 days).
    const id = await s.invoice({ issueDate: addDays(today, -50), dueDate: addDays(today, -20) });
    await s.sendInvoice(id);
    const first = await s.sendNow(id, "remind-1");
    expect(first.status).toBe(201);
    const body = (await first.json()) as { step: string; fee: number; status: string };
    // The fee is capped at the statutory 60 kr.
    expect(body).toMatchObject({ step: "second", status: "sent", fee: 6_000 });
    const again = await s.sendNow(id, "remind-1");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(body);
    const sent = await reminderEmails(id);
    expect(sent.map((e) => [e.toAddress, e.props.step, e.props.fee])).toEqual([["ap@fjallbacka.test", "second", 6_000]]);
    const [event] = await db().select().from(events).where(and(eq(events.invoiceId, id), eq(events.type, "reminder.sent")));
    expect(event).toMatchObject({ actor: "supplier" });
    // The schedule goes on from there: the second step is not queued again.
    expect(await db().select({ step: reminders.step }).from(reminders).where(eq(reminders.invoiceId, id))).toEqual([{ step: "second" }]);
  });

  it("refuses with a 409 saying why: paid, cancelled, disputed, never sent, paused, one already queued, no policy", async () => {
    const s = await supplierWith();
    const overdue = { issueDate: addDays(today, -40), dueDate: addDays(today, -10) };
    const sent = async (overrides: InvoiceOverrides = {}) => {
      const id = await s.invoice({ ...overdue, ...overrides });
      await s.sendInvoice(id);
      return id;
    };
    const paid = await sent();
    await db().update(invoices).set({ amountPaid: 1_229_700, paidAt: new Date() }).where(eq(invoices.id, paid));
    const cancelled = await sent();
    await db().update(invoices).set({ cancelledAt: new Date() }).where(eq(invoices.id, cancelled));
    const disputed = await sent({ disputed: true });
    const neverSent = await s.invoice(overdue);
    const paused = await sent();
    await s.pause(paused);
    const cases: [string, RegExp][] = [
      [paid, /paid/], [cancelled, /cancelled/], [disputed, /problem/], [neverSent, /never sent/], [paused, /paused/],
    ];
    for (const [id, why] of cases) {
      const response = await s.sendNow(id);
      expect(response.status, id).toBe(409);
      expect(((await response.json()) as { detail: string }).detail).toMatch(why);
    }
    // The schedule queued a step whose job has not run yet: sending another now would overtake it.
    const waiting = await s.invoice();
    await s.sendInvoice(waiting);
    expect(await queuedFor(waiting)).toEqual(["first"]);
    const overtaking = await s.sendNow(waiting);
    expect(overtaking.status).toBe(409);
    expect(((await overtaking.json()) as { detail: string }).detail).toMatch(/queued/);
    const off = await supplierWith({ reminderPolicy: {} });
    const offId = await off.invoice(overdue);
    await off.sendInvoice(offId);
    const refused = await off.sendNow(offId);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/no steps/);
    for (const id of [paid, cancelled, disputed, neverSent, paused, offId]) expect(await reminderEmails(id)).toEqual([]);
  });

  it("another supplier's invoice is unknown to all three actions, and nothing is written", async () => {
    const mine = await supplierWith();
    const theirs = await supplierWith();
    const id = await theirs.invoice({ dueDate: addDays(today, -20) });
    await theirs.sendInvoice(id);
    for (const response of [await mine.sendNow(id), await mine.pause(id, { reason: "x" }), await mine.resume(id)]) {
      expect(response.status).toBe(404);
    }
    const [row] = await db().select().from(invoices).where(eq(invoices.id, id));
    expect(row!.remindersPausedAt).toBeNull();
    expect(await reminderEmails(id)).toEqual([]);
  });
});
