// The invoice page's timeline shows the invoice's webhook deliveries: event type, endpoint, state,
// attempts and last status code, only the supplier's own, the most recent few; the endpoint links
// to its delivery log for those who may open it. The lookup goes through its index.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { webhookDeliveries } from "../../../db/schema";
import * as pageRoute from "~/routes/app.invoices.$id";
import { insertEndpoint } from "~/features/webhooks/db/webhooks.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { WEBHOOK_ROWS, type TimelineEntry } from "~/features/console/invoice-page.server";
import { invoiceWebhooksQuery } from "~/features/console/db/invoice-page.server";
import { useTestDatabase } from "../../support/database";
import { testContext, testConfig } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer } from "../../support/fixtures";
import { getPage, newConsoleUser, signedInCookie } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

type PageData = { webhookLog: boolean; page: { timeline: TimelineEntry[]; moreWebhooks: boolean } };

async function open(cookie: string, id: string): Promise<PageData> {
  const response = await getPage(pageRoute, context(), `/app/invoices/${id}`, { cookie, params: { id } });
  expect(response.status).toBe(200);
  return (await response.json()) as PageData;
}

const webhooksOf = (data: PageData) => data.page.timeline.filter((entry) => entry.kind === "webhook");

describe("webhooks in the invoice's timeline", () => {
  it("shows each delivery's type, endpoint, state, attempts and status code, the supplier's own only", async () => {
    const mine = await createSupplierWithCustomer(db());
    const { invoice } = await createInvoiceWithLink(db(), testConfig(), mine);
    const endpoint = await insertEndpoint(db(), { supplierId: mine.supplier.id, url: "https://erp.example.test/hooks", secret: "whsec_x", eventTypes: null });
    const about = { id: invoice.id, number: invoice.number };
    await publishWebhookEvent(db(), { supplierId: mine.supplier.id, type: "invoice.sent", payload: { invoice: about } });
    await publishWebhookEvent(db(), { supplierId: mine.supplier.id, type: "contact.email_failing", payload: { invoice_id: invoice.id } });
    await publishWebhookEvent(db(), { supplierId: mine.supplier.id, type: "customer.updated", payload: { customer: { id: "cus_x" } } });
    const [sent, failing] = await db().select().from(webhookDeliveries).orderBy(webhookDeliveries.createdAt, webhookDeliveries.id);
    await db().update(webhookDeliveries).set({ status: "succeeded", attempts: 1, lastStatusCode: 204 }).where(eq(webhookDeliveries.id, sent!.id));
    await db().update(webhookDeliveries).set({ attempts: 2, lastStatusCode: 503 }).where(eq(webhookDeliveries.id, failing!.id));
    // Another supplier's message naming this invoice's id is not this invoice's.
    const theirs = await createSupplierWithCustomer(db());
    await insertEndpoint(db(), { supplierId: theirs.supplier.id, url: "https://theirs.example.test/hooks", secret: "whsec_y", eventTypes: null });
    await publishWebhookEvent(db(), { supplierId: theirs.supplier.id, type: "invoice.paid", payload: { invoice: about } });

    const admin = await newConsoleUser(db(), mine.supplier.id, "admin");
    const data = await open(await signedInCookie(db(), admin.user.id, mine.supplier.id), invoice.id);
    expect(data.webhookLog).toBe(true);
    expect(webhooksOf(data).map(({ what, who, webhook }) => ({ what, who, ...webhook })).sort((a, b) => a.what.localeCompare(b.what))).toEqual([
      { what: "contact.email_failing", who: endpoint.url, endpointId: endpoint.id, state: "retrying", attempts: 2, lastStatusCode: 503 },
      { what: "invoice.sent", who: endpoint.url, endpointId: endpoint.id, state: "delivered", attempts: 1, lastStatusCode: 204 },
    ]);
    expect(data.page.moreWebhooks).toBe(false);

    // A member reads the deliveries but is not sent to a settings page it may not open.
    const member = await newConsoleUser(db(), mine.supplier.id, "member");
    const html = await getPage(pageRoute, context(), `/app/invoices/${invoice.id}`, { cookie: await signedInCookie(db(), member.user.id, mine.supplier.id), params: { id: invoice.id } });
    expect(((await html.json()) as PageData).webhookLog).toBe(false);
  });

  it("shows the most recent deliveries only, saying there are more; the lookup uses its index", async () => {
    const mine = await createSupplierWithCustomer(db());
    const { invoice } = await createInvoiceWithLink(db(), testConfig(), mine);
    await insertEndpoint(db(), { supplierId: mine.supplier.id, url: "https://erp.example.test/hooks", secret: "whsec_x", eventTypes: null });
    for (let i = 0; i <= WEBHOOK_ROWS; i += 1) {
      await publishWebhookEvent(db(), { supplierId: mine.supplier.id, type: `invoice.viewed`, payload: { invoice: { id: invoice.id }, n: i } });
    }
    const owner = await newConsoleUser(db(), mine.supplier.id, "owner");
    const data = await open(await signedInCookie(db(), owner.user.id, mine.supplier.id), invoice.id);
    expect(webhooksOf(data)).toHaveLength(WEBHOOK_ROWS);
    expect(data.page.moreWebhooks).toBe(true);

    // The page's own query, with sequential scans priced out (a test's tables are tiny).
    const query = invoiceWebhooksQuery(db(), mine.supplier.id, invoice.id, WEBHOOK_ROWS + 1).toSQL();
    const plan = await database.get().sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx.unsafe<{ "QUERY PLAN": string }[]>(`explain ${query.sql}`, query.params as never[]);
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("webhook_messages_invoice_idx");
  });
});
