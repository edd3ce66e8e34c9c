// GET /api/v1/invoices?issued_after=&issued_before=&due_after=&due_before=: half-open date ranges
// (after ≤ date < before), combinable with the other filters and paging; bad dates are 422s.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.invoices";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);

type Headers = Record<string, string>;
type Page = { data: { number: string }[]; next_cursor: string | null };
type Problem = { status: number; errors: { field: string; message: string }[] };

async function create(headers: Headers, number: string, issueDate: string, dueDate: string, customer = "C-1") {
  const response = await callRoute(createAction, context(), {
    method: "POST",
    path: "/api/v1/invoices",
    headers,
    json: {
      number,
      currency: "SEK",
      issue_date: issueDate,
      due_date: dueDate,
      customer: { external_id: customer, name: `Kund ${customer}` },
      lines: [{ description: "Tjänst", quantity: 1, unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 }],
      total_net: 10000,
      total_vat: 2500,
      total: 12500,
    },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; customer: { id: string } };
}

const list = (headers: Headers, query: string) => callRoute(listLoader, context(), { path: `/api/v1/invoices${query}`, headers });

async function numbers(headers: Headers, query: string): Promise<string[]> {
  const response = await list(headers, query);
  expect(response.status).toBe(200);
  const page = (await response.json()) as Page;
  return page.data.map((invoice) => invoice.number).sort();
}

/** Four invoices issued on the first of Feb–May, each due 30 days later. */
async function fourMonths() {
  const headers = (await newSupplier(database.get().db, { name: "Datum AB" })).headers;
  await create(headers, "FEB", "2026-02-01", "2026-03-03");
  await create(headers, "MAR", "2026-03-01", "2026-03-31");
  await create(headers, "APR", "2026-04-01", "2026-05-01", "C-2");
  await create(headers, "MAY", "2026-05-01", "2026-05-31", "C-2");
  return headers;
}

describe("GET /api/v1/invoices date filters", () => {
  it("filters by issue date: after is inclusive, before is exclusive, so months tile", async () => {
    const headers = await fourMonths();
    expect(await numbers(headers, "?issued_after=2026-03-01&issued_before=2026-04-01")).toEqual(["MAR"]);
    expect(await numbers(headers, "?issued_after=2026-03-01")).toEqual(["APR", "MAR", "MAY"]);
    expect(await numbers(headers, "?issued_before=2026-03-01")).toEqual(["FEB"]);
    expect(await numbers(headers, "?issued_after=2026-03-02&issued_before=2026-04-01")).toEqual([]);
  });

  it("filters by due date", async () => {
    const headers = await fourMonths();
    expect(await numbers(headers, "?due_after=2026-03-31&due_before=2026-05-31")).toEqual(["APR", "MAR"]);
    expect(await numbers(headers, "?due_before=2026-03-04")).toEqual(["FEB"]);
    expect(await numbers(headers, "?due_after=2026-05-02")).toEqual(["MAY"]);
  });

  it("combines date ranges with the customer filter and pages through the result", async () => {
    const headers = await fourMonths();
    const customer = (await create(headers, "JUN", "2026-06-01", "2026-07-01", "C-2")).customer.id;
    expect(await numbers(headers, `?customer=${customer}&issued_after=2026-04-15`)).toEqual(["JUN", "MAY"]);
    expect(await numbers(headers, `?customer=${customer}&issued_after=2026-04-15&due_before=2026-06-30`)).toEqual(["MAY"]);

    const seen: string[] = [];
    let query = "?issued_after=2026-03-01&limit=2";
    for (;;) {
      const page = (await (await list(headers, query)).json()) as Page;
      seen.push(...page.data.map((invoice) => invoice.number));
      if (!page.next_cursor) break;
      query = `?issued_after=2026-03-01&limit=2&cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(seen.sort()).toEqual(["APR", "JUN", "MAR", "MAY"]);
  });

  it("only ever lists the key's own invoices, whatever the dates", async () => {
    await fourMonths();
    const other = (await newSupplier(database.get().db, { name: "Annan AB" })).headers;
    expect(await numbers(other, "?issued_after=2000-01-01&issued_before=2100-01-01")).toEqual([]);
  });

  it.each([
    ["?issued_after=2026-02-30", "issued_after"],
    ["?issued_before=01/03/2026", "issued_before"],
    ["?due_after=2026-3-1", "due_after"],
    ["?due_before=", "due_before"],
    ["?issued_after=2026-04-01&issued_before=2026-04-01", "issued_before"],
    ["?due_after=2026-05-01&due_before=2026-04-01", "due_before"],
    ["?issue_date=2026-04-01", "issue_date"],
  ])("answers 422 naming the field for %s", async (query, field) => {
    const headers = (await newSupplier(database.get().db, { name: "Fel AB" })).headers;
    const response = await list(headers, query);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as Problem;
    expect(body.errors.map((error) => error.field)).toEqual([field]);
    expect(body.errors[0]!.message).toMatch(field === "issue_date" ? /.+/ : new RegExp(field));
  });
});
