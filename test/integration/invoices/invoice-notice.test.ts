// The invoice notice through the API: `send: true` on create and POST /api/v1/invoices/:id/send
// mail the billing contacts once each, and the reminders route lists what went out.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { contacts, emails, events, invoices, webhookMessages } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { action as createAction } from "~/routes/api.v1.invoices";
import { action as sendAction } from "~/routes/api.v1.invoices.$id.send";
import { loader as remindersLoader } from "~/routes/api.v1.invoices.$id.reminders";
import { newPublicId } from "~/domain/public-id";
import { drainJobs } from "~/platform/jobs/queue.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import { evaluateReminders, REMINDER_SEND_JOB } from "~/features/reminders/reminders.server";

const database = useTestDatabase();
const db = () => database.get().db;
const config = testConfig();
const context = () => testContext(database.get(), config);

let sequence = 0;
function invoiceBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    number: `N-${sequence}`,
    currency: "SEK",
    issue_date: "2026-03-01",
    due_date: "2026-03-31",
    customer: { external_id: `C-${sequence}`, name: "Kund AB", email: "ap@kund.example", language: "en" },
    lines: [{ description: "Konsulttimmar", quantity: 10, unit: "h", unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 }],
    total_net: 950000,
    total_vat: 237500,
    total: 1187500,
    ...overrides,
  };
}

const create = (headers: Record<string, string>, body: unknown) =>
  callRoute(createAction, context(), { method: "POST", path: "/api/v1/invoices", headers, json: body });
const send = (headers: Record<string, string>, id: string, body?: unknown) =>
  callRoute(sendAction, context(), { method: "POST", path: `/api/v1/invoices/${id}/send`, params: { id }, headers, ...(body === undefined ? {} : { json: body }) });
const noticesOf = (invoiceId: string) => db().select().from(emails).where(and(eq(emails.invoiceId, invoiceId), eq(emails.template, "invoice-notice")));

describe("sending the invoice notice", () => {
  it("`send: true` mails the notice to the billing contact in its language, with the invoice's facts and link", async () => {
    const { headers, supplier } = await newSupplier(db(), { columns: { bankgiro: "5050-1055" } });
    const response = await create(headers, invoiceBody({ send: true }));
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };

    const [notice] = await noticesOf(id);
    expect([notice?.toAddress, notice?.locale, notice?.status]).toEqual(["ap@kund.example", "en", "queued"]);
    await drainJobs(context().app, { names: [EMAIL_SEND_JOB] });
    const [sent] = await noticesOf(id);
    expect(sent?.status).toBe("sent");
    expect(sent?.text).toMatch(/11,875\.00|11 875\.00|SEK\s?11,875\.00/);
    const [invoice] = await db().select().from(invoices).where(eq(invoices.id, id));
    expect(sent?.text).toContain(invoice!.ocr);
    expect(sent?.linkId).toMatch(/^lnk_/);

    const timeline = await db().select().from(events).where(and(eq(events.invoiceId, id), eq(events.type, "invoice.sent")));
    expect(timeline.map((event) => event.data.to)).toEqual([["ap@kund.example"]]);
    const messages = await db().select().from(webhookMessages).where(and(eq(webhookMessages.supplierId, supplier.id), eq(webhookMessages.type, "invoice.sent")));
    expect(messages).toHaveLength(1);
  });

  it("sends once per contact: asking again mails only a contact added since", async () => {
    const { headers, supplier } = await newSupplier(db(), { columns: { bankgiro: "5050-1055" } });
    const { id } = (await (await create(headers, invoiceBody())).json()) as { id: string };
    expect(await noticesOf(id)).toEqual([]);

    const first = await send(headers, id, { message: "Thanks for your order!" });
    expect(first.status).toBe(202);
    expect(((await first.json()) as { emails: { to: string; status: string }[] }).emails).toEqual([
      expect.objectContaining({ to: "ap@kund.example", status: "queued" }),
    ]);
    const [invoice] = await db().select().from(invoices).where(eq(invoices.id, id));
    await db().insert(contacts).values({ id: newPublicId("con"), supplierId: supplier.id, customerId: invoice!.customerId, email: "cfo@kund.example" });

    const again = await send(headers, id);
    expect(((await again.json()) as { emails: { to: string; status: string }[] }).emails.map((e) => [e.to, e.status])).toEqual([
      ["ap@kund.example", "already_sent"],
      ["cfo@kund.example", "queued"],
    ]);
    expect((await noticesOf(id)).map((row) => row.toAddress).sort()).toEqual(["ap@kund.example", "cfo@kund.example"]);
    expect((await noticesOf(id)).find((row) => row.toAddress === "ap@kund.example")?.props.message).toBe("Thanks for your order!");
  });

  it("refuses clearly, and writes nothing, when there is no one to send to or nothing to send", async () => {
    const { headers, supplier } = await newSupplier(db(), { columns: { bankgiro: "5050-1055" } });
    const before = await db().select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.supplierId, supplier.id));
    const noEmail = invoiceBody({ send: true, customer: { external_id: "C-none", name: "Kund AB" } });
    const refused = await create(headers, noEmail);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["send"]);
    const after = await db().select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.supplierId, supplier.id));
    expect(after).toEqual(before);

    const { id } = (await (await create(headers, invoiceBody({ customer: { external_id: "C-none", name: "Kund AB" } }))).json()) as { id: string };
    const noRecipient = await send(headers, id);
    expect(noRecipient.status).toBe(409);
    expect(((await noRecipient.json()) as { detail: string }).detail).toMatch(/no billing contact with an email address/);

    await db().update(invoices).set({ cancelledAt: new Date() }).where(eq(invoices.id, id));
    expect((await send(headers, id)).status).toBe(409);
    expect((await send(headers, id, { message: "x".repeat(1001) })).status).toBe(422);
    expect((await send(headers, id, { mesage: "typo" })).status).toBe(422);
    expect(await noticesOf(id)).toEqual([]);
  });

  it("another supplier's invoice is not found, and nothing is sent", async () => {
    const owner = await newSupplier(db(), { columns: { bankgiro: "5050-1055" } });
    const other = await newSupplier(db(), { name: "Annan AB", columns: { bankgiro: "5050-1055" } });
    const { id } = (await (await create(owner.headers, invoiceBody())).json()) as { id: string };
    expect((await send(other.headers, id)).status).toBe(404);
    expect((await send(other.headers, "inv_unknown")).status).toBe(404);
    const reminders = await callRoute(remindersLoader, context(), { path: `/api/v1/invoices/${id}/reminders`, params: { id }, headers: other.headers });
    expect(reminders.status).toBe(404);
    expect(await noticesOf(id)).toEqual([]);
  });
});

describe("GET /api/v1/invoices/:id/reminders", () => {
  it("lists each reminder with its status, fee and interest", async () => {
    const { headers } = await newSupplier(db(), { columns: { bankgiro: "5050-1055" } });
    const { id } = (await (await create(headers, invoiceBody({ due_date: "2026-03-23" }))).json()) as { id: string };
    const now = new Date("2026-03-30T09:00:00+02:00");
    await evaluateReminders(db(), { now });
    await drainJobs({ ...context().app, now: () => now }, { names: [REMINDER_SEND_JOB] });

    const response = await callRoute(remindersLoader, context(), { path: `/api/v1/invoices/${id}/reminders`, params: { id }, headers });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Record<string, unknown>[] };
    expect(body.data).toEqual([
      expect.objectContaining({ step: "first", status: "sent", skip_reason: null, fee: 0, sent_at: now.toISOString() }),
    ]);
  });
});
