// The supplier's side of the payer's actions: the invoice's events, the disputes list, answering
// a dispute (the payer is told), deliveries in and out, the invoice's facts; another supplier's
// key finds nothing (security D4).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import pino from "pino";
import { disputes, emails, invoices } from "../../../db/schema";
import { drainJobs } from "~/platform/jobs/queue.server";
import { loader as eventsLoader } from "~/routes/api.v1.invoices.$id.events";
import { loader as disputesLoader } from "~/routes/api.v1.disputes";
import { action as resolveAction } from "~/routes/api.v1.invoices.$id.disputes.$disputeId.resolve";
import { action as addDeliveriesAction, loader as deliveriesLoader } from "~/routes/api.v1.invoices.$id.deliveries";
import { loader as invoiceLoader } from "~/routes/api.v1.invoices.$id";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { createInvoice } from "~/features/invoices/invoices.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { tokenFromUrl } from "../../support/fixtures";
import {
  BILLING_EMAIL, emailsOf, eventsOf, openPage, payerFixture, post, snapshot, webhookMessagesOf, withDeliveries, type PayerFixture,
} from "./payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

const get = (loader: Parameters<typeof callRoute>[0], path: string, headers: Record<string, string>, params: Record<string, string> = {}) =>
  callRoute(loader, context(), { path, params, headers });

function resolve(fixture: PayerFixture, disputeId: string, body: unknown, headers = fixture.api, invoiceId = fixture.invoice.id) {
  return callRoute(resolveAction, context(), {
    method: "POST",
    path: `/api/v1/invoices/${invoiceId}/disputes/${disputeId}/resolve`,
    params: { id: invoiceId, disputeId },
    headers,
    json: body,
  });
}

async function report(fixture: PayerFixture, fields: Record<string, string | string[]>) {
  expect((await post(context(), fixture.token, { intent: "report-problem", ...fields })).status).toBe(303);
  const rows = await db().select().from(disputes).where(eq(disputes.invoiceId, fixture.invoice.id)).orderBy(disputes.createdAt);
  return rows.at(-1)!;
}

async function disputedFact(invoiceId: string) {
  const [row] = await db().select({ disputed: invoices.disputed }).from(invoices).where(eq(invoices.id, invoiceId));
  return row!.disputed;
}

describe("GET /api/v1/invoices/:id/events", () => {
  it("lists the invoice's audit log, oldest first, with who, from where and what; another supplier gets 404", async () => {
    const fixture = await payerFixture(db(), config);
    await openPage(context(), fixture.token);
    expect((await post(context(), fixture.token, { intent: "confirm", name: "Anna" })).status).toBe(303);

    const response = await get(eventsLoader, `/api/v1/invoices/${fixture.invoice.id}/events`, fixture.api, { id: fixture.invoice.id });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(data.map((event: { type: string }) => event.type)).toEqual(["link.issued", "invoice.viewed", "invoice.confirmed"]);
    expect(data[2]).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      actor: "payer",
      actor_id: fixture.linkId,
      ip: "203.0.113.7",
      user_agent: "vitest",
      data: { confirmed_by: "Anna", content_hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      created_at: expect.stringMatching(/Z$/),
    });

    const stranger = await payerFixture(db(), config);
    const foreign = await get(eventsLoader, `/api/v1/invoices/${fixture.invoice.id}/events`, stranger.api, { id: fixture.invoice.id });
    expect(foreign.status).toBe(404);
    expect((await get(eventsLoader, "/api/v1/invoices/inv_x/events", fixture.api, { id: "inv_x" })).status).toBe(404);
    expect((await get(eventsLoader, `/api/v1/invoices/${fixture.invoice.id}/events`, {}, { id: fixture.invoice.id })).status).toBe(401);
  });
});

describe("GET /api/v1/disputes", () => {
  it("lists the supplier's disputes newest first, filtered by status and invoice, paged by cursor", async () => {
    const fixture = await payerFixture(db(), config);
    const second = await fixture.another();
    const first = await report(fixture, { reason: "wrong_amount", lines: ["1"] });
    const other = await report(fixture, { reason: "wrong_reference" });
    expect((await post(context(), second.token, { intent: "report-problem", reason: "not_ordered" })).status).toBe(303);
    expect((await resolve(fixture, other.id, { status: "rejected", message: "The reference is right." })).status).toBe(200);

    const list = async (query: string, headers = fixture.api) => {
      const response = await get(disputesLoader, `/api/v1/disputes${query}`, headers);
      expect(response.status).toBe(200);
      return (await response.json()) as { data: { id: string; status: string; reason: string; invoice_id: string }[]; next_cursor: string | null };
    };
    const open = await list("?status=open");
    expect(open.data.map((dispute) => dispute.reason)).toEqual(["not_ordered", "wrong_amount"]);
    expect(open.data[1]).toMatchObject({ id: first.id, invoice_id: fixture.invoice.id, kind: "invoice", lines: [1], status: "open", resolution: null });
    expect((await list("?status=rejected")).data.map((dispute) => dispute.id)).toEqual([other.id]);
    expect((await list(`?invoice=${second.invoice.id}`)).data.map((dispute) => dispute.reason)).toEqual(["not_ordered"]);

    const page1 = await list("?limit=2");
    expect(page1.data).toHaveLength(2);
    const page2 = await list(`?limit=2&cursor=${page1.next_cursor}`);
    expect(page2.next_cursor).toBeNull();
    expect([...page1.data, ...page2.data].map((dispute) => dispute.reason)).toEqual(["not_ordered", "wrong_reference", "wrong_amount"]);

    const stranger = await payerFixture(db(), config);
    expect((await list("", stranger.api)).data).toEqual([]);
    const bad = await get(disputesLoader, "/api/v1/disputes?status=closed&limit=0", fixture.api);
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((error: { field: string }) => error.field).sort()).toEqual(["limit", "status"]);
  });
});

describe("POST /api/v1/invoices/:id/disputes/:dispute_id/resolve", () => {
  it("accepted with a credit note: the dispute closes, the invoice is no longer disputed, the payer is told, a webhook goes out", async () => {
    const fixture = await payerFixture(db(), config);
    const dispute = await report(fixture, { reason: "wrong_amount", email: "anna@kund.example" });
    expect(await disputedFact(fixture.invoice.id)).toBe(true);

    const response = await resolve(fixture, dispute.id, { status: "accepted", credit_note_reference: "KF-2026-7", message: "Sorry, we credit the difference." });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      id: dispute.id,
      status: "accepted",
      resolution: { credit_note_reference: "KF-2026-7", message: "Sorry, we credit the difference.", corrected_invoice_id: null },
      resolved_at: expect.stringMatching(/Z$/),
    });
    expect(await disputedFact(fixture.invoice.id)).toBe(false);
    expect(await eventsOf(db(), fixture.invoice.id, "dispute.resolved")).toMatchObject([
      { actor: "supplier", data: { dispute_id: dispute.id, status: "accepted", credit_note_reference: "KF-2026-7" } },
    ]);
    const answers = (await emailsOf(db(), fixture.invoice.id)).filter((mail) => mail.template === "dispute-answered");
    expect(answers.map((mail) => [mail.toAddress, mail.locale])).toEqual([["anna@kund.example", "en"]]);
    expect(answers[0]!.props).toMatchObject({ outcome: "accepted", creditNoteReference: "KF-2026-7", invoiceNumber: fixture.invoice.number });
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "dispute.resolved")).toMatchObject([
      { payload: { invoice: { id: fixture.invoice.id, disputed: false }, dispute: { id: dispute.id, status: "accepted" } } },
    ]);

    // The payer sees the answer on the page, and the emails render and go out through the queue.
    const page = await openPage(context(), fixture.token);
    expect(page.panel.disputes).toMatchObject([{ status: "accepted", answer: { creditNoteReference: "KF-2026-7", message: "Sorry, we credit the difference." } }]);
    expect(page.panel.timeline.map((item) => [item.kind, item.status ?? null])).toContainEqual(["answered", "accepted"]);
    await drainJobs({ ...context().app, log: pino({ level: "silent" }) }, { names: ["email.send"] });
    const sent = await db().select().from(emails).where(eq(emails.invoiceId, fixture.invoice.id));
    expect(sent.map((mail) => mail.status)).toEqual(sent.map(() => "sent"));
    expect(sent.find((mail) => mail.template === "dispute-answered")!.text).toContain("KF-2026-7");
  });

  it("rejected with a message; the invoice stays disputed while another dispute is open; without a reporter address the billing contact is told", async () => {
    const fixture = await payerFixture(db(), config);
    const first = await report(fixture, { reason: "wrong_amount" });
    const second = await report(fixture, { reason: "wrong_quantity" });
    const response = await resolve(fixture, first.id, { status: "rejected", message: "The price is per the framework agreement." });
    expect(response.status).toBe(200);
    expect(await disputedFact(fixture.invoice.id)).toBe(true);
    const answers = (await emailsOf(db(), fixture.invoice.id)).filter((mail) => mail.template === "dispute-answered");
    expect(answers.map((mail) => [mail.toAddress, mail.locale])).toEqual([[BILLING_EMAIL, "en"]]);

    expect((await resolve(fixture, second.id, { status: "rejected", message: "Quantity as delivered." })).status).toBe(200);
    expect(await disputedFact(fixture.invoice.id)).toBe(false);
    const again = await resolve(fixture, second.id, { status: "accepted", credit_note_reference: "KF-1" });
    expect(again.status).toBe(409);
  });

  it("accepted with a corrected invoice: a new working link for it goes to the payer", async () => {
    const fixture = await payerFixture(db(), config);
    const corrected = await fixture.another({ number: `C-${Date.now()}` });
    const dispute = await report(fixture, { reason: "wrong_amount", email: "anna@kund.example" });
    const response = await resolve(fixture, dispute.id, { status: "accepted", corrected_invoice_id: corrected.invoice.id, message: "See the corrected invoice." });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.corrected_invoice).toMatchObject({ id: corrected.invoice.id, number: corrected.invoice.number, portal_url: expect.stringMatching(`^${TEST_BASE_URL}/i/`) });
    const link = await resolveInvoiceToken(db(), config, tokenFromUrl(body.corrected_invoice.portal_url));
    expect(link).toMatchObject({ ok: true, link: { invoiceId: corrected.invoice.id } });
    // The earlier link of the corrected invoice keeps working: nothing was revoked.
    expect(await resolveInvoiceToken(db(), config, corrected.token)).toMatchObject({ ok: true });
    // The payer's answer is about the corrected invoice: its link and payment details are what to use now.
    const [answer] = (await emailsOf(db(), corrected.invoice.id)).filter((mail) => mail.template === "dispute-answered");
    expect(answer!.props).toMatchObject({ invoiceNumber: fixture.invoice.number, correctedInvoiceNumber: corrected.invoice.number });
    expect(JSON.stringify(answer!.props)).not.toContain("/i/");
    const [row] = await db().select().from(disputes).where(eq(disputes.id, dispute.id));
    // The dispute keeps the corrected invoice's id, never its link (only link hashes are stored).
    expect(JSON.stringify(row!.resolution)).not.toContain("/i/");
  });

  it.each<[string, unknown, string]>([
    ["accepted without a credit note or corrected invoice", { status: "accepted" }, "credit_note_reference"],
    ["rejected without a message", { status: "rejected" }, "message"],
    ["rejected with a credit note", { status: "rejected", message: "No", credit_note_reference: "KF-1" }, "credit_note_reference"],
    ["an unknown status", { status: "maybe" }, "status"],
    ["an unknown field", { status: "accepted", credit_note_reference: "KF-1", refund: true }, "refund"],
    ["a corrected invoice id that is not an id", { status: "accepted", corrected_invoice_id: "1042" }, "corrected_invoice_id"],
  ])("%s → 422 naming %s, nothing changed", async (_case, body, field) => {
    const fixture = await payerFixture(db(), config);
    const dispute = await report(fixture, { reason: "other", message: "?" });
    const before = await snapshot(db());
    const response = await resolve(fixture, dispute.id, body);
    expect(response.status).toBe(422);
    expect((await response.json()).errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await snapshot(db())).toEqual(before);
  });

  it("another supplier's dispute or invoice is a 404, a corrected invoice of another supplier a 422; nothing changes", async () => {
    const fixture = await payerFixture(db(), config);
    const stranger = await payerFixture(db(), config);
    const dispute = await report(fixture, { reason: "not_ordered" });
    const before = await snapshot(db());
    expect((await resolve(fixture, dispute.id, { status: "rejected", message: "x" }, stranger.api)).status).toBe(404);
    expect((await resolve(fixture, dispute.id, { status: "rejected", message: "x" }, fixture.api, stranger.invoice.id)).status).toBe(404);
    const foreignCorrection = await resolve(fixture, dispute.id, { status: "accepted", corrected_invoice_id: stranger.invoice.id });
    expect(foreignCorrection.status).toBe(422);
    expect((await foreignCorrection.json()).errors).toMatchObject([{ field: "corrected_invoice_id" }]);
    expect(await snapshot(db())).toEqual(before);
  });
});

describe("deliveries API and the invoice's facts", () => {
  const add = (fixture: PayerFixture, body: unknown, headers = fixture.api) =>
    callRoute(addDeliveriesAction, context(), {
      method: "POST",
      path: `/api/v1/invoices/${fixture.invoice.id}/deliveries`,
      params: { id: fixture.invoice.id },
      headers,
      json: body,
    });

  it("adds deliveries (whole invoice or lines), lists them with the payer's decision; the invoice shows the facts", async () => {
    const fixture = await payerFixture(db(), config);
    const created = await add(fixture, {
      deliveries: [
        { description: "Consulting on site", delivered_on: "2026-03-10", location: "Fjällbacka" },
        { description: "Books", lines: [2] },
      ],
    });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(data).toMatchObject([
      { description: "Consulting on site", delivered_on: "2026-03-10", location: "Fjällbacka", lines: null, status: "pending" },
      { description: "Books", lines: [2], status: "pending", decided_at: null },
    ]);
    expect(await eventsOf(db(), fixture.invoice.id, "delivery.added")).toHaveLength(2);

    expect((await post(context(), fixture.token, { intent: "approve-delivery", delivery_id: data[0].id })).status).toBe(303);
    expect((await post(context(), fixture.token, { intent: "confirm", name: "Anna", reference: "PO-1" })).status).toBe(303);
    const listed = await get(deliveriesLoader, `/api/v1/invoices/${fixture.invoice.id}/deliveries`, fixture.api, { id: fixture.invoice.id });
    expect((await listed.json()).data.map((delivery: { status: string }) => delivery.status)).toEqual(["approved", "pending"]);

    const invoice = await (await get(invoiceLoader, `/api/v1/invoices/${fixture.invoice.id}`, fixture.api, { id: fixture.invoice.id })).json();
    expect(invoice).toMatchObject({
      confirmed_at: expect.stringMatching(/Z$/),
      confirmed_by: "Anna",
      confirmed_reference: "PO-1",
      disputed: false,
      delivery_status: "pending",
    });
    expect((await post(context(), fixture.token, { intent: "approve-delivery", delivery_id: data[1].id })).status).toBe(303);
    const approved = await (await get(invoiceLoader, `/api/v1/invoices/${fixture.invoice.id}`, fixture.api, { id: fixture.invoice.id })).json();
    expect(approved.delivery_status).toBe("approved");
  });

  it("refuses lines the invoice does not have (422 with the path), a cancelled invoice (409) and another supplier's invoice (404)", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await snapshot(db());
    const wrong = await add(fixture, { deliveries: [{ description: "A" }, { description: "B", lines: [2, 7] }] });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).errors).toEqual([{ field: "deliveries[1].lines[1]", message: "the invoice has no line 7" }]);
    const empty = await add(fixture, { deliveries: [] });
    expect(empty.status).toBe(422);
    const stranger = await payerFixture(db(), config);
    const snapshotAfterStranger = await snapshot(db());
    expect((await add(fixture, { deliveries: [{ description: "A" }] }, stranger.api)).status).toBe(404);
    expect((await get(deliveriesLoader, `/api/v1/invoices/${fixture.invoice.id}/deliveries`, stranger.api, { id: fixture.invoice.id })).status).toBe(404);
    expect(await snapshot(db())).toEqual(snapshotAfterStranger);
    expect(before.deliveries).toBe(snapshotAfterStranger.deliveries);

    const cancelled = await payerFixture(db(), config, { invoice: { cancelledAt: new Date() } });
    expect((await add(cancelled, { deliveries: [{ description: "A" }] })).status).toBe(409);
  });

  it("an invoice made through the API numbers its lines from 0: deliveries and reports use those, people see 1, 2", async () => {
    const fixture = await payerFixture(db(), config);
    const created = await createInvoice(db(), config, {
      supplierId: fixture.supplier.id,
      apiKeyId: null,
      input: {
        number: "API-1", currency: "SEK", issue_date: "2026-03-01", due_date: "2026-03-31",
        customer: { id: fixture.customerId },
        lines: [
          { description: "Service", quantity: 1, unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 },
          { description: "Parts", quantity: 2, unit_price: 5000, vat_rate: 25, net: 10000, vat: 2500 },
        ],
        total_net: 20000, total_vat: 5000, total: 25000,
      },
    });
    if (!created.ok) throw new Error(JSON.stringify(created.problem));
    const token = tokenFromUrl(created.invoice.portal_url!);
    const invoice = { ...fixture, invoice: { ...fixture.invoice, id: created.invoice.id }, token };
    const response = await add(invoice, { deliveries: [{ description: "Parts", lines: [1] }] });
    expect(response.status).toBe(201);
    const [delivery] = (await response.json()).data;
    expect(delivery.lines).toEqual([1]);
    expect((await add(invoice, { deliveries: [{ description: "x", lines: [2] }] })).status).toBe(422);

    expect((await post(context(), token, { intent: "report-delivery-problem", delivery_id: delivery.id, reason: "damaged", lines: ["1"] })).status).toBe(303);
    const [mail] = await emailsOf(db(), created.invoice.id);
    expect(mail!.props).toMatchObject({ lines: [{ position: 2, description: "Parts" }] });
    const page = await openPage(context(), token);
    expect(page.panel.disputes).toMatchObject([{ lineNumbers: [2] }]);
    expect(page.panel.deliveries).toMatchObject([{ linePositions: [1] }]);
  });

  it("the seeded flow in one: a delivery added through the API can be disputed and answered", async () => {
    const fixture = await payerFixture(db(), config);
    const [delivery] = await withDeliveries(db(), fixture, [{ description: "Pallet" }]);
    expect((await post(context(), fixture.token, { intent: "report-delivery-problem", delivery_id: delivery!.id, reason: "not_received" })).status).toBe(303);
    const [dispute] = await db().select().from(disputes).where(eq(disputes.deliveryId, delivery!.id));
    expect((await resolve(fixture, dispute!.id, { status: "rejected", message: "Signed for on 10 March." })).status).toBe(200);
    expect(await disputedFact(fixture.invoice.id)).toBe(false);
    // The problem is answered: the payer may now approve the delivery after all.
    const page = await openPage(context(), fixture.token);
    expect(page.panel.deliveries).toMatchObject([{ status: "problem", canApprove: true }]);
    expect((await post(context(), fixture.token, { intent: "approve-delivery", delivery_id: delivery!.id })).status).toBe(303);
  });
});
