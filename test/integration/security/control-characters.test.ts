// Security D5: CR/LF were accepted in customer names and carried into email
// subjects. Every single-line text field of the API now refuses line breaks, tabs and other control
// characters with a 422 naming the field; multi-line fields keep their line breaks; and an email
// subject is one header line whatever its parts hold.
import { describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { customers } from "../../../db/schema";
import { emailTemplates, renderEmail } from "../../../emails";
import { previewContext } from "../../../emails/components/preview";
import * as customersRoute from "~/routes/api.v1.customers";
import * as customerRoute from "~/routes/api.v1.customers.$id";
import * as contactsRoute from "~/routes/api.v1.customers.$id.contacts";
import * as invoicesRoute from "~/routes/api.v1.invoices";
import * as campaignsRoute from "~/routes/api.v1.campaigns";
import * as supplierRoute from "~/routes/api.v1.supplier";
import { useTestDatabase } from "../../support/database";
import { apiInvoiceBody, daysFromToday } from "../../support/api-bodies";
import { callRoute, testConfig, testContext } from "../../support/context";
import { payerFixture, type PayerFixture } from "../portal/payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const context = () => testContext(database.get(), config);

const INJECTED = "Kund AB\r\nBcc: everyone@attacker.example";

type Route = { action?: unknown; loader?: unknown };
const send = (route: Route, f: PayerFixture, method: string, path: string, json: unknown, params: Record<string, string> = {}) =>
  callRoute(route.action as Parameters<typeof callRoute>[0], context(), { method, path, params, headers: f.api, json });

const SINGLE_LINE: [name: string, field: string, call: (f: PayerFixture) => Promise<Response>][] = [
  ["POST /customers name with CR/LF", "name", (f) => send(customersRoute, f, "POST", "/api/v1/customers", { name: INJECTED })],
  ["POST /customers name with a tab", "name", (f) => send(customersRoute, f, "POST", "/api/v1/customers", { name: "Kund\tAB" })],
  ["POST /customers name with U+2028", "name", (f) => send(customersRoute, f, "POST", "/api/v1/customers", { name: "Kund\u2028AB" })],
  ["POST /customers external_id with LF", "external_id", (f) => send(customersRoute, f, "POST", "/api/v1/customers", { name: "Kund AB", external_id: "C\n1" })],
  ["PATCH /customers/:id name", "name", (f) => send(customerRoute, f, "PATCH", `/api/v1/customers/${f.customerId}`, { name: INJECTED }, { id: f.customerId })],
  ["POST /customers/:id/contacts name", "name", (f) => send(contactsRoute, f, "POST", `/api/v1/customers/${f.customerId}/contacts`, { name: INJECTED, email: "ap@kund.example" }, { id: f.customerId })],
  ["POST /invoices customer.name", "customer.name", (f) => send(invoicesRoute, f, "POST", "/api/v1/invoices", apiInvoiceBody({ customer: { external_id: "C-X", name: INJECTED } }))],
  ["POST /invoices number", "number", (f) => send(invoicesRoute, f, "POST", "/api/v1/invoices", apiInvoiceBody({ number: "1\r\n2" }))],
  ["POST /invoices lines[0].unit", "lines[0].unit", (f) => send(invoicesRoute, f, "POST", "/api/v1/invoices", apiInvoiceBody({ lines: [{ description: "Tid", quantity: 1, unit: "h\nx", unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 }] }))],
  ["POST /campaigns name", "name", (f) => send(campaignsRoute, f, "POST", "/api/v1/campaigns", { name: "Vår\r\nBcc: x", audience: "all", message: "Hej", deadline: daysFromToday(30) })],
  ["PATCH /supplier contact_phone", "contact_phone", (f) => send(supplierRoute, f, "PATCH", "/api/v1/supplier", { contact_phone: "08-123\n456" })],
  ["PATCH /supplier name", "name", (f) => send(supplierRoute, f, "PATCH", "/api/v1/supplier", { name: "Lev\u0085AB" })],
];

describe("single-line fields refuse line breaks and control characters with a 422 naming the field", () => {
  it.each(SINGLE_LINE)("%s", async (_name, field, call) => {
    const f = await payerFixture(db(), config);
    const customersBefore = (await db().select({ n: count() }).from(customers).where(eq(customers.supplierId, f.supplier.id)))[0]!.n;
    const response = await call(f);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors.map((error) => error.field)).toContain(field);
    const customersAfter = (await db().select({ n: count() }).from(customers).where(eq(customers.supplierId, f.supplier.id)))[0]!.n;
    expect(customersAfter).toBe(customersBefore);
  });
});

describe("multi-line fields keep their line breaks", () => {
  it("an invoice line's description and a campaign's message may span lines", async () => {
    const f = await payerFixture(db(), config);
    const description = "Konsulttimmar\nMars 2026\r\n\tprojekt 7";
    const created = await send(invoicesRoute, f, "POST", "/api/v1/invoices", apiInvoiceBody({ lines: [{ description, quantity: 1, unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 }] }));
    expect(created.status).toBe(201);
    expect(((await created.json()) as { lines: { description: string }[] }).lines[0]!.description).toBe(description);
    const campaign = await send(campaignsRoute, f, "POST", "/api/v1/campaigns", { name: "Vår", audience: "all", message: "Hej!\n\nStämmer adressen?", deadline: daysFromToday(30) });
    expect(campaign.status).toBe(201);
  });
});

describe("email subjects are one header line", () => {
  it("a line break in a name that reached a template is not carried into the subject", async () => {
    const template = emailTemplates["invoice-confirmed"];
    const props = { ...(template.previewProps as Record<string, unknown>), customerName: INJECTED };
    const email = await renderEmail("invoice-confirmed", props, previewContext(template, "en"));
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain("Kund AB Bcc: everyone@attacker.example");
  });
});
