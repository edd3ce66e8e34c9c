// POST /api/v1/invoices/:id/payments (payments the supplier records by hand), GET /api/v1/payments,
// GET /api/v1/payments/:id, GET /api/v1/invoices/:id/payments, and the balance the invoice shows.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { invoices } from "../../../db/schema";
import { action as recordAction, loader as invoicePaymentsLoader } from "~/routes/api.v1.invoices.$id.payments";
import { loader as listLoader, action as listAction } from "~/routes/api.v1.payments";
import { loader as getLoader } from "~/routes/api.v1.payments.$id";
import { loader as invoiceLoader } from "~/routes/api.v1.invoices.$id";
import { loader as invoicesLoader } from "~/routes/api.v1.invoices";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { BILLING_EMAIL, emailsOf, eventsOf, payerFixture, webhookMessagesOf, type PayerFixture } from "../portal/payer-helpers";
import { ledgerSnapshot, paymentsOf } from "./payments-test-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

const TOTAL = 1_229_700;

const transfer = (overrides: Record<string, unknown> = {}) => ({
  amount: 500_000,
  currency: "SEK",
  method: "bank_transfer",
  received_at: "2026-03-14T09:30:00+01:00",
  reference: `BG-${Math.random().toString(36).slice(2)}`,
  note: "Seen on the Bankgiro statement",
  ...overrides,
});

function record(fixture: PayerFixture, body: unknown, options: { invoiceId?: string; headers?: Record<string, string> } = {}) {
  const id = options.invoiceId ?? fixture.invoice.id;
  return callRoute(recordAction, context(), {
    method: "POST",
    path: `/api/v1/invoices/${id}/payments`,
    params: { id },
    headers: { ...fixture.api, ...options.headers },
    json: body,
  });
}

const get = (fn: Parameters<typeof callRoute>[0], path: string, headers: Record<string, string>, params: Record<string, string> = {}) =>
  callRoute(fn, context(), { path, headers, params });

const getInvoiceJson = async (fixture: PayerFixture) =>
  (await get(invoiceLoader, `/api/v1/invoices/${fixture.invoice.id}`, fixture.api, { id: fixture.invoice.id })).json();

type Problem = { status: number; detail?: string; errors?: { field: string; message: string }[] };

describe("POST /api/v1/invoices/:id/payments", () => {
  it("records a bank transfer: 201 with the payment, the balance, the audit trail, the webhook and the receipt", async () => {
    const fixture = await payerFixture(db(), config);
    const body = transfer({ reference: "BG-2026-0314-001" });
    const response = await record(fixture, body);
    expect(response.status).toBe(201);
    const payment = await response.json();
    expect(payment).toMatchObject({
      invoice_id: fixture.invoice.id,
      provider: "manual",
      provider_reference: "BG-2026-0314-001",
      method: "bank_transfer",
      currency: "SEK",
      amount: 500_000,
      amount_refunded: 0,
      amount_settled: 500_000,
      status: "succeeded",
      received_at: "2026-03-14T08:30:00.000Z",
      note: "Seen on the Bankgiro statement",
    });
    expect(payment.id).toMatch(/^pay_[0-9A-Za-z]{22}$/);
    expect(response.headers.get("location")).toBe(`${TEST_BASE_URL}/api/v1/payments/${payment.id}`);

    expect(await getInvoiceJson(fixture)).toMatchObject({ amount_paid: 500_000, amount_due: TOTAL - 500_000 });
    const [recorded] = await eventsOf(db(), fixture.invoice.id, "payment.recorded");
    expect(recorded).toMatchObject({ actor: "supplier", ip: "203.0.113.7", data: { payment_id: payment.id, amount: 500_000, reference: "BG-2026-0314-001" } });
    expect(recorded!.actorId).toMatch(/^key_/);
    expect(await eventsOf(db(), fixture.invoice.id, "payment.succeeded")).toHaveLength(1);
    const [message] = await webhookMessagesOf(db(), fixture.supplier.id, "payment.succeeded");
    expect(message!.payload).toMatchObject({ payment: { id: payment.id, method: "bank_transfer" }, invoice: { amount_due: TOTAL - 500_000 } });
    const receipts = (await emailsOf(db(), fixture.invoice.id)).filter((email) => email.template === "payment-receipt");
    expect(receipts.map((email) => [email.toAddress, email.props.method, email.props.paymentReference])).toEqual([
      [BILLING_EMAIL, "bank_transfer", "BG-2026-0314-001"],
    ]);
  });

  it("settles the invoice with the rest (paid in GET and in the list), and defaults received_at to now", async () => {
    const fixture = await payerFixture(db(), config);
    expect((await record(fixture, transfer())).status).toBe(201);
    const before = Date.now();
    const rest = await record(fixture, { amount: TOTAL - 500_000, currency: "SEK", method: "cash" });
    expect(rest.status).toBe(201);
    const payment = await rest.json();
    expect(Date.parse(payment.received_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(payment.provider_reference).toBeNull();

    expect(await getInvoiceJson(fixture)).toMatchObject({ status: "paid", amount_paid: TOTAL, amount_due: 0 });
    const list = await (await get(invoicesLoader, "/api/v1/invoices?status=paid", fixture.api)).json();
    expect(list.data.map((invoice: { id: string; amount_paid: number }) => [invoice.id, invoice.amount_paid])).toEqual([[fixture.invoice.id, TOTAL]]);
    expect(await eventsOf(db(), fixture.invoice.id, "invoice.paid")).toHaveLength(1);
  });

  it("is idempotent with Idempotency-Key: a retry replays the first answer; another body under the key is refused", async () => {
    const fixture = await payerFixture(db(), config);
    const body = transfer();
    const headers = { "idempotency-key": "erp-payment-77" };
    const first = await record(fixture, body, { headers });
    expect(first.status).toBe(201);
    const created = await first.json();
    const replayed = await record(fixture, body, { headers });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(await replayed.json()).toEqual(created);
    // Concurrent retries too.
    const retries = await Promise.all(Array.from({ length: 5 }, () => record(fixture, body, { headers })));
    expect(retries.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);

    const reused = await record(fixture, { ...body, amount: 1 }, { headers });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as Problem).errors?.[0]?.field).toBe("Idempotency-Key");
    expect(await paymentsOf(db(), fixture.invoice.id)).toHaveLength(1);
    expect(await getInvoiceJson(fixture)).toMatchObject({ amount_paid: 500_000 });
    expect(await eventsOf(db(), fixture.invoice.id, "payment.succeeded")).toHaveLength(1);
  });

  it("counts a bank reference once: a repeat is 409 naming the first payment, also when sent at the same time", async () => {
    const fixture = await payerFixture(db(), config);
    const first = await (await record(fixture, transfer({ reference: "BG-DUP-1" }))).json();
    const other = await fixture.another();
    const before = await ledgerSnapshot(db());
    // On another invoice of the same supplier, too: it is the same bank transaction.
    const repeat = await record(fixture, transfer({ reference: "BG-DUP-1", amount: 1_000 }), { invoiceId: other.invoice.id });
    expect(repeat.status).toBe(409);
    const problem = (await repeat.json()) as Problem;
    expect(problem.detail).toContain(first.id);
    expect(problem.errors).toEqual([{ field: "reference", message: expect.stringContaining(first.id) }]);
    expect(await ledgerSnapshot(db())).toEqual(before);

    const racing = await Promise.all(Array.from({ length: 8 }, () => record(fixture, transfer({ reference: "BG-RACE-1" }))));
    expect(racing.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await paymentsOf(db(), fixture.invoice.id);
    expect(rows.filter((row) => row.providerReference === "BG-RACE-1")).toHaveLength(1);
    expect(await getInvoiceJson(fixture)).toMatchObject({ amount_paid: 1_000_000 });
  });

  it("answers 422 with the field paths for bad input, and writes nothing", async () => {
    const fixture = await payerFixture(db(), config);
    const before = await ledgerSnapshot(db());
    const future = new Date(Date.now() + 3600_000).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [transfer({ amount: 0 }), "amount"],
      [transfer({ amount: 12.5 }), "amount"],
      [transfer({ amount: "500" }), "amount"],
      [transfer({ currency: "sek" }), "currency"],
      [transfer({ currency: "EUR" }), "currency"],
      [transfer({ method: "crypto" }), "method"],
      [transfer({ received_at: "14/03/2026" }), "received_at"],
      [transfer({ received_at: future }), "received_at"],
      [transfer({ reference: "  " }), "reference"],
      [transfer({ payer: "someone" }), "payer"],
    ];
    for (const [body, field] of cases) {
      const response = await record(fixture, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await response.json()) as Problem;
      expect(problem.errors?.map((error) => error.field), JSON.stringify(body)).toContain(field);
    }
    const { amount: _amount, ...withoutAmount } = transfer();
    expect(((await (await record(fixture, withoutAmount)).json()) as Problem).errors?.[0]?.field).toBe("amount");
    expect(await ledgerSnapshot(db())).toEqual(before);
  });

  it("refuses a cancelled invoice (409) and another supplier's, an unknown or a malformed invoice id (404), changing nothing", async () => {
    const fixture = await payerFixture(db(), config);
    const cancelled = await fixture.another({ cancelledAt: new Date() });
    const stranger = await payerFixture(db(), config);
    const before = await ledgerSnapshot(db());

    const refused = await record(fixture, transfer(), { invoiceId: cancelled.invoice.id });
    expect(refused.status).toBe(409);
    for (const invoiceId of [stranger.invoice.id, "inv_0000000000000000000000", "42"]) {
      const response = await record(fixture, transfer(), { invoiceId });
      expect(response.status, invoiceId).toBe(404);
    }
    expect(await ledgerSnapshot(db())).toEqual(before);
    expect(await paymentsOf(db(), stranger.invoice.id)).toHaveLength(0);
  });

  it("answers 401 without a key", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await callRoute(recordAction, context(), {
      method: "POST", path: `/api/v1/invoices/${fixture.invoice.id}/payments`, params: { id: fixture.invoice.id }, json: transfer(),
    });
    expect(response.status).toBe(401);
  });
});

type Page = { data: { id: string; invoice_id: string; provider: string; status: string; amount: number }[]; next_cursor: string | null };

describe("GET /api/v1/payments and /api/v1/payments/:id", () => {
  it("lists the supplier's payments newest first, filters them and pages without gaps or repeats", async () => {
    const fixture = await payerFixture(db(), config);
    const second = await fixture.another();
    const ids: string[] = [];
    for (const [invoiceId, amount] of [[fixture.invoice.id, 1_000], [second.invoice.id, 2_000], [fixture.invoice.id, 3_000], [second.invoice.id, 4_000], [fixture.invoice.id, 5_000]] as const) {
      const response = await record(fixture, transfer({ amount }), { invoiceId });
      ids.push((await response.json()).id);
    }
    const stranger = await payerFixture(db(), config);
    await record(stranger, transfer());

    const page = async (query: string) => {
      const response = await get(listLoader, `/api/v1/payments${query}`, fixture.api);
      expect(response.status, query).toBe(200);
      return (await response.json()) as Page;
    };
    const all = await page("");
    expect(all.data.map((payment) => payment.id)).toEqual([...ids].reverse());
    expect(all.next_cursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const current: Page = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(current.data.length).toBeLessThanOrEqual(2);
      seen.push(...current.data.map((payment) => payment.id));
      cursor = current.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    expect((await page(`?invoice_id=${second.invoice.id}`)).data.map((payment) => payment.amount)).toEqual([4_000, 2_000]);
    expect((await page("?provider=manual&status=succeeded&method=bank_transfer")).data).toHaveLength(5);
    expect((await page("?provider=stripe")).data).toEqual([]);
    expect((await page("?status=failed")).data).toEqual([]);
    expect((await page(`?created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toEqual([]);
    expect((await page(`?created_before=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toHaveLength(5);
    // Another supplier's invoice id filters to nothing rather than revealing anything.
    expect((await page(`?invoice_id=${stranger.invoice.id}`)).data).toEqual([]);

    for (const [query, field] of [["?status=paid", "status"], ["?limit=0", "limit"], ["?cursor=nonsense", "cursor"], ["?invoice_id=42", "invoice_id"], ["?colour=red", "colour"]]) {
      const response = await get(listLoader, `/api/v1/payments${query}`, fixture.api);
      expect(response.status, query).toBe(422);
      expect(((await response.json()) as Problem).errors?.map((error) => error.field)).toContain(field);
    }
    expect((await callRoute(listAction, context(), { method: "POST", path: "/api/v1/payments" })).status).toBe(405);
  });

  it("shows one payment to its supplier only (404 for another supplier's, unknown and malformed ids)", async () => {
    const fixture = await payerFixture(db(), config);
    const payment = await (await record(fixture, transfer())).json();
    const mine = await get(getLoader, `/api/v1/payments/${payment.id}`, fixture.api, { id: payment.id });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual(payment);

    const stranger = await payerFixture(db(), config);
    for (const id of [payment.id, "pay_0000000000000000000000", "x"]) {
      const response = await get(getLoader, `/api/v1/payments/${id}`, stranger.api, { id });
      expect(response.status, id).toBe(404);
    }
    expect((await get(listLoader, "/api/v1/payments", stranger.api)).status).toBe(200);
    expect(((await (await get(listLoader, "/api/v1/payments", stranger.api)).json()) as Page).data).toEqual([]);
  });

  it("lists an invoice's payments under the invoice; another supplier's invoice is 404", async () => {
    const fixture = await payerFixture(db(), config);
    const other = await fixture.another();
    await record(fixture, transfer({ amount: 100 }));
    await record(fixture, transfer({ amount: 200 }), { invoiceId: other.invoice.id });
    const path = `/api/v1/invoices/${fixture.invoice.id}/payments`;
    const response = await get(invoicePaymentsLoader, path, fixture.api, { id: fixture.invoice.id });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Page).data.map((payment) => payment.amount)).toEqual([100]);

    const stranger = await payerFixture(db(), config);
    expect((await get(invoicePaymentsLoader, path, stranger.api, { id: fixture.invoice.id })).status).toBe(404);
  });
});

describe("the invoice's payment facts", () => {
  it("shows payment_reported_until while a payer's report waits for the money, and null once it passed", async () => {
    const fixture = await payerFixture(db(), config);
    expect(await getInvoiceJson(fixture)).toMatchObject({ payment_reported_until: null });
    const until = new Date(Date.now() + 7 * 86_400_000);
    until.setMilliseconds(0);
    await db().update(invoices).set({ paymentReportedUntil: until }).where(eq(invoices.id, fixture.invoice.id));
    expect(await getInvoiceJson(fixture)).toMatchObject({ payment_reported_until: until.toISOString() });
    await db().update(invoices).set({ paymentReportedUntil: new Date(Date.now() - 1000) }).where(eq(invoices.id, fixture.invoice.id));
    expect(await getInvoiceJson(fixture)).toMatchObject({ payment_reported_until: null });
  });
});
