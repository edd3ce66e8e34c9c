// POST /api/v1/invoices through the route module, on a real database.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { action } from "~/routes/api.v1.invoices";
import { createApiKey } from "~/api/db/api-keys.server";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { isLuhnValid, makeOcr } from "~/domain/ocr";
import { todayIn } from "~/domain/invoice-status";

const database = useTestDatabase();
const config = testConfig();

function dateFromToday(days: number): string {
  const today = todayIn("Europe/Stockholm", new Date());
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 10 h × 950.00 at 25 % and 2 × 199.00 at 6 %: it adds up. */
function validInvoice(overrides: Record<string, unknown> = {}) {
  return {
    number: "1001",
    currency: "SEK",
    issue_date: dateFromToday(0),
    due_date: dateFromToday(30),
    customer: { external_id: "C-1", name: "Kund AB", org_number: "5560160680", email: "ap@kund.example", language: "sv" },
    lines: [
      { description: "Konsulttimmar", quantity: 10, unit: "h", unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 },
      { description: "Bok", quantity: 2, unit_price: 19900, vat_rate: 6, net: 39800, vat: 2388 },
    ],
    total_net: 989800,
    total_vat: 239888,
    total: 1229688,
    ...overrides,
  };
}

const context = () => testContext(database.get(), config);

function post(headers: Record<string, string>, body: unknown, extra: { body?: string } = {}) {
  return callRoute(action, context(), {
    method: "POST",
    path: "/api/v1/invoices",
    headers,
    ...(extra.body === undefined ? { json: body } : { body: extra.body }),
  });
}

/** Rows of every table a create touches; a failed request must leave all of them unchanged. */
async function rowCounts() {
  const [row] = await database.get().sql`
    select (select count(*) from invoices)::int as invoices, (select count(*) from invoice_lines)::int as lines,
           (select count(*) from customers)::int as customers, (select count(*) from contacts)::int as contacts,
           (select count(*) from events)::int as events, (select count(*) from links)::int as links,
           (select count(*) from idempotency_keys)::int as idempotency_keys`;
  return row;
}

type Problem = { status: number; title: string; errors?: { field: string; message: string }[] };

describe("POST /api/v1/invoices", () => {
  it("creates the invoice with a working portal link, the customer, its contact and the events", async () => {
    const { supplier, apiKeyId, headers } = await newSupplier(database.get().db);
    const response = await post(headers, validInvoice());
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(response.headers.get("location")).toBe(`${TEST_BASE_URL}/api/v1/invoices/${body.id}`);
    expect(body).toMatchObject({
      number: "1001",
      currency: "SEK",
      issue_date: dateFromToday(0),
      due_date: dateFromToday(30),
      customer: { external_id: "C-1", name: "Kund AB" },
      total_net: 989800,
      total_vat: 239888,
      rounding: 0,
      total: 1229688,
      amount_paid: 0,
      amount_due: 1229688,
      status: "open",
      confirmed_at: null,
      disputed: false,
      delivery_status: "none",
      cancelled_at: null,
    });
    expect(body.id).toMatch(/^inv_[0-9A-Za-z]{22}$/);
    expect(body.customer.id).toMatch(/^cus_/);
    expect(body.lines).toEqual([
      { description: "Konsulttimmar", quantity: 10, unit: "h", unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 },
      { description: "Bok", quantity: 2, unit: null, unit_price: 19900, vat_rate: 6, net: 39800, vat: 2388 },
    ]);
    expect(Date.parse(body.created_at)).toBeGreaterThan(Date.now() - 60_000);

    expect(body.portal_url.startsWith(`${TEST_BASE_URL}/i/`)).toBe(true);
    const token = decodeURIComponent(new URL(body.portal_url).pathname.slice("/i/".length));
    const resolved = await resolveInvoiceToken(database.get().db, config, token);
    expect(resolved).toMatchObject({ ok: true, link: { invoiceId: body.id, supplierId: supplier.id } });

    const events = await database.get().sql`
      select type, actor, actor_id, ip from events where supplier_id = ${supplier.id} order by seq`;
    expect(events.map((event) => event.type)).toEqual(["customer.created", "contact.created", "link.issued", "invoice.created"]);
    const created = events.find((event) => event.type === "invoice.created")!;
    expect(created).toMatchObject({ actor: "supplier", actor_id: apiKeyId, ip: "203.0.113.7" });

    const [customer] = await database.get().sql`select org_number, language from customers where id = ${body.customer.id}`;
    expect(customer).toEqual({ org_number: "556016-0680", language: "sv" });
    const contacts = await database.get().sql`select email, is_billing from contacts where customer_id = ${body.customer.id}`;
    expect(contacts).toEqual([{ email: "ap@kund.example", is_billing: true }]);
  });

  it("accepts cash rounding (öresavrundning) that brings the total to whole kronor", async () => {
    const { headers } = await newSupplier(database.get().db);
    const response = await post(headers, validInvoice({ rounding: 12, total: 1229700 }));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ rounding: 12, total: 1229700, amount_due: 1229700 });
  });

  it("derives the OCR from an all-digit invoice number, else from the sequence, and keeps a given one", async () => {
    const { headers } = await newSupplier(database.get().db);
    const fromNumber = await (await post(headers, validInvoice({ number: "20260042" }))).json();
    expect(fromNumber.ocr).toBe(makeOcr("20260042"));

    const fromSequence = await (await post(headers, validInvoice({ number: "F-2026-7" }))).json();
    expect(fromSequence.ocr).toMatch(/^\d{6,}$/);
    expect(isLuhnValid(fromSequence.ocr)).toBe(true);
    expect(fromSequence.ocr).not.toBe(fromNumber.ocr);

    const given = await post(headers, validInvoice({ number: "F-2026-8", ocr: "6559 69" }));
    expect(given.status).toBe(201);
    expect((await given.json()).ocr).toBe("655969");

    const before = await rowCounts();
    const taken = await post(headers, validInvoice({ number: "F-2026-9", ocr: "655969" }));
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as Problem).errors).toEqual([{ field: "ocr", message: expect.any(String) }]);
    expect(await rowCounts()).toEqual(before);
  });

  it("falls back to the sequence when the number's OCR is already taken", async () => {
    const { headers } = await newSupplier(database.get().db);
    await post(headers, validInvoice({ number: "A-1", ocr: makeOcr("555") }));
    const response = await post(headers, validInvoice({ number: "555" }));
    expect(response.status).toBe(201);
    const { ocr } = await response.json();
    expect(ocr).not.toBe(makeOcr("555"));
    expect(isLuhnValid(ocr)).toBe(true);
  });

  it("creates a customer by external_id, updates that same customer later, and accepts it by id", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const first = await (await post(headers, validInvoice())).json();
    const second = await (
      await post(headers, validInvoice({
        number: "1002",
        customer: { external_id: "C-1", name: "Kund AB (nytt namn)", email: "faktura@kund.example", language: "en" },
      }))
    ).json();
    expect(second.customer).toEqual({ id: first.customer.id, external_id: "C-1", name: "Kund AB (nytt namn)", contacts_confirmed_at: null });
    const [customer] = await database.get().sql`select name, language, org_number from customers where id = ${first.customer.id}`;
    expect(customer).toEqual({ name: "Kund AB (nytt namn)", language: "en", org_number: "556016-0680" });
    const emails = await database.get().sql`select email from contacts where customer_id = ${first.customer.id} order by created_at`;
    expect(emails.map((row) => row.email)).toEqual(["ap@kund.example", "faktura@kund.example"]);
    const [updated] = await database.get().sql`
      select data from events where supplier_id = ${supplier.id} and type = 'customer.updated'`;
    expect(updated!.data.changes).toEqual({
      name: { from: "Kund AB", to: "Kund AB (nytt namn)" },
      language: { from: "sv", to: "en" },
    });

    // The same email again (any case) keeps the one contact.
    await post(headers, validInvoice({ number: "1003", customer: { external_id: "C-1", name: "Kund AB (nytt namn)", email: "AP@kund.example" } }));
    const [count] = await database.get().sql`select count(*)::int as n from contacts where customer_id = ${first.customer.id}`;
    expect(count!.n).toBe(2);

    const byId = await post(headers, validInvoice({ number: "1004", customer: { id: first.customer.id } }));
    expect(byId.status).toBe(201);
    expect((await byId.json()).customer.id).toBe(first.customer.id);
  });

  it("answers 401 without a key, with an unknown key and with a revoked key", async () => {
    const { supplier } = await newSupplier(database.get().db);
    const revoked = await createApiKey(database.get().db, supplier.id);
    await database.get().sql`update api_keys set revoked_at = now() where id = ${revoked.id}`;
    const before = await rowCounts();
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer pp_live_nope" }, { authorization: `Bearer ${revoked.key}` }];
    for (const headers of attempts) {
      const response = await post(headers, validInvoice());
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(await rowCounts()).toEqual(before);
  });

  describe("rejects bad input with the field, and writes nothing", () => {
    const line0 = validInvoice().lines[0]!;
    const cases: [string, Record<string, unknown>, number, string][] = [
      ["missing number", { number: undefined }, 422, "number"],
      ["empty number", { number: "  " }, 422, "number"],
      ["number too long", { number: "x".repeat(65) }, 422, "number"],
      ["not a calendar date", { issue_date: "2026-02-30" }, 422, "issue_date"],
      ["date in another format", { due_date: "31/03/2026" }, 422, "due_date"],
      ["due date before issue date", { issue_date: "2026-03-10", due_date: "2026-03-09" }, 422, "due_date"],
      ["float amount", { lines: [{ ...line0, unit_price: 950.5 }, validInvoice().lines[1]] }, 422, "lines[0].unit_price"],
      ["amount as a string", { total: "1229688" }, 422, "total"],
      ["unsafe integer", { total_net: 2 ** 60 }, 422, "total_net"],
      ["line net not quantity × price", { lines: [{ ...line0, net: 950001 }, validInvoice().lines[1]] }, 422, "lines[0].net"],
      ["line VAT off by more than one", { lines: [{ ...line0, vat: 237000 }, validInvoice().lines[1]] }, 422, "lines[0].vat"],
      ["total mismatch", { total: 1229689 }, 422, "total"],
      ["total_vat mismatch", { total_vat: 239000, total: 1228800 }, 422, "total_vat"],
      ["no lines", { lines: [] }, 422, "lines"],
      ["bad OCR check digit", { ocr: "655968" }, 422, "ocr"],
      ["OCR with letters", { ocr: "65A969" }, 422, "ocr"],
      ["unsupported currency", { currency: "XYZ" }, 422, "currency"],
      ["unknown customer id", { customer: { id: "cus_0000000000000000000000" } }, 422, "customer.id"],
      ["malformed customer id", { customer: { id: "inv_0000000000000000000000" } }, 422, "customer.id"],
      ["customer id with other fields", { customer: { id: "cus_0000000000000000000000", name: "X" } }, 422, "customer.name"],
      ["customer without external_id", { customer: { name: "X" } }, 422, "customer.external_id"],
      ["bad org number", { customer: { external_id: "C-9", name: "X", org_number: "556974-1234" } }, 422, "customer.org_number"],
      ["bad email", { customer: { external_id: "C-9", name: "X", email: "not-an-email" } }, 422, "customer.email"],
      ["bad language", { customer: { external_id: "C-9", name: "X", language: "de" } }, 422, "customer.language"],
      ["unknown top-level field", { due_dat: "2026-03-31" }, 422, "due_dat"],
      ["unknown line field", { lines: [{ ...line0, vat_percent: 25 }, validInvoice().lines[1]] }, 422, "lines[0].vat_percent"],
    ];

    it.each(cases)("%s", async (_name, overrides, status, field) => {
      const { headers } = await newSupplier(database.get().db);
      const before = await rowCounts();
      const response = await post(headers, validInvoice(overrides));
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await response.json()) as Problem;
      expect(problem.errors?.map((error) => error.field)).toContain(field);
      expect(await rowCounts()).toEqual(before);
    });

    it("another supplier's customer id is unknown here", async () => {
      const other = await newSupplier(database.get().db, { name: "Annan AB" });
      const theirs = await (await post(other.headers, validInvoice())).json();
      const { headers } = await newSupplier(database.get().db);
      const before = await rowCounts();
      const response = await post(headers, validInvoice({ customer: { id: theirs.customer.id } }));
      expect(response.status).toBe(422);
      expect(((await response.json()) as Problem).errors).toEqual([{ field: "customer.id", message: "no customer with this id" }]);
      expect(await rowCounts()).toEqual(before);
    });

    it("malformed JSON → 400, wrong content type → 415, bad Idempotency-Key → 400", async () => {
      const { headers } = await newSupplier(database.get().db);
      const before = await rowCounts();
      const malformed = await post({ ...headers, "content-type": "application/json" }, undefined, { body: '{"number": "1",' });
      expect(malformed.status).toBe(400);
      const form = await post({ ...headers, "content-type": "application/x-www-form-urlencoded" }, undefined, { body: "number=1" });
      expect(form.status).toBe(415);
      const badKey = await post({ ...headers, "idempotency-key": "x".repeat(256) }, validInvoice());
      expect(badKey.status).toBe(400);
      expect(await rowCounts()).toEqual(before);
    });
  });

  it("a duplicate invoice number is a 409 on number and writes nothing", async () => {
    const { headers } = await newSupplier(database.get().db);
    expect((await post(headers, validInvoice())).status).toBe(201);
    const before = await rowCounts();
    const response = await post(headers, validInvoice({ customer: { external_id: "C-2", name: "Ny kund AB" } }));
    expect(response.status).toBe(409);
    expect(((await response.json()) as Problem).errors?.[0]?.field).toBe("number");
    expect(await rowCounts()).toEqual(before);

    // Numbers are per supplier: another supplier may use the same one.
    const other = await newSupplier(database.get().db, { name: "Annan AB" });
    expect((await post(other.headers, validInvoice())).status).toBe(201);
  });

  it("answers 405 with Allow for methods it does not support", async () => {
    const response = await callRoute(action, context(), { method: "PUT", path: "/api/v1/invoices", json: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
  });
});

describe("Idempotency-Key", () => {
  it("replays the first result for a retry with the same body", async () => {
    const { headers } = await newSupplier(database.get().db);
    const withKey = { ...headers, "idempotency-key": "order-4711" };
    const first = await post(withKey, validInvoice());
    const firstBody = await first.json();
    const retry = await post(withKey, validInvoice());
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await retry.json()).toEqual(firstBody);
    const [count] = await database.get().sql`select count(*)::int as n from invoices where number = '1001' and id = ${firstBody.id}`;
    expect(count!.n).toBe(1);
  });

  it("refuses the same key with another body (422) and writes nothing", async () => {
    const { headers } = await newSupplier(database.get().db);
    const withKey = { ...headers, "idempotency-key": "order-4712" };
    expect((await post(withKey, validInvoice())).status).toBe(201);
    const before = await rowCounts();
    const response = await post(withKey, validInvoice({ number: "1002" }));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem & { detail: string };
    expect(problem.detail).toMatch(/already used with another request/);
    expect(await rowCounts()).toEqual(before);
  });

  it("keys are per supplier", async () => {
    const a = await newSupplier(database.get().db, { name: "A AB" });
    const b = await newSupplier(database.get().db, { name: "B AB" });
    const first = await (await post({ ...a.headers, "idempotency-key": "same" }, validInvoice())).json();
    const other = await post({ ...b.headers, "idempotency-key": "same" }, validInvoice());
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect((await other.json()).id).not.toBe(first.id);
  });

  it("5 concurrent requests with one key create exactly one invoice", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const withKey = { ...headers, "idempotency-key": "concurrent-1" };
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(withKey, validInvoice())));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(responses.filter((response) => response.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    const [count] = await database.get().sql`select count(*)::int as n from invoices where supplier_id = ${supplier.id}`;
    expect(count!.n).toBe(1);
    const [created] = await database.get().sql`
      select count(*)::int as n from events where supplier_id = ${supplier.id} and type = 'invoice.created'`;
    expect(created!.n).toBe(1);
  });

  it("a failed first attempt is not stored: the same key works for the corrected request", async () => {
    const { headers } = await newSupplier(database.get().db);
    const withKey = { ...headers, "idempotency-key": "retry-after-fix" };
    // Fails inside the transaction, after the key was claimed: the claim must roll back too.
    expect((await post(withKey, validInvoice({ customer: { id: "cus_0000000000000000000000" } }))).status).toBe(422);
    const fixed = await post(withKey, validInvoice());
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });

  it("stores the first response sealed: the database holds no usable portal link", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const body = await (await post({ ...headers, "idempotency-key": "sealed" }, validInvoice())).json();
    const token = new URL(body.portal_url).pathname.slice("/i/".length);
    const [row] = await database.get().sql`
      select body::text as body from idempotency_keys where supplier_id = ${supplier.id} and key = 'sealed'`;
    expect(row!.body).not.toContain(token);
    expect(row!.body).not.toContain(body.id);
  });
});

describe("links are built from PUBLIC_BASE_URL (security L7)", () => {
  it("a forged Host header does not change the portal link's host", async () => {
    const { headers } = await newSupplier(database.get().db, { name: "Host Check AB" });
    const response = await callRoute(action, context(), {
      method: "POST",
      path: "http://evil.example/api/v1/invoices",
      headers: { ...headers, host: "evil.example", "x-forwarded-host": "evil.example" },
      json: validInvoice({ number: "L7-1" }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { portal_url: string };
    expect(new URL(body.portal_url).origin).toBe(new URL(TEST_BASE_URL).origin);
  });
});
