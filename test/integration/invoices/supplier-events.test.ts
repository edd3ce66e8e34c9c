// Webhooks a supplier's ERP acts on beyond the payer's actions: invoice.viewed when a person first
// opens the invoice, invoice.overdue once when its due date has passed with money still due.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { invoices, webhookMessages } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { createPortalFixture } from "../../support/fixtures";
import { openPage } from "../portal/payer-helpers";
import { loader as portalLoader } from "~/routes/i.$token";
import { announceOverdueInvoices } from "~/features/invoices/overdue.server";

const database = useTestDatabase();
const db = () => database.get().db;
const config = testConfig();
const context = () => testContext(database.get(), config);

const messages = (supplierId: string, type: string) =>
  db().select().from(webhookMessages).where(and(eq(webhookMessages.supplierId, supplierId), eq(webhookMessages.type, type)));

describe("invoice.viewed", () => {
  it("goes out on a person's first view only: not for a mail scanner's fetch, not for later views", async () => {
    const fixture = await createPortalFixture(db(), config);
    const scanner = await callRoute(portalLoader, context(), {
      path: `/i/${fixture.token}`,
      params: { token: fixture.token },
      headers: { "user-agent": "Mozilla/5.0 (compatible; Barracuda Sentinel)", accept: "*/*" },
    });
    expect(scanner.status).toBe(200);
    expect(await messages(fixture.supplier.id, "invoice.viewed")).toEqual([]);

    await openPage(context(), fixture.token);
    await openPage(context(), fixture.token);
    const sent = await messages(fixture.supplier.id, "invoice.viewed");
    expect(sent.map((message) => message.payload)).toEqual([
      expect.objectContaining({ invoice: { id: fixture.invoice.id, number: fixture.invoice.number, customer_id: fixture.customerId }, link_id: fixture.linkId }),
    ]);
  });
});

describe("invoice.overdue", () => {
  it("goes out once per invoice, the day after its due date in the supplier's time zone, only while money is due", async () => {
    const overdue = await createPortalFixture(db(), config, { invoice: { dueDate: "2026-03-23" } });
    const paid = await createPortalFixture(db(), config, { invoice: { dueDate: "2026-03-23", amountPaid: 1_229_700, paidAt: new Date("2026-03-20T10:00:00Z") } });
    const cancelled = await createPortalFixture(db(), config, { invoice: { dueDate: "2026-03-23", cancelledAt: new Date("2026-03-20T10:00:00Z") } });

    // 23:30 UTC on the due date is already 24 March in Stockholm (UTC+1).
    await announceOverdueInvoices(db(), new Date("2026-03-23T22:30:00Z"));
    expect(await messages(overdue.supplier.id, "invoice.overdue")).toEqual([]);
    await announceOverdueInvoices(db(), new Date("2026-03-23T23:30:00Z"));
    await announceOverdueInvoices(db(), new Date("2026-03-24T09:00:00Z"));

    const sent = await messages(overdue.supplier.id, "invoice.overdue");
    expect(sent.map((message) => message.payload)).toEqual([
      { invoice: { id: overdue.invoice.id, number: overdue.invoice.number, customer_id: overdue.customerId }, due_date: "2026-03-23", amount_due: 1_229_700, currency: "SEK" },
    ]);
    expect(await messages(paid.supplier.id, "invoice.overdue")).toEqual([]);
    expect(await messages(cancelled.supplier.id, "invoice.overdue")).toEqual([]);
    const [row] = await db().select().from(invoices).where(eq(invoices.id, overdue.invoice.id));
    expect(row?.overdueAnnouncedAt?.toISOString()).toBe("2026-03-23T23:30:00.000Z");
  });

  it("two workers at once announce each invoice once", async () => {
    const fixtures = [];
    for (let n = 0; n < 5; n += 1) fixtures.push(await createPortalFixture(db(), config, { invoice: { dueDate: "2026-02-02" } }));
    const now = new Date("2026-02-10T09:00:00Z");
    await Promise.all([announceOverdueInvoices(db(), now), announceOverdueInvoices(db(), now)]);
    for (const fixture of fixtures) expect(await messages(fixture.supplier.id, "invoice.overdue")).toHaveLength(1);
  });
});
