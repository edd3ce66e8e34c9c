// GET /api/v1/invoices/:id, GET /api/v1/invoices (filters, paging) and POST …/:id/links.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext, TEST_BASE_URL } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.invoices";
import { loader as getLoader, action as getAction } from "~/routes/api.v1.invoices.$id";
import { action as linksAction, loader as linksLoader } from "~/routes/api.v1.invoices.$id.links";
import { createInvoice } from "~/features/invoices/invoices.server";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { todayIn } from "~/domain/invoice-status";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);

function dateFromToday(days: number): string {
  const date = new Date(`${todayIn("Europe/Stockholm", new Date())}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function invoiceBody(number: string, overrides: Record<string, unknown> = {}) {
  return {
    number,
    currency: "SEK",
    issue_date: dateFromToday(-40),
    due_date: dateFromToday(10),
    customer: { external_id: "C-1", name: "Kund AB" },
    lines: [{ description: "Tjänst", quantity: 1, unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 }],
    total_net: 10000,
    total_vat: 2500,
    total: 12500,
    ...overrides,
  };
}

async function create(headers: Record<string, string>, body: unknown) {
  const response = await callRoute(createAction, context(), { method: "POST", path: "/api/v1/invoices", headers, json: body });
  expect(response.status).toBe(201);
  return response.json();
}

const getOne = (headers: Record<string, string>, id: string) =>
  callRoute(getLoader, context(), { path: `/api/v1/invoices/${id}`, params: { id }, headers });

const list = (headers: Record<string, string>, query = "") =>
  callRoute(listLoader, context(), { path: `/api/v1/invoices${query}`, headers });

type Page = { data: { id: string; status: string; customer: { id: string } }[]; next_cursor: string | null };

describe("GET /api/v1/invoices/:id", () => {
  it("returns the invoice as created, without a portal_url", async () => {
    const { headers } = await newSupplier(database.get().db);
    const created = await create(headers, invoiceBody("1"));
    const response = await getOne(headers, created.id);
    expect(response.status).toBe(200);
    const { portal_url, ...rest } = created;
    expect(portal_url).toBeTypeOf("string");
    expect(await response.json()).toEqual(rest);
  });

  it("is 404 for another supplier's invoice, an unknown id and a malformed id", async () => {
    const owner = await newSupplier(database.get().db, { name: "Ägare AB" });
    const created = await create(owner.headers, invoiceBody("1"));
    const { headers } = await newSupplier(database.get().db, { name: "Annan AB" });
    for (const id of [created.id, "inv_0000000000000000000000", "1"]) {
      const response = await getOne(headers, id);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
  });

  it("answers 401 without a key and 405 for other methods", async () => {
    expect((await getOne({}, "inv_0000000000000000000000")).status).toBe(401);
    const response = await callRoute(getAction, context(), { method: "DELETE", path: "/api/v1/invoices/x", params: { id: "x" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH");
  });
});

describe("GET /api/v1/invoices", () => {
  it("filters by status in the database: open, overdue, paid, cancelled", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const open = await create(headers, invoiceBody("open"));
    const dueToday = await create(headers, invoiceBody("due-today", { due_date: dateFromToday(0) }));
    const overdue = await create(headers, invoiceBody("overdue", { due_date: dateFromToday(-1) }));
    const partlyPaid = await create(headers, invoiceBody("partly-paid", { due_date: dateFromToday(-5) }));
    const paid = await create(headers, invoiceBody("paid", { due_date: dateFromToday(-5) }));
    const cancelled = await create(headers, invoiceBody("cancelled", { due_date: dateFromToday(-5) }));
    const { sql } = database.get();
    await sql`update invoices set amount_paid = 5000 where id = ${partlyPaid.id}`;
    await sql`update invoices set amount_paid = total, paid_at = now() where id = ${paid.id}`;
    await sql`update invoices set cancelled_at = now() where id = ${cancelled.id}`;
    // Another supplier's invoices never show up.
    const other = await newSupplier(database.get().db, { name: "Annan AB" });
    await create(other.headers, invoiceBody("open"));

    const ids = async (query: string) => {
      const response = await list(headers, query);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      return page.data.map((invoice) => [invoice.id, invoice.status]);
    };
    expect(await ids("?status=open")).toEqual([[dueToday.id, "open"], [open.id, "open"]]);
    expect(await ids("?status=overdue")).toEqual([[partlyPaid.id, "overdue"], [overdue.id, "overdue"]]);
    expect(await ids("?status=paid")).toEqual([[paid.id, "paid"]]);
    expect(await ids("?status=cancelled")).toEqual([[cancelled.id, "cancelled"]]);
    expect(await ids("")).toHaveLength(6);

    const [row] = await sql`select count(*)::int as n from invoices where supplier_id = ${supplier.id}`;
    expect(row!.n).toBe(6);
  });

  it("filters by customer", async () => {
    const { headers } = await newSupplier(database.get().db);
    const a = await create(headers, invoiceBody("1", { customer: { external_id: "A", name: "A AB" } }));
    await create(headers, invoiceBody("2", { customer: { external_id: "B", name: "B AB" } }));
    const a2 = await create(headers, invoiceBody("3", { customer: { external_id: "A", name: "A AB" } }));
    const page = (await (await list(headers, `?customer=${a.customer.id}`)).json()) as Page;
    expect(page.data.map((invoice) => invoice.id)).toEqual([a2.id, a.id]);
    expect((await (await list(headers, "?customer=cus_0000000000000000000000")).json()).data).toEqual([]);
  });

  it("pages through 25 invoices 10 at a time, newest first, without duplicates or gaps", async () => {
    const { supplier, apiKeyId, headers } = await newSupplier(database.get().db);
    const sameInstant = new Date("2026-01-15T12:00:00.000Z");
    const createdIds: string[] = [];
    for (let i = 0; i < 25; i++) {
      // Ten share one instant, so the id must break ties for the cursor to be exact.
      const now = i < 10 ? sameInstant : new Date(sameInstant.getTime() + i * 1000);
      const result = await createInvoice(database.get().db, config, {
        supplierId: supplier.id, apiKeyId, input: invoiceBody(`P-${i}`), now,
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problem));
      createdIds.push(result.invoice.id);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let query = "?limit=10";
    for (let guard = 0; guard < 5; guard++) {
      const page = (await (await list(headers, query)).json()) as Page;
      sizes.push(page.data.length);
      seen.push(...page.data.map((invoice) => invoice.id));
      if (!page.next_cursor) break;
      query = `?limit=10&cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual([...createdIds].sort());
    // Newest first: the last 15 were created one second apart, in order.
    expect(seen.slice(0, 15)).toEqual(createdIds.slice(10).reverse());
  });

  it.each([
    ["?status=late", "status"],
    ["?limit=0", "limit"],
    ["?limit=101", "limit"],
    ["?limit=ten", "limit"],
    ["?cursor=bm9wZQ", "cursor"],
    ["?customer=C-1", "customer"],
    ["?colour=red", "colour"],
  ])("rejects %s with 422 on %s", async (query, field) => {
    const { headers } = await newSupplier(database.get().db);
    const response = await list(headers, query);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toEqual([field]);
  });

  it("answers 401 without a key", async () => {
    expect((await list({})).status).toBe(401);
  });
});

describe("POST /api/v1/invoices/:id/links", () => {
  const tokenOf = (url: string) => new URL(url).pathname.slice("/i/".length);

  it("issues a new link and the old one stops working", async () => {
    const { supplier, apiKeyId, headers } = await newSupplier(database.get().db);
    const created = await create(headers, invoiceBody("1"));
    const response = await callRoute(linksAction, context(), {
      method: "POST", path: `/api/v1/invoices/${created.id}/links`, params: { id: created.id }, headers,
    });
    expect(response.status).toBe(201);
    const link = await response.json();
    expect(link.portal_url.startsWith(`${TEST_BASE_URL}/i/`)).toBe(true);
    expect(link.portal_url).not.toBe(created.portal_url);
    expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.now());

    const { db } = database.get();
    expect((await resolveInvoiceToken(db, config, tokenOf(created.portal_url))).ok).toBe(false);
    expect(await resolveInvoiceToken(db, config, tokenOf(link.portal_url))).toMatchObject({
      ok: true, link: { invoiceId: created.id },
    });
    const events = await database.get().sql`
      select data->>'reason' as reason, actor_id from events
      where supplier_id = ${supplier.id} and invoice_id = ${created.id} and type = 'link.issued' order by seq`;
    expect(events).toEqual([{ reason: "created", actor_id: apiKeyId }, { reason: "reissued", actor_id: apiKeyId }]);
  });

  it("another supplier cannot reissue (404) and the link keeps working", async () => {
    const owner = await newSupplier(database.get().db, { name: "Ägare AB" });
    const created = await create(owner.headers, invoiceBody("1"));
    const { headers } = await newSupplier(database.get().db, { name: "Annan AB" });
    const response = await callRoute(linksAction, context(), {
      method: "POST", path: `/api/v1/invoices/${created.id}/links`, params: { id: created.id }, headers,
    });
    expect(response.status).toBe(404);
    expect((await resolveInvoiceToken(database.get().db, config, tokenOf(created.portal_url))).ok).toBe(true);
  });

  it("answers 405 with Allow: POST for GET", async () => {
    const response = await callRoute(linksLoader, context(), { path: "/api/v1/invoices/x/links", params: { id: "x" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
