// Security D5: a NUL character in API text inputs and in a BgMax field gave a
// 500 (PostgreSQL refuses NUL in text), and the log got the failed SQL with its parameters. Now a
// NUL is a 422 naming the field with nothing written, a BgMax name keeps its text without it, and
// no log line carries a failed query's parameters.
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { count, eq } from "drizzle-orm";
import { customers, payments } from "../../../db/schema";
import { createLogger } from "~/platform/logger.server";
import { handleError } from "~/entry.server";
import * as customersRoute from "~/routes/api.v1.customers";
import * as customerRoute from "~/routes/api.v1.customers.$id";
import * as invoicesRoute from "~/routes/api.v1.invoices";
import * as invoicePaymentsRoute from "~/routes/api.v1.invoices.$id.payments";
import * as campaignsRoute from "~/routes/api.v1.campaigns";
import * as webhookEndpointsRoute from "~/routes/api.v1.webhook-endpoints";
import * as supplierRoute from "~/routes/api.v1.supplier";
import * as suppressionsRoute from "~/routes/api.v1.email-suppressions";
import * as bankFilesRoute from "~/routes/api.v1.bank-files";
import { useTestDatabase } from "../../support/database";
import { apiInvoiceBody, daysFromToday } from "../../support/api-bodies";
import { callRoute, testConfig, testContext } from "../../support/context";
import { payerFixture, type PayerFixture } from "../portal/payer-helpers";
import { BANKGIRO, bankWorld, bgmaxFile } from "../bank-files/bank-file-helpers";
import { afterImport } from "../../support/imports";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const context = () => testContext(database.get(), config);

const NUL = "\u0000";
const invoice = (overrides: Record<string, unknown>) => apiInvoiceBody({ customer: { external_id: "C-NUL", name: "Kund AB" }, ...overrides });

type Case = {
  name: string;
  field: string;
  call: (f: PayerFixture) => Promise<Response>;
};

const send = (route: { action?: unknown; loader?: unknown }, f: PayerFixture, method: string, path: string, json?: unknown, params: Record<string, string> = {}) => {
  const fn = (method === "GET" ? route.loader : route.action) as Parameters<typeof callRoute>[0];
  return callRoute(fn, context(), { method, path, params, headers: f.api, ...(json === undefined ? {} : { json }) });
};

const CASES: Case[] = [
  { name: "POST /customers name", field: "name", call: (f) => send(customersRoute, f, "POST", "/api/v1/customers", { name: `Kund${NUL}AB` }) },
  { name: "POST /customers external_id", field: "external_id", call: (f) => send(customersRoute, f, "POST", "/api/v1/customers", { name: "Kund AB", external_id: `X${NUL}1` }) },
  { name: "PATCH /customers/:id name", field: "name", call: (f) => send(customerRoute, f, "PATCH", `/api/v1/customers/${f.customerId}`, { name: `A${NUL}` + "B" }, { id: f.customerId }) },
  { name: "POST /invoices number", field: "number", call: (f) => send(invoicesRoute, f, "POST", "/api/v1/invoices", invoice({ number: `1${NUL}2` })) },
  { name: "POST /invoices customer.name", field: "customer.name", call: (f) => send(invoicesRoute, f, "POST", "/api/v1/invoices", invoice({ customer: { external_id: "C-NUL", name: `K${NUL}` } })) },
  {
    name: "POST /invoices lines[0].description (multi-line, still no NUL)",
    field: "lines[0].description",
    call: (f) => send(invoicesRoute, f, "POST", "/api/v1/invoices", invoice({ lines: [{ description: `Rad 1\nRad${NUL}2`, quantity: 1, unit_price: 10000, vat_rate: 25, net: 10000, vat: 2500 }] })),
  },
  {
    name: "POST /invoices/:id/payments reference",
    field: "reference",
    call: (f) => send(invoicePaymentsRoute, f, "POST", `/api/v1/invoices/${f.invoice.id}/payments`, { amount: 100, currency: "SEK", method: "bank_transfer", reference: `R${NUL}1` }, { id: f.invoice.id }),
  },
  {
    name: "POST /campaigns message",
    field: "message",
    call: (f) => send(campaignsRoute, f, "POST", "/api/v1/campaigns", { name: "Vår", audience: "all", message: `Hej${NUL}`, deadline: daysFromToday(30) }),
  },
  { name: "POST /webhook-endpoints url", field: "url", call: (f) => send(webhookEndpointsRoute, f, "POST", "/api/v1/webhook-endpoints", { url: `https://erp.example.com/h${NUL}ook` }) },
  { name: "PATCH /supplier name", field: "name", call: (f) => send(supplierRoute, f, "PATCH", "/api/v1/supplier", { name: `Lev${NUL}AB` }) },
  { name: "GET /customers?external_id=", field: "external_id", call: (f) => send(customersRoute, f, "GET", "/api/v1/customers?external_id=a%00b") },
  { name: "GET /email-suppressions?address=", field: "address", call: (f) => send(suppressionsRoute, f, "GET", "/api/v1/email-suppressions?address=a%00@b.se") },
];

describe("a NUL in an API text input is a 422 naming the field, with nothing written", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const f = await payerFixture(db(), config);
    const before = (await db().select({ n: count() }).from(customers).where(eq(customers.supplierId, f.supplier.id)))[0]!.n;
    const response = await c.call(f);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors.map((error) => error.field)).toContain(c.field);
    expect(problem.errors.find((error) => error.field === c.field)?.message).toMatch(/control characters/);
    const after = (await db().select({ n: count() }).from(customers).where(eq(customers.supplierId, f.supplier.id)))[0]!.n;
    expect(after).toBe(before);
  });
});

describe("a NUL in a BgMax name field", () => {
  it("books the payment and keeps the payer's name without the NUL", async () => {
    const world = await bankWorld(db(), config, 1);
    const file = bgmaxFile({
      bankgiro: BANKGIRO, date: "2026-03-20",
      payments: [{ refs: [world.invoices[0]!.ocr], amount: world.invoices[0]!.total, serial: 1, payerName: `Fjäll${NUL}backa AB` }],
    });
    const response = await callRoute(bankFilesRoute.action as Parameters<typeof callRoute>[0], context(), {
      method: "POST", path: "/api/v1/bank-files", headers: { ...world.api, "content-type": "text/plain" }, body: new Uint8Array(file),
    });
    const { done } = await afterImport(context(), response, world.api);
    expect(done).toMatchObject({ state: "succeeded", report: { booked: 1 } });
    expect(JSON.stringify(done)).not.toContain(NUL);
    const booked = await db().select().from(payments).where(eq(payments.supplierId, world.supplier.id));
    expect(booked).toHaveLength(1);
    expect(JSON.stringify(booked)).not.toContain("\\u0000");
  });
});

describe("no log line carries a failed query's parameters", () => {
  afterEach(() => vi.restoreAllMocks());

  /** A query that PostgreSQL refuses because of its parameter, as a schema-less path would send it. */
  async function failedQuery(secret: string): Promise<unknown> {
    const f = await payerFixture(db(), config);
    try {
      await db().update(customers).set({ name: `${secret}${NUL}` }).where(eq(customers.id, f.customerId));
    } catch (error) {
      return error;
    }
    throw new Error("PostgreSQL accepted a NUL");
  }

  it("the pino logger writes the SQL's message and placeholders, never its parameter values", async () => {
    const secret = "Hemlig Kundsson 19121212-1212";
    const error = await failedQuery(secret);
    expect(String((error as Error).message)).toContain(secret); // what the logger must keep out
    const lines: string[] = [];
    const log = createLogger("info", new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    log.error({ err: error }, "request failed");
    log.error(error as Error);
    const output = lines.join("");
    expect(output).toContain("update");
    expect(output).toContain("[redacted]");
    expect(output).not.toContain(secret);
  });

  it("Remix's error handler prints the stack without the parameters", async () => {
    const secret = "Hemlig Kundsson 19121212-1212";
    const error = await failedQuery(secret);
    const printed: unknown[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(...args));
    handleError(error, { request: new Request("https://pay.example.test/api/v1/customers") });
    expect(printed.join("")).toContain("Failed query");
    expect(printed.join("")).not.toContain(secret);
  });
});
