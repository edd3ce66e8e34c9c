// Changing invoices through the API: PATCH before confirmation or payment, cancel, credit notes;
// their refusals, idempotent retries, audit events and webhooks, on a real database.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { webhookMessagesOf } from "../portal/payer-helpers";
import { action as invoicesAction } from "~/routes/api.v1.invoices";
import { action as invoiceAction, loader as invoiceLoader } from "~/routes/api.v1.invoices.$id";
import { action as cancelAction } from "~/routes/api.v1.invoices.$id.cancel";
import { action as creditAction } from "~/routes/api.v1.invoices.$id.credit-notes";
import { action as paymentsAction } from "~/routes/api.v1.invoices.$id.payments";
import { createWebhookEndpoint } from "~/features/webhooks/webhooks.server";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { todayIn } from "~/domain/invoice-status";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const sql = () => database.get().sql;
const context = () => testContext(database.get(), config);

function dateFromToday(days: number): string {
  const date = new Date(`${todayIn("Europe/Stockholm", new Date())}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const LINES = [
  { description: "Konsulttimmar", quantity: 10, unit: "h", unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 },
  { description: "Bok", quantity: 2, unit_price: 19900, vat_rate: 6, net: 39800, vat: 2388 },
];

/** 10 h × 950.00 at 25 % and 2 × 199.00 at 6 %, cash-rounded: 12 297.00 SEK. */
function validInvoice(number: string) {
  return {
    number,
    currency: "SEK",
    issue_date: dateFromToday(0),
    due_date: dateFromToday(30),
    customer: { external_id: "C-1", name: "Kund AB", email: "ap@kund.example" },
    lines: LINES,
    total_net: 989800,
    total_vat: 239888,
    rounding: 12,
    total: 1229700,
  };
}

/** One line of 4 h × 950.00 at 25 %: 4 750.00 SEK. */
const SMALLER = {
  lines: [{ description: "Konsulttimmar", quantity: 4, unit: "h", unit_price: 95000, vat_rate: 25, net: 380000, vat: 95000 }],
  total_net: 380000,
  total_vat: 95000,
  total: 475000,
};

let numbers = 5000;

/** A supplier with an endpoint that wants every event type, so webhook messages are recorded with deliveries. */
async function newOwner() {
  const owner = await newSupplier(db());
  await createWebhookEndpoint(
    db(),
    { isProduction: false, allowPrivateTargets: true },
    owner.supplierId,
    { url: "https://erp.example.test/hooks" },
    { actor: "operator", actorId: null },
  );
  return owner;
}

type Owner = Awaited<ReturnType<typeof newOwner>>;

async function newInvoice(owner: Owner) {
  const number = String((numbers += 1));
  const response = await callRoute(invoicesAction, context(), { method: "POST", path: "/api/v1/invoices", headers: owner.headers, json: validInvoice(number) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; number: string; ocr: string; portal_url: string; customer: { id: string } };
}

const tokenOf = (portalUrl: string) => decodeURIComponent(new URL(portalUrl).pathname.slice("/i/".length));

function patch(owner: Owner, id: string, json: unknown, headers: Record<string, string> = {}) {
  return callRoute(invoiceAction, context(), { method: "PATCH", path: `/api/v1/invoices/${id}`, params: { id }, headers: { ...owner.headers, ...headers }, json });
}

function cancel(owner: Owner, id: string, json?: unknown, headers: Record<string, string> = {}) {
  return callRoute(cancelAction, context(), {
    method: "POST",
    path: `/api/v1/invoices/${id}/cancel`,
    params: { id },
    headers: { ...owner.headers, ...headers },
    ...(json === undefined ? {} : { json }),
  });
}

function credit(owner: Owner, id: string, json: unknown, headers: Record<string, string> = {}) {
  return callRoute(creditAction, context(), {
    method: "POST",
    path: `/api/v1/invoices/${id}/credit-notes`,
    params: { id },
    headers: { ...owner.headers, ...headers },
    json,
  });
}

async function get(owner: Owner, id: string) {
  const response = await callRoute(invoiceLoader, context(), { path: `/api/v1/invoices/${id}`, params: { id }, headers: owner.headers });
  return { status: response.status, body: await response.json() };
}

async function payPart(owner: Owner, id: string, amount = 100000) {
  const response = await callRoute(paymentsAction, context(), {
    method: "POST",
    path: `/api/v1/invoices/${id}/payments`,
    params: { id },
    headers: owner.headers,
    json: { amount, currency: "SEK", method: "bank_transfer" },
  });
  expect(response.status).toBe(201);
}

/** Every table a change could touch; a refused request must leave all of them as they were. */
async function rowCounts() {
  const [row] = await sql()`
    select (select count(*) from invoices)::int as invoices, (select count(*) from invoice_lines)::int as lines,
           (select count(*) from customers)::int as customers, (select count(*) from events)::int as events,
           (select count(*) from links)::int as links, (select count(*) from links where revoked_at is not null)::int as revoked,
           (select count(*) from webhook_messages)::int as messages, (select count(*) from idempotency_keys)::int as keys,
           (select string_agg(id || number || total || coalesce(cancelled_at::text, '') || updated_at::text, ',' order by id) from invoices) as digest`;
  return row;
}

async function eventsOf(invoiceId: string) {
  return sql()`select type, actor, actor_id, data from events where invoice_id = ${invoiceId} order by seq`;
}

type Problem = { status: number; title: string; detail?: string; errors?: { field: string; message: string }[] };

describe("PATCH /api/v1/invoices/:id", () => {
  it("changes dates, number and amounts, keeps the OCR and the link, and records the change", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const response = await patch(owner, invoice.id, { number: `${invoice.number}-B`, due_date: dateFromToday(45), ...SMALLER });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      id: invoice.id,
      number: `${invoice.number}-B`,
      due_date: dateFromToday(45),
      ocr: invoice.ocr,
      total: 475000,
      rounding: 0,
      amount_due: 475000,
      lines: [{ description: "Konsulttimmar", quantity: 4, unit: "h", unit_price: 95000, vat_rate: 25, net: 380000, vat: 95000 }],
    });
    expect(body).not.toHaveProperty("portal_url");
    expect((await get(owner, invoice.id)).body).toEqual(body);

    // The printed link still opens the invoice.
    expect(await resolveInvoiceToken(db(), config, tokenOf(invoice.portal_url))).toMatchObject({ ok: true, link: { invoiceId: invoice.id } });

    const updated = (await eventsOf(invoice.id)).filter((event) => event.type === "invoice.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actor: "supplier", actor_id: owner.apiKeyId });
    const changes = updated[0]!.data.changes;
    expect(Object.keys(changes).sort()).toEqual(["due_date", "lines", "number", "rounding", "total", "total_net", "total_vat"]);
    expect(changes.total).toEqual({ from: 1229700, to: 475000 });
    expect(changes.number).toEqual({ from: invoice.number, to: `${invoice.number}-B` });

    const [message] = await webhookMessagesOf(db(), owner.supplier.id, "invoice.updated");
    expect(message!.payload).toMatchObject({ invoice: { id: invoice.id, total: 475000 }, changed: expect.arrayContaining(["total", "lines"]) });
  });

  it("moves the invoice to another customer given like on create", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const response = await patch(owner, invoice.id, { customer: { external_id: "C-2", name: "Rätt Kund AB" } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.customer).toMatchObject({ external_id: "C-2", name: "Rätt Kund AB" });
    expect(body.customer.id).not.toBe(invoice.customer.id);
    const [event] = (await eventsOf(invoice.id)).filter((row) => row.type === "invoice.updated");
    expect(event!.data.changes.customer_id).toEqual({ from: invoice.customer.id, to: body.customer.id });
  });

  it("answers an unchanged invoice without recording anything", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const before = await rowCounts();
    const response = await patch(owner, invoice.id, { number: invoice.number });
    expect(response.status).toBe(200);
    expect(await rowCounts()).toEqual(before);
  });

  it("rejects bad bodies with the field path and writes nothing", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const before = await rowCounts();
    const cases: [unknown, string[]][] = [
      [{ due_dat: "2026-01-01" }, ["due_dat"]],
      [{ ocr: "655969" }, ["ocr"]],
      [{ currency: "EUR" }, ["currency"]],
      [{}, ["(body)"]],
      [{ total: 475000 }, ["lines", "total_net", "total_vat"]],
      [{ ...SMALLER, total: 475001 }, ["total"]],
      [{ ...SMALLER, lines: [{ ...SMALLER.lines[0], net: 380001 }], total_net: 380001, total: 475001 }, ["lines[0].net"]],
      [{ due_date: dateFromToday(-1) }, ["due_date"]],
      [{ due_date: "2026-02-30" }, ["due_date"]],
    ];
    for (const [body, fields] of cases) {
      const response = await patch(owner, invoice.id, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await response.json()) as Problem;
      expect(problem.errors!.map((error) => error.field).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses with 409 once the payer confirmed, money came in, a payment is under way or the invoice was cancelled", async () => {
    const owner = await newOwner();
    const confirmed = await newInvoice(owner);
    await sql()`update invoices set confirmed_at = now() where id = ${confirmed.id}`;
    const paid = await newInvoice(owner);
    await payPart(owner, paid.id);
    const cancelled = await newInvoice(owner);
    expect((await cancel(owner, cancelled.id)).status).toBe(200);
    // The payer is at the card checkout, for the amount as it is now.
    const paying = await newInvoice(owner);
    await sql()`insert into payments (id, supplier_id, invoice_id, provider, method, currency, amount, status, idempotency_key, checkout_expires_at)
      values (${`pay_${paying.id.slice(4)}`}, ${owner.supplier.id}, ${paying.id}, 'stripe', 'card', 'SEK', 1229700, 'pending', ${`test-${paying.id}`}, now() + interval '1 hour')`;

    const before = await rowCounts();
    const refusals = [[confirmed, /confirmed/], [paid, /Money was received/], [cancelled, /cancelled/], [paying, /in progress/]] as const;
    for (const [invoice, says] of refusals) {
      const response = await patch(owner, invoice.id, { due_date: dateFromToday(60) }, { "idempotency-key": `refused-${invoice.id}` });
      expect(response.status).toBe(409);
      const problem = (await response.json()) as Problem;
      expect(problem.detail).toMatch(says);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a number another invoice has", async () => {
    const owner = await newOwner();
    const first = await newInvoice(owner);
    const second = await newInvoice(owner);
    const before = await rowCounts();
    const response = await patch(owner, second.id, { number: first.number, due_date: dateFromToday(50) });
    expect(response.status).toBe(409);
    expect(((await response.json()) as Problem).errors).toEqual([{ field: "number", message: expect.any(String) }]);
    expect(await rowCounts()).toEqual(before);
  });

  it("replays a retry with the same Idempotency-Key and refuses the key with another body", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const headers = { "idempotency-key": "patch-1" };
    const first = await patch(owner, invoice.id, { due_date: dateFromToday(40) }, headers);
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    // Changed again meanwhile: the retry still answers what the first request did, and changes nothing.
    expect((await patch(owner, invoice.id, { due_date: dateFromToday(41) })).status).toBe(200);
    const before = await rowCounts();
    const retry = await patch(owner, invoice.id, { due_date: dateFromToday(40) }, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(firstBody);
    expect(await rowCounts()).toEqual(before);

    const reused = await patch(owner, invoice.id, { due_date: dateFromToday(42) }, headers);
    expect(reused.status).toBe(422);
    expect((await get(owner, invoice.id)).body.due_date).toBe(dateFromToday(41));
  });

  it("answers another supplier's invoice like an unknown one and changes nothing", async () => {
    const owner = await newOwner();
    const other = await newOwner();
    const invoice = await newInvoice(owner);
    const before = await rowCounts();
    const responses = [
      await patch(other, invoice.id, { due_date: dateFromToday(60) }),
      await patch(other, "inv_0000000000000000000000", { due_date: dateFromToday(60) }),
      await cancel(other, invoice.id),
      await credit(other, invoice.id, { number: "CN-X" }),
    ];
    const bodies = await Promise.all(responses.map(async (response) => [response.status, await response.text()]));
    expect(bodies.map(([status]) => status)).toEqual([404, 404, 404, 404]);
    expect(bodies[0]).toEqual(bodies[1]);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("POST /api/v1/invoices/:id/cancel", () => {
  it("cancels: links stop working, the event and webhook carry the reason, a second cancel answers the same", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const response = await cancel(owner, invoice.id, { reason: "Fel kund" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ id: invoice.id, status: "cancelled", amount_due: 0 });
    expect(Date.parse(body.cancelled_at)).toBeGreaterThan(Date.now() - 60_000);

    expect(await resolveInvoiceToken(db(), config, tokenOf(invoice.portal_url))).toEqual({ ok: false, reason: "revoked" });
    const [event] = (await eventsOf(invoice.id)).filter((row) => row.type === "invoice.cancelled");
    expect(event).toMatchObject({ actor: "supplier", actor_id: owner.apiKeyId, data: { reason: "Fel kund", links_revoked: 1 } });
    const messages = await webhookMessagesOf(db(), owner.supplier.id, "invoice.cancelled");
    expect(messages).toHaveLength(1);
    expect(messages[0]!.payload).toMatchObject({ invoice: { id: invoice.id, status: "cancelled" }, reason: "Fel kund" });

    const before = await rowCounts();
    const again = await cancel(owner, invoice.id);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses an invoice money was received for, and an unknown field, writing nothing", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    await payPart(owner, invoice.id);
    const before = await rowCounts();
    const paid = await cancel(owner, invoice.id, { reason: "Ångrat" });
    expect(paid.status).toBe(409);
    expect(((await paid.json()) as Problem).detail).toMatch(/credit note/);
    const unknown = await cancel(owner, invoice.id, { reson: "typo" });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as Problem).errors).toEqual([{ field: "reson", message: "unknown field" }]);
    expect(await rowCounts()).toEqual(before);
    expect((await get(owner, invoice.id)).body.cancelled_at).toBeNull();
  });

  it("replays the first answer for its Idempotency-Key", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const first = await cancel(owner, invoice.id, { reason: "Dubblett" }, { "idempotency-key": "cancel-1" });
    const retry = await cancel(owner, invoice.id, { reason: "Dubblett" }, { "idempotency-key": "cancel-1" });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
    expect(await webhookMessagesOf(db(), owner.supplier.id, "invoice.cancelled")).toHaveLength(1);
  });
});

describe("POST /api/v1/invoices/:id/credit-notes", () => {
  it("credits the whole invoice by default: negative lines, same customer and currency, original unchanged", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    await sql()`update invoices set confirmed_at = now() where id = ${invoice.id}`;
    const originalBefore = (await get(owner, invoice.id)).body;

    const response = await credit(owner, invoice.id, { number: "KN-1", reason: "Reklamation" });
    expect(response.status).toBe(201);
    const note = await response.json();
    expect(response.headers.get("location")).toContain(`/api/v1/invoices/${note.id}`);
    expect(note).toMatchObject({
      number: "KN-1",
      currency: "SEK",
      customer: { id: invoice.customer.id },
      credits_invoice_id: invoice.id,
      total_net: -989800,
      total_vat: -239888,
      rounding: -12,
      total: -1229700,
      amount_due: 0,
      status: "paid",
      issue_date: dateFromToday(0),
    });
    expect(note.lines).toEqual([
      { description: "Konsulttimmar", quantity: -10, unit: "h", unit_price: 95000, vat_rate: 25, net: -950000, vat: -237500 },
      { description: "Bok", quantity: -2, unit: null, unit_price: 19900, vat_rate: 6, net: -39800, vat: -2388 },
    ]);
    expect(note.ocr).not.toBe(invoice.ocr);
    expect(note.portal_url).toMatch(/\/i\//);

    // The original stays as it was (what is due comes from the payments ledger alone).
    expect((await get(owner, invoice.id)).body).toEqual(originalBefore);
    expect((await eventsOf(invoice.id)).filter((row) => row.type === "invoice.credited")).toEqual([
      expect.objectContaining({ data: { credit_note_id: note.id, number: "KN-1", total: -1229700, credited_total: 1229700, reason: "Reklamation" } }),
    ]);
    expect((await eventsOf(note.id)).map((row) => row.type)).toEqual(["link.issued", "invoice.created"]);
    const [message] = await webhookMessagesOf(db(), owner.supplier.id, "invoice.credited");
    expect(message!.payload).toMatchObject({ invoice: { id: invoice.id }, credit_note: { id: note.id, total: -1229700 }, reason: "Reklamation" });
    expect(JSON.stringify(message!.payload)).not.toContain("/i/");

    // Nothing is left to credit.
    const before = await rowCounts();
    const again = await credit(owner, invoice.id, { number: "KN-2" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Problem).detail).toMatch(/fully credited/);
    expect(await rowCounts()).toEqual(before);
  });

  it("credits given lines of a paid invoice, at most what is left", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    await payPart(owner, invoice.id, 1229700);
    const negative = {
      lines: [{ description: "Konsulttimmar", quantity: -4, unit: "h", unit_price: 95000, vat_rate: 25, net: -380000, vat: -95000 }],
      total_net: -380000,
      total_vat: -95000,
      total: -475000,
    };
    const first = await credit(owner, invoice.id, { number: "KN-10", ...negative });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ total: -475000, credits_invoice_id: invoice.id });

    const before = await rowCounts();
    // 4 750 + 7 600 > 12 297: too much.
    const twice = { lines: [{ ...negative.lines[0], quantity: -8, net: -760000, vat: -190000 }], total_net: -760000, total_vat: -190000, total: -950000 };
    const tooMuch = await credit(owner, invoice.id, { number: "KN-11", ...twice });
    expect(tooMuch.status).toBe(422);
    expect(((await tooMuch.json()) as Problem).errors).toEqual([{ field: "total", message: expect.stringContaining("at most 754700") }]);
    // After a partial credit, "the rest" has to be spelt out.
    const whole = await credit(owner, invoice.id, { number: "KN-12" });
    expect(whole.status).toBe(422);
    expect(((await whole.json()) as Problem).errors![0]!.field).toBe("lines");
    expect(await rowCounts()).toEqual(before);
  });

  it("rejects bad bodies with field paths, and refuses cancelled invoices and credit notes", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const before = await rowCounts();
    const cases: [unknown, string[]][] = [
      [{}, ["number"]],
      [{ number: "KN-1", lines: SMALLER.lines }, ["total", "total_net", "total_vat"]],
      [{ number: "KN-1", ...SMALLER }, ["total"]],
      [{ number: "KN-1", amount: 5 }, ["amount"]],
      [{ number: invoice.number }, ["number"]],
    ];
    for (const [body, fields] of cases) {
      const response = await credit(owner, invoice.id, body);
      expect([409, 422], JSON.stringify(body)).toContain(response.status);
      const problem = (await response.json()) as Problem;
      expect(problem.errors!.map((error) => error.field).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect(await rowCounts()).toEqual(before);

    const note = await (await credit(owner, invoice.id, { number: "KN-20" })).json();
    const ofNote = await credit(owner, note.id, { number: "KN-21" });
    expect(ofNote.status).toBe(409);
    expect(((await ofNote.json()) as Problem).detail).toMatch(/credit note/);

    const cancelled = await newInvoice(owner);
    await cancel(owner, cancelled.id);
    const ofCancelled = await credit(owner, cancelled.id, { number: "KN-22" });
    expect(ofCancelled.status).toBe(409);
    expect(((await ofCancelled.json()) as Problem).detail).toMatch(/cancelled/);
  });

  it("replays a retry with the same Idempotency-Key: one credit note, the same answer and link", async () => {
    const owner = await newOwner();
    const invoice = await newInvoice(owner);
    const headers = { "idempotency-key": "credit-1" };
    const first = await credit(owner, invoice.id, { number: "KN-30" }, headers);
    expect(first.status).toBe(201);
    const body = await first.json();
    const retry = await credit(owner, invoice.id, { number: "KN-30" }, headers);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(body);
    const [count] = await sql()`select count(*)::int as n from invoices where credits_invoice_id = ${invoice.id}`;
    expect(count!.n).toBe(1);
    // The stored answer holds the portal link only sealed (security L1).
    const [stored] = await sql()`select body::text as body from idempotency_keys where key = 'credit-1' and supplier_id = ${owner.supplier.id}`;
    expect(stored!.body).not.toContain(body.portal_url);
  });
});
